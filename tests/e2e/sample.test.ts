/**
 * The README's quick start, checked: scanning the bundled sample produces exactly the planted cases
 * (samples/README.md), from either layout, and scanning it again adds nothing.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';
import { cli, ndjson, readStore } from './cli.js';

interface Expected {
  cases: Array<{ customer_id: string; rules: string[] }>;
  alerts: Array<{ rule: string; customer_id: string; txn_ids: string[] }>;
  lookalikes: Array<{ customer_id: string }>;
}

const SAMPLES = join(ROOT, 'samples');
const expected = JSON.parse(readFileSync(join(SAMPLES, 'expected-cases.json'), 'utf8')) as Expected;

function alertsOf(stdout: string) {
  return ndjson(stdout).filter((e) => e.type === 'alert')
    .map((e) => ({ rule: e.rule_id, customer_id: e.case_subject, txn_ids: [...(e.evidence as string[])].sort() }))
    .sort((a, b) => `${a.customer_id}${a.rule}`.localeCompare(`${b.customer_id}${b.rule}`));
}

const wanted = expected.alerts.map((a) => ({ rule: a.rule, customer_id: a.customer_id, txn_ids: [...a.txn_ids].sort() }))
  .sort((a, b) => `${a.customer_id}${a.rule}`.localeCompare(`${b.customer_id}${b.rule}`));

describe('the bundled sample', () => {
  it('yields exactly the planted alerts and cases, none for the look-alikes', () => {
    const dir = tempDir();
    const r = cli(dir, ['scan', join(SAMPLES, 'bank-export.csv'), '--format', 'ndjson']);
    expect(r.code, r.stderr).toBe(0);
    // Reference files past their refresh period warn on dates after it; nothing else may be said.
    expect(r.stderr.replace(/^.*warning \(stale-reference\).*\n/gm, '')).toBe('');
    expect(alertsOf(r.stdout)).toEqual(wanted);
    const summary = ndjson(r.stdout).at(-1)!;
    expect(summary).toMatchObject({ type: 'summary', records: 3000, legs: 3000, rejected: 0, cases: expected.cases.length });
    const list = cli(dir, ['cases', 'list', '--format', 'ndjson']);
    const cases = ndjson(list.stdout).map((c) => ({ customer_id: c.subject, rules: c.rule_ids })).sort((a, b) => String(a.customer_id).localeCompare(String(b.customer_id)));
    expect(cases).toEqual([...expected.cases].sort((a, b) => a.customer_id.localeCompare(b.customer_id)));
    const flagged = new Set(cases.map((c) => c.customer_id));
    for (const l of expected.lookalikes) expect(flagged.has(l.customer_id)).toBe(false);
    for (const c of ndjson(list.stdout)) expect(c).toMatchObject({ status: 'new', severity: expect.any(Number), case_id: expect.any(Number) });
  });

  it('adds nothing when the same export is scanned again', () => {
    const dir = tempDir();
    cli(dir, ['scan', join(SAMPLES, 'bank-export.csv')]);
    const again = cli(dir, ['scan', join(SAMPLES, 'bank-export.csv'), '--format', 'ndjson']);
    expect(ndjson(again.stdout).at(-1)).toMatchObject({ new_alerts: 0, known_alerts: wanted.length, new_cases: 0, updated_cases: 0 });
    const counts = readStore(join(dir, 'amlscreen.db'), (db) => ({
      alerts: (db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n,
      cases: (db.prepare('SELECT COUNT(*) AS n FROM cases').get() as { n: number }).n,
      runs: db.prepare('SELECT status FROM runs').all(),
      inputs: db.prepare('SELECT rows, sha256 FROM run_inputs').all() as Array<{ rows: number; sha256: string }>,
    }));
    expect(counts.alerts).toBe(wanted.length);
    expect(counts.cases).toBe(expected.cases.length);
    expect(counts.runs).toEqual([{ status: 'completed' }, { status: 'completed' }]);
    expect(counts.inputs[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(counts.inputs[0]).toEqual(counts.inputs[1]);
  });

  it('finds the same alerts in the bank-specific layout through its mapping, and in NDJSON', () => {
    const dir = tempDir();
    const teller = cli(dir, ['scan', join(SAMPLES, 'bank-export-teller.csv'), '--mapping', join(SAMPLES, 'bank-layout.mapping.json'), '--format', 'ndjson', '--store', 'teller.db']);
    expect(teller.code, teller.stderr).toBe(0);
    expect(alertsOf(teller.stdout)).toEqual(wanted);
    const nd = cli(dir, ['scan', join(SAMPLES, 'bank-export.ndjson'), '--format', 'ndjson', '--store', 'nd.db']);
    expect(alertsOf(nd.stdout)).toEqual(wanted);
  });

  it('finds the same alerts when the export is grouped by account instead of sorted by time', () => {
    const dir = tempDir();
    const [header, ...rows] = readFileSync(join(SAMPLES, 'bank-export.csv'), 'utf8').trimEnd().split('\n');
    const account = (line: string) => line.split(',')[2]!;
    const grouped = rows.map((line, i) => ({ line, i })).sort((a, b) => account(a.line).localeCompare(account(b.line)) || a.i - b.i).map((x) => x.line);
    writeFileSync(join(dir, 'bank-export.csv'), [header, ...grouped].join('\n') + '\n');
    const r = cli(dir, ['scan', 'bank-export.csv', '--format', 'ndjson', '--max-lateness', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect(alertsOf(r.stdout)).toEqual(wanted);
    expect(ndjson(r.stdout).at(-1)!.rules).toEqual(expect.arrayContaining([expect.objectContaining({ late: 0 })]));
  });

  it('shows a case as an investigator reads it: narrative, figures, evidence with file:line', () => {
    const dir = tempDir();
    copyFileSync(join(SAMPLES, 'bank-export.csv'), join(dir, 'bank-export.csv'));
    cli(dir, ['scan', 'bank-export.csv']);
    const five = expected.alerts.find((a) => a.rule === 'STRUCT-001' && a.txn_ids.length === 5)!;
    const list = ndjson(cli(dir, ['cases', 'list', '--subject', five.customer_id, '--format', 'ndjson']).stdout);
    expect(list).toHaveLength(1);
    const show = cli(dir, ['cases', 'show', String(list[0]!.case_id)]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('STRUCT-001 v1.0.0');
    expect(show.stdout).toMatch(/5 cash deposits of \$8,000 to \$10,000 each were made on 5 business days/);
    for (const id of five.txn_ids) expect(show.stdout).toMatch(new RegExp(`trigger\\s+${id}\\s.*bank-export\\.csv:\\d+`));
    expect(show.stdout).not.toMatch(/\x1b\[/);
  });
});
