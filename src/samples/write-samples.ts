/**
 * Writes the committed sample files (samples/): the canonical CSV, the same legs as NDJSON and in the
 * bank's teller-extract layout, that layout's mapping, and the cases a scan must produce.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { DEFAULT_RULES_DIR, PACKAGE_ROOT } from '../paths.js';
import { BANK_LAYOUT_MAPPING } from './bank-mapping.js';
import {
  type GenerateOptions, generateRows, plantedCases, type SampleRow, writeBankLayoutCsv, writeCanonicalCsv,
} from './generate.js';
import { generatedReadme, spliceReadme } from './readme.js';

export const SAMPLE_OPTIONS = { rows: 4000, seed: 7, start: '2026-01-05', days: 90, plant: true } as const satisfies GenerateOptions;

export const SAMPLE_FILES = {
  canonical: 'bank-export.csv',
  ndjson: 'bank-export.ndjson',
  teller: 'bank-export-teller.csv',
  mapping: 'bank-layout.mapping.json',
  expected: 'expected-cases.json',
  readme: 'README.md',
} as const;

/** Writes every sample file into `dir`; returns each file's name and size in bytes. */
export async function writeSamples(dir: string): Promise<{ file: string; bytes: number }[]> {
  await mkdir(dir, { recursive: true });
  const opts = SAMPLE_OPTIONS;
  await writeCanonicalCsv(join(dir, SAMPLE_FILES.canonical), opts);
  await writeBankLayoutCsv(join(dir, SAMPLE_FILES.teller), opts);
  await writeNdjson(join(dir, SAMPLE_FILES.ndjson), opts);
  await writeFile(join(dir, SAMPLE_FILES.mapping), JSON.stringify(BANK_LAYOUT_MAPPING, null, 2) + '\n');
  const expected = expectedCases(opts);
  await writeFile(join(dir, SAMPLE_FILES.expected), JSON.stringify(expected, null, 2) + '\n');
  // The hand-written README of the package, with its generated part brought up to date.
  const readme = await readFile(join(PACKAGE_ROOT, 'samples', SAMPLE_FILES.readme), 'utf8');
  await writeFile(join(dir, SAMPLE_FILES.readme), spliceReadme(readme, generatedReadme(expected.alerts, expected.lookalikes)));
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

/** Each rule of the default pack and the field its alerts name as subject (the first of a list). */
function ruleSubjects(): Map<string, string> {
  const files = readdirSync(DEFAULT_RULES_DIR).filter((f) => f.endsWith('.json')).sort();
  return new Map(files.map((f) => {
    const rule = JSON.parse(readFileSync(join(DEFAULT_RULES_DIR, f), 'utf8')) as { id: string; subject: string | string[] };
    return [rule.id, [rule.subject].flat()[0]!];
  }));
}

/** A leg in pesos, or paying a peso invoice, has a USD amount only through an FX table. */
const needsRates = (r: SampleRow): boolean => r.currency !== 'USD' || (r.invoice_currency !== '' && r.invoice_currency !== 'USD');

/**
 * The alerts a scan with the default pack and the sample FX table must raise, and the cases they make. An
 * alert's subject is the value of its rule's subject field on the first evidence leg; its case is the
 * customer's for a customer or account subject, else the subject's own (a beneficiary account, an invoice).
 * An alert on legs in another currency needs the FX table (`needs_fx_rates`): without it they are not evaluated.
 */
function expectedCases(opts: typeof SAMPLE_OPTIONS) {
  const { alerts, lookalikes } = plantedCases(opts);
  const subjects = ruleSubjects();
  const rows = new Map([...generateRows(opts)].map((r) => [r.txn_id!, r]));
  const expected = alerts.map(({ txn_ids, customer_ids: _, note, expected_extra, ...a }) => {
    const field = subjects.get(a.rule) ?? 'customer_id';
    const subject = rows.get(txn_ids[0]!)![field]!;
    const case_subject = field === 'customer_id' || field === 'account_id' ? a.customer_id : subject;
    const fx = txn_ids.some((t) => needsRates(rows.get(t)!)) ? { needs_fx_rates: true } : {};
    return { ...a, subject, case_subject, txn_ids, note, ...fx, ...(expected_extra ? { expected_extra } : {}) };
  });
  const rulesBy = new Map<string, Set<string>>();
  for (const a of expected) rulesBy.set(a.case_subject, (rulesBy.get(a.case_subject) ?? new Set()).add(a.rule));
  return {
    generator: { seed: opts.seed, rows: opts.rows, start: opts.start, days: opts.days },
    scan: 'amlscreen scan bank-export.csv --fx-rates fx_rates.csv',
    rules: [...subjects.keys()],
    cases: [...rulesBy].map(([subject, rules]) => ({ subject, rules: [...rules].sort() })),
    alerts: expected,
    lookalikes: lookalikes.map(({ customer_ids: _, ...l }) => l),
  };
}
