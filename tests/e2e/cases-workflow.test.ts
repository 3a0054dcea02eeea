/**
 * Issue 5: an investigator takes the sample scan's cases from new to closed. Every change is an event in
 * the case's append-only history; transitions the lifecycle does not allow are refused and change
 * nothing; two processes updating one case lose no update; a closed case is never extended by a later
 * scan.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';
import { BIN, cli, readStore, type Run } from './cli.js';

const SAMPLE = join(ROOT, 'samples', 'bank-export.csv');
const FX = ['--fx-rates', join(ROOT, 'samples', 'fx_rates.csv')];
/** What a scan of the sample raises (samples/expected-cases.json). */
const EXPECTED = JSON.parse(readFileSync(join(ROOT, 'samples', 'expected-cases.json'), 'utf8')) as { alerts: unknown[]; cases: unknown[] };

interface Shown {
  case_id: number;
  subject: string;
  status: string;
  disposition: string | null;
  assignee: string | null;
  version: number;
  alerts: number;
  links: Array<{ case_id: number; reason: string }>;
  related: Array<{ case_id: number; accounts: string[] }>;
}

function scannedStore(): { dir: string; store: string } {
  const dir = tempDir();
  const store = join(dir, 'cases.db');
  const r = cli(dir, ['scan', SAMPLE, ...FX, '--store', store, '--format', 'ndjson']);
  expect(r.code, r.stderr).toBe(0);
  return { dir, store };
}

const show = (dir: string, store: string, id: number): Shown => {
  const r = cli(dir, ['cases', 'show', String(id), '--store', store, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Shown;
};

const history = (dir: string, store: string, id: number) =>
  JSON.parse(cli(dir, ['cases', 'history', String(id), '--store', store, '--format', 'json']).stdout) as
    Array<{ user: string | null; kind: string; data: { changes?: Record<string, [unknown, unknown]>; note?: string } }>;

/** Runs the CLI without waiting, so that two can run at once. */
function cliAsync(cwd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('case lifecycle', () => {
  let dir: string;
  let store: string;
  beforeAll(() => ({ dir, store } = scannedStore()));

  it('takes a case from new through review and escalation to closed, logging who, what and why', () => {
    const u = (args: string[]) => cli(dir, ['cases', 'update', '1', '--store', store, ...args]);
    expect(show(dir, store, 1)).toMatchObject({ status: 'new', disposition: null, assignee: null, version: 1 });
    expect(u(['--status', 'in_review', '--assignee', 'ana', '--user', 'ana', '--note', 'taking it']).code).toBe(0);
    expect(u(['--status', 'escalated', '--user', 'ana', '--note', 'cash split across branches on one day']).code).toBe(0);
    const closed = u(['--status', 'closed', '--disposition', 'sar_filed', '--user', 'lee', '--note', 'SAR filed']);
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.stdout).toBe('Case 1: status escalated → closed, disposition - → sar_filed (version 4)\n');
    expect(show(dir, store, 1)).toMatchObject({ status: 'closed', disposition: 'sar_filed', assignee: 'ana', version: 4 });
    const changes = history(dir, store, 1).filter((e) => e.data.changes);
    expect(changes.map((e) => [e.user, e.kind, e.data.changes, e.data.note])).toEqual([
      ['ana', 'status_changed', { status: ['new', 'in_review'], assignee: [null, 'ana'] }, 'taking it'],
      ['ana', 'status_changed', { status: ['in_review', 'escalated'] }, 'cash split across branches on one day'],
      ['lee', 'status_changed', { status: ['escalated', 'closed'], disposition: [null, 'sar_filed'] }, 'SAR filed'],
    ]);
    const text = cli(dir, ['cases', 'history', '1', '--store', store]).stdout;
    expect(text).toMatch(/ · lee · status_changed · status escalated → closed · disposition - → sar_filed · note: SAR filed\n/);
  });

  it('refuses transitions the lifecycle does not allow, with the reason, and writes nothing', () => {
    const before = show(dir, store, 2);
    const cases: Array<[string[], RegExp]> = [
      [['--status', 'closed', '--disposition', 'false_positive'], /case 2: cannot go from new to closed \(from new: in_review\)/],
      [['--status', 'escalated'], /case 2: cannot go from new to escalated/],
      [['--status', 'done'], /unknown status 'done' \(use new, in_review, escalated, closed\)/],
    ];
    for (const [args, message] of cases) {
      const r = cli(dir, ['cases', 'update', '2', '--store', store, ...args]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(message);
    }
    expect(cli(dir, ['cases', 'update', '2', '--store', store, '--status', 'in_review']).code).toBe(0);
    const closing = cli(dir, ['cases', 'update', '2', '--store', store, '--status', 'closed']);
    expect([closing.code, closing.stderr]).toEqual([6, expect.stringMatching(/closing needs a disposition/)]);
    const sar = cli(dir, ['cases', 'update', '2', '--store', store, '--status', 'closed', '--disposition', 'sar_filed']);
    expect([sar.code, sar.stderr]).toEqual([6, expect.stringMatching(/sar_filed is decided on a case in escalated, not in_review \(escalate it first\)/)]);
    expect(cli(dir, ['cases', 'update', '2', '--store', store, '--status', 'closed', '--disposition', 'false_positive']).code).toBe(0);
    const reopen = cli(dir, ['cases', 'update', '2', '--store', store, '--status', 'in_review']);
    expect([reopen.code, reopen.stderr]).toEqual([6, expect.stringMatching(/reopening a closed case needs a --note/)]);
    expect(show(dir, store, 2)).toMatchObject({ status: 'closed', disposition: 'false_positive', version: before.version + 2 });
    expect(cli(dir, ['cases', 'update', '2', '--store', store, '--status', 'in_review', '--note', 'new information']).code).toBe(0);
    expect(show(dir, store, 2)).toMatchObject({ status: 'in_review', disposition: null });
    expect(history(dir, store, 2).at(-1)).toMatchObject({ kind: 'reopened', data: { note: 'new information' } });
  });

  it('updates cases in bulk by filter, all or none', () => {
    const ids = (args: string[]) => (JSON.parse(cli(dir, ['cases', 'list', '--store', store, '--format', 'json', ...args]).stdout) as Shown[]).map((c) => c.case_id);
    const fresh = ids(['--status', 'new', '--rule', 'STRUCT-002']);
    expect(fresh.length).toBeGreaterThan(1);
    const r = cli(dir, ['cases', 'update', '--all', '--where-status', 'new', '--where-rule', 'STRUCT-002', '--status', 'in_review', '--assignee', 'bob', '--store', store]);
    expect(r.code, r.stderr).toBe(0);
    expect(ids(['--assignee', 'bob']).sort()).toEqual([...fresh].sort());
    // One of the selected cases cannot be escalated from new: none is changed.
    cli(dir, ['cases', 'update', String(fresh[0]), '--store', store, '--status', 'escalated']);
    const versions = fresh.map((id) => show(dir, store, id).version);
    const bulk = cli(dir, ['cases', 'update', '--all', '--where-assignee', 'bob', '--status', 'closed', '--disposition', 'sar_filed', '--store', store]);
    expect(bulk.code).toBe(6);
    expect(bulk.stderr).toMatch(/no case changed:\n {2}case \d+: sar_filed is decided on a case in escalated/);
    expect(fresh.map((id) => show(dir, store, id).version)).toEqual(versions);
    // Two cases named, one of which refuses the change: neither changes, and the message says so.
    const [x, y] = ids(['--status', 'new']);
    expect(cli(dir, ['cases', 'update', String(y), '--status', 'in_review', '--store', store]).code).toBe(0);
    const pair = cli(dir, ['cases', 'update', String(x), String(y), '--status', 'escalated', '--store', store]);
    expect([pair.code, pair.stderr]).toEqual([6, expect.stringMatching(new RegExp(`no case changed:\n {2}case ${x}: cannot go from new to escalated`))]);
    expect([show(dir, store, x!).status, show(dir, store, y!).status]).toEqual(['new', 'in_review']);
  });

  it('keeps the event log append-only in the store itself', () => {
    const db = new Database(store);
    try {
      expect(() => db.prepare("UPDATE case_events SET user_name = 'mallory'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM case_events').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });
});

describe('the event log hash chain', () => {
  /** Changes the store behind amlscreen's back, as someone who drops the append-only triggers could. */
  function tamper(store: string, sql: string): void {
    const db = new Database(store);
    try {
      db.exec('DROP TRIGGER IF EXISTS case_events_append_only_update; DROP TRIGGER IF EXISTS case_events_append_only_delete;');
      db.exec(sql);
    } finally {
      db.close();
    }
  }

  it('verifies every case of an untouched store, and an evidence pack lets a reviewer recompute its case\'s chain', () => {
    const { dir, store } = scannedStore();
    // A case of one alert: its log is created, alert_added and the change below.
    const id = readStore(store, (db) => db.prepare('SELECT case_id FROM alerts GROUP BY case_id HAVING COUNT(*) = 1 ORDER BY case_id LIMIT 1').get() as { case_id: number }).case_id;
    expect(cli(dir, ['cases', 'update', String(id), '--status', 'in_review', '--user', 'ana', '--note', 'taking it', '--store', store]).code).toBe(0);
    const r = cli(dir, ['cases', 'verify', '--store', store]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^\\d+ events of ${EXPECTED.cases.length} cases checked\\.\nEvery case's log follows from its first event\\.\n$`));
    expect(JSON.parse(cli(dir, ['cases', 'verify', '--store', store, '--format', 'json']).stdout)).toMatchObject({ cases: EXPECTED.cases.length, broken: [] });
    const pack = join(dir, 'pack');
    expect(cli(dir, ['cases', 'pack', String(id), '--out', pack, '--store', store]).code).toBe(0);
    const events = JSON.parse(readFileSync(join(pack, 'history.json'), 'utf8')) as Array<{ at: string; user: string | null; kind: string; data: unknown; hash: string }>;
    expect(events.map((e) => e.kind)).toEqual(['created', 'alert_added', 'status_changed']);
    let previous = '';
    for (const e of events) {
      // The recipe the pack's README.txt gives, computed here without amlscreen's code.
      expect(createHash('sha256').update(JSON.stringify([previous, id, e.at, e.user, e.kind, JSON.stringify(e.data)])).digest('hex')).toBe(e.hash);
      previous = e.hash;
    }
    expect(readFileSync(join(pack, 'README.txt'), 'utf8')).toMatch(/is the SHA-256 \(hex\) of the JSON array \[previous event's hash/);
  });

  it('names the first event of a case that was changed, or followed a removed one, and exits 7', () => {
    const { dir, store } = scannedStore();
    expect(cli(dir, ['cases', 'update', '4', '--status', 'in_review', '--note', 'taking it', '--store', store]).code).toBe(0);
    expect(cli(dir, ['cases', 'update', '4', '--status', 'escalated', '--note', 'two states', '--store', store]).code).toBe(0);
    const ids = readStore(store, (db) => db.prepare('SELECT event_id, kind FROM case_events WHERE case_id = 4 ORDER BY event_id').all() as Array<{ event_id: number; kind: string }>);
    const review = ids.find((e) => e.kind === 'status_changed')!.event_id;
    tamper(store, `UPDATE case_events SET data_json = json_set(data_json, '$.note', 'nothing found') WHERE event_id = ${review}`);
    const changed = cli(dir, ['cases', 'verify', '--store', store]);
    expect(changed.code).toBe(7);
    expect(changed.stdout).toMatch(new RegExp(`Case 4: event ${review} \\(status_changed by \\S+ at [0-9T:.Z-]+\\) does not follow from the case's earlier events: the log was changed there or just before it\\.`));
    expect(changed.stderr).toMatch(/the event log of 1 case\(s\) in .*cases\.db was changed after it was written \(cases 4\)/);
    // Taking an event out breaks the link of the one after it, in another case.
    const other = readStore(store, (db) => db.prepare("SELECT event_id FROM case_events WHERE case_id = 1 AND kind = 'created'").get() as { event_id: number }).event_id;
    tamper(store, `DELETE FROM case_events WHERE event_id = ${other}`);
    const result = JSON.parse(cli(dir, ['cases', 'verify', '--store', store, '--format', 'json']).stdout) as { broken: Array<{ case_id: number; event_id: number }> };
    expect(result.broken.map((b) => b.case_id).sort((a, b) => a - b)).toEqual([1, 4]);
    expect(result.broken.find((b) => b.case_id === 1)!.event_id).toBeGreaterThan(other);
    // A case whose whole log was taken away.
    tamper(store, 'DELETE FROM case_events WHERE case_id = 5');
    const emptied = cli(dir, ['cases', 'verify', '--store', store]);
    expect(emptied.code).toBe(7);
    expect(emptied.stdout).toMatch(/Case 5: its log has no events; every case's log begins with the event that created it\./);
  });
});

describe('two investigators on one store', () => {
  it('lose no update when two processes change the same case at once', async () => {
    const { dir, store } = scannedStore();
    const start = show(dir, store, 3).version;
    const worker = async (user: string) => {
      const runs: Run[] = [];
      for (let i = 0; i < 12; i++) runs.push(await cliAsync(dir, ['cases', 'update', '3', '--store', store, '--user', user, '--note', `${user} ${i}`]));
      return runs;
    };
    const [a, b] = await Promise.all([worker('ana'), worker('bob')]);
    for (const r of [...a, ...b]) expect(r.code, r.stderr).toBe(0);
    expect(show(dir, store, 3).version).toBe(start + 24);
    const notes = history(dir, store, 3).filter((e) => e.kind === 'note').map((e) => e.data.note);
    expect(notes.filter((n) => n!.startsWith('ana'))).toEqual(Array.from({ length: 12 }, (_, i) => `ana ${i}`));
    expect(notes.filter((n) => n!.startsWith('bob'))).toEqual(Array.from({ length: 12 }, (_, i) => `bob ${i}`));
  });

  it('refuses a change made against a version someone else has since changed', () => {
    const { dir, store } = scannedStore();
    const seen = show(dir, store, 4).version;
    expect(cli(dir, ['cases', 'update', '4', '--store', store, '--user', 'ana', '--status', 'in_review', '--expect-version', String(seen)]).code).toBe(0);
    const late = cli(dir, ['cases', 'update', '4', '--store', store, '--user', 'bob', '--assignee', 'bob', '--expect-version', String(seen)]);
    expect(late.code).toBe(6);
    expect(late.stderr).toMatch(new RegExp(`case 4 changed since version ${seen} \\(now version ${seen + 1}; last: status_changed by ana at .*\\); review it again`));
    expect(show(dir, store, 4)).toMatchObject({ assignee: null, version: seen + 1 });
  });
});

describe('later scans and closed cases', () => {
  it('opens a linked case for new alerts on a closed case, never extends it', () => {
    const { dir, store } = scannedStore();
    const closed = show(dir, store, 5);
    cli(dir, ['cases', 'update', '5', '--store', store, '--status', 'in_review']);
    expect(cli(dir, ['cases', 'update', '5', '--store', store, '--status', 'closed', '--disposition', 'no_action']).code).toBe(0);
    // The same export delivered again under another source id: its legs are new to the store.
    const again = cli(dir, ['scan', SAMPLE, ...FX, '--store', store, '--source-id', 'redelivery', '--format', 'ndjson']);
    expect(again.code, again.stderr).toBe(0);
    const after = show(dir, store, 5);
    expect(after).toMatchObject({ status: 'closed', alerts: closed.alerts });
    expect(after.links).toHaveLength(1);
    const next = show(dir, store, after.links[0]!.case_id);
    expect(next).toMatchObject({ subject: closed.subject, status: 'new', links: [{ case_id: 5, reason: "new alerts after the subject's case was closed" }] });
    expect(history(dir, store, 5).at(-1)).toMatchObject({ kind: 'new_alerts_after_close' });
    const open = readStore(store, (db) => db.prepare("SELECT COUNT(*) AS n FROM cases WHERE subject_id = ? AND status <> 'closed'").get(closed.subject) as { n: number });
    expect(open.n).toBe(1);
  });

  it('lists the related cases sharing the most accounts first, and only the first ten as text', () => {
    const dir = tempDir();
    const store = join(dir, 'cases.db');
    // Thirteen customers pay cash in to an account also paying X; C-1 and C-13 share Y as well.
    const rows = Array.from({ length: 13 }, (_, i) => `T${i + 1},2026-02-0${1 + (i % 9)}T10:00:00-06:00,A-${i + 1},C-${i + 1},in,12500.00,USD,cash,X`);
    rows.push('Y1,2026-02-01T11:00:00-06:00,A-1,C-1,in,12000.00,USD,cash,Y', 'Y2,2026-02-02T11:00:00-06:00,A-13,C-13,in,12000.00,USD,cash,Y');
    writeFileSync(join(dir, 'in.csv'), ['txn_id,booking_ts,account_id,customer_id,direction,amount,currency,channel,cp_account', ...rows].join('\n') + '\n');
    expect(cli(dir, ['scan', 'in.csv', '--store', store, '--format', 'ndjson']).code).toBe(0);
    const caseOf = (customer: string) => readStore(store, (db) => (db.prepare('SELECT case_id FROM cases WHERE subject_id = ?').get(customer) as { case_id: number }).case_id);
    const related = show(dir, store, caseOf('C-1')).related;
    expect(related).toHaveLength(12);
    expect(caseOf('C-13')).toBeGreaterThan(related[1]!.case_id);
    expect(related[0]).toMatchObject({ case_id: caseOf('C-13'), accounts: ['X', 'Y'] });
    expect(related.slice(1).map((r) => r.accounts)).toEqual(Array(11).fill(['X']));
    const text = cli(dir, ['cases', 'show', String(caseOf('C-1')), '--store', store]).stdout;
    expect(text.match(/^Related: case \d+ /gm)).toHaveLength(10);
    expect(text).toMatch(new RegExp(`^Related: case ${caseOf('C-13')} \\(new, C-13\\) shares X, Y$`, 'm'));
    expect(text).toMatch(/^Related: 2 more case\(s\), none sharing more accounts than those above/m);
  });

  it('lists cases whose evidence names the same accounts as related', () => {
    const { dir, store } = scannedStore();
    // Worked out from the stored evidence legs directly: which cases name which accounts.
    const named = readStore(store, (db) => db.prepare(`SELECT a.case_id, t.record_json FROM alert_evidence e JOIN alerts a ON a.alert_id = e.alert_id
      JOIN transactions t ON t.global_id = e.global_id`).all() as Array<{ case_id: number; record_json: string }>);
    const byAccount = new Map<string, Set<number>>();
    for (const { case_id, record_json } of named) {
      const r = JSON.parse(record_json) as { account_id: string; cp_account?: string };
      for (const acct of [r.account_id, r.cp_account]) if (acct) byAccount.set(acct, (byAccount.get(acct) ?? new Set()).add(case_id));
    }
    const want = new Map<number, Set<number>>();
    for (const ids of byAccount.values()) for (const a of ids) for (const b of ids) if (a !== b) want.set(a, (want.get(a) ?? new Set()).add(b));
    expect(want.size).toBeGreaterThan(0);
    for (const [id, others] of want) expect(show(dir, store, id).related.map((r) => r.case_id).sort((x, y) => x - y)).toEqual([...others].sort((x, y) => x - y));
    const [first] = [...want.keys()];
    expect(cli(dir, ['cases', 'show', String(first), '--store', store]).stdout).toMatch(/^Related: case \d+ \(new, C-\d+\) shares \S+/m);
  });
});

describe('stats for a supervisor', () => {
  it('counts cases by status, rule and age, alerts per run, and each rule\'s disposition and false-positive rate', () => {
    const { dir, store } = scannedStore();
    const list = JSON.parse(cli(dir, ['cases', 'list', '--store', store, '--format', 'json']).stdout) as Array<{ case_id: number; rule_ids: string[] }>;
    // Three single-rule cases of three rules no other case has, so each rule's decisions are known.
    const onlyCase = list.filter((x) => x.rule_ids.length === 1 && list.filter((y) => y.rule_ids.includes(x.rule_ids[0]!)).length === 1);
    const [a, b, c] = onlyCase;
    const close = (id: number, disposition: string, via: string[]) => {
      for (const status of via) expect(cli(dir, ['cases', 'update', String(id), '--store', store, '--status', status]).code).toBe(0);
      expect(cli(dir, ['cases', 'update', String(id), '--store', store, '--status', 'closed', '--disposition', disposition]).code).toBe(0);
    };
    close(a!.case_id, 'false_positive', ['in_review']);
    close(b!.case_id, 'sar_filed', ['in_review', 'escalated']);
    expect(cli(dir, ['cases', 'update', String(c!.case_id), '--store', store, '--status', 'in_review']).code).toBe(0);
    const r = cli(dir, ['stats', '--store', store, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const stats = JSON.parse(r.stdout) as {
      cases: number; by_status: Record<string, number>; open_by_age: Record<string, number>; by_rule: Array<{ rule_id: string; cases: number }>;
      runs: Array<{ new_alerts: number; alerts_raised: number }>; dispositions: Array<{ rule_id: string; closed: number; false_positive_rate: number }>;
    };
    expect(stats.cases).toBe(list.length);
    expect(stats.by_status).toEqual({ new: list.length - 3, in_review: 1, escalated: 0, closed: 2 });
    expect(stats.open_by_age['0-7 days']).toBe(list.length - 2);
    const ruleCases = new Map<string, number>();
    for (const x of list) for (const id of x.rule_ids) ruleCases.set(id, (ruleCases.get(id) ?? 0) + 1);
    expect(Object.fromEntries(stats.by_rule.map((x) => [x.rule_id, x.cases]))).toEqual(Object.fromEntries(ruleCases));
    expect(stats.runs).toHaveLength(1);
    expect(stats.runs[0]).toMatchObject({ alerts_raised: EXPECTED.alerts.length, new_alerts: EXPECTED.alerts.length });
    expect(stats.dispositions).toEqual(expect.arrayContaining([
      expect.objectContaining({ rule_id: a!.rule_ids[0], closed: 1, false_positive: 1, false_positive_rate: 1 }),
      expect.objectContaining({ rule_id: b!.rule_ids[0], closed: 1, sar_filed: 1, false_positive_rate: 0 }),
    ]));
    expect(cli(dir, ['stats', '--store', store]).stdout).toMatch(new RegExp(`^${a!.rule_ids[0]} +1 +1 +0 +0 +0 +100%$`, 'm'));
  });
});
