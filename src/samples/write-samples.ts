/**
 * Writes the committed sample files (samples/): the canonical CSV, the same legs as NDJSON and in the
 * bank's teller-extract layout, that layout's mapping, and the cases a scan must produce.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { BANK_LAYOUT_MAPPING } from './bank-mapping.js';
import { type GenerateOptions, generateRows, plantedCases, writeBankLayoutCsv, writeCanonicalCsv } from './generate.js';

export const SAMPLE_OPTIONS: Required<GenerateOptions> = { rows: 3000, seed: 7, start: '2026-01-05', days: 90, plant: true };

export const SAMPLE_FILES = {
  canonical: 'bank-export.csv',
  ndjson: 'bank-export.ndjson',
  teller: 'bank-export-teller.csv',
  mapping: 'bank-layout.mapping.json',
  expected: 'expected-cases.json',
} as const;

/** Writes every sample file into `dir`; returns each file's name and size in bytes. */
export async function writeSamples(dir: string): Promise<{ file: string; bytes: number }[]> {
  await mkdir(dir, { recursive: true });
  const opts = SAMPLE_OPTIONS;
  await writeCanonicalCsv(join(dir, SAMPLE_FILES.canonical), opts);
  await writeBankLayoutCsv(join(dir, SAMPLE_FILES.teller), opts);
  await writeNdjson(join(dir, SAMPLE_FILES.ndjson), opts);
  await writeFile(join(dir, SAMPLE_FILES.mapping), JSON.stringify(BANK_LAYOUT_MAPPING, null, 2) + '\n');
  await writeFile(join(dir, SAMPLE_FILES.expected), JSON.stringify(expectedCases(opts), null, 2) + '\n');
  return Promise.all(Object.values(SAMPLE_FILES).map(async (file) => ({ file, bytes: (await stat(join(dir, file))).size })));
}

/** One JSON object per leg; values are strings and a column without a value is left out. */
async function writeNdjson(path: string, opts: GenerateOptions): Promise<void> {
  const out = createWriteStream(path);
  let chunk = '';
  for (const row of generateRows(opts)) {
    const present: Record<string, string> = {};
    for (const [k, v] of Object.entries(row)) if (v !== '') present[k] = v;
    chunk += JSON.stringify(present) + '\n';
    if (chunk.length < 1 << 16) continue;
    if (!out.write(chunk)) await once(out, 'drain');
    chunk = '';
  }
  out.end(chunk);
  await finished(out);
}

/** The rules in rules/ the samples were designed against. */
const RULES = [
  'STRUCT-001', 'STRUCT-002', 'STRUCT-003', 'STRUCT-004', 'CASH-001', 'XB-001', 'XB-002', 'XB-004', 'XB-005', 'XB-007', 'XB-008',
];
/** Rules evaluated per account: their alerts name the account as subject (the case is still the customer's). */
const PER_ACCOUNT = new Set(['STRUCT-003', 'XB-004', 'XB-007']);

function expectedCases(opts: Required<GenerateOptions>) {
  const { alerts, lookalikes } = plantedCases(opts);
  const rulesBy = new Map<string, string[]>();
  for (const a of alerts) rulesBy.set(a.customer_id, [...(rulesBy.get(a.customer_id) ?? []), a.rule]);
  return {
    generator: { seed: opts.seed, rows: opts.rows, start: opts.start, days: opts.days },
    rules: RULES,
    cases: [...rulesBy].map(([customer_id, rules]) => ({ customer_id, rules: [...new Set(rules)].sort() })),
    alerts: alerts.map(({ txn_ids, note, ...a }) => {
      const subject = PER_ACCOUNT.has(a.rule) ? a.account_id : a.customer_id;
      return { ...a, subject, txn_ids, note };
    }),
    lookalikes,
  };
}
