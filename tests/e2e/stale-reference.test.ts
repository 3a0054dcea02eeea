import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES_DIR, tempDir } from '../helpers.js';
import { cli, readStore } from './cli.js';

/** XB-001 with a copy of the FATF file whose as_of is `ageDays` before today. */
function packWithFatfAge(ageDays: number): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'reference'));
  copyFileSync(join(RULES_DIR, 'XB-001.json'), join(dir, 'XB-001.json'));
  const fatf = JSON.parse(readFileSync(join(RULES_DIR, 'reference', 'fatf_lists.json'), 'utf8')) as Record<string, unknown>;
  fatf.as_of = new Date(Date.now() - ageDays * 86_400_000).toISOString().slice(0, 10);
  writeFileSync(join(dir, 'reference', 'fatf_lists.json'), JSON.stringify(fatf, null, 2));
  writeFileSync(join(dir, 'wires.csv'), 'txn_id,booking_ts,account_id,direction,amount,currency,channel,cp_country\nW1,2026-03-02T10:00:00-06:00,A1,out,900.00,USD,wire,IR\n');
  return dir;
}

describe('scan: reference data past its refresh period', () => {
  it('warns with the file and line of as_of, and records the warning in the run', () => {
    const dir = packWithFatfAge(200);
    const r = cli(dir, ['scan', 'wires.csv', '--rules', dir, '--store', 'cases.db']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/reference[\\/]fatf_lists\.json:\d+: warning \(stale-reference\): reference fatf_lists is 200 days old \(as of \d{4}-\d{2}-\d{2}; refresh every 150 days\)/);
    const notices = readStore(join(dir, 'cases.db'), (db) => db.prepare("SELECT code FROM run_notices WHERE code = 'stale-reference'").all());
    expect(notices).toHaveLength(1);
  });

  it('refuses to run with --production (exit 3) unless --allow-stale-reference, which the run records', () => {
    const dir = packWithFatfAge(200);
    const refused = cli(dir, ['scan', 'wires.csv', '--rules', dir, '--store', 'cases.db', '--production']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/fatf_lists\.json:\d+: error stale-reference: .*200 days old[\s\S]*--allow-stale-reference/);
    const allowed = cli(dir, ['scan', 'wires.csv', '--rules', dir, '--store', 'cases.db', '--production', '--allow-stale-reference']);
    expect(allowed.code).toBe(0);
    const settings = readStore(join(dir, 'cases.db'), (db) => db.prepare('SELECT settings_json FROM runs').all() as Array<{ settings_json: string }>);
    expect(settings.map((s) => JSON.parse(s.settings_json).allow_stale_reference)).toEqual([true]);
  });

  it('says nothing when the reference data is current', () => {
    const dir = packWithFatfAge(10);
    const r = cli(dir, ['scan', 'wires.csv', '--rules', dir, '--store', 'cases.db', '--production']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/stale-reference/);
  });
});
