/** Defects found in review of issue 2, each pinned by a test. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { businessDayResolver } from '../../src/ingest/business-date.js';
import { loadMapping } from '../../src/ingest/mapping.js';
import { compileNormaliser } from '../../src/ingest/normalise.js';
import { isoParser, patternParser } from '../../src/ingest/time.js';
import { loadRules } from '../../src/rules/load.js';
import { RULES_DIR, legs, tempDir } from '../helpers.js';

const RULES = loadRules([RULES_DIR]).rules;
const cash = (id: string, ts: string, amount: string, customer = 'C1') =>
  ({ txn_id: id, booking_ts: ts, account_id: `A-${customer}`, customer_id: customer, direction: 'in', amount, currency: 'USD', channel: 'cash' });

function screen(rows: Array<Record<string, unknown>>) {
  const late: string[] = [];
  const duplicates: string[] = [];
  const engine = new Engine(RULES, { maxLatenessMs: 86_400_000 }, (l) => late.push(l.txn.txn_id), (_r, _s, t) => duplicates.push(t.txn_id));
  for (const t of legs(rows)) engine.push(t);
  return { alerts: engine.finish(), late, duplicates, stats: engine.stats };
}

describe('issue 2 review', () => {
  it('one mistyped future date does not make the engine forget open windows', () => {
    const rows: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 70_000; i++) {
      rows.push({ txn_id: `F${i}`, booking_ts: '2026-02-02T09:00:00-06:00', account_id: `W${i % 500}`, direction: 'out', amount: '10.00', currency: 'USD', channel: 'card' });
      if (i === 100) rows.push({ txn_id: 'TYPO', booking_ts: '2099-02-02T09:00:00-06:00', account_id: 'W1', direction: 'out', amount: '10.00', currency: 'USD', channel: 'card' });
      if (i === 60_000) rows.push(cash('E1', '2026-02-02T10:00:00-06:00', '9400.00'));
    }
    rows.push(cash('E2', '2026-02-03T10:00:00-06:00', '9800.00'), cash('E3', '2026-02-04T10:00:00-06:00', '9100.00'));
    const { alerts, late } = screen(rows);
    expect(alerts.map((a) => [a.rule.id, [...a.triggers].map((t) => t.txn_id)])).toEqual([['STRUCT-001', ['E1', 'E2', 'E3']]]);
    expect(late).toEqual([]);
  });

  it('a repeated txn_id is screened once and reported, not double counted or fatal', () => {
    const { alerts, duplicates } = screen([cash('T1', '2026-02-03T10:00:00-06:00', '6000.00'), cash('T1', '2026-02-03T11:00:00-06:00', '6000.00')]);
    expect(alerts).toEqual([]);
    expect(duplicates).toEqual(['T1']);
  });

  it('a txn_id is a repeat while a window holds its leg, and a new leg once every window has let it go', () => {
    const rows = [cash('T1', '2026-01-05T10:00:00-06:00', '6000.00')];
    for (let i = 0; i < 150; i++) rows.push(cash(`X${i}`, new Date(Date.UTC(2026, 0, 6, 16) + i * 6 * 3_600_000).toISOString(), '100.00'));
    rows.push(cash('X149', '2026-02-13T10:00:00-06:00', '100.00'), cash('T1', '2026-02-20T10:00:00-06:00', '6000.00'));
    const { duplicates, stats } = screen(rows);
    expect(duplicates).toEqual(['X149']);
    // The second T1 came 46 days after the first: screened as a leg of its own by the cash rules.
    expect(stats.find((s) => s.rule === 'STRUCT-001')).toMatchObject({ inScope: 153, duplicates: 2 });
  });

  it('a sequence rule ticks out the leg left pending when its last anchor left, so a later leg reusing its txn_id is no repeat', () => {
    // XB-004 (alerting on one pass-through): inbound >= $3,000 anchors a 24-hour window. X's tick drops A1 and
    // W, leaving X pending with no anchor; Y must still tick X out, or the second X (8 days on) would be taken
    // for a repeat of it.
    const wire = (id: string, ts: string, direction: string, amount: string) =>
      ({ txn_id: id, booking_ts: ts, account_id: 'ACC1', customer_id: 'C1', direction, amount, currency: 'USD', channel: 'wire' });
    const duplicates: string[] = [];
    const rules = loadRules([RULES_DIR], [{ rule: 'XB-004', name: 'matches', value: 1, text: 'XB-004.matches=1' }]).rules;
    const engine = new Engine(rules, { maxLatenessMs: 0 }, () => {}, (_r, _s, t) => duplicates.push(t.txn_id));
    for (const t of legs([
      wire('A1', '2026-03-02T10:00:00Z', 'in', '5000.00'), wire('W', '2026-03-04T10:00:00Z', 'out', '100.00'),
      wire('X', '2026-03-05T10:00:00Z', 'out', '100.00'), wire('Y', '2026-03-06T10:00:00Z', 'out', '100.00'),
      wire('X', '2026-03-12T10:00:00Z', 'in', '9000.00'), wire('Z', '2026-03-12T11:00:00Z', 'out', '9000.00'),
    ])) engine.push(t);
    const alerts = engine.finish();
    expect(duplicates).toEqual([]);
    expect(alerts.map((a) => [a.rule.id, a.records.map((t) => `${t.txn_id} ${t.direction}`)])).toEqual([['XB-004', ['X in', 'Z out']]]);
  });

  it('a leg without the subject field is counted as not evaluated', () => {
    const dir = tempDir();
    const file = join(dir, 'rule.json');
    writeFileSync(file, JSON.stringify({
      id: 'T-002', version: '1.0.0', name: 'by conductor', typology: 'test', severity: 1, description: 'test', subject: 'conductor_id',
      filter: { field: 'is_cash', op: 'eq', value: true },
    }));
    const engine = new Engine(loadRules([file]).rules, { maxLatenessMs: 0 });
    for (const t of legs([cash('N1', '2026-02-03T10:00:00-06:00', '100.00')])) engine.push(t);
    engine.finish();
    expect(engine.stats[0]).toMatchObject({ inScope: 1, notEvaluated: 1, missing: { conductor_id: 1 } });
  });

  it("uses the mapping's business-day cutoff", () => {
    const mapping = loadMapping('canonical');
    mapping.spec.timestamp = { business_day_cutoff: '15:00' };
    const normalise = compileNormaliser(mapping, undefined, { sourceId: 'x' });
    const r = normalise({ kind: 'object', line: 2, value: cash('L', '2026-02-03T16:00:00-06:00', '1.00') });
    expect(r.legs[0]!.business_date).toBe('2026-02-04');
  });

  it('looks codes up in the code table only, not in its prototype', () => {
    const mapping = loadMapping('ibm-amlworld');
    const header = ['Timestamp', 'From Bank', 'Account', 'To Bank', 'Account.1', 'Amount Received', 'Receiving Currency', 'Amount Paid', 'Payment Currency', 'Payment Format', 'Is Laundering'];
    const normalise = compileNormaliser(mapping, header, { sourceId: 'x' });
    const r = normalise({ kind: 'cells', line: 2, cells: ['2022/09/01 00:20', '10', 'A', '10', 'B', '1.00', 'constructor', '1.00', 'US Dollar', 'toString', '0'] });
    expect(r.reject).toMatchObject({ code: 'bad-channel', message: "channel 'toString' (column Payment Format) is not a canonical channel" });
  });

  it('rejects local times that do not exist and impossible offsets', () => {
    expect(patternParser('YYYY-MM-DD HH:mm', 'America/Chicago')('2026-03-08 02:30')).toMatch(/does not exist in America\/Chicago/);
    expect(isoParser(undefined)('2026-03-08T02:30:00+99:99')).toMatch(/impossible UTC offset/);
  });

  it('keeps business dates of different years apart when a cutoff applies', () => {
    const bd = businessDayResolver(18 * 60);
    expect(bd(Date.parse('1925-02-03T10:00:00Z')).date).toBe('1925-02-03');
    expect(bd(Date.parse('2014-11-28T19:00:00Z')).date).toBe('2014-12-01');
  });

  it('does not forget a subject whose business-day window is still open after a weekend and a holiday', () => {
    const rows: Array<Record<string, unknown>> = [
      { txn_id: 'SAT', booking_ts: '2025-05-24T11:00:00-05:00', account_id: 'A9', customer_id: 'C9', direction: 'out', amount: '6000.00', currency: 'USD', channel: 'cash' },
    ];
    const start = Date.parse('2025-05-24T12:00:00-05:00');
    for (let i = 0; i < 66_000; i++) {
      rows.push({ txn_id: `F${i}`, booking_ts: new Date(start + i * 5_000).toISOString(), account_id: `W${i % 300}`, direction: 'out', amount: '10.00', currency: 'USD', channel: 'card' });
    }
    rows.push({ txn_id: 'TUE', booking_ts: '2025-05-27T21:00:00-05:00', account_id: 'A9', customer_id: 'C9', direction: 'out', amount: '5000.00', currency: 'USD', channel: 'cash' });
    const { alerts, late } = screen(rows);
    expect(late).toEqual([]);
    expect(alerts.map((a) => [a.rule.id, [...a.triggers].map((t) => t.txn_id)])).toEqual([['STRUCT-002', ['SAT', 'TUE']]]);
  });

  it('says a leg dated before the first reference list version was not evaluated for that reason', () => {
    const { stats } = screen([{ txn_id: 'OLD', booking_ts: '2024-03-01T10:00:00Z', account_id: 'A', direction: 'out', amount: '100.00', currency: 'USD', channel: 'wire', cp_country: 'VE' }]);
    expect(stats.find((s) => s.rule === 'XB-002')).toMatchObject({ notEvaluated: 1, missing: { "fatf_lists (no version in force on the leg's date)": 1 } });
  });
});
