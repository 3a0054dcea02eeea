import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { AmlError } from '../../src/errors.js';
import { loadRules } from '../../src/rules/load.js';
import { getCase, listCases } from '../../src/store/cases.js';
import { verifyEventLog } from '../../src/store/event-log.js';
import { RunWriter } from '../../src/store/runs.js';
import { SCHEMA_VERSION, openStore } from '../../src/store/store.js';
import { ROOT, RULES_DIR, legs, tempDir } from '../helpers.js';

const RULES = loadRules([RULES_DIR]).rules;

const ROWS = [
  { txn_id: 'E1', booking_ts: '2026-02-02T10:00:00-08:00', account_id: 'A1', customer_id: 'C1', direction: 'in', amount: '9400.00', currency: 'USD', channel: 'cash', branch_id: 'B1' },
  { txn_id: 'E2', booking_ts: '2026-02-03T11:30:00-08:00', account_id: 'A1', customer_id: 'C1', direction: 'in', amount: '9800.00', currency: 'USD', channel: 'cash', branch_id: 'B2' },
  { txn_id: 'E3', booking_ts: '2026-02-04T09:15:00-08:00', account_id: 'A1', customer_id: 'C1', direction: 'in', amount: '9100.00', currency: 'USD', channel: 'cash', branch_id: 'B1' },
  { txn_id: 'E4', booking_ts: '2026-02-20T09:15:00-08:00', account_id: 'A1', customer_id: 'C1', direction: 'in', amount: '15000.00', currency: 'USD', channel: 'cash', branch_id: 'B1' },
];

function readEvents(path: string): Array<{ case_id: number; kind: string }> {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT case_id, kind FROM case_events ORDER BY event_id').all() as Array<{ case_id: number; kind: string }>;
  } finally {
    db.close();
  }
}

function screen(rows: Array<Record<string, unknown>>) {
  const engine = new Engine(RULES, { maxLatenessMs: 0 });
  for (const t of legs(rows)) engine.push(t);
  return { alerts: engine.finish(), stats: engine.stats };
}

function record(path: string, rows: Array<Record<string, unknown>>, runId: string) {
  const db = openStore(path);
  const writer = new RunWriter(db, { runId, startedAt: '2026-11-01T00:00:00Z', toolVersion: 'test', user: 'tester', command: 'scan', settings: {} });
  const { alerts, stats } = screen(rows);
  const outcome = writer.complete(alerts, RULES, stats, { records: rows.length });
  db.close();
  return outcome;
}

/** A store as amlscreen wrote it before migrations 4 and 5 (schema version 3). */
function olderStore(): string {
  const path = join(tempDir(), 'old.db');
  record(path, ROWS, 'run-1');
  const old = new Database(path);
  old.exec('DROP INDEX transactions_by_account; DROP INDEX transactions_by_cp_account; DROP INDEX alert_evidence_by_leg');
  old.exec('ALTER TABLE case_events DROP COLUMN hash');
  old.pragma('user_version = 3');
  old.close();
  return path;
}

describe('the case store', () => {
  it('creates STRICT tables in WAL mode and records the schema version', () => {
    const path = join(tempDir(), 'store.db');
    openStore(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table'").all() as Array<{ name: string; sql: string }>;
    expect(tables.map((t) => t.name).sort()).toEqual(['alert_evidence', 'alerts', 'case_events', 'case_links', 'cases', 'rejects', 'rule_texts', 'run_inputs', 'run_notices', 'run_references', 'run_rules', 'runs', 'transactions']);
    for (const t of tables) expect(t.sql).toMatch(/STRICT$/);
    db.close();
  });

  it('refuses a store written by a newer amlscreen', () => {
    const path = join(tempDir(), 'future.db');
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openStore(path)).toThrow(AmlError);
    expect(() => openStore(path)).toThrow(/newer than this amlscreen understands/);
  });

  it('upgrades a store written by an older amlscreen when it is opened to be read', () => {
    const path = olderStore();
    const db = openStore(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(listCases(db, {})).toHaveLength(1);
    db.close();
  });

  it('chains the events an older store already holds when it upgrades it, in the order they were written', () => {
    const path = olderStore();
    const before = readEvents(path);
    expect(before.length).toBeGreaterThan(1);
    const db = openStore(path);
    try {
      expect(verifyEventLog(db)).toEqual({ cases: new Set(before.map((e) => e.case_id)).size, events: before.length, broken: [] });
      const after = db.prepare('SELECT case_id, kind, hash FROM case_events ORDER BY event_id').all() as Array<{ case_id: number; kind: string; hash: string }>;
      expect(after.map((e) => [e.case_id, e.kind])).toEqual(before.map((e) => [e.case_id, e.kind]));
      expect(after.every((e) => /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
      // Still append-only after the migration took its update trigger away and back.
      expect(() => db.prepare("UPDATE case_events SET kind = 'x'").run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it('upgrades an older store whose append-only triggers were dropped, and puts them back', () => {
    const path = olderStore();
    const old = new Database(path);
    old.exec('DROP TRIGGER case_events_append_only_update; DROP TRIGGER case_events_append_only_delete;');
    old.close();
    const db = openStore(path);
    try {
      expect(verifyEventLog(db).broken).toEqual([]);
      expect(() => db.prepare("UPDATE case_events SET kind = 'x'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM case_events').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it('upgrades once when two processes open an older store together: the second finds it done', async () => {
    const path = olderStore();
    // Another process upgrades it, holding the write lock for a second before it commits.
    const other = spawn(process.execPath, ['--input-type=module', '-e', `
      import Database from 'better-sqlite3';
      import { MIGRATIONS } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'store', 'migrations.js')).href)};
      const db = new Database(${JSON.stringify(path)});
      db.exec('BEGIN IMMEDIATE');
      db.exec(MIGRATIONS[3]);
      db.pragma('user_version = 4');
      console.log('locked');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
      db.exec('COMMIT');
      db.close();`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => other.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve()));
    const db = openStore(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(listCases(db, {})).toHaveLength(1);
    db.close();
    expect(await new Promise((resolve) => other.on('exit', resolve))).toBe(0);
  });

  it('opens no file that has no store schema to be read, and writes nothing into it', () => {
    const path = join(tempDir(), 'other.db');
    new Database(path).exec('CREATE TABLE notes (t TEXT)');
    expect(() => openStore(path, { readonly: true })).toThrow(/not an amlscreen store \(no schema\)/);
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all()).toEqual([{ name: 'notes' }]);
    db.close();
  });

  it('refuses a file that is not a database', () => {
    const path = join(tempDir(), 'notes.db');
    writeFileSync(path, 'not sqlite at all, just text that is long enough to be a header '.repeat(10));
    expect(() => openStore(path)).toThrow(/not an amlscreen store|cannot open/);
  });

  it('gathers a subject\'s alerts into one case and adds nothing when the same input is stored again', () => {
    const path = join(tempDir(), 'store.db');
    const first = record(path, ROWS, 'run-1');
    expect(first).toMatchObject({ newAlerts: 2, knownAlerts: 0, newCases: 1 });
    const again = record(path, ROWS, 'run-2');
    expect(again).toMatchObject({ newAlerts: 0, knownAlerts: 2, newCases: 0, updatedCases: 0 });
    const db = openStore(path, { readonly: true });
    const cases = listCases(db, {});
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ subject: 'C1', rule_ids: ['CASH-001', 'STRUCT-001'], severity: 60, total_usd: '43300.00', alerts: 2 });
    const detail = getCase(db, cases[0]!.case_id)!;
    const struct = detail.alert_details.find((a) => a.rule_id === 'STRUCT-001')!;
    expect(struct.evidence.map((e) => [e.role, e.record.txn_id, e.record.amount, e.record.source_row])).toEqual([
      ['trigger', 'E1', '9400.00', 2], ['trigger', 'E2', '9800.00', 3], ['trigger', 'E3', '9100.00', 4],
    ]);
    expect(struct.figures).toMatchObject({ band_count: 3, band_total: '28300.00', max_day_total: '9800.00', band_days: 3 });
    expect(detail.events.map((e) => e.kind)).toEqual(['created', 'alert_added', 'alert_added']);
    expect((db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n).toBe(2);
    expect((db.prepare("SELECT COUNT(*) AS n FROM runs WHERE status = 'completed'").get() as { n: number }).n).toBe(2);
    db.close();
  });

  it('opens a new case when the subject\'s case is closed, instead of extending it silently', () => {
    const path = join(tempDir(), 'store.db');
    record(path, ROWS.slice(0, 3), 'run-1');
    const db = openStore(path);
    db.prepare("UPDATE cases SET status = 'closed'").run();
    db.close();
    record(path, ROWS, 'run-2');
    const ro = openStore(path, { readonly: true });
    const cases = listCases(ro, {});
    expect(cases.map((c) => [c.status, c.rule_ids.join(',')])).toEqual([['closed', 'STRUCT-001'], ['new', 'CASH-001']]);
    ro.close();
  });
});
