/**
 * The sample generator: determinism, shape, the planted legs, and — independently of the engine — a
 * brute-force evaluation of the rules in rules/ (sample-rules.ts) that must find exactly the planted cases.
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
import { typologyOf } from '../../src/samples/typologies.js';
import { SAMPLE_OPTIONS, writeSamples } from '../../src/samples/write-samples.js';
import { bruteForce, businessDay, cents, COUNTRIES, countries, dayNo, expectedFound, RULE_IDS } from './sample-rules.js';

const ROOT = join(import.meta.dirname, '..', '..');
const { plant: _, ...SAMPLE } = SAMPLE_OPTIONS satisfies GenerateOptions;
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
      expect(['cash', 'atm', 'wire', 'ach', 'check', 'card', 'book', 'monetary_instrument', 'remittance', 'trade_finance']).toContain(r.channel);
      expect(r.currency === 'USD' || (r.currency === 'MXN' && r.channel === 'wire')).toBe(true);
      expect(r.account_id).not.toBe(r.customer_id);
      expect(r.branch_country).toBe(r.branch_id === '' ? '' : 'US');
      expect(r.branch_county_fips).toMatch(r.branch_id === '' ? /^$/ : /^\d{5}$/);
      expect(r.institution_type).toBe(r.branch_id.startsWith('M') ? 'msb' : 'bank');
      expect(r.channel === 'remittance').toBe(r.institution_type === 'msb');
      expect(r.account_id.startsWith('MT')).toBe(r.institution_type === 'msb');
      expect(r.customer_type).toMatch(/^(individual|business)$/);
      expect(r.customer_state && r.account_home_state).toMatch(/^[A-Z]{2}$/);
      expect(r.account_open_date).toMatch(r.institution_type === 'msb' ? /^$/ : /^20\d\d-\d\d-\d\d$/);
      if (r.channel === 'cash') expect(r.conductor_id && r.teller_id && r.branch_id).toBeTruthy();
      else if (['monetary_instrument', 'remittance'].includes(r.channel!)) expect(r.conductor_id && r.branch_id && r.funding_method).toBeTruthy();
      else expect(r.conductor_id).toBe('');
      if (r.channel === 'ach' || r.channel === 'card') expect(r.branch_id).toBe('');
      if (r.channel === 'wire' && r.cp_bank_country !== 'US') expect(r.cp_bank_name, r.txn_id).not.toBe('');
      if (r.cp_account.length === 18 && /^\d+$/.test(r.cp_account)) expect(r.cp_bank_country).toBe('MX');
    }
    expect(rows.some((r) => /[",]/.test(r.description!))).toBe(true);
  });

  it('names a Section 2313a bank, or a company called Vector, only on the legs planted for MXCASH-005', () => {
    const { alerts, lookalikes } = plantedCases(SAMPLE);
    const mxcash5 = new Set([...alerts, ...lookalikes].filter((c) => c.rule === 'MXCASH-005').flatMap((c) => c.txn_ids));
    const named = rowsOf(SAMPLE).filter((r) => /CIBANCO|CI BANCO|INTERCAM|VECTOR/i.test(`${r.cp_name} ${r.cp_bank_name}`));
    expect(new Set(named.map((r) => r.txn_id))).toEqual(mxcash5);
    expect(rowsOf(SAMPLE).filter((r) => /^(136|143)/.test(r.cp_account!) && r.cp_account!.length === 18)).toHaveLength(1);
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
  const wires = (c: PlantedCase): string[] => legsOf(c).map((r) => `${r.direction} ${r.amount} ${r.cp_country}`);

  it('lists the planted alerts and look-alikes, each on customers of its own, with every txn present', () => {
    expect(alerts.map((a) => a.rule)).toEqual([
      'STRUCT-001', 'STRUCT-001', 'STRUCT-002', 'STRUCT-002', 'STRUCT-002', 'CASH-001', 'STRUCT-004', 'STRUCT-003', 'XB-004',
      'XB-005', 'XB-007', 'GRAPH-002', 'GRAPH-002', 'XB-008', 'REMIT-001', 'REMIT-002', 'REMIT-003', 'STRUCT-005', 'REMIT-005',
      'MXCASH-003', 'REMIT-004', 'XB-007', 'GRAPH-002', 'GRAPH-002', 'FUNNEL-001', 'FUNNEL-002', 'FUNNEL-001', 'XB-001', 'XB-002',
      'MXCASH-005', 'XB-006', 'TBML-001', 'TBML-002', 'TBML-003', 'TBML-004', 'TBML-005', 'TBML-006', 'TBML-007', 'TBML-014',
      'GRAPH-001', 'GRAPH-002', 'GRAPH-003', 'GRAPH-004', 'GRAPH-005', 'GRAPH-001', 'GRAPH-002', 'GRAPH-006', 'GRAPH-007',
      'GRAPH-006', 'GRAPH-008',
    ]);
    // Rules that raise another rule's pattern by design, and the fan-out rule's false positives on two look-alikes.
    expect(alerts.filter((a) => a.expected_extra).map((a) => `${a.pattern} ${a.rule}${a.lookalike ? ' (look-alike)' : ''}`)).toEqual([
      'xb-007-fan-out GRAPH-002', 'four-foreign-beneficiaries GRAPH-002 (look-alike)', 'remit-004-many-beneficiaries XB-007',
      'remit-004-many-beneficiaries GRAPH-002', 'many-beneficiaries-under-total GRAPH-002 (look-alike)',
      'funnel-002-border-cash-out FUNNEL-001', 'graph-005-gather-scatter GRAPH-001', 'graph-005-gather-scatter GRAPH-002',
      'graph-007-stack GRAPH-006',
    ]);
    expect(lookalikes).toHaveLength(45);
    const all = [...alerts.filter((a) => !a.expected_extra), ...lookalikes];
    const owners = all.map((c) => new Set(legsOf(c).map((r) => r.customer_id)));
    expect(new Set(owners.flatMap((o) => [...o])).size).toBe(owners.reduce((n, o) => n + o.size, 0));
    for (const c of all) {
      expect(legsOf(c).every((r) => r !== undefined), c.pattern).toBe(true);
      expect(c.customer_ids).toEqual(legsOf(c).map((r) => r.customer_id));
      const oneOwner = legsOf(c).every((r) => r.customer_id === c.customer_id && r.account_id === c.account_id);
      expect(oneOwner || ['REMIT-003', 'XB-006'].includes(c.rule) || c.rule.startsWith('GRAPH-'), c.pattern).toBe(true);
      expect(c.typology).toBe(typologyOf(c.rule));
      if (c.pattern !== 'restaurant-daily-cash') expect(c.note).toContain(legsOf(c)[0]!.booking_ts!.slice(0, 10));
    }
  });

  it('plants only the rules and typologies asked for, and refuses unknown names', () => {
    const some = plantedCases({ ...SAMPLE, typologies: ['structuring', 'REMIT-002'] });
    const rules = new Set([...some.alerts, ...some.lookalikes].map((c) => c.rule));
    expect([...rules].sort()).toEqual(['REMIT-002', 'STRUCT-001', 'STRUCT-002', 'STRUCT-003', 'STRUCT-004', 'STRUCT-005']);
    expect(() => plantedCases({ ...SAMPLE, typologies: ['smurfing'] })).toThrow(/typologies must be/);
    expect(() => plantedCases({ ...SAMPLE, typologies: ['XB-003'] })).toThrow(/no planted pattern belongs to XB-003/);
    expect(rowsOf({ ...SAMPLE, typologies: ['tbml'] })).toHaveLength(SAMPLE.rows);
  });

  it('gives each planted rule the typology of its rule file', () => {
    for (const rule of new Set([...alerts, ...lookalikes].map((c) => c.rule))) {
      const file = JSON.parse(readFileSync(join(ROOT, 'rules', `${rule}.json`), 'utf8')) as { typology: string };
      expect(typologyOf(rule), rule).toBe(file.typology);
    }
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
    const g = legsOf(find(alerts, 'struct-004-withdrawals'));
    expect(g.map((r) => `${r.channel} ${r.direction} ${r.amount}`)).toEqual(['cash out 9000.00', 'cash out 9800.00', 'cash out 9400.00']);
    expect(new Set(g.map((r) => r.booking_ts!.slice(0, 10))).size).toBe(3);
    expect(amounts(find(lookalikes, 'two-in-band-deposits'))).toEqual(['9300.00', '9600.00']);
    expect(amounts(find(lookalikes, 'just-under-band'))).toEqual(['7999.99', '7999.99', '7999.99']);
    expect(amounts(find(lookalikes, 'exactly-10000'))).toEqual(['10000.00']);
    const p = dates(find(lookalikes, 'in-band-spread-out')).map(dayNo);
    expect([p[1]! - p[0]!, p[2]! - p[1]!]).toEqual([10, 10]);
    const q = legsOf(find(lookalikes, 'in-band-wires'));
    expect(q.map((r) => `${r.channel} ${r.direction} ${r.amount}`)).toEqual(Array(3).fill('wire in 9500.00'));
    const m = legsOf(find(lookalikes, 'restaurant-daily-cash'));
    expect(m.length).toBeGreaterThan(50);
    expect(m.every((r) => r.channel === 'cash' && r.direction === 'in' && cents(r.amount!) >= 80_000 && cents(r.amount!) <= 300_000)).toBe(true);
    expect(amounts(find(lookalikes, 'withdrawals-under-band'))).toEqual(['7500.00', '7500.00', '7500.00']);
  });

  it('plants the smurfs: four third parties, none the holder, no business day at $8,000', () => {
    const h = legsOf(find(alerts, 'struct-003-smurfs'));
    expect(h.map((r) => r.amount)).toEqual(['2150.00', '1980.00', '2340.00', '2060.00']);
    const own = `P-${Number(h[0]!.customer_id!.slice(2)) + 40000}`;
    expect(new Set(h.map((r) => r.conductor_id)).size).toBe(4);
    expect(h.every((r) => /^P-8\d{4}$/.test(r.conductor_id!) && r.conductor_id !== own)).toBe(true);
    expect(new Set(h.map((r) => r.branch_id)).size).toBe(3);
    expect(dayNo(h[3]!.booking_ts!) - dayNo(h[0]!.booking_ts!)).toBeLessThan(7);
    const t = legsOf(find(lookalikes, 'family-deposits'));
    const num = Number(t[0]!.customer_id!.slice(2));
    expect(new Set(t.map((r) => r.conductor_id))).toEqual(new Set([`P-${num + 40000}`, `P-${num + 60000}`]));
    expect(new Set(t.map((r) => businessDay(r.booking_ts!))).size).toBe(5);
  });

  it('plants three pass-throughs within 30 days (each time money in, at least 80% out to two others within 20 hours, nothing else on the account), and a look-alike of two', () => {
    const i = find(alerts, 'xb-004-pass-through');
    const legs = legsOf(i);
    expect(legs.map((r) => `${r.channel} ${r.direction} ${r.amount}`)).toEqual([
      'wire in 25000.00', 'wire out 12000.00', 'wire out 9000.00', 'wire in 18000.00', 'wire out 9500.00', 'wire out 7600.00',
      'wire in 31000.00', 'wire out 16500.00', 'wire out 12000.00',
    ]);
    for (const k of [0, 3, 6]) expect(Date.parse(legs[k + 2]!.booking_ts!) - Date.parse(legs[k]!.booking_ts!)).toBeLessThan(20 * 3_600_000);
    expect(Date.parse(legs[8]!.booking_ts!) - Date.parse(legs[0]!.booking_ts!)).toBeLessThan(30 * 86_400_000);
    expect(new Set(legs.map((r) => r.cp_account)).size).toBe(3);
    expect(rowsOf(SAMPLE).filter((r) => r.account_id === i.account_id)).toHaveLength(9);
    const two = legsOf(find(lookalikes, 'two-pass-throughs'));
    expect(two.map((r) => `${r.direction} ${r.amount}`)).toEqual(['in 25000.00', 'out 12000.00', 'out 9000.00', 'in 18000.00', 'out 9500.00', 'out 7600.00']);
    expect(rowsOf(SAMPLE).filter((r) => r.account_id === two[0]!.account_id)).toHaveLength(6);
    const u = legsOf(find(lookalikes, 'paycheck-card-spending'));
    expect(u.map((r) => `${r.channel} ${r.direction}`)).toEqual(['ach in', 'card out', 'card out', 'card out', 'card out']);
    expect(u[0]!.amount).toBe('6000.00');
  });

  it('plants the international wires of XB-005, XB-007 and XB-008 and their look-alikes', () => {
    // Two beneficiaries, the first paid twice: three would be a fan-out (GRAPH-002).
    for (const [list, pattern, amounts] of [[alerts, 'xb-005-round-wires', ['7000.00', '12000.00', '4500.00']],
      [lookalikes, 'wires-with-cents', ['7013.27', '11986.40', '4512.55']]] as const) {
      const legs = legsOf(find(list, pattern));
      expect(wires(find(list, pattern))).toEqual([`out ${amounts[0]} MX`, `out ${amounts[1]} CO`, `out ${amounts[2]} MX`]);
      expect(legs[2]!.cp_account).toBe(legs[0]!.cp_account);
    }
    const k = legsOf(find(alerts, 'xb-007-fan-out'));
    expect(new Set(k.map((r) => r.cp_account)).size).toBe(5);
    expect(new Set(k.map((r) => r.cp_country))).toEqual(new Set(['MX', 'GT', 'CO']));
    const w = legsOf(find(lookalikes, 'four-foreign-beneficiaries'));
    expect([new Set(w.map((r) => r.cp_account)).size, new Set(w.map((r) => r.cp_country)).size]).toEqual([4, 2]);
    for (const [pattern, n] of [['xb-008-small-transfers', 9], ['seven-small-transfers', 7]] as const) {
      const legs = legsOf(find([...alerts, ...lookalikes], pattern));
      expect(legs).toHaveLength(n);
      expect(legs.every((r) => r.cp_country === 'MX' && cents(r.amount!) >= 115_000 && cents(r.amount!) <= 149_000)).toBe(true);
      expect(new Set(legs.map((r) => r.cp_account)).size).toBe(2);
      expect(dayNo(legs[n - 1]!.booking_ts!) - dayNo(legs[0]!.booking_ts!)).toBeLessThan(28);
    }
    const abroad = [k, w].flat().concat(legsOf(find(alerts, 'xb-008-small-transfers')));
    expect(abroad.every((r) => r.channel === 'wire' && r.direction === 'out' && !r.amount!.endsWith('00'))).toBe(true);
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

describe('graph patterns', () => {
  const GRAPHED: GenerateOptions = { ...SAMPLE, typologies: ['graph'] };
  const { alerts, lookalikes } = plantedCases(GRAPHED);
  const rules = Array.from({ length: 8 }, (_, k) => `GRAPH-00${k + 1}`);

  it('plants one pattern and one look-alike per graph rule, and only those of the rules asked for', () => {
    expect(alerts.filter((a) => !a.expected_extra).map((a) => a.rule)).toEqual(rules);
    expect(lookalikes.map((l) => l.rule)).toEqual(rules);
    expect(alerts.filter((a) => a.expected_extra).map((a) => `${a.pattern} ${a.rule}`)).toEqual([
      'graph-005-gather-scatter GRAPH-001', 'graph-005-gather-scatter GRAPH-002', 'graph-007-stack GRAPH-006',
    ]);
    for (const rule of rules) {
      const file = JSON.parse(readFileSync(join(ROOT, 'rules', `${rule}.json`), 'utf8')) as { typology: string };
      expect(typologyOf(rule), rule).toBe(file.typology);
    }
    const some = plantedCases({ ...SAMPLE, typologies: ['GRAPH-003', 'graph_chain', 'REMIT-002'] });
    expect([...new Set([...some.alerts, ...some.lookalikes].map((c) => c.rule))].sort()).toEqual(['GRAPH-003', 'GRAPH-008', 'REMIT-002']);
    expect(() => plantedCases({ ...SAMPLE, typologies: ['GRAPH-009'] })).toThrow(/no planted pattern belongs to GRAPH-009/);
  });

  it('uses accounts with no other legs, and wires and checks of at least $1,000, the same bytes for the same seed', () => {
    const rows = rowsOf(GRAPHED);
    expect([...generateRows(GRAPHED)].map(lineOf)).toEqual(rows.map(lineOf));
    const cases = [...alerts.filter((a) => !a.expected_extra), ...lookalikes];
    const byTxn = new Map(rows.map((r) => [r.txn_id!, r]));
    const accountsOf = cases.map((c) => new Set(c.txn_ids.map((t) => byTxn.get(t)!.account_id)));
    expect(new Set(accountsOf.flatMap((a) => [...a])).size).toBe(accountsOf.reduce((n, a) => n + a.size, 0));
    const legs = new Set(cases.flatMap((c) => c.txn_ids));
    const accounts = new Set(accountsOf.flatMap((a) => [...a]));
    expect(rows.filter((r) => accounts.has(r.account_id!) && !legs.has(r.txn_id!))).toEqual([]);
    for (const t of legs) {
      const r = byTxn.get(t)!;
      expect(['wire', 'check'].includes(r.channel!) && cents(r.amount!) >= 100_000, t).toBe(true);
      if (r.channel === 'wire') expect([r.cp_country, r.cp_bank_country, r.currency], t).toEqual(['US', 'US', 'USD']);
    }
  });
});

describe('brute-force evaluation of the rules', () => {
  it.each(VARIANTS.map((o) => [JSON.stringify(o), o] as const))('finds exactly the planted cases, one alert each (%s)', (_, opts) => {
    const { alerts, lookalikes } = plantedCases(opts);
    const expected = expectedFound(alerts);
    for (const extra of [0, 1]) {
      const { found, alerts: counts } = bruteForce(rowsOf(opts), extra);
      expect(found).toEqual(expected);
      for (const byCustomer of Object.values(counts)) for (const n of Object.values(byCustomer)) expect(n).toBe(1);
    }
    const flagged = new Set(Object.values(expected).flatMap((m) => Object.keys(m)));
    for (const l of lookalikes) expect(flagged.has(l.customer_id)).toBe(false);
    expect([...countries(rowsOf(opts))].filter((c) => !COUNTRIES.includes(c))).toEqual([]);
  });

  it('finds nothing in unplanted background traffic, whose international wires all carry cents', () => {
    const rows = rowsOf({ rows: 30_000, seed: 42, plant: false });
    expect(bruteForce(rows).found).toEqual(Object.fromEntries(RULE_IDS.map((id) => [id, {}])));
    expect([...countries(rows)].filter((c) => !COUNTRIES.includes(c))).toEqual([]);
    const abroad = rows.filter((r) => r.channel === 'wire' && [r.cp_country, r.cp_bank_country].some((c) => c !== '' && c !== 'US'));
    expect(abroad.length).toBeGreaterThan(50);
    expect(abroad.filter((r) => r.amount!.endsWith('.00'))).toEqual([]);
  });
});

describe('CSV files', () => {
  it('writes the canonical CSV byte-identically, equal to the rows joined with toCsvLine', async () => {
    const [a, b] = [join(tmp, 'a.csv'), join(tmp, 'b.csv')];
    expect(await writeCanonicalCsv(a, SAMPLE)).toEqual({ rows: SAMPLE.rows });
    await writeCanonicalCsv(b, SAMPLE);
    expect(sha256(a)).toBe(sha256(b));
    const expected = [CANONICAL_COLUMNS.join(','), ...rowsOf(SAMPLE).map(lineOf)].join('\n') + '\n';
    expect(readFileSync(a, 'utf8')).toBe(expected);
  });

  it('writes the same legs in the bank layout, read back through the mapping', async () => {
    const path = join(tmp, 'teller.csv');
    expect(await writeBankLayoutCsv(path, SAMPLE)).toEqual({ rows: SAMPLE.rows });
    const [header, ...records] = parseCsv(readFileSync(path, 'utf8'));
    expect(records).toHaveLength(SAMPLE.rows);
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
    expect(records.some((r) => r.at(-1)!.includes('"') && r.at(-1)!.includes(','))).toBe(true);
  });

  it('matches the committed samples/ files', async () => {
    const committed = join(ROOT, 'samples');
    if (!existsSync(join(committed, 'expected-cases.json'))) return;
    const out = join(tmp, 'samples');
    for (const { file } of await writeSamples(out)) expect(sha256(join(out, file)), file).toBe(sha256(join(committed, file)));
  });
});
