/**
 * Issue 5: the HTML report as a person sees it. The sample is scanned (the default pack, plus a
 * row whose customer id, counterparty and memo are markup and script), the report written, and headless
 * Chromium (Debian's `chromium`, which .ci/run installs) renders it with its script run. The checks read
 * the DOM Chromium serialises after that: the case list, filtering and sorting (set from the URL hash,
 * as a link to a filtered list would), a case's timeline and legs, a graph pattern's drawing, and that
 * the hostile values stayed text.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';
import { cli, readStore } from './cli.js';

const SAMPLE = join(ROOT, 'samples', 'bank-export.csv');
/** If either part ran, the body would carry a data-pwned attribute in the rendered DOM. */
const HOSTILE = '<script>document.body.dataset.pwned=1</script><img src=x onerror=document.body.dataset.pwned=2>';
const HOSTILE_TEXT = HOSTILE.replaceAll('<', '&lt;').replaceAll('>', '&gt;');
/** Chromium's sandbox cannot start as root (CI containers); anyone else keeps it. */
const SANDBOX = process.getuid?.() === 0 ? ['--no-sandbox'] : [];

let browser: string;

/** The test fails, rather than skips, without a browser: a report nobody rendered is not tested. */
function findChromium(): string {
  const found = ['chromium', 'chromium-browser', 'google-chrome'].find((name) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0);
  if (found === undefined) throw new Error('no chromium on PATH: install Debian\'s chromium package (apt-get install chromium; .ci/run does) to test the HTML report');
  return found;
}

function chromium(args: string[]): string {
  const r = spawnSync(browser, ['--headless', '--disable-gpu', ...SANDBOX, `--user-data-dir=${tempDir('amlscreen-chromium-')}`, ...args], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000,
  });
  expect(r.status, `${browser} ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** The DOM after the page's script has run. */
const renderedDom = (file: string, hash = '') => chromium(['--dump-dom', pathToFileURL(file).href + hash]);
const caseRows = (dom: string) => dom.match(/<tr class="case-row"[^>]*>[\s\S]*?<\/tr>/g) ?? [];
const visibleRows = (dom: string) => caseRows(dom).filter((r) => !/^<tr[^>]* hidden/.test(r));
const cells = (row: string) => [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
const section = (dom: string, id: number) => dom.slice(dom.indexOf(`<section class="case" id="case-${id}">`), dom.indexOf('</section>', dom.indexOf(`id="case-${id}"`)));
const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('amlscreen report --html', () => {
  let dir: string;
  let store: string;
  let report: string;
  let dom: string;
  let cases: number;
  beforeAll(() => {
    browser = findChromium();
    dir = tempDir();
    store = join(dir, 'cases.db');
    writeFileSync(join(dir, 'hostile.csv'), 'txn_id,booking_ts,account_id,customer_id,direction,amount,currency,channel,cp_name,description\n' +
      `H1,2026-02-03T10:00:00-06:00,A-H1,"${HOSTILE}",in,15000.00,USD,cash,"${HOSTILE}","${HOSTILE}"\n`);
    const scan = cli(dir, ['scan', SAMPLE, 'hostile.csv', '--fx-rates', join(ROOT, 'samples', 'fx_rates.csv'),
      '--store', store, '--format', 'ndjson']);
    expect(scan.code, scan.stderr).toBe(0);
    expect(cli(dir, ['cases', 'update', '2', '--status', 'in_review', '--assignee', 'ana', '--store', store]).code).toBe(0);
    report = join(dir, 'report.html');
    const r = cli(dir, ['report', '--html', report, '--store', store]);
    expect(r.code, r.stderr).toBe(0);
    dom = renderedDom(report);
    cases = readStore(store, (db) => db.prepare('SELECT COUNT(*) AS n FROM cases').get() as { n: number }).n;
  });

  it('is one file that fetches nothing when viewed', () => {
    const html = readFileSync(report, 'utf8');
    expect(html).not.toMatch(/<[^>]+\s(src|href)=["']?(https?:)?\/\//);
    expect(html).not.toMatch(/<link\b|@import|url\((?!#)/);
  });

  it('says which store, when (UTC), how many cases and which amlscreen version', () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(dom).toMatch(new RegExp(`Store <code>${literal(store)}</code> · ${cases} case\\(s\\) · generated \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(UTC\\)\\s+by amlscreen ${literal(version)}\\.`));
  });

  it('lists every case of the store with its subject and rules', () => {
    expect(caseRows(dom)).toHaveLength(cases);
    expect(visibleRows(dom)).toHaveLength(cases);
    expect(dom).toContain(`<span id="shown">${cases} of ${cases} shown</span>`);
    const known = readStore(store, (db) => db.prepare("SELECT case_id, subject_id FROM cases WHERE case_id IN (SELECT case_id FROM alerts WHERE rule_id = 'STRUCT-002') ORDER BY case_id LIMIT 1").get() as { case_id: number; subject_id: string });
    const row = caseRows(dom).find((r) => r.includes(`href="#case-${known.case_id}"`))!;
    expect(cells(row)).toEqual(expect.arrayContaining([`customer ${known.subject_id}`, expect.stringContaining('STRUCT-002')]));
    expect(cells(caseRows(dom).find((r) => r.includes('href="#case-2"'))!).slice(1, 4)).toEqual(['in_review', '', 'ana']);
  });

  it('filters on any text and on the status, leaving only the matching rows', () => {
    const struct = (JSON.parse(cli(dir, ['cases', 'list', '--rule', 'STRUCT-002', '--store', store, '--format', 'json']).stdout) as Array<{ case_id: number }>);
    expect(struct.length).toBeGreaterThan(0);
    const filtered = renderedDom(report, '#filter=struct-002');
    expect(visibleRows(filtered).map((r) => Number(cells(r)[0])).sort((a, b) => a - b)).toEqual(struct.map((c) => c.case_id).sort((a, b) => a - b));
    expect(filtered).toContain(`${struct.length} of ${cases} shown`);
    const reviewed = visibleRows(renderedDom(report, '#status=in_review'));
    expect(reviewed.map((r) => cells(r)[0])).toEqual(['2']);
  });

  it('sorts a numeric column as numbers', () => {
    const column = [...dom.matchAll(/<th data-key="([a-z_]+)"/g)].map((m) => m[1]).indexOf('total_usd');
    const totals = visibleRows(renderedDom(report, '#sort=total_usd')).map((r) => cells(r)[column]!);
    expect(totals.map(Number)).toEqual(totals.map(Number).sort((a, b) => a - b));
    expect(totals).not.toEqual([...totals].sort());
  });

  it('draws one mark per evidence leg of a case on its timeline, in or out, trigger or context, and lists the legs under it', () => {
    const legs = readStore(store, (db) => db.prepare(`
      SELECT t.direction, MAX(e.role = 'trigger') AS trigger FROM alert_evidence e JOIN alerts a ON a.alert_id = e.alert_id JOIN transactions t ON t.global_id = e.global_id
      WHERE a.case_id = 2 GROUP BY t.source_id, t.source_line, t.account_id, t.direction`).all() as Array<{ direction: string; trigger: number }>);
    const timeline = section(dom, 2).match(/<svg class="timeline"[\s\S]*?<\/svg>/)![0];
    expect(count(timeline, /<rect class="leg /g)).toBe(legs.length);
    expect(count(timeline, /<rect class="leg in /g)).toBe(legs.filter((l) => l.direction === 'in').length);
    expect(count(timeline, /<rect class="leg [a-z]+ context"/g)).toBe(legs.filter((l) => !l.trigger).length);
    const table = section(dom, 2).match(/<table class="legs">[\s\S]*?<\/table>/)![0];
    expect(count(table, /<tr class="(trigger|context)">/g)).toBe(legs.length);
    expect(table).toMatch(/<td>T\d+<\/td><td>2026-[\d-]+T[\d:]+[-+]\d\d:\d\d<\/td><td>\d+<\/td><td>(in|out)<\/td><td class="num">[\d.]+<\/td><td>USD<\/td>.*<td>bank-export\.csv:\d+<\/td><\/tr>/);
  });

  it('draws a graph pattern\'s accounts, and an arrow for each pair of accounts money moved between', () => {
    // A bipartite block's case with no other graph alert: the case's one drawing is the block's.
    const alert = readStore(store, (db) => db.prepare(`SELECT case_id, alert_id FROM alerts a WHERE rule_id = 'GRAPH-006'
      AND (SELECT COUNT(*) FROM alerts b WHERE b.case_id = a.case_id AND b.rule_id LIKE 'GRAPH-%') = 1 ORDER BY case_id LIMIT 1`).get() as { case_id: number; alert_id: string });
    const legs = readStore(store, (db) => db.prepare(`SELECT t.account_id, t.direction, json_extract(t.record_json, '$.cp_account') AS cp FROM alert_evidence e
      JOIN transactions t ON t.global_id = e.global_id WHERE e.alert_id = ?`).all(alert.alert_id) as Array<{ account_id: string; direction: string; cp: string }>);
    const pairs = new Set(legs.map((l) => (l.direction === 'out' ? `${l.account_id}>${l.cp}` : `${l.cp}>${l.account_id}`)));
    const flow = section(dom, alert.case_id).match(/<svg class="flow"[\s\S]*?<\/svg>/)![0];
    expect(count(flow, /<circle class="node/g)).toBe(new Set(legs.flatMap((l) => [l.account_id, l.cp])).size);
    expect(count(flow, /<line class="edge"/g)).toBe(pairs.size);
    expect(flow).toMatch(/<text class="amount"[^>]*>\$[\d,]+\.\d\d( in \d+)?<\/text>/);
  });

  it('shows hostile values from an input file as text: the page runs no script from the data', () => {
    expect(dom).toMatch(/<body>/);
    expect(dom).not.toContain('data-pwned');
    expect(count(dom, /<script\b/g)).toBe(1);
    expect(dom).not.toMatch(/<img\b/);
    expect(count(dom, new RegExp(literal(HOSTILE_TEXT), 'g'))).toBeGreaterThanOrEqual(4);
  });

  it('refuses a file it cannot write as a usage error, not a bug', () => {
    const r = cli(dir, ['report', '--html', join(dir, 'no-such-folder', 'report.html'), '--store', store]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^amlscreen: cannot write .*no-such-folder\/report\.html: ENOENT/m);
  });

  it('renders to a screenshot', () => {
    const shot = join(dir, 'report.png');
    chromium(['--window-size=1280,1600', `--screenshot=${shot}`, pathToFileURL(report).href]);
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    expect(statSync(shot).size).toBeGreaterThan(50_000);
  });
});
