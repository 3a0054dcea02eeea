/**
 * Reference lists that rules read (FATF lists, corridor countries, goods terms), each with its
 * provenance and, where it changes over time, the date each version came into force: a 2024
 * transaction is judged against the list in force in 2024, and one dated before the first version
 * is "not evaluated" rather than "not listed".
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AmlError } from '../errors.js';
import type { Txn } from '../ingest/canonical.js';
import { readJsonDocument, validateDocument } from '../json-document.js';

export interface ReferenceDocument {
  name: string;
  version: string;
  as_of: string;
  description?: string;
  source: string;
  source_urls?: string[];
  license: string;
  unconfirmed?: boolean;
  lists?: Record<string, string[]>;
  snapshots?: Array<{ effective_from: string; label?: string; lists: Record<string, string[]> }>;
}

/** What a run and an alert record about a reference file. */
export interface ReferenceVersion {
  name: string;
  version: string;
  as_of: string;
  sha256: string;
  unconfirmed: boolean;
}

/** Is `value` on the list in force on the leg's booking date? undefined when no version covers that date. */
export type ListLookup = (value: string, t: Txn) => boolean | undefined;

export interface Reference {
  info: ReferenceVersion;
  file: string;
  /** undefined when the file has no list of that name. */
  list(name: string): ListLookup | undefined;
  listNames(): string[];
}

const DAY_MS = 86_400_000;

/**
 * The last lookup that found no list version in force (file name), so that a leg reported as not
 * evaluated can say why; the engine clears it before each leg.
 */
export const coverage = { missed: undefined as string | undefined };

export class ReferenceRegistry {
  private readonly loaded = new Map<string, Reference>();

  constructor(readonly dirs: readonly string[]) {}

  /** The reference file `<name>.json` from the first folder that has it; undefined if none does. */
  get(name: string): Reference | undefined {
    let ref = this.loaded.get(name);
    if (ref) return ref;
    const dir = this.dirs.find((d) => existsSync(join(d, `${name}.json`)));
    if (!dir) return undefined;
    ref = loadReference(join(dir, `${name}.json`));
    this.loaded.set(name, ref);
    return ref;
  }
}

function loadReference(file: string): Reference {
  const doc = readJsonDocument(file);
  const problems = validateDocument(doc, 'reference.schema.json');
  if (problems.length > 0) throw new AmlError('config', `invalid reference file ${file}`, problems);
  const d = doc.data as ReferenceDocument;
  const info: ReferenceVersion = {
    name: d.name, version: d.version, as_of: d.as_of, sha256: createHash('sha256').update(doc.text).digest('hex'), unconfirmed: d.unconfirmed === true,
  };
  const snapshots = (d.snapshots ?? [{ effective_from: '0001-01-01', lists: d.lists ?? {} }])
    .map((s) => ({ from: Date.parse(`${s.effective_from}T00:00:00Z`), lists: new Map(Object.entries(s.lists).map(([k, v]) => [k, new Set(v)])) }))
    .sort((a, b) => a.from - b.from);
  const names = [...new Set(snapshots.flatMap((s) => [...s.lists.keys()]))].sort();
  return {
    info,
    file,
    listNames: () => names,
    list(name) {
      if (!names.includes(name)) return undefined;
      return (value, t) => {
        // The booking date as written (local wall clock), compared with each version's first day.
        const local = Math.floor((t.ts + t.off * 60_000) / DAY_MS) * DAY_MS;
        for (let i = snapshots.length - 1; i >= 0; i--) {
          const s = snapshots[i]!;
          if (s.from <= local) return s.lists.get(name)?.has(value) ?? false;
        }
        coverage.missed = `${info.name} (no version in force on the leg's date)`;
        return undefined;
      };
    },
  };
}
