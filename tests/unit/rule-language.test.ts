/**
 * The rule-language features the default pack's trade, GTO and 2313a rules need: fields derived from
 * reference values and tables, comparisons between fields with a factor, widened list matching, and
 * severity escalation — each through real rule and reference files on disk.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AmlError, formatDiagnostic } from '../../src/errors.js';
import { CHANNELS } from '../../src/ingest/canonical.js';
import { loadRules } from '../../src/rules/load.js';
import type { Test } from '../../src/rules/conditions.js';
import { coverage } from '../../src/rules/reference.js';
import { legs, tempDir } from '../helpers.js';
import { cli, ndjson, readStore } from '../e2e/cli.js';

const BASE = { version: '1.0.0', name: 'test', typology: 'test', severity: 40, description: 'test rule', subject: 'customer_id' };

const BANDS = {
  name: 'bands', version: '1', as_of: '2026-01-01', source: 'test', license: 'CC0',
  lists: { heads: ['8517', '61'], terms: ['General merchandise', 'Mercancía varia'] },
  snapshots: undefined,
  tables: { hs: { key: 'hs6', rows: [{ hs6: '851713', unit: 'u', p05: 40, p95: 900 }, { hs6: '610910', unit: 'u', p05: 0.9, p95: 12 }] } },
};
const DATED = {
  name: 'dated', version: '1', as_of: '2026-01-01', source: 'test', license: 'CC0',
  snapshots: [
    { effective_from: '2025-01-01', lists: {} },
    { effective_from: '2025-04-14', lists: {}, values: { limit: 200 } },
    { effective_from: '2025-09-10', lists: {}, values: { limit: 1000 } },
  ],
};

/** A rule folder with its own reference/ folder holding the two files above. */
function pack(rules: Array<Record<string, unknown>>): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'reference'));
  writeFileSync(join(dir, 'reference', 'bands.json'), JSON.stringify({ ...BANDS, snapshots: undefined }));
  writeFileSync(join(dir, 'reference', 'dated.json'), JSON.stringify(DATED));
  for (const r of rules) writeFileSync(join(dir, `${String(r.id)}.json`), JSON.stringify({ ...BASE, ...r }, null, 2));
  return dir;
}

function problems(dir: string): string[] {
  try {
    loadRules([dir]);
  } catch (e) {
    if (e instanceof AmlError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
  return [];
}

const trade = (hs: string | undefined, amount: string, quantity: string, unit = 'u', currency = 'USD') => ({
  txn_id: `${hs}-${amount}`, booking_ts: '2026-03-02T12:00:00-06:00', account_id: 'A', direction: 'out', amount, currency: 'USD',
  channel: 'trade_finance', invoice_amount: amount, invoice_currency: currency, quantity, quantity_unit: unit, ...(hs ? { hs_code: hs } : {}),
});

describe('derived trade fields', () => {
  it('derives hs6, the unit price in U.S. dollars and an exact invoice amount in cents; dozens become items', () => {
    const [a, b] = legs([trade('8517.13.0000', '29000.00', '10'), trade('610910', '120.00', '2', 'dozen')]);
    expect(a!.f).toMatchObject({ hs6: '851713', invoice_amount_usd: 2_900_000, unit_price: 2900, unit_price_usd: 2900 });
    expect(b!.f).toMatchObject({ hs6: '610910', quantity: 24, quantity_unit: 'u', unit_price_usd: 5 });
  });

  it('leaves the U.S. dollar figures absent when no FX rate converts the invoice currency', () => {
    const [mxn] = legs([trade('851713', '50000.00', '10', 'u', 'MXN')]);
    expect(mxn!.f.unit_price).toBe(5000);
    expect(mxn!.f.invoice_amount_usd).toBeUndefined();
    expect(mxn!.f.unit_price_usd).toBeUndefined();
  });
});

describe('derive: fields read from reference values and tables', () => {
  const BAND_RULE = {
    id: 'T-BAND',
    derive: { p95: { table: 'bands/hs', key: 'hs6', column: 'p95' }, band_unit: { table: 'bands/hs', key: 'hs6', column: 'unit' } },
    filter: { all: [
      { field: 'quantity_unit', op: 'eq', value: { field: 'band_unit' } },
      { field: 'unit_price_usd', op: 'gt', value: { field: 'p95', times: 1.1 } },
    ] },
  };

  it('compares a unit price with a table band times a factor; a missing row is "not evaluated", with the reason', () => {
    const rule = loadRules([pack([BAND_RULE])]).rules[0]!;
    const [over, inside, edge, unlisted, otherUnit] = legs([
      trade('851713', '29000.00', '10'), trade('851713', '5000.00', '10'), trade('851713', '9900.00', '10'), trade('999999', '10.00', '1'),
      trade('851713', '29000.00', '10', 'kg'),
    ]);
    expect([over, inside, edge, otherUnit].map((t) => rule.filter(t!))).toEqual([1, 0, 0, 0]);
    coverage.missed = undefined;
    expect(rule.filter(unlisted!)).toBe(2);
    expect(coverage.missed).toBe("bands/hs (no row for '999999')");
  });

  it('reads a value in force on the leg date as a U.S. dollar amount', () => {
    const rule = loadRules([pack([{
      id: 'T-DATED', derive: { limit: { value: 'dated/limit', type: 'money' } },
      filter: { field: 'amount_usd', op: 'lte', value: { field: 'limit' } },
    }])]).rules[0]!;
    const cash = (ts: string, amount: string) => ({ txn_id: ts, booking_ts: ts, account_id: 'A', direction: 'in', amount, currency: 'USD', channel: 'cash' });
    const [early, april, aprilOver, october] = legs([
      cash('2025-03-01T10:00:00-07:00', '150.00'), cash('2025-05-01T10:00:00-07:00', '200.00'), cash('2025-05-01T10:00:00-07:00', '200.01'),
      cash('2025-10-01T10:00:00-07:00', '999.99'),
    ]);
    expect([early, april, aprilOver, october].map((t) => rule.filter(t!))).toEqual([2, 1, 0, 1]);
  });

  it('locates a derived field that names a missing table, column or value, or shadows a canonical field', () => {
    const dir = pack([
      { id: 'T-1', derive: { x: { table: 'bands/hs', key: 'hs6', column: 'p99' } }, filter: { field: 'x', op: 'gt', value: 1 } },
      { id: 'T-2', derive: { y: { value: 'dated/nothing' } }, filter: { field: 'y', op: 'gt', value: 1 } },
      { id: 'T-3', derive: { amount_usd: { value: 'dated/limit' } }, filter: { field: 'channel', op: 'eq', value: 'cash' } },
      { id: 'T-4', derive: { z: { value: 'dated/limit' } }, filter: { field: 'amount_usd', op: 'gt', value: { field: 'z' } } },
    ]);
    const found = problems(dir);
    expect(found).toEqual(expect.arrayContaining([
      expect.stringMatching(/T-1\.json:\d+:\d+ \/derive\/x\/column: error rule: .*bands\.json has no table 'hs' with a column 'p99' \(tables: hs\)/),
      expect.stringMatching(/T-2\.json:\d+:\d+ \/derive\/y\/value: error rule: .*dated\.json has no value 'nothing' \(values: limit\)/),
      expect.stringMatching(/T-3\.json:\d+:\d+ \/derive\/amount_usd: error rule: 'amount_usd' is a canonical field/),
      expect.stringMatching(/T-4\.json:\d+:\d+ \/filter\/value: error rule: amount_usd and z are not amounts in the same unit/),
    ]));
    expect(found).toHaveLength(4);
  });
});

describe('in_ref matching', () => {
  it('matches by prefix (HS headings), by whole normalised text, or by whole words', () => {
    const [prefix, text, words] = loadRules([pack([
      { id: 'T-P', filter: { field: 'hs6', op: 'in_ref', value: 'bands/heads', match: 'prefix' } },
      { id: 'T-T', filter: { field: 'goods_description', op: 'in_ref', value: 'bands/terms', match: 'text' } },
      { id: 'T-W', filter: { field: 'goods_description', op: 'in_ref', value: 'bands/terms', match: 'words' } },
    ])]).rules.sort((a, b) => a.id.localeCompare(b.id)).map((r) => r.filter) as [Test, Test, Test];
    const goods = (description: string, hs = '851713') => ({ ...trade(hs, '1.00', '1'), txn_id: description, goods_description: description });
    const [phone, shirt, steel, generic, spanish, longer] = legs([
      goods('phones'), goods('shirts', '610910'), goods('steel', '720851'), goods('  GENERAL   merchandise.'), goods('mercancia  VARIA'),
      goods('general merchandise: 400 cartons of dolls'),
    ]);
    expect([phone, shirt, steel].map((t) => prefix(t!))).toEqual([1, 1, 0]);
    expect([generic, spanish, longer, steel].map((t) => text(t!))).toEqual([1, 1, 0, 0]);
    expect([generic, longer, steel].map((t) => words(t!))).toEqual([1, 1, 0]);
  });
});

describe('escalate', () => {
  it('gives an alert the highest severity whose condition an evidence leg meets, with the reason, in the output and the store', () => {
    const dir = pack([{
      id: 'T-ESC', severity: 50,
      escalate: [
        { if: { field: 'cp_country', op: 'eq', value: 'IR' }, severity: 100, reason: 'Iran: FATF countermeasures' },
        { if: { field: 'amount_usd', op: 'gte', value: 5000 }, severity: 70, reason: 'large' },
      ],
      filter: { field: 'channel', op: 'eq', value: 'wire' },
    }]);
    const csv = join(dir, 'wires.csv');
    writeFileSync(csv, [
      'txn_id,booking_ts,account_id,customer_id,direction,amount,currency,channel,cp_country',
      'W1,2026-03-02T10:00:00-06:00,A1,C1,out,900.00,USD,wire,MM',
      'W2,2026-03-03T10:00:00-06:00,A2,C2,out,9000.00,USD,wire,IR',
      'W3,2026-03-04T10:00:00-06:00,A3,C3,out,6000.00,USD,wire,MM',
    ].join('\n') + '\n');
    const store = join(dir, 'cases.db');
    const run = cli(dir, ['scan', csv, '--rules', dir, '--store', store, '--format', 'ndjson']);
    expect(run.code).toBe(0);
    const alerts = ndjson(run.stdout).filter((e) => e.type === 'alert');
    expect(alerts.map((a) => [a.subject, a.severity, (a.figures as Record<string, unknown>).severity_reason])).toEqual([
      ['C1', 50, undefined], ['C2', 100, 'Iran: FATF countermeasures'], ['C3', 70, 'large'],
    ]);
    const stored = readStore(store, (db) => db.prepare('SELECT subject_id AS subject, severity, figures_json FROM alerts ORDER BY subject_id').all() as Array<{ subject: string; severity: number; figures_json: string }>);
    expect(stored.map((a) => [a.subject, a.severity, JSON.parse(a.figures_json).severity_reason])).toEqual([
      ['C1', 50, undefined], ['C2', 100, 'Iran: FATF countermeasures'], ['C3', 70, 'large'],
    ]);
  });
});

describe('leg scope', () => {
  it('reads the directions and channels a filter admits through all and any, so the engine skips the rule on other legs', () => {
    const rules = loadRules([pack([
      { id: 'T-IN', params: { channels: { value: ['wire', 'ach'] } }, filter: { all: [{ field: 'channel', op: 'in', value: '$channels' }, { field: 'channel', op: 'ne', value: 'ach' }] } },
      { id: 'T-CASH', filter: { all: [{ field: 'is_cash', op: 'eq', value: true }, { field: 'channel', op: 'in', value: ['cash', 'wire', 'remittance'] }] } },
      { id: 'T-ANY', filter: { any: [{ field: 'channel', op: 'eq', value: 'wire' }, { field: 'amount_usd', op: 'gt', value: 1 }] } },
      { id: 'T-DIR', filter: { any: [{ field: 'direction', op: 'eq', value: 'in' }, { all: [{ field: 'direction', op: 'eq', value: 'out' }, { field: 'channel', op: 'eq', value: 'wire' }] }] } },
    ])]).rules;
    const scope = Object.fromEntries(rules.map((r) => [r.id, r.scope && [...r.scope].sort()]));
    expect(scope['T-IN']).toEqual(['in|wire', 'out|wire']);
    expect(scope['T-CASH']).toEqual(['in|cash', 'in|remittance', 'out|cash', 'out|remittance']);
    expect(scope['T-ANY']).toBeUndefined();
    expect(scope['T-DIR']).toEqual([...CHANNELS.map((c) => `in|${c}`), 'out|wire'].sort());
  });
});

describe('comparing names as text', () => {
  it('compares two fields ignoring case, accents, punctuation and spaces with "match": "text"', () => {
    const rule = loadRules([pack([{ id: 'T-NAME', filter: { field: 'payer_name', op: 'ne', value: { field: 'buyer_name' }, match: 'text' } }])]).rules[0]!;
    const pay = (payer: string) => ({ ...trade('851713', '1.00', '1'), txn_id: payer, payer_name: payer, buyer_name: 'Importadora Andina SAS' });
    const [same, accented, other] = legs([pay('IMPORTADORA ANDINA, S.A.S.'), pay('Importadora Andína S A S'), pay('Textiles Ruiz Hermanos')]);
    expect([same, accented, other].map((t) => rule.filter(t!))).toEqual([0, 0, 1]);
  });
});

describe('shared conditions', () => {
  it('gives the same condition in two rules one test, but not a condition on a rule-local derived field', () => {
    const big = { all: [{ field: 'direction', op: 'eq', value: 'out' }, { field: 'amount_usd', op: 'gte', value: '$min' }] };
    const local = { all: [{ field: 'direction', op: 'eq', value: 'out' }, { field: 'p95', op: 'exists', value: true }] };
    const derive = { p95: { table: 'bands/hs', key: 'hs6', column: 'p95' } };
    const windowed = { window: { type: 'rolling', duration: '1d' }, aggregates: { n: { fn: 'count', set: 's' } }, when: { agg: 'n', op: 'gte', value: 1 } };
    const dir = pack([
      { id: 'T-A', params: { min: { value: 1000 } }, filter: big, sets: { s: local }, derive, ...windowed },
      { id: 'T-B', params: { min: { value: 1000 } }, filter: big, sets: { s: local }, derive, ...windowed },
      { id: 'T-C', params: { min: { value: 5000 } }, filter: big },
      { id: 'T-D', params: { min: { value: 1000 } }, filter: { any: [big] }, sets: { s: big }, ...windowed },
    ]);
    expect(problems(dir)).toEqual([]);
    const [a, b, c, d] = loadRules([dir]).rules;
    expect(a!.filter).toBe(b!.filter);
    expect(a!.filter).not.toBe(c!.filter);
    expect(d!.sets[0]!.test).toBe(a!.filter);
    expect(a!.sets[0]!.test).not.toBe(b!.sets[0]!.test);
    const [small, large] = legs([
      { txn_id: 'S', booking_ts: '2026-03-02T12:00:00-06:00', account_id: 'A', direction: 'out', amount: '2000.00', currency: 'USD', channel: 'wire' },
      { txn_id: 'L', booking_ts: '2026-03-02T12:00:00-06:00', account_id: 'A', direction: 'out', amount: '9000.00', currency: 'USD', channel: 'wire' },
    ]);
    expect([a, c, a, c].map((r, i) => r!.filter(i < 2 ? small! : large!))).toEqual([1, 0, 1, 1]);
  });
});
