/**
 * Issue 5: what leaves the store. Case exports that a spreadsheet cannot turn into formulas, an evidence
 * pack a reviewer checks with sha256sum and sed alone, and a SAR draft with its attachment under 1 MB.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';
import { cli } from './cli.js';

const SAMPLE = join(ROOT, 'samples', 'bank-export.csv');
const FX = ['--fx-rates', join(ROOT, 'samples', 'fx_rates.csv')];
const HEADER = 'txn_id,booking_ts,account_id,customer_id,direction,amount,currency,channel\n';

/** A cash deposit over $10,000: CASH-001 raises one alert (and one case) per customer. */
const cashRow = (i: number, customer: string) =>
  `T${i},2026-02-${String(2 + (i % 20)).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00-06:00,A-${i},"${customer.replaceAll('"', '""')}",in,12500.00,USD,cash\n`;

/** Parses RFC 4180 CSV (quoted fields, doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell.replace(/\r$/, '')), rows.push(row), (row = []), (cell = '');
    else cell += ch;
  }
  return rows;
}

describe('cases export', () => {
  it('neutralises cells a spreadsheet would run as formulas, and keeps the raw values in JSON', () => {
    const dir = tempDir();
    const store = join(dir, 'cases.db');
    const hostile = ['=HYPERLINK("http://example.invalid","x")', '+1+2', '-3+4', '@SUM(A1)', 'C-plain'];
    writeFileSync(join(dir, 'in.csv'), HEADER + hostile.map((c, i) => cashRow(i + 1, c)).join(''));
    const scan = cli(dir, ['scan', 'in.csv', '--store', store, '--format', 'ndjson']);
    expect(scan.code, scan.stderr).toBe(0);
    expect(cli(dir, ['cases', 'update', '--all', '--status', 'in_review', '--assignee', '=cmd|"/c calc"!A1', '--store', store]).code).toBe(0);
    const csv = cli(dir, ['cases', 'export', '--store', store]);
    expect(csv.code, csv.stderr).toBe(0);
    const [header, ...rows] = parseCsv(csv.stdout);
    const col = (name: string) => header!.indexOf(name);
    expect(rows.map((r) => r[col('subject')]).sort()).toEqual(["'+1+2", "'-3+4", "'=HYPERLINK(\"http://example.invalid\",\"x\")", "'@SUM(A1)", 'C-plain']);
    for (const r of rows) {
      expect(r[col('assignee')]).toBe('\'=cmd|"/c calc"!A1');
      expect(r[col('total_usd')]).toBe('12500.00');
      expect(r[col('rule_ids')]).toBe('CASH-001');
    }
    const json = JSON.parse(cli(dir, ['cases', 'export', '--store', store, '--format', 'json']).stdout) as Array<{ subject: string }>;
    expect(json.map((r) => r.subject).sort()).toEqual([...hostile].sort());
    const out = join(dir, 'cases.ndjson');
    expect(cli(dir, ['cases', 'export', '--store', store, '--format', 'ndjson', '--out', out, '--status', 'in_review']).code).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(5);
  });
});

/** The sample's funnel-account case (FUNNEL-001 and FUNNEL-002 on one customer). */
function funnelCase(dir: string, store: string): string {
  const list = JSON.parse(cli(dir, ['cases', 'list', '--rule', 'FUNNEL-002', '--store', store, '--format', 'json']).stdout) as Array<{ case_id: number }>;
  expect(list).toHaveLength(1);
  return String(list[0]!.case_id);
}

describe('evidence pack', () => {
  it('lets a reviewer check every file, input and rule without amlscreen', () => {
    const dir = tempDir();
    const store = join(dir, 'cases.db');
    expect(cli(dir, ['scan', SAMPLE, ...FX, '--store', store, '--format', 'ndjson']).code).toBe(0);
    const id = funnelCase(dir, store);
    const pack = join(dir, 'pack');
    const r = cli(dir, ['cases', 'pack', id, '--out', pack, '--store', store, '--user', 'ana']);
    expect(r.code, r.stderr).toBe(0);
    const check = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: pack, encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^case\.json: OK$/m);
    expect(check.stdout).toMatch(/^rules\/FUNNEL-001-1\.0\.0-[0-9a-f]{12}\.json: OK$/m);

    const sampleSha = createHash('sha256').update(readFileSync(SAMPLE)).digest('hex');
    const sampleLines = readFileSync(SAMPLE, 'utf8').split('\n');
    const [header, ...legs] = parseCsv(readFileSync(join(pack, 'evidence.csv'), 'utf8'));
    expect(legs.length).toBeGreaterThan(0);
    for (const leg of legs) {
      const at = (name: string) => leg[header!.indexOf(name)]!;
      expect(at('input_sha256')).toBe(sampleSha);
      expect(sampleLines[Number(at('source_row')) - 1]).toContain(at('txn_id'));
    }
    const caseJson = JSON.parse(readFileSync(join(pack, 'case.json'), 'utf8')) as { case: { alert_details: Array<{ rule_id: string; rule_sha256: string }> } };
    for (const a of caseJson.case.alert_details) {
      const ruleFile = spawnSync('sh', ['-c', `sha256sum rules/${a.rule_id}-*.json`], { cwd: pack, encoding: 'utf8' }).stdout;
      expect(ruleFile.split(' ')[0]).toBe(a.rule_sha256);
    }
    const history = JSON.parse(readFileSync(join(pack, 'history.json'), 'utf8')) as Array<{ kind: string }>;
    expect(history.map((e) => e.kind)).toEqual(expect.arrayContaining(['created', 'alert_added']));
    const shown = JSON.parse(cli(dir, ['cases', 'history', id, '--store', store, '--format', 'json']).stdout) as Array<{ kind: string; user: string }>;
    expect(shown.at(-1)).toMatchObject({ kind: 'evidence_pack_written', user: 'ana' });

    // A changed file no longer verifies; an existing pack is never overwritten.
    writeFileSync(join(pack, 'evidence.csv'), readFileSync(join(pack, 'evidence.csv'), 'utf8').replace('2900.00', '290.00'));
    expect(spawnSync('sha256sum', ['--quiet', '-c', 'SHA256SUMS'], { cwd: pack, encoding: 'utf8' }).stdout).toBe('evidence.csv: FAILED\n');
    const again = cli(dir, ['cases', 'pack', id, '--out', pack, '--store', store]);
    expect([again.code, again.stderr]).toEqual([2, expect.stringMatching(/pack is not empty; give a new folder/)]);
  });
});

describe('SAR draft', () => {
  it('writes who, what, when, where, why and how with the advisory key terms, marked as a draft', () => {
    const dir = tempDir();
    const store = join(dir, 'cases.db');
    expect(cli(dir, ['scan', SAMPLE, ...FX, '--store', store, '--format', 'ndjson']).code).toBe(0);
    const id = funnelCase(dir, store);
    const r = cli(dir, ['cases', 'sar', id, '--out', 'sar', '--store', store]);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(dir, 'sar', `sar-draft-case-${id}.md`), 'utf8');
    expect(md).toMatch(new RegExp(`^# SAR narrative — DRAFT FOR REVIEW — case ${id}\n`));
    expect(md.match(/^## .*$/gm)).toEqual([
      '## Summary', '## Who', '## What', '## When', '## Where', '## Why it is suspicious', '## How',
      '## Key terms and checkboxes (suggested)', '## Actions taken, documentation, contact', '## Attachment',
    ]);
    expect(md).toContain('"FIN-2014-A005" and "funnel account"');
    expect(md).not.toContain('HUMANSMUGGLING');
    const csv = parseCsv(readFileSync(join(dir, 'sar', `sar-evidence-case-${id}.csv`), 'utf8'));
    const ids = csv.slice(1).map((row) => row[csv[0]!.indexOf('txn_id')]!);
    for (const id of ids) expect(md).toContain(`txn ${id}`);
    expect(md).toContain(`sar-evidence-case-${id}.csv: ${ids.length} of ${ids.length} evidence transaction(s).`);
  });

  it('keeps the CSV attachment under 1 MB, trigger legs first, and says how many rows it left out', () => {
    const dir = tempDir();
    const store = join(dir, 'cases.db');
    let rows = HEADER;
    for (let i = 0; i < 6000; i++) rows += cashRow(i, 'C-BIG');
    writeFileSync(join(dir, 'big.csv'), rows);
    expect(cli(dir, ['scan', 'big.csv', '--store', store, '--format', 'ndjson']).code).toBe(0);
    const r = cli(dir, ['cases', 'sar', '1', '--out', '.', '--store', store]);
    expect(r.code, r.stderr).toBe(0);
    const size = statSync(join(dir, 'sar-evidence-case-1.csv')).size;
    expect(size).toBeLessThanOrEqual(1_000_000);
    expect(size).toBeGreaterThan(900_000);
    const written = parseCsv(readFileSync(join(dir, 'sar-evidence-case-1.csv'), 'utf8')).length - 1;
    expect(r.stdout).toContain(`(${written} of 6000 evidence rows)`);
    expect(readFileSync(join(dir, 'sar-draft-case-1.md'), 'utf8')).toContain(`${written} of 6000 evidence transaction(s), cut to stay under 1,000,000 bytes (the evidence pack has them all)`);
  });
});

describe('an output that cannot be written', () => {
  it('is a usage error naming the path, and the case history records no export', () => {
    const dir = tempDir();
    const store = join(dir, 'cases.db');
    writeFileSync(join(dir, 'in.csv'), HEADER + cashRow(1, 'C-1'));
    expect(cli(dir, ['scan', 'in.csv', '--store', store, '--format', 'ndjson']).code).toBe(0);
    // A path under a file, not a folder: refused whoever runs the test (root ignores permissions).
    const blocked = join(dir, 'in.csv', 'out');
    for (const args of [['cases', 'export', '--out', blocked], ['cases', 'pack', '1', '--out', blocked], ['cases', 'sar', '1', '--out', blocked],
      ['report', '--html', blocked], ['samples', 'generate', '--rows', '10', '--out', blocked]]) {
      const r = cli(dir, [...args, ...(args[0] === 'samples' ? [] : ['--store', store])]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`cannot write ${blocked}`);
      expect(r.stderr).not.toMatch(/internal error/i);
    }
    const history = JSON.parse(cli(dir, ['cases', 'history', '1', '--store', store, '--format', 'json']).stdout) as Array<{ kind: string }>;
    expect(history.map((e) => e.kind)).toEqual(['created', 'alert_added']);
  });
});
