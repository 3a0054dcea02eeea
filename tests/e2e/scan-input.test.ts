import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { cli, ndjson, readStore } from './cli.js';

const HEADER = 'txn_id,booking_ts,account_id,customer_id,direction,amount,currency,channel,branch_id,memo';
const GOOD = [
  'E1,2026-02-02T10:00:00-08:00,A1,C1,in,9400.00,USD,cash,B001,first',
  'E2,2026-02-03T11:30:00-08:00,A1,C1,in,9800.00,USD,cash,B002,"split, ""as agreed""\nsecond line"',
  'E3,2026-02-04T09:15:00-08:00,A1,C1,in,9100.00,USD,cash,B001,',
];
const BAD = [
  'B1,2026-02-30T09:00:00-08:00,A2,C2,in,100.00,USD,cash,B001,bad date',
  'B2,2026-02-05T09:00:00-08:00,A2,C2,in,12O.00,USD,cash,B001,letter O in amount',
  'B3,2026-02-05T09:00:00-08:00,,C2,in,100.00,USD,cash,B001,no account',
  'B4,2026-02-05T09:00:00-08:00,A2,C2,sideways,100.00,USD,cash,B001,bad direction',
  'B5,2026-02-05T09:00:00-08:00,A2',
];

function write(dir: string, name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\r\n') + '\r\n');
  return path;
}

describe('scan: malformed input', () => {
  it('rejects each bad row with file:line and a reason, screens every good one, and stores the rejects', () => {
    const dir = tempDir();
    write(dir, 'export.csv', [HEADER, GOOD[0]!, BAD[0]!, GOOD[1]!, BAD[1]!, BAD[2]!, GOOD[2]!, BAD[3]!, BAD[4]!]);
    const r = cli(dir, ['scan', 'export.csv', '--format', 'ndjson']);
    expect(r.code).toBe(0);
    const events = ndjson(r.stdout);
    const summary = events.at(-1)!;
    expect(summary).toMatchObject({ type: 'summary', records: 8, legs: 3, rejected: 5, alerts: 1, cases: 1 });
    const rejects = events.filter((e) => e.type === 'reject').map((e) => [e.line, e.code]);
    expect(rejects).toEqual([[3, 'bad-timestamp'], [6, 'bad-amount'], [7, 'missing-field'], [9, 'bad-direction'], [10, 'row-width']]);
    expect(r.stderr).toContain('export.csv:3: rejected (bad-timestamp)');
    expect(r.stderr).toContain("export.csv:6: rejected (bad-amount): amount (column amount): '12O.00' is not a plain decimal number");
    expect(r.stderr).toContain('export.csv:7: rejected (missing-field): missing required field account_id (column account_id)');
    expect(r.stderr).toContain('export.csv:10: rejected (row-width): row has 3 fields, the header has 10');
    const alert = events.find((e) => e.type === 'alert')!;
    expect(alert).toMatchObject({ rule_id: 'STRUCT-001', subject: 'C1', evidence: ['E1', 'E2', 'E3'] });
    const stored = readStore(join(dir, 'amlscreen.db'), (db) => ({
      rejects: db.prepare('SELECT line, code, raw FROM rejects ORDER BY line').all(),
      input: db.prepare('SELECT rows, legs, rejected, sha256 FROM run_inputs').get(),
      evidence: db.prepare("SELECT t.source_line, t.record_json FROM transactions t WHERE txn_id = 'E2'").get() as { source_line: number; record_json: string },
    }));
    expect(stored.rejects).toHaveLength(5);
    expect(stored.input).toMatchObject({ rows: 8, legs: 3, rejected: 5 });
    expect(stored.evidence.source_line).toBe(4);
    expect(JSON.parse(stored.evidence.record_json).memo).toBe('split, "as agreed"\nsecond line');
  });

  it('stops with exit 4 after --max-errors and records the run as aborted', () => {
    const dir = tempDir();
    write(dir, 'export.csv', [HEADER, ...BAD, ...GOOD]);
    const r = cli(dir, ['scan', 'export.csv', '--max-errors', '2']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/stopped: more than 2 rejected records/);
    const status = readStore(join(dir, 'amlscreen.db'), (db) => db.prepare('SELECT status FROM runs').get());
    expect(status).toEqual({ status: 'aborted' });
  });

  it('reads gzip, NDJSON, JSON arrays and stdin, with the same results', () => {
    const dir = tempDir();
    const rows = GOOD.map((l) => {
      const [txn_id, booking_ts, account_id, customer_id, direction, amount, currency, channel, branch_id] = l.split(',');
      return { txn_id, booking_ts, account_id, customer_id, direction, amount, currency, channel, branch_id };
    });
    writeFileSync(join(dir, 'a.csv.gz'), gzipSync([HEADER, ...GOOD].join('\n')));
    writeFileSync(join(dir, 'b.ndjson'), rows.map((r) => JSON.stringify(r)).join('\n'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify(rows));
    for (const [args, input] of [[['a.csv.gz']], [['b.ndjson']], [['c.json']], [['-', '--input-format', 'ndjson'], rows.map((r) => JSON.stringify(r)).join('\n')]] as Array<[string[], string?]>) {
      const r = cli(dir, ['scan', ...args, '--store', `${args[0]}.db`, '--format', 'json'], input);
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as { summary: Record<string, unknown>; alerts: Array<Record<string, unknown>> };
      expect(doc.summary).toMatchObject({ records: 3, legs: 3, rejected: 0, alerts: 1 });
      expect(doc.alerts[0]).toMatchObject({ rule_id: 'STRUCT-001', evidence: ['E1', 'E2', 'E3'] });
    }
  });

  it('asks for --input-format on stdin and refuses unknown extensions with exit 2', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.txt'), HEADER);
    expect(cli(dir, ['scan', '-'], '').stderr).toMatch(/reading standard input needs --input-format/);
    const r = cli(dir, ['scan', 'x.txt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot tell the format of x.txt/);
    expect(cli(dir, ['scan', 'missing.csv']).code).toBe(4);
  });

  it('issue 2: stops with exit 4 at a JSON syntax error instead of screening part of the file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.json'), '[{"txn_id": "1"} {"txn_id": "2"}]');
    const r = cli(dir, ['scan', 'broken.json']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/broken.json .*the rest of the file cannot be read/);
    expect(readStore(join(dir, 'amlscreen.db'), (db) => db.prepare('SELECT status FROM runs').get())).toEqual({ status: 'aborted' });
  });

  it('records in an aborted run, and its input, the records it read before the error, not none', () => {
    const dir = tempDir();
    const rows = Array.from({ length: 5000 }, (_, i) => JSON.stringify({
      txn_id: `E${i}`, booking_ts: '2026-02-03T10:00:00-06:00', account_id: `A${i % 50}`, customer_id: 'C', direction: 'in', amount: '100.00', currency: 'USD', channel: 'wire',
    }));
    writeFileSync(join(dir, 'broken.json'), `[${rows.join(',\n')},\n{"txn_id": "x"} {"txn_id": "y"}]`);
    const r = cli(dir, ['scan', 'broken.json']);
    expect(r.code).toBe(4);
    // The reader names the first element it could not read: every one before it was screened and counted.
    const unread = Number(/elements from \/(\d+) on were not read/.exec(r.stderr)?.[1]);
    expect(unread).toBeGreaterThan(1000);
    const run = readStore(join(dir, 'amlscreen.db'), (db) => db.prepare('SELECT status, counts_json FROM runs').get()) as { status: string; counts_json: string };
    expect(run.status).toBe('aborted');
    expect(JSON.parse(run.counts_json)).toMatchObject({ records: unread, legs: unread, rejected: 0 });
    // The input too, with no digest: the file was not read to its end.
    expect(readStore(join(dir, 'amlscreen.db'), (db) => db.prepare('SELECT rows, legs, rejected, sha256 FROM run_inputs').get()))
      .toEqual({ rows: unread, legs: unread, rejected: 0, sha256: null });
  });

  it('issue 2: a repeated txn_id is a warning with its line, not a crash', () => {
    const dir = tempDir();
    write(dir, 'dup.csv', [HEADER, 'T1,2026-02-03T10:00:00-06:00,A,C,in,6000.00,USD,cash,B1,', 'T1,2026-02-03T11:00:00-06:00,A,C,in,6000.00,USD,cash,B1,']);
    const r = cli(dir, ['scan', 'dup.csv', '--format', 'ndjson']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/dup.csv:3: warning \(duplicate-leg\): leg T1 repeats a txn_id/);
    expect(ndjson(r.stdout).at(-1)).toMatchObject({ alerts: 0, legs: 2 });
  });

  it('issue 2: an unknown input format is refused before the store is touched', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.txt'), HEADER);
    expect(cli(dir, ['scan', 'x.txt']).code).toBe(2);
    expect(existsSync(join(dir, 'amlscreen.db'))).toBe(false);
  });
});
