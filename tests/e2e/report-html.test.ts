/**
 * Issue 5: the HTML report as a person sees it. The sample is scanned (default and graph packs, plus a
 * row whose customer id is a script), the report written, and headless Chromium (Debian's `chromium`,
 * which .ci/run installs) renders it with its script run: the case list, filtering, a case's timeline and
 * a graph pattern's drawing are checked in the resulting DOM, and the injected script stays text.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';
import { cli, readStore } from './cli.js';

const SAMPLE = join(ROOT, 'samples', 'bank-export.csv');
const HOSTILE = '<script>window.__pwned=1</script><img src=x onerror=alert(1)>';

function chromium(): string {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    if (spawnSync('sh', ['-c', `command -v ${name}`]).status === 0) return name;
  }
  throw new Error('no chromium on PATH: install Debian\'s chromium package (.ci/run does) to test the HTML report');
}

/** The DOM after the page's script has run, as Chromium serialises it. */
function renderedDom(file: string, hash = ''): string {
  const dir = tempDir('amlscreen-chromium-');
  const r = spawnSync(chromium(), ['--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${dir}`, '--dump-dom', pathToFileURL(file).href + hash], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

const visibleRows = (dom: string) => (dom.match(/<tr class="case-row" data-status="[a-z_]+">/g) ?? []).length;
const allRows = (dom: string) => (dom.match(/<tr class="case-row"/g) ?? []).length;

describe('amlscreen report --html', () => {
  let dir: string;
  let store: string;
  let report: string;
  beforeAll(() => {
    dir = tempDir();
    store = join(dir, 'cases.db');
    writeFileSync(join(dir, 'hostile.csv'), 'txn_id,booking_ts,account_id,customer_id,direction,amount,currency,channel\n' +
      `H1,2026-02-03T10:00:00-06:00,A-H1,"${HOSTILE}",in,15000.00,USD,cash\n`);
    const scan = cli(dir, ['scan', SAMPLE, 'hostile.csv', '--fx-rates', join(ROOT, 'samples', 'fx_rates.csv'), '--rules', join(ROOT, 'rules'), join(ROOT, 'rules', 'graph'),
      '--store', store, '--format', 'ndjson']);
    expect(scan.code, scan.stderr).toBe(0);
    expect(cli(dir, ['cases', 'update', '2', '--status', 'in_review', '--assignee', 'ana', '--store', store]).code).toBe(0);
    report = join(dir, 'report.html');
    const r = cli(dir, ['report', '--html', report, '--store', store]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('is one file that fetches nothing when viewed', () => {
    const html = readFileSync(report, 'utf8');
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(http/);
  });

  it('lists every case of the store, and the filter shows only the matching ones', () => {
    const cases = readStore(store, (db) => db.prepare('SELECT COUNT(*) AS n FROM cases').get() as { n: number }).n;
    const dom = renderedDom(report);
    expect(allRows(dom)).toBe(cases);
    expect(visibleRows(dom)).toBe(cases);
    expect(dom).toContain(`<span id="shown">${cases} of ${cases} shown</span>`);
    const struct = (JSON.parse(cli(dir, ['cases', 'list', '--rule', 'STRUCT-002', '--store', store, '--format', 'json']).stdout) as unknown[]).length;
    const filtered = renderedDom(report, '#filter=STRUCT-002');
    expect(struct).toBeGreaterThan(0);
    expect(visibleRows(filtered)).toBe(struct);
    expect(filtered).toContain(`${struct} of ${cases} shown`);
    expect(visibleRows(renderedDom(report, '#status=in_review'))).toBe(1);
    expect(dom).toMatch(/<td>in_review<\/td>.*<td>ana<\/td><\/tr>/);
  });

  it('draws each case\'s evidence legs on a timeline, and a graph pattern\'s accounts and transfers', () => {
    const dom = renderedDom(report);
    const section = (id: number) => dom.slice(dom.indexOf(`<section class="case" id="case-${id}">`), dom.indexOf('</section>', dom.indexOf(`id="case-${id}"`)));
    const legs = readStore(store, (db) => db.prepare(`SELECT COUNT(DISTINCT t.source_id || ':' || t.source_line || ':' || t.account_id || ':' || t.direction) AS n
      FROM alert_evidence e JOIN alerts a ON a.alert_id = e.alert_id JOIN transactions t ON t.global_id = e.global_id WHERE a.case_id = 2`).get() as { n: number }).n;
    expect((section(2).match(/<rect class="leg /g) ?? []).length).toBe(legs);
    const graphCase = readStore(store, (db) => db.prepare("SELECT case_id, alert_id FROM alerts WHERE rule_id = 'GRAPH-006' ORDER BY case_id LIMIT 1").get() as { case_id: number; alert_id: string });
    const accounts = readStore(store, (db) => db.prepare(`SELECT t.account_id, json_extract(t.record_json, '$.cp_account') AS cp FROM alert_evidence e
      JOIN transactions t ON t.global_id = e.global_id WHERE e.alert_id = ?`).all(graphCase.alert_id) as Array<{ account_id: string; cp: string }>);
    const nodes = new Set(accounts.flatMap((a) => [a.account_id, a.cp]));
    const flow = section(graphCase.case_id).match(/<svg class="flow"[\s\S]*?<\/svg>/)![0];
    expect((flow.match(/<circle class="node/g) ?? []).length).toBe(nodes.size);
    expect((flow.match(/<line class="edge"/g) ?? []).length).toBe(accounts.length);
  });

  it('shows a hostile customer id as text: the page runs no script from the data', () => {
    const dom = renderedDom(report);
    expect((dom.match(/<script>/g) ?? []).length).toBe(1);
    expect(dom).not.toContain('<img src="x"');
    expect(dom).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('renders to a screenshot a person can read', () => {
    const shot = join(dir, 'report.png');
    const r = spawnSync(chromium(), ['--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${tempDir('amlscreen-chromium-')}`,
      '--window-size=1280,1600', `--screenshot=${shot}`, pathToFileURL(report).href], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    expect(statSync(shot).size).toBeGreaterThan(50_000);
  });
});
