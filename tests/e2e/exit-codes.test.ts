/** The README's exit-code table, checked against the built CLI. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';
import { cli } from './cli.js';

const SAMPLE = join(ROOT, 'samples', 'bank-export.csv');

describe('exit codes', () => {
  it('0 for a scan, 10 with --fail-on-alerts when new alerts were raised, 0 again when nothing is new', () => {
    const dir = tempDir();
    expect(cli(dir, ['scan', SAMPLE, '--fail-on-alerts']).code).toBe(10);
    expect(cli(dir, ['scan', SAMPLE, '--fail-on-alerts']).code).toBe(0);
  });

  it('3 for an invalid rule file, with its location on stdout from rules validate', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), '{\n  "id": "X-1"\n}\n');
    const validate = cli(dir, ['rules', 'validate', 'bad.json']);
    expect(validate.code).toBe(3);
    expect(validate.stdout).toMatch(/^bad.json:1:1 \/: error schema: missing required property 'version'/m);
    const scan = cli(dir, ['scan', SAMPLE, '--rules', 'bad.json']);
    expect(scan.code).toBe(3);
    expect(scan.stderr).toMatch(/bad.json:1:1 \/: error schema: missing required property/);
  });

  it('5 for a store written by a newer amlscreen, and for a file that is not a store', () => {
    const dir = tempDir();
    const db = new Database(join(dir, 'future.db'));
    db.pragma('user_version = 999');
    db.close();
    const r = cli(dir, ['scan', SAMPLE, '--store', 'future.db']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/newer than this amlscreen understands/);
    writeFileSync(join(dir, 'notes.db'), 'plain text, not SQLite '.repeat(50));
    expect(cli(dir, ['cases', 'list', '--store', 'notes.db']).code).toBe(5);
  });

  it('2 for bad usage', () => {
    const dir = tempDir();
    expect(cli(dir, ['scan']).code).toBe(2);
    expect(cli(dir, ['scan', SAMPLE, '--format', 'xml']).code).toBe(2);
    expect(cli(dir, ['scan', SAMPLE, '--param', 'nonsense']).code).toBe(2);
    expect(cli(dir, ['--help']).code).toBe(0);
  });
});
