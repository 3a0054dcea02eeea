/**
 * The graph rules (rules/graph) end to end: the built CLI scans a small canonical export in which money
 * goes round three accounts, beside a look-alike round trip that keeps too much on the way.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES_DIR, tempDir } from '../helpers.js';
import { cli, ndjson, readStore } from './cli.js';

const GRAPH = join(RULES_DIR, 'graph');
const HEADER = 'txn_id,booking_ts,account_id,direction,amount,currency,channel,cp_account';

/** Out legs a → b, one a day from 2026-03-02. */
function legs(hops: Array<[string, string, string]>, prefix: string, day = 2): string[] {
  return hops.map(([from, to, amount], i) => `${prefix}${i + 1},2026-03-${String(day + i).padStart(2, '0')}T10:00:00-06:00,${from},out,${amount},USD,wire,${to}`);
}

function scan(dir: string, rows: string[], extra: string[] = []): { events: Array<Record<string, any>>; store: string; stderr: string } {
  const file = join(dir, 'export.csv');
  writeFileSync(file, [HEADER, ...rows].join('\n') + '\n');
  const store = join(dir, 'cases.db');
  const r = cli(dir, ['scan', file, '--rules', GRAPH, '--store', store, '--format', 'ndjson', '--no-progress', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return { events: ndjson(r.stdout), store, stderr: r.stderr };
}

describe('graph rules in a scan', () => {
  it('finds a cycle, names every account and lists its edges in time order; the look-alike stays silent', () => {
    const dir = tempDir();
    const cycle = legs([['A', 'B', '9000.00'], ['B', 'C', '8600.00'], ['C', 'A', '8200.00']], 'C');
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

  it('reports an edge that arrives later than --max-lateness allows, never drops it silently', () => {
    const dir = tempDir();
    const rows = legs([['A', 'B', '9000.00'], ['B', 'C', '8600.00'], ['C', 'A', '8200.00']], 'C');
    const { events } = scan(dir, [rows[1]!, rows[2]!, rows[0]!], ['--max-lateness', '0']);
    const late = events.filter((e) => e.type === 'late');
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((e) => e.txn_id === 'C1' && String(e.rule_id).startsWith('GRAPH-'))).toBe(true);
    expect(events.filter((e) => e.type === 'alert')).toEqual([]);
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
