/**
 * The sample generator: determinism, shape, the planted legs, and — independently of the engine — a
 * brute-force evaluation of STRUCT-001, STRUCT-002 and CASH-001 that must find exactly the planted cases.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BANK_LAYOUT_MAPPING } from '../../src/samples/bank-mapping.js';
import {
  CANONICAL_COLUMNS, type GenerateOptions, generateRows, type PlantedCase, plantedCases, type SampleRow, toCsvLine,
  writeBankLayoutCsv, writeCanonicalCsv,
} from '../../src/samples/generate.js';
import { writeSamples } from '../../src/samples/write-samples.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SAMPLE: GenerateOptions = { rows: 3000, seed: 7, start: '2026-01-05', days: 90 };
/** Option sets that cross Juneteenth, a Saturday 4 July, Labor Day, the November DST change and year end. */
const VARIANTS: GenerateOptions[] = [
  SAMPLE,
  { rows: 40_000, seed: 123 },
  { rows: 12_000, seed: 5, start: '2026-06-01', days: 120 },
  { rows: 8_000, seed: 11, start: '2026-10-20', days: 75 },
];

const tmp = mkdtempSync(join(tmpdir(), 'amlscreen-gen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const rowsCache = new Map<string, SampleRow[]>();
function rowsOf(opts: GenerateOptions): SampleRow[] {
  const key = JSON.stringify(opts);
  if (!rowsCache.has(key)) rowsCache.set(key, [...generateRows(opts)]);
  return rowsCache.get(key)!;
}
const lineOf = (r: SampleRow): string => toCsvLine(CANONICAL_COLUMNS.map((c) => r[c]!));
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const cents = (amount: string): number => Number(amount.replace('.', ''));

// ---- an independent calendar: Federal Reserve holidays, business dates ------------------------------

const DAY = 86_400_000;
const dayNo = (iso: string): number => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY;
const wday = (d: number): number => new Date(d * DAY).getUTCDay();

function holidays(year: number): Set<number> {
  const on = (m: number, d: number): number => Date.UTC(year, m - 1, d) / DAY;
  const nth = (m: number, w: number, n: number): number => on(m, 1) + ((w - wday(on(m, 1)) + 7) % 7) + 7 * (n - 1);
  const last = (m: number, w: number): number => {
    const end = Date.UTC(year, m, 0) / DAY;
    return end - ((wday(end) - w + 7) % 7);
  };
  const fixed = [on(1, 1), on(6, 19), on(7, 4), on(11, 11), on(12, 25)].map((d) => (wday(d) === 0 ? d + 1 : d));
  return new Set([...fixed, nth(1, 1, 3), nth(2, 1, 3), last(5, 1), nth(9, 1, 1), nth(10, 1, 2), nth(11, 4, 4)]);
}

/** The local date of an ISO timestamp written with the bank's offset, rolled past weekends and holidays. */
function businessDay(ts: string): number {
  let d = dayNo(ts.slice(0, 10));
  while (wday(d) === 0 || wday(d) === 6 || holidays(new Date(d * DAY).getUTCFullYear()).has(d)) d++;
  return d;
}

// ---- brute-force rules -----------------------------------------------------------------------------

interface Leg { txn: string; cust: string; bd: number; dir: string; cents: number; branch: string; conductor: string }
type Found = Record<string, Record<string, string[]>>;

const CTR = 1_000_000;
const BAND_LOW = 800_000;

function cashLegs(rows: readonly SampleRow[]): Leg[] {
  return rows.filter((r) => r.channel === 'cash' || r.channel === 'atm').map((r) => ({
    txn: r.txn_id!, cust: r.customer_id!, bd: businessDay(r.booking_ts!), dir: r.direction!, cents: cents(r.amount!),
    branch: r.branch_id!, conductor: r.conductor_id!,
  }));
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) m.set(key(t), [...(m.get(key(t)) ?? []), t]);
  return m;
}

const distinct = (values: readonly string[]): number => new Set(values.filter((v) => v !== '')).size;

function struct002(legs: readonly Leg[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const g of groupBy(legs, (l) => `${l.cust}|${l.bd}|${l.dir}`).values()) {
    if (g.length < 2) continue;
    const total = g.reduce((a, l) => a + l.cents, 0);
    const a = g.every((l) => l.cents <= CTR) && total > CTR;
    const b = total >= BAND_LOW && total <= CTR
      && (distinct(g.map((l) => l.branch)) >= 2 || distinct(g.map((l) => l.conductor)) >= 2);
    if (a || b) out[g[0]!.cust] = [...(out[g[0]!.cust] ?? []), ...g.map((l) => l.txn)];
  }
  return out;
}

/** STRUCT-001 with a window of `span` days; also counts alerts after merging overlapping hits. */
function struct001(legs: readonly Leg[], span: number): { evidence: Record<string, string[]>; alerts: Record<string, number> } {
  const evidence: Record<string, string[]> = {};
  const alerts: Record<string, number> = {};
  for (const [cust, ins] of groupBy(legs.filter((l) => l.dir === 'in'), (l) => l.cust)) {
    const dayTotal = new Map<number, number>();
    for (const l of ins) dayTotal.set(l.bd, (dayTotal.get(l.bd) ?? 0) + l.cents);
    const band = ins.filter((l) => l.cents >= BAND_LOW && l.cents <= CTR);
    const hits: { start: number; end: number; txns: string[] }[] = [];
    for (const end of band) {
      const w = band.filter((l) => l.bd > end.bd - span && l.bd <= end.bd);
      const over = [...dayTotal].some(([d, t]) => d > end.bd - span && d <= end.bd && t > CTR);
      if (w.length >= 3 && distinct(w.map((l) => String(l.bd))) >= 2 && w.reduce((a, l) => a + l.cents, 0) > CTR && !over) {
        hits.push({ start: Math.min(...w.map((l) => l.bd)), end: end.bd, txns: w.map((l) => l.txn) });
      }
    }
    if (hits.length === 0) continue;
    hits.sort((x, y) => x.start - y.start);
    let merged = 1;
    let reach = hits[0]!.end;
    for (const h of hits.slice(1)) {
      if (h.start > reach) merged++;
      reach = Math.max(reach, h.end);
    }
    evidence[cust] = [...new Set(hits.flatMap((h) => h.txns))];
    alerts[cust] = merged;
  }
  return { evidence, alerts };
}

function cash001(legs: readonly Leg[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const l of legs) if (l.cents > CTR) out[l.cust] = [...(out[l.cust] ?? []), l.txn];
  return out;
}

function sortValues(found: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(found).map(([k, v]) => [k, [...v].sort()]));
}

function bruteForce(rows: readonly SampleRow[], span = 14): { found: Found; struct001Alerts: Record<string, number> } {
  const legs = cashLegs(rows);
  const s1 = struct001(legs, span);
  const found: Found = {
    'STRUCT-001': sortValues(s1.evidence), 'STRUCT-002': sortValues(struct002(legs)), 'CASH-001': sortValues(cash001(legs)),
  };
  return { found, struct001Alerts: s1.alerts };
}

function expectedFound(alerts: readonly PlantedCase[]): Found {
  const out: Found = { 'STRUCT-001': {}, 'STRUCT-002': {}, 'CASH-001': {} };
  for (const a of alerts) out[a.rule]![a.customer_id] = [...a.txn_ids].sort();
  return out;
}

// ---- CSV and mapping helpers -----------------------------------------------------------------------

/** RFC 4180 records of a whole file (LF line ends). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let rec: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' && field === '') {
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '"' && text[j + 1] === '"') (field += '"'), j++;
        else if (text[j] === '"') break;
        else field += text[j];
      }
      i = j;
    } else if (ch === ',') {
      rec.push(field);
      field = '';
    } else if (ch === '\n') {
      rec.push(field);
      records.push(rec);
      rec = [];
      field = '';
    } else {
      field += ch;
    }
  }
  return records;
}

type ValueSpec = string | { column: string; codes?: Record<string, string> } | { const: string };

function applyMapping(row: Record<string, string>, fields: Record<string, ValueSpec>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, spec] of Object.entries(fields)) {
    if (typeof spec === 'string') out[field] = row[spec]!;
    else if ('const' in spec) out[field] = spec.const;
    else out[field] = spec.codes?.[row[spec.column]!] ?? row[spec.column]!;
  }
  return out;
}

// ---- tests -----------------------------------------------------------------------------------------

describe('generateRows', () => {
  it('is deterministic: the same seed gives the same lines, another seed different ones', () => {
    const a = [...generateRows(SAMPLE)].map(lineOf);
    expect(a).toEqual(rowsOf(SAMPLE).map(lineOf));
    const b = [...generateRows({ ...SAMPLE, seed: 8 })].map(lineOf);
    expect(b).not.toEqual(a);
    expect(b.length).toBe(a.length);
  });

  it('yields exactly `rows` rows with unique, increasing txn ids, sorted by booking_ts', () => {
    for (const opts of [...VARIANTS, { rows: 1, seed: 1, plant: false }, { rows: 0, seed: 1, plant: false }]) {
      const rows = rowsOf(opts);
      expect(rows.length).toBe(opts.rows);
      const unsorted = rows.filter((r, i) => i > 0 && !(Date.parse(rows[i - 1]!.booking_ts!) <= Date.parse(r.booking_ts!)
        && rows[i - 1]!.txn_id! < r.txn_id!));
      expect(unsorted).toEqual([]);
    }
  });

  it('refuses too few rows for the planted legs, and bad options', () => {
    expect(() => [...generateRows({ rows: 50, seed: 1 })]).toThrow(RangeError);
    expect(() => [...generateRows({ rows: 100, seed: 1, start: '2026-02-30' })]).toThrow(/start/);
    expect(() => [...generateRows({ rows: 100, seed: 1, days: 0 })]).toThrow(/days/);
  });

  it('writes well-formed canonical values', () => {
    const rows = rowsOf(SAMPLE);
    const customers = new Set(rows.map((r) => r.customer_id));
    expect(customers.size).toBeGreaterThanOrEqual(150);
    expect(customers.size).toBeLessThanOrEqual(400);
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(CANONICAL_COLUMNS);
      expect(r.booking_ts).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[56]:00$/);
      expect(r.amount).toMatch(/^\d+\.\d{2}$/);
      expect(cents(r.amount!)).toBeGreaterThan(0);
      expect(['in', 'out']).toContain(r.direction);
      expect(['cash', 'atm', 'wire', 'ach', 'check', 'card', 'book']).toContain(r.channel);
      expect(r.currency === 'USD' || (r.currency === 'MXN' && r.channel === 'wire')).toBe(true);
      expect(r.account_id).not.toBe(r.customer_id);
      expect(r.branch_country).toBe(r.branch_id === '' ? '' : 'US');
      if (r.channel === 'cash') expect(r.conductor_id && r.teller_id && r.branch_id).toBeTruthy();
      else expect(r.conductor_id).toBe('');
      if (r.channel === 'ach' || r.channel === 'card') expect(r.branch_id).toBe('');
    }
    expect(rows.some((r) => /[",]/.test(r.description!))).toBe(true);
  });

  it('writes the America/Chicago UTC offset in force at each instant', () => {
    const fmt = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', timeZoneName: 'longOffset' });
    for (const opts of [SAMPLE, VARIANTS[3]!]) {
      const offsets = new Set<string>();
      for (const r of rowsOf(opts)) {
        const zone = fmt.formatToParts(new Date(r.booking_ts!)).find((p) => p.type === 'timeZoneName')!.value;
        expect(`GMT${r.booking_ts!.slice(19)}`, r.txn_id).toBe(zone);
        offsets.add(zone);
      }
      expect(offsets.size).toBe(2); // both periods cross a DST change
    }
  });
});

describe('planted cases', () => {
  const { alerts, lookalikes } = plantedCases(SAMPLE);
  const byTxn = new Map(rowsOf(SAMPLE).map((r) => [r.txn_id!, r]));
  const legsOf = (c: PlantedCase): SampleRow[] => c.txn_ids.map((t) => byTxn.get(t)!);
  const find = (list: PlantedCase[], pattern: string): PlantedCase => list.find((c) => c.pattern === pattern)!;
  const amounts = (c: PlantedCase): string[] => legsOf(c).map((r) => r.amount!);
  const dates = (c: PlantedCase): string[] => legsOf(c).map((r) => r.booking_ts!.slice(0, 10));

  it('lists six alerts and seven look-alikes, each on its own customer, with every txn present', () => {
    expect(alerts.map((a) => a.rule)).toEqual(['STRUCT-001', 'STRUCT-001', 'STRUCT-002', 'STRUCT-002', 'STRUCT-002', 'CASH-001']);
    expect(lookalikes).toHaveLength(7);
    const all = [...alerts, ...lookalikes];
    expect(new Set(all.map((c) => c.customer_id)).size).toBe(13);
    for (const c of all) {
      for (const r of legsOf(c)) {
        expect(r, c.pattern).toBeDefined();
        expect(r.customer_id).toBe(c.customer_id);
        if (c.pattern !== 'restaurant-daily-cash') expect(c.note).toContain(r.booking_ts!.slice(0, 10));
      }
    }
    const legs = all.flatMap(legsOf);
    expect(legs.every((r) => r.channel === 'cash' || r.channel === 'wire')).toBe(true);
  });

  it('plants the stated amounts and days', () => {
    expect(amounts(find(alerts, 'struct-001-three-day-run'))).toEqual(['9400.00', '9800.00', '9100.00']);
    expect(amounts(find(alerts, 'struct-001-burst'))).toEqual(['9500.00', '9200.00', '9900.00', '9000.00', '9700.00']);
    const c = find(alerts, 'struct-002a-two-branches');
    expect(amounts(c)).toEqual(['6000.00', '5500.00']);
    expect(legsOf(c).map((r) => r.branch_city)).toEqual(['Laredo', 'McAllen']);
    expect(new Set(dates(c)).size).toBe(1);
    const d = find(alerts, 'struct-002b-two-conductors');
    expect(amounts(d)).toEqual(['4500.00', '4800.00']);
    expect(new Set(dates(d)).size).toBe(1);
    const own = `P-${Number(d.customer_id.slice(2)) + 40000}`;
    const conductors = legsOf(d).map((r) => r.conductor_id);
    expect(new Set(conductors).size).toBe(2);
    expect(conductors).not.toContain(own);
    expect(new Set(legsOf(d).map((r) => r.branch_id)).size).toBe(2);
    expect(amounts(find(alerts, 'cash-001-single-deposit'))).toEqual(['15000.00']);
    expect(amounts(find(lookalikes, 'two-in-band-deposits'))).toEqual(['9300.00', '9600.00']);
    expect(amounts(find(lookalikes, 'just-under-band'))).toEqual(['7999.99', '7999.99', '7999.99']);
    expect(amounts(find(lookalikes, 'exactly-10000'))).toEqual(['10000.00']);
    const j = dates(find(lookalikes, 'in-band-spread-out')).map(dayNo);
    expect([j[1]! - j[0]!, j[2]! - j[1]!]).toEqual([10, 10]);
    const k = legsOf(find(lookalikes, 'in-band-wires'));
    expect(k.map((r) => `${r.channel} ${r.direction} ${r.amount}`)).toEqual(Array(3).fill('wire in 9500.00'));
    const m = legsOf(find(lookalikes, 'in-band-withdrawals'));
    expect(m.every((r) => r.channel === 'cash' && r.direction === 'out' && cents(r.amount!) >= 900_000 && cents(r.amount!) <= 980_000)).toBe(true);
    expect(new Set(m.map((r) => r.booking_ts!.slice(0, 10))).size).toBe(3);
    const g = legsOf(find(lookalikes, 'restaurant-daily-cash'));
    expect(g.length).toBeGreaterThan(50);
    expect(g.every((r) => r.channel === 'cash' && r.direction === 'in' && cents(r.amount!) >= 80_000 && cents(r.amount!) <= 300_000)).toBe(true);
  });

  it('puts the rollover deposit on a Saturday in America/Chicago and the other on the next, non-holiday Monday', () => {
    const [sat, mon] = legsOf(find(alerts, 'struct-002a-saturday-rollover'));
    const weekday = (ts: string): string => new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', weekday: 'short' }).format(new Date(ts));
    expect([sat!.amount, mon!.amount]).toEqual(['5200.00', '5300.00']);
    expect(weekday(sat!.booking_ts!)).toBe('Sat');
    expect(weekday(mon!.booking_ts!)).toBe('Mon');
    expect(dayNo(mon!.booking_ts!) - dayNo(sat!.booking_ts!)).toBe(2);
    expect(businessDay(sat!.booking_ts!)).toBe(dayNo(mon!.booking_ts!));
    expect(businessDay(mon!.booking_ts!)).toBe(dayNo(mon!.booking_ts!));
  });
});

describe('brute-force STRUCT-001 / STRUCT-002 / CASH-001', () => {
  it.each(VARIANTS.map((o) => [JSON.stringify(o), o] as const))('finds exactly the planted cases (%s)', (_, opts) => {
    const { alerts, lookalikes } = plantedCases(opts);
    const expected = expectedFound(alerts);
    for (const span of [14, 15]) {
      const { found, struct001Alerts } = bruteForce(rowsOf(opts), span);
      expect(found).toEqual(expected);
      expect(Object.values(struct001Alerts)).toEqual([1, 1]);
    }
    const flagged = new Set(Object.values(expected).flatMap((m) => Object.keys(m)));
    for (const l of lookalikes) expect(flagged.has(l.customer_id)).toBe(false);
  });

  it('finds nothing in unplanted background traffic', () => {
    const { found } = bruteForce(rowsOf({ rows: 30_000, seed: 42, plant: false }));
    expect(found).toEqual({ 'STRUCT-001': {}, 'STRUCT-002': {}, 'CASH-001': {} });
  });
});

describe('CSV files', () => {
  it('writes the canonical CSV byte-identically, equal to the rows joined with toCsvLine', async () => {
    const [a, b] = [join(tmp, 'a.csv'), join(tmp, 'b.csv')];
    expect(await writeCanonicalCsv(a, SAMPLE)).toEqual({ rows: 3000 });
    await writeCanonicalCsv(b, SAMPLE);
    expect(sha256(a)).toBe(sha256(b));
    const expected = [CANONICAL_COLUMNS.join(','), ...rowsOf(SAMPLE).map(lineOf)].join('\n') + '\n';
    expect(readFileSync(a, 'utf8')).toBe(expected);
  });

  it('writes the same legs in the bank layout, read back through the mapping', async () => {
    const path = join(tmp, 'teller.csv');
    expect(await writeBankLayoutCsv(path, SAMPLE)).toEqual({ rows: 3000 });
    const [header, ...records] = parseCsv(readFileSync(path, 'utf8'));
    expect(records).toHaveLength(3000);
    const canonical = rowsOf(SAMPLE);
    records.forEach((rec, i) => {
      const row = Object.fromEntries(header!.map((h, k) => [h, rec[k]!]));
      const mapped = applyMapping(row, BANK_LAYOUT_MAPPING.fields as Record<string, ValueSpec>);
      const c = canonical[i]!;
      const [mdy, hms] = mapped.booking_ts!.split(' ');
      expect(`${mdy!.slice(6)}-${mdy!.slice(0, 2)}-${mdy!.slice(3, 5)}T${hms}`).toBe(c.booking_ts!.slice(0, 19));
      for (const col of CANONICAL_COLUMNS) {
        if (col !== 'booking_ts' && col !== 'branch_country') expect(mapped[col], `${c.txn_id} ${col}`).toBe(c[col]);
      }
    });
    expect(records.some((r) => r[18]!.includes('"') && r[18]!.includes(','))).toBe(true);
  });

  it('matches the committed samples/ files', async () => {
    const committed = join(ROOT, 'samples');
    if (!existsSync(join(committed, 'expected-cases.json'))) return;
    const out = join(tmp, 'samples');
    for (const { file } of await writeSamples(out)) expect(sha256(join(out, file)), file).toBe(sha256(join(committed, file)));
  });
});
