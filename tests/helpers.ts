import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Txn } from '../src/ingest/canonical.js';
import { loadMapping } from '../src/ingest/mapping.js';
import { compileNormaliser } from '../src/ingest/normalise.js';

export const ROOT = join(import.meta.dirname, '..');
export const RULES_DIR = join(ROOT, 'rules');
export const FIXTURES = join(ROOT, 'tests', 'fixtures');

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
