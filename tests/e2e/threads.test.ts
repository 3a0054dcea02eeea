import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';
import { cli, ndjson, readStore } from './cli.js';

const SAMPLE = join(ROOT, 'samples', 'bank-export.csv');
const FX = ['--fx-rates', join(ROOT, 'samples', 'fx_rates.csv')];

/** A scan's machine output without what differs between any two runs (run id, store path). */
function scanWith(threads: string): { events: Array<Record<string, unknown>>; stored: unknown[] } {
  const dir = tempDir();
  const r = cli(dir, ['scan', SAMPLE, ...FX, '--threads', threads, '--format', 'ndjson', '--store', 'cases.db']);
  expect(r.code, r.stderr).toBe(0);
  const events = ndjson(r.stdout).filter((e) => e.type !== 'run').map(({ run_id: _r, store: _s, ...rest }) => rest);
  const stored = readStore(join(dir, 'cases.db'), (db) => [
    db.prepare('SELECT alert_id, case_id, rule_id, severity, figures_json, narrative FROM alerts ORDER BY alert_id').all(),
    db.prepare('SELECT rule_id, in_scope, not_evaluated, missing_json, late, alerts, duplicates FROM run_rules ORDER BY rule_id').all(),
    db.prepare('SELECT alert_id, global_id, role, seq FROM alert_evidence ORDER BY alert_id, global_id').all(),
  ]);
  return { events, stored };
}

describe('scan --threads', () => {
  it('gives the same alerts, cases, evidence and per-rule counts with the rules split over two threads as with one', () => {
    const one = scanWith('1');
    const two = scanWith('2');
    expect(one.events.filter((e) => e.type === 'alert').length).toBeGreaterThan(10);
    expect(two.events).toEqual(one.events);
    expect(two.stored).toEqual(one.stored);
  });

  it('refuses a thread count other than 1 or 2 with exit 2', () => {
    const r = cli(tempDir(), ['scan', SAMPLE, '--threads', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--threads is 1 or 2, got 3/);
  });
});
