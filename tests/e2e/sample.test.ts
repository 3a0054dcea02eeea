/**
 * The README's quick start, checked: scanning the bundled sample produces exactly the planted cases
 * (samples/README.md), from either layout, and scanning it again adds nothing. The expected result is for a
 * scan with the sample FX table; without it, the alerts on peso legs are not raised.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';
import { cli, ndjson, readStore } from './cli.js';

interface Alert {
  rule: string;
  customer_id: string;
  case_subject: string;
  txn_ids: string[];
  needs_fx_rates?: boolean;
  /** An alert the sample expects on a look-alike: another rule's false positive. */
  lookalike?: boolean;
}

interface Expected {
  generator: { rows: number };
  cases: Array<{ subject: string; rules: string[] }>;
  alerts: Alert[];
  lookalikes: Array<{ txn_ids: string[] }>;
}

const SAMPLES = join(ROOT, 'samples');
const FX = ['--fx-rates', join(SAMPLES, 'fx_rates.csv')];
const expected = JSON.parse(readFileSync(join(SAMPLES, 'expected-cases.json'), 'utf8')) as Expected;

type Found = { rule: string; case_subject: string; txn_ids: string[] };
const sorted = (list: Found[]): Found[] => list.sort((a, b) => `${a.case_subject} ${a.rule} ${a.txn_ids[0]}`.localeCompare(`${b.case_subject} ${b.rule} ${b.txn_ids[0]}`));

function alertsOf(stdout: string): Found[] {
  return sorted(ndjson(stdout).filter((e) => e.type === 'alert')
    .map((e) => ({ rule: e.rule_id as string, case_subject: e.case_subject as string, txn_ids: [...(e.evidence as string[])].sort() })));
}

const want = (alerts: Alert[]): Found[] => sorted(alerts.map((a) => ({ rule: a.rule, case_subject: a.case_subject, txn_ids: [...a.txn_ids].sort() })));
const wanted = want(expected.alerts);

describe('the bundled sample', () => {
  it('yields exactly the planted alerts and cases, and on the look-alikes only the false positives it lists', () => {
    const dir = tempDir();
    const r = cli(dir, ['scan', join(SAMPLES, 'bank-export.csv'), '--format', 'ndjson', ...FX]);
    expect(r.code, r.stderr).toBe(0);
    // Reference files past their refresh period warn on dates after it; nothing else may be said.
    expect(r.stderr.replace(/^.*warning \(stale-reference\).*\n/gm, '')).toBe('');
    const found = alertsOf(r.stdout);
    expect(found).toEqual(wanted);
    const rows = expected.generator.rows;
    const summary = ndjson(r.stdout).at(-1)!;
    expect(summary).toMatchObject({ type: 'summary', records: rows, legs: rows, rejected: 0, cases: expected.cases.length });
    const list = cli(dir, ['cases', 'list', '--format', 'ndjson']);
    const cases = ndjson(list.stdout).map((c) => ({ subject: c.subject, rules: c.rule_ids })).sort((a, b) => String(a.subject).localeCompare(String(b.subject)));
    expect(cases).toEqual([...expected.cases].sort((a, b) => a.subject.localeCompare(b.subject)));
    const lookalike = new Set(expected.lookalikes.flatMap((l) => l.txn_ids));
    const falsePositives = want(expected.alerts.filter((a) => a.lookalike));
    expect(falsePositives.map((a) => a.rule)).toEqual(['GRAPH-002', 'GRAPH-002']);
    expect(found.filter((a) => a.txn_ids.some((t) => lookalike.has(t)))).toEqual(falsePositives);
    for (const c of ndjson(list.stdout)) expect(c).toMatchObject({ status: 'new', severity: expect.any(Number), case_id: expect.any(Number) });
  });

  it('without the FX table raises every alert but those on peso legs, which are not evaluated', () => {
    const r = cli(tempDir(), ['scan', join(SAMPLES, 'bank-export.csv'), '--format', 'ndjson']);
    expect(r.code, r.stderr).toBe(0);
    const fx = expected.alerts.filter((a) => a.needs_fx_rates);
    expect(fx.map((a) => a.rule)).toEqual(['TBML-014']);
    expect(alertsOf(r.stdout)).toEqual(want(expected.alerts.filter((a) => !a.needs_fx_rates)));
  });

  it('adds nothing when the same export is scanned again', () => {
    const dir = tempDir();
    cli(dir, ['scan', join(SAMPLES, 'bank-export.csv'), ...FX]);
    const again = cli(dir, ['scan', join(SAMPLES, 'bank-export.csv'), '--format', 'ndjson', ...FX]);
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
    const teller = cli(dir, ['scan', join(SAMPLES, 'bank-export-teller.csv'), '--mapping', join(SAMPLES, 'bank-layout.mapping.json'), '--format', 'ndjson', '--store', 'teller.db', ...FX]);
    expect(teller.code, teller.stderr).toBe(0);
    expect(alertsOf(teller.stdout)).toEqual(wanted);
    const nd = cli(dir, ['scan', join(SAMPLES, 'bank-export.ndjson'), '--format', 'ndjson', '--store', 'nd.db', ...FX]);
    expect(alertsOf(nd.stdout)).toEqual(wanted);
  });

  it('finds the same alerts when the export is grouped by account instead of sorted by time', () => {
    const dir = tempDir();
    const [header, ...rows] = readFileSync(join(SAMPLES, 'bank-export.csv'), 'utf8').trimEnd().split('\n');
    const account = (line: string) => line.split(',')[2]!;
    const grouped = rows.map((line, i) => ({ line, i })).sort((a, b) => account(a.line).localeCompare(account(b.line)) || a.i - b.i).map((x) => x.line);
    writeFileSync(join(dir, 'bank-export.csv'), [header, ...grouped].join('\n') + '\n');
    // A rule evaluated per beneficiary sees the legs of several accounts, which grouping puts out of time order;
    // the graph rules see every account's.
    const graph = (rule: string) => rule.startsWith('GRAPH-');
    const accountOf = new Map(rows.map((line) => [line.split(',')[0]!, account(line)]));
    const acrossAccounts = new Set(expected.alerts.filter((a) => !graph(a.rule) && new Set(a.txn_ids.map((t) => accountOf.get(t))).size > 1).map((a) => a.rule));
    expect([...acrossAccounts].sort()).toEqual(['REMIT-003', 'XB-006']);
    const r = cli(dir, ['scan', 'bank-export.csv', '--format', 'ndjson', '--max-lateness', '0', ...FX]);
    expect(r.code, r.stderr).toBe(0);
    const found = alertsOf(r.stdout);
    expect(found.filter((a) => !graph(a.rule))).toEqual(want(expected.alerts.filter((a) => !acrossAccounts.has(a.rule) && !graph(a.rule))));
    // The graph rules find less in legs out of time order, but nothing that is not in the sample.
    expect(found.filter((a) => graph(a.rule)).filter((a) => !wanted.some((w) => JSON.stringify(w) === JSON.stringify(a)))).toEqual([]);
    const rules = ndjson(r.stdout).at(-1)!.rules as Array<{ rule_id: string; late: number }>;
    const late = rules.filter((x) => x.late > 0).map((x) => x.rule_id);
    expect(late.sort()).toEqual([...acrossAccounts, ...rules.map((x) => x.rule_id).filter(graph)].sort());
    const exact = cli(dir, ['scan', 'bank-export.csv', '--format', 'ndjson', '--max-lateness', '400d', '--store', 'exact.db', ...FX]);
    expect(alertsOf(exact.stdout)).toEqual(wanted);
  });

  it('shows a case as an investigator reads it: narrative, figures, evidence with file:line', () => {
    const dir = tempDir();
    copyFileSync(join(SAMPLES, 'bank-export.csv'), join(dir, 'bank-export.csv'));
    cli(dir, ['scan', 'bank-export.csv', ...FX]);
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
