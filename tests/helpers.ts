import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Txn } from '../src/ingest/canonical.js';
import { loadMapping } from '../src/ingest/mapping.js';
import { compileNormaliser } from '../src/ingest/normalise.js';

export const ROOT = join(import.meta.dirname, '..');
export const RULES_DIR = join(ROOT, 'rules');
export const FIXTURES = join(ROOT, 'tests', 'fixtures');
/** The graph rules of the default pack (GRAPH-001 to GRAPH-008), each file's path. */
export const GRAPH_RULES = readdirSync(RULES_DIR).filter((f) => /^GRAPH-\d{3}\.json$/.test(f)).map((f) => join(RULES_DIR, f));

export function tempDir(prefix = 'amlscreen-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Canonical objects → legs, through the real canonical mapping. */
export function legs(rows: Array<Record<string, unknown>>, sourceId = 'test.csv'): Txn[] {
  const normalise = compileNormaliser(loadMapping('canonical'), undefined, { sourceId });
  return rows.map((value, i) => {
    const r = normalise({ kind: 'object', line: i + 2, value });
    if (r.reject) throw new Error(`row ${i}: ${r.reject.message}`);
    return r.legs[0]!;
  });
}

/**
 * A rule's `recur`, said plainly, for the brute-force checks: the occasions (in time order) of each alert,
 * one per run of occasions in which each has `count` - 1 or more before it whose first time lies within
 * `within` of its last, holding the occasions of those spans.
 */
export function recurrences<T>(occasions: readonly T[], first: (o: T) => number, last: (o: T) => number, count: number, within: number): T[][] {
  const out: Array<Set<T>> = [];
  let open: Set<T> | undefined;
  occasions.forEach((o, i) => {
    const span = occasions.slice(0, i + 1).filter((h) => last(o) - first(h) <= within);
    if (span.length < count) open = undefined;
    else {
      if (!open) out.push((open = new Set()));
      for (const h of span) open.add(h);
    }
  });
  return out.map((set) => [...set]);
}
