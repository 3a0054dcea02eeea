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
  refresh_days?: number;
  lists?: Record<string, string[]>;
  values?: Record<string, Scalar>;
  tables?: Record<string, TableDocument>;
  snapshots?: Array<{ effective_from: string; label?: string; lists: Record<string, string[]>; values?: Record<string, Scalar>; tables?: Record<string, TableDocument> }>;
}

export type Scalar = string | number;
export interface TableDocument {
  key: string;
  rows: Array<Record<string, Scalar>>;
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
/** A named value, or a table cell by key, in force on the leg's booking date; undefined when there is none. */
export type ValueLookup = (t: Txn) => Scalar | undefined;
export type CellLookup = (key: string, t: Txn) => Scalar | undefined;

export interface Reference {
  info: ReferenceVersion;
  file: string;
  /** Days after as_of when the content is out of date (FATF lists: 150), and the line of as_of. */
  refreshDays: number | undefined;
  asOfLine: number;
  /** undefined when the file has no list of that name. */
  list(name: string): ListLookup | undefined;
  listNames(): string[];
  /** The entries of a list in force on the leg's date (undefined before the first version). */
  entries(name: string): ((t: Txn) => readonly string[] | undefined) | undefined;
  /** A named value; undefined when the file has none of that name. */
  value(name: string): { lookup: ValueLookup; sample: Scalar } | undefined;
  /** A table column by the table's key; undefined when the file has no such table or column. */
  column(table: string, column: string): { lookup: CellLookup; sample: Scalar; key: string } | undefined;
  valueNames(): string[];
  tableNames(): string[];
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

  /** The files loaded so far: those the rules read. */
  all(): Reference[] {
    return [...this.loaded.values()];
  }

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
  const raw = d.snapshots ?? [{ effective_from: '0001-01-01', lists: d.lists ?? {}, values: d.values, tables: d.tables }];
  const snapshots = raw.map((s, i) => ({
    from: Date.parse(`${s.effective_from}T00:00:00Z`),
    lists: new Map(Object.entries(s.lists).map(([k, v]) => [k, new Set(v)])),
    entries: new Map(Object.entries(s.lists)),
    values: new Map(Object.entries(s.values ?? {})),
    tables: new Map(Object.entries(s.tables ?? {}).map(([k, t]) => [k, indexTable(t, file, d.snapshots ? `/snapshots/${i}/tables/${k}` : `/tables/${k}`)])),
  })).sort((a, b) => a.from - b.from);
  const names = (pick: (s: (typeof snapshots)[number]) => Iterable<string>) => [...new Set(snapshots.flatMap((s) => [...pick(s)]))].sort();
  const listNames = names((s) => s.lists.keys());
  const valueNames = names((s) => s.values.keys());
  const tableNames = names((s) => s.tables.keys());
  /** The snapshot in force on the leg's booking date as written (its local wall-clock day). */
  const inForce = (t: Txn) => {
    const local = Math.floor((t.ts + t.off * 60_000) / DAY_MS) * DAY_MS;
    for (let i = snapshots.length - 1; i >= 0; i--) if (snapshots[i]!.from <= local) return snapshots[i]!;
    coverage.missed = `${info.name} (no version in force on the leg's date)`;
    return undefined;
  };
  return {
    info,
    file,
    refreshDays: d.refresh_days,
    asOfLine: doc.locate('/as_of').line ?? 1,
    listNames: () => listNames,
    valueNames: () => valueNames,
    tableNames: () => tableNames,
    list(name) {
      if (!listNames.includes(name)) return undefined;
      return (value, t) => {
        const s = inForce(t);
        return s === undefined ? undefined : (s.lists.get(name)?.has(value) ?? false);
      };
    },
    entries(name) {
      if (!listNames.includes(name)) return undefined;
      const none: readonly string[] = [];
      return (t) => {
        const s = inForce(t);
        return s === undefined ? undefined : (s.entries.get(name) ?? none);
      };
    },
    value(name) {
      const sample = snapshots.find((s) => s.values.has(name))?.values.get(name);
      if (sample === undefined) return undefined;
      return { sample, lookup: (t) => inForce(t)?.values.get(name) };
    },
    column(table, column) {
      const withTable = snapshots.find((s) => s.tables.get(table)?.columns.has(column));
      if (!withTable) return undefined;
      const { key, sample } = withTable.tables.get(table)!;
      return {
        key,
        sample: sample.get(column)!,
        lookup: (k, t) => {
          const s = inForce(t);
          if (s === undefined) return undefined;
          const v = s.tables.get(table)?.rows.get(k)?.[column];
          if (v === undefined) coverage.missed = `${info.name}/${table} (no row for '${k}')`;
          return v;
        },
      };
    },
  };
}

/**
 * Reference files past their refresh period on `today` (YYYY-MM-DD): FATF updates its lists three
 * times a year, so a FATF file more than 150 days old is missing at least one plenary.
 */
export function staleReferences(refs: readonly Reference[], today: string): Array<{ ref: Reference; ageDays: number }> {
  const now = Date.parse(`${today}T00:00:00Z`);
  return refs
    .filter((r) => r.refreshDays !== undefined)
    .map((ref) => ({ ref, ageDays: Math.floor((now - Date.parse(`${ref.info.as_of}T00:00:00Z`)) / DAY_MS) }))
    .filter(({ ref, ageDays }) => ageDays > ref.refreshDays!);
}

interface IndexedTable {
  key: string;
  rows: Map<string, Record<string, Scalar>>;
  columns: Set<string>;
  /** A value of each column, to type it when a rule is compiled. */
  sample: Map<string, Scalar>;
}

function indexTable(t: TableDocument, file: string, pointer: string): IndexedTable {
  const rows = new Map<string, Record<string, Scalar>>();
  const sample = new Map<string, Scalar>();
  t.rows.forEach((row, i) => {
    const k = row[t.key];
    if (k === undefined) throw new AmlError('config', `${file} ${pointer}/rows/${i}: no key column '${t.key}'`);
    if (rows.has(String(k))) throw new AmlError('config', `${file} ${pointer}/rows/${i}: key '${String(k)}' appears twice`);
    rows.set(String(k), row);
    for (const [c, v] of Object.entries(row)) if (!sample.has(c)) sample.set(c, v);
  });
  return { key: t.key, rows, columns: new Set(sample.keys()), sample };
}
