import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, tempDir } from '../helpers.js';
import { cli, ndjson, readStore } from './cli.js';

describe('the ibm-amlworld mapping preset', () => {
  it('turns each transfer row into an out leg and an in leg, with bank ids as integers and amounts exact', () => {
    const dir = tempDir();
    const r = cli(dir, ['scan', join(FIXTURES, 'amlworld-format.csv'), '--mapping', 'ibm-amlworld', '--format', 'ndjson']);
    expect(r.code, r.stderr).toBe(0);
    const summary = ndjson(r.stdout).at(-1)!;
    expect(summary).toMatchObject({ records: 5, legs: 10, rejected: 0 });
    const alerts = ndjson(r.stdout).filter((e) => e.type === 'alert').map((e) => [e.rule_id, e.subject, e.evidence]);
    expect(alerts.sort()).toEqual([['CASH-001', '11/8000A1111', ['6-out']], ['CASH-001', '12/8000B2222', ['6-in']]]);
    const rules = summary.rules as Array<{ rule_id: string; purpose: string; not_evaluated: number; missing: Record<string, number> }>;
    expect(rules.find((x) => x.rule_id === 'CASH-001')).toMatchObject({ purpose: 'reporting', not_evaluated: 0 });
    expect(rules.find((x) => x.rule_id === 'STRUCT-001')).toMatchObject({ purpose: 'suspicion' });
    const legs = readStore(join(dir, 'amlscreen.db'), (db) => db.prepare('SELECT record_json FROM transactions ORDER BY txn_id').all() as Array<{ record_json: string }>)
      .map((row) => JSON.parse(row.record_json) as Record<string, unknown>);
    expect(legs.map((l) => [l.txn_id, l.account_id, l.cp_account, l.direction, l.amount, l.currency, l.channel, l['Is Laundering']])).toEqual([
      ['6-in', '12/8000B2222', '11/8000A1111', 'in', '12000.00', 'USD', 'cash', '0'],
      ['6-out', '11/8000A1111', '12/8000B2222', 'out', '12000.00', 'USD', 'cash', '0'],
    ]);
  });

  it('refuses an unknown preset and a mapping that reads a missing column', () => {
    const dir = tempDir();
    expect(cli(dir, ['scan', join(FIXTURES, 'amlworld-format.csv'), '--mapping', 'no-such-preset']).stderr).toMatch(/no mapping file 'no-such-preset' and no preset of that name \(presets: canonical, ibm-amlworld\)/);
    const r = cli(dir, ['scan', join(FIXTURES, 'amlworld-format.csv'), '--mapping', join(import.meta.dirname, '..', '..', 'samples', 'bank-layout.mapping.json')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/the mapping reads column 'TRAN_ID', which is not in the header/);
  });
});
