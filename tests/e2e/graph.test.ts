/**
 * The graph rules (GRAPH-001 to GRAPH-008) end to end: the built CLI scans small canonical exports in which money
 * goes round three accounts (beside a look-alike round trip that keeps too much on the way), along a
 * chain, or into one account for months; with hubs, late legs, yen and paired transfers.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRAPH_RULES, RULES_DIR, tempDir } from '../helpers.js';
import { cli, ndjson, readStore } from './cli.js';

const HEADER = 'txn_id,booking_ts,account_id,direction,amount,currency,channel,cp_account';

/** Out legs a → b, one a day from 2026-03-02. */
function legs(hops: Array<[string, string, string]>, prefix: string, day = 2): string[] {
  return hops.map(([from, to, amount], i) => `${prefix}${i + 1},2026-03-${String(day + i).padStart(2, '0')}T10:00:00-06:00,${from},out,${amount},USD,wire,${to}`);
}

const DAY = 86_400_000;

/** Legs into R, one a day from 2026-03-02, from S1, S2, … */
function fanIn(amounts: string[], currency = 'USD'): string[] {
  return amounts.map((amount, i) => `I${i + 1},2026-03-0${i + 2}T10:00:00-06:00,R,in,${amount},${currency},wire,S${i + 1}`);
}

function scan(dir: string, rows: string[], extra: string[] = [], header = HEADER, rules: readonly string[] = GRAPH_RULES): { events: Array<Record<string, any>>; store: string; stderr: string } {
  const file = join(dir, 'export.csv');
  writeFileSync(file, [header, ...rows].join('\n') + '\n');
  const store = join(dir, 'cases.db');
  const r = cli(dir, ['scan', file, '--rules', ...rules, '--store', store, '--format', 'ndjson', '--no-progress', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return { events: ndjson(r.stdout), store, stderr: r.stderr };
}

describe('graph rules in a scan', () => {
  it('finds a cycle, names every account and lists its edges in time order; the look-alike stays silent', () => {
    const dir = tempDir();
    const cycle = legs([['A', 'B', '9000.00'], ['B', 'C', '8000.00'], ['C', 'A', '7400.00']], 'C');
    const lookalike = legs([['X', 'Y', '9000.00'], ['Y', 'Z', '5000.00'], ['Z', 'X', '4000.00']], 'L', 10);
    const { events, store } = scan(dir, [...cycle, ...lookalike]);
    const alerts = events.filter((e) => e.type === 'alert');
    expect(alerts.map((a) => [a.rule_id, a.subject])).toEqual([['GRAPH-003', 'A']]);
    expect(alerts[0]!.evidence).toEqual(['C1', 'C2', 'C3']);
    expect(alerts[0]!.figures).toMatchObject({ hops: 3, accounts: 3, account_list: 'A, B, C' });
    expect(alerts[0]!.narrative).toContain('A, B, C');
    const stored = readStore(store, (db) => db.prepare(`
      SELECT t.txn_id, e.role FROM alert_evidence e JOIN transactions t ON t.global_id = e.global_id ORDER BY e.seq`).all());
    expect(stored).toEqual([{ txn_id: 'C1', role: 'trigger' }, { txn_id: 'C2', role: 'trigger' }, { txn_id: 'C3', role: 'trigger' }]);
  });

  it('lets a hop add up to 10% in dollars between legs in different currencies, and 5% within one', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'fx.csv'), 'date,ccy,usd_per_unit,source\n2026-03-01,EUR,1.25,test rate\n');
    const row = (id: string, day: number, from: string, to: string, amount: string, ccy: string) => `${id},2026-03-0${day}T10:00:00-06:00,${from},out,${amount},${ccy},wire,${to}`;
    const cycle = (ccy: string, amount: string) => [row('K1', 2, 'A', 'B', '9000.00', 'USD'), row('K2', 3, 'B', 'C', amount, ccy), row('K3', 4, 'C', 'A', '9600.00', 'USD')];
    const alerts = (rows: string[]) => scan(tempDir(), rows, ['--fx-rates', join(dir, 'fx.csv')], HEADER, [join(RULES_DIR, 'GRAPH-003.json')])
      .events.filter((e) => e.type === 'alert').map((a) => a.rule_id);
    // 7,700 euros are $9,625: 6.9% more than the $9,000 B received.
    expect(alerts(cycle('EUR', '7700.00'))).toEqual(['GRAPH-003']);
    expect(alerts(cycle('USD', '9625.00'))).toEqual([]);
    expect(alerts(cycle('EUR', '8000.00'))).toEqual([]);
  });

  it('reports an edge that arrives later than --max-lateness allows, never drops it silently', () => {
    const dir = tempDir();
    const rows = legs([['A', 'B', '9000.00'], ['B', 'C', '8000.00'], ['C', 'A', '7400.00']], 'C');
    const { events } = scan(dir, [rows[1]!, rows[2]!, rows[0]!], ['--max-lateness', '0']);
    const late = events.filter((e) => e.type === 'late');
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((e) => e.txn_id === 'C1' && String(e.rule_id).startsWith('GRAPH-'))).toBe(true);
    expect(events.filter((e) => e.type === 'alert')).toEqual([]);
  });

  it('reports a chain longer than its rule asks for once, with every hop', () => {
    const rows = legs([['A', 'B', '9000.00'], ['B', 'C', '8800.00'], ['C', 'D', '8600.00'], ['D', 'E', '8400.00'], ['E', 'F', '8200.00'], ['F', 'G', '8000.00']], 'H');
    const alerts = scan(tempDir(), rows).events.filter((e) => e.type === 'alert');
    expect(alerts.map((a) => [a.rule_id, a.subject])).toEqual([['GRAPH-008', 'A']]);
    expect(alerts[0]!.evidence).toEqual(['H1', 'H2', 'H3', 'H4', 'H5', 'H6']);
    expect(alerts[0]!.figures).toMatchObject({ hops: 6, accounts: 7, account_list: 'A, B, C, D, E, F, G' });
  });

  it('reports a fan-in that recurs for months once per window of new legs, each alert the whole pattern', () => {
    // Four senders pay R in turn every three days for 90 days.
    const rows = Array.from({ length: 30 }, (_, i) => `I${i},${new Date(Date.UTC(2026, 0, 1 + 3 * i, 16)).toISOString()},R,in,5000.00,USD,wire,S${i % 4}`);
    const alerts = scan(tempDir(), rows).events.filter((e) => e.type === 'alert');
    // Every alert is a fan-in by itself: its evidence alone has the four senders.
    expect(alerts.map((a) => [a.rule_id, a.subject, a.figures.counterparties])).toEqual([['GRAPH-001', 'R', 4], ['GRAPH-001', 'R', 4], ['GRAPH-001', 'R', 4]]);
    const evidence = alerts.map((a) => a.evidence as string[]);
    expect(new Set(evidence.flat())).toEqual(new Set(rows.map((r) => r.split(',')[0]!)));
    // The legs an alert adds to those of the one before lie within one window; earlier ones are context.
    const ts = new Map(rows.map((r) => [r.split(',')[0]!, Date.parse(r.split(',')[1]!)] as const));
    evidence.forEach((legs, k) => {
      const added = legs.filter((t) => k === 0 || !evidence[k - 1]!.includes(t)).map((t) => ts.get(t)!);
      expect(Math.max(...added) - Math.min(...added)).toBeLessThanOrEqual(30 * DAY);
    });
  });

  it('leaves out an account with more edges than hub_cap in the window, here the one that closes a cycle', () => {
    const cycle = legs([['A', 'B', '9000.00'], ['B', 'C', '8000.00'], ['C', 'A', '7400.00']], 'C');
    // C also pays five small bills the day before: six edges out.
    const bills = [1, 2, 3, 4, 5].map((n) => `Z${n},2026-03-01T1${n}:00:00-06:00,C,out,50.00,USD,wire,W${n}`);
    const alerts = (extra: string[]) => scan(tempDir(), [...bills, ...cycle], extra).events.filter((e) => e.type === 'alert').map((a) => a.rule_id);
    expect(alerts([])).toEqual(['GRAPH-003']);
    expect(alerts(['--param', 'GRAPH-003.hub_cap=5'])).toEqual([]);
  });

  it('counts a late leg without a counterparty account in its account\'s flow, from then on', () => {
    // The cash deposit is late (Q's leg has moved the clock on); R's three wires are then under 80% of what it received.
    const [i1, i2, i3] = fanIn(['5000.00', '5000.00', '5000.00']) as [string, string, string];
    const q = 'X1,2026-03-03T11:00:00-06:00,Q,in,100.00,USD,wire,Z';
    const cash = 'CASH,2026-03-02T12:00:00-06:00,R,in,90000.00,USD,cash,';
    const run = (rows: string[]) => scan(tempDir(), rows, ['--max-lateness', '0']).events;
    expect(run([i1, i2, q, i3]).filter((e) => e.type === 'alert').map((a) => [a.rule_id, a.subject])).toEqual([['GRAPH-001', 'R']]);
    const events = run([i1, i2, q, cash, i3]);
    expect(events.filter((e) => e.type === 'alert' || e.type === 'late')).toEqual([]);
  });

  it('reads min_amount in units of the leg\'s currency when it has no USD amount, whatever its decimals', () => {
    const alerts = (rows: string[]) => scan(tempDir(), rows).events.filter((e) => e.type === 'alert').map((a) => [a.rule_id, a.subject]);
    expect(alerts(fanIn(['50000', '52000', '51000'], 'JPY'))).toEqual([['GRAPH-001', 'R']]);
    expect(alerts(fanIn(['900', '950', '920'], 'JPY'))).toEqual([]);
    expect(alerts(fanIn(['900.000', '950.000', '920.000'], 'KWD'))).toEqual([]);
    expect(alerts(fanIn(['1900.000', '1950.000', '1920.000'], 'KWD'))).toEqual([['GRAPH-001', 'R']]);
  });

  it('opens the case of the customer a paired transfer\'s in leg names, when the pattern has no leg of its own', () => {
    const header = 'txn_id,booking_ts,account_id,customer_id,direction,amount,currency,channel,cp_account,pair_id';
    const rows = [1, 2, 3].flatMap((n) => [
      `O${n},2026-03-0${n + 1}T10:00:00-06:00,S${n},CUST-S${n},out,5000.00,USD,wire,R,T${n}`,
      `N${n},2026-03-0${n + 1}T10:00:00-06:00,R,CUST-R,in,5000.00,USD,wire,S${n},T${n}`,
    ]);
    const { events, store } = scan(tempDir(), rows, [], header);
    const alerts = events.filter((e) => e.type === 'alert');
    expect(alerts.map((a) => [a.rule_id, a.subject, a.case_subject, a.evidence])).toEqual([['GRAPH-001', 'R', 'CUST-R', ['O1', 'O2', 'O3']]]);
    expect(readStore(store, (db) => db.prepare('SELECT subject_type, subject_id FROM cases').all())).toEqual([{ subject_type: 'customer', subject_id: 'CUST-R' }]);
    // Without the in legs nothing names R's customer: the case is the account's.
    const alone = scan(tempDir(), rows.filter((r) => r.startsWith('O')), [], header);
    expect(readStore(alone.store, (db) => db.prepare('SELECT subject_type, subject_id FROM cases').all())).toEqual([{ subject_type: 'account_id', subject_id: 'R' }]);
  });

  it('counts a transfer between two accounts of the export once when its two legs carry no pair_id', () => {
    const header = 'txn_id,booking_ts,account_id,customer_id,direction,amount,currency,channel,cp_account';
    const transfer = (n: number, at: string) => [
      `O${n},2026-03-0${at}T10:00:00-06:00,S${n},CUST-S${n},out,5000.00,USD,book,R`,
      `N${n},2026-03-0${at}T10:00:00-06:00,R,CUST-R,in,5000.00,USD,book,S${n}`,
    ];
    const once = scan(tempDir(), [1, 2, 3].flatMap((n) => transfer(n, String(n + 1))), [], header).events.filter((e) => e.type === 'alert');
    expect(once.map((a) => [a.rule_id, a.case_subject, a.figures.edges, a.figures.counterparties, a.figures.trigger_total_usd]))
      .toEqual([['GRAPH-001', 'CUST-R', 3, 3, '15000.00']]);
    // In legs first in the file, and S1 paying R twice alike at the same time: two transfers, four legs, two edges.
    const rows = [...transfer(1, '2'), ...transfer(1, '2').map((r) => r.replace(/^(.)1/, '$1' + '9')), ...transfer(2, '3').reverse(), ...transfer(3, '4')];
    const twice = scan(tempDir(), rows, [], header).events.filter((e) => e.type === 'alert');
    expect(twice.map((a) => [a.rule_id, a.figures.edges, a.figures.counterparties, a.figures.trigger_total_usd])).toEqual([['GRAPH-001', 4, 3, '20000.00']]);
    // A fan-out whose in legs come first: the out legs are the evidence, and the case the payer's customer's.
    const fanOut = [1, 2, 3].flatMap((n) => [
      `N${n},2026-03-0${n + 1}T10:00:00-06:00,R${n},CUST-R${n},in,5000.00,USD,book,S`,
      `O${n},2026-03-0${n + 1}T10:00:00-06:00,S,CUST-S,out,5000.00,USD,book,R${n}`,
    ]);
    const out = scan(tempDir(), fanOut, [], header).events.filter((e) => e.type === 'alert');
    expect(out.map((a) => [a.rule_id, a.case_subject, a.evidence])).toEqual([['GRAPH-002', 'CUST-S', ['O1', 'O2', 'O3']]]);
  });

  it('leaves an account on benign_hubs out of every pattern: its legs only count in the other account\'s flow', () => {
    const dir = tempDir();
    const rows = fanIn(['5000.00', '5200.00', '5100.00']);
    const rules = join(dir, 'rules');
    mkdirSync(join(rules, 'reference'), { recursive: true });
    copyFileSync(join(RULES_DIR, 'GRAPH-001.json'), join(rules, 'GRAPH-001.json'));
    const shipped = JSON.parse(readFileSync(join(RULES_DIR, 'reference', 'benign_hubs.json'), 'utf8'));
    const listing = (accounts: string[]) => writeFileSync(join(rules, 'reference', 'benign_hubs.json'), JSON.stringify({ ...shipped, version: 'test', lists: { accounts } }));
    const alerts = () => scan(dir, rows, [], HEADER, [rules]).events.filter((e) => e.type === 'alert').map((a) => [a.rule_id, a.subject]);
    listing([]);
    expect(alerts()).toEqual([['GRAPH-001', 'R']]);
    // S1 is a payroll processor: R has two senders left, and S1's wire keeps them under 80% of its inflow.
    listing(['S1']);
    expect(alerts()).toEqual([]);
    listing(['R']);
    expect(alerts()).toEqual([]);
  });

  it('searches on a thread beside the scan and finds exactly what --single-thread finds, late legs and all', () => {
    const dir = tempDir();
    const gen = cli(dir, ['samples', 'generate', '--rows', '40000', '--typologies', 'graph', '--seed', '5', '--out', 'g']);
    expect(gen.code, gen.stderr).toBe(0);
    // Every 400th leg swapped with the one three after it: a few legs behind the clock, reported as late.
    const [header, ...rows] = readFileSync(join(dir, 'g', 'export.csv'), 'utf8').trim().split('\n');
    for (let i = 0; i + 3 < rows.length; i += 400) [rows[i], rows[i + 3]] = [rows[i + 3]!, rows[i]!];
    const run = (extra: string[]) => {
      const { events } = scan(tempDir(), rows, ['--max-lateness', '0', ...extra], header);
      return {
        alerts: events.filter((e) => e.type === 'alert'),
        late: events.filter((e) => e.type === 'late').map((e) => `${e.rule_id} ${e.txn_id}`).sort(),
        rules: events.find((e) => e.type === 'summary')!.rules,
      };
    };
    const threaded = run([]);
    expect(threaded.alerts.length).toBeGreaterThan(5);
    expect(threaded.late.length).toBeGreaterThan(5);
    expect(run(['--single-thread'])).toEqual(threaded);
  });

  it('stops a scan with its graph thread at a JSON syntax error: exit 4, the run aborted with what it read, the process ended', () => {
    const dir = tempDir();
    const rows = Array.from({ length: 5000 }, (_, i) => JSON.stringify({
      txn_id: `E${i}`, booking_ts: new Date(Date.UTC(2026, 0, 5) + i * 60_000).toISOString(), account_id: `A${i % 50}`,
      direction: 'out', amount: '5000.00', currency: 'USD', channel: 'wire', cp_account: `B${i % 7}`,
    }));
    writeFileSync(join(dir, 'broken.json'), `[${rows.join(',\n')},\n{"txn_id": "x"} {"txn_id": "y"}]`);
    const store = join(dir, 'cases.db');
    const r = cli(dir, ['scan', 'broken.json', '--rules', ...GRAPH_RULES, '--store', store, '--format', 'ndjson', '--no-progress']);
    expect(r.code).toBe(4);
    const unread = Number(/elements from \/(\d+) on were not read/.exec(r.stderr)?.[1]);
    expect(unread).toBeGreaterThan(1000);
    const run = readStore(store, (db) => db.prepare('SELECT status, counts_json FROM runs').get()) as { status: string; counts_json: string };
    expect(run.status).toBe('aborted');
    expect(JSON.parse(run.counts_json)).toMatchObject({ records: unread, legs: unread });
    expect(ndjson(r.stdout).filter((e) => e.type === 'alert' || e.type === 'summary')).toEqual([]);
  });

  it('refuses a graph rule that also has a window, with the rule file line and pointer', () => {
    const dir = tempDir();
    const rule = {
      id: 'G-1', version: '1.0.0', name: 'cycle', typology: 'graph_cycle', severity: 50, description: 'test',
      subject: 'account_id', filter: { field: 'cp_account', op: 'exists', value: true },
      window: { type: 'rolling', duration: '30d' },
      graph: { pattern: 'cycle', window: '30d', hops: 6, max_decay: 0.2 },
      narrative: 'cycle through {account_list}',
    };
    const file = join(dir, 'G-1.json');
    writeFileSync(file, JSON.stringify(rule, null, 2));
    const r = cli(dir, ['rules', 'validate', file]);
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).toMatch(/G-1\.json:\d+:\d+ \/window: error schema/);
  });

  it('names a setting the pattern does not read', () => {
    const dir = tempDir();
    const rule = {
      id: 'G-2', version: '1.0.0', name: 'fan', typology: 'graph_fan_in', severity: 50, description: 'test',
      subject: 'account_id', filter: { field: 'cp_account', op: 'exists', value: true },
      graph: { pattern: 'fan_in', window: '30d', min_degree: 3, share: 0.8, max_cv: 2, hops: 4 },
      narrative: 'fan-in {account_list}',
    };
    const file = join(dir, 'G-2.json');
    writeFileSync(file, JSON.stringify(rule, null, 2));
    const r = cli(dir, ['rules', 'validate', file]);
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).toMatch(/G-2\.json:\d+:\d+ \/graph\/hops: error rule: fan_in does not use hops/);
  });
});
