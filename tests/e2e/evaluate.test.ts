/**
 * `amlscreen evaluate` end to end on small files with known answers. The rule is a fixed copy of the CTR
 * rule (tests/fixtures/evaluate/TEST-CASH.json), so the figures do not move when the default pack grows:
 * it flags the two cash rows of the attempts (lines 2 and 8 of Tiny_Patterns.txt) and one cash negative.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, RULES_DIR, tempDir } from '../helpers.js';
import { cli, readStore } from './cli.js';

const DIR = join(FIXTURES, 'evaluate');
const PATTERNS = join(DIR, 'Tiny_Patterns.txt');
const TRANS = join(DIR, 'Tiny_Trans.csv');
const RULE = ['--rules', join(DIR, 'TEST-CASH.json')];

function evaluateJson(dir: string, args: string[]): Record<string, any> {
  const r = cli(dir, ['evaluate', ...args, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(r.stdout) as Record<string, any>;
}

describe('amlscreen evaluate on IBM AMLworld files', () => {
  it('screens a pattern file alone: its rows are the transactions, all laundering', () => {
    const e = evaluateJson(tempDir(), [PATTERNS, ...RULE]);
    expect(e.typologies).toEqual({
      CYCLE: { attempts: 1, detected: 1, recall: 1, detected_half: 1, recall_half: 1 },
      'FAN-IN': { attempts: 1, detected: 0, recall: 0, detected_half: 0, recall_half: 0 },
      'FAN-OUT': { attempts: 1, detected: 1, recall: 1, detected_half: 0, recall_half: 0 },
    });
    expect(e.overall).toMatchObject({
      transactions: 7, positives: 7, negatives: 0, flagged: 2, true_positives: 2, false_positives: 0, false_negatives: 5,
      precision: 1, recall: 0.2857, f1: 0.4444, attempts: 3, attempts_detected: 2, attempts_detected_half: 1,
      alerts: 4, alerts_per_attempt: 1.3333, negative_alert_rate_per_100: null,
    });
    expect(e.rules).toEqual({ 'TEST-CASH': { reporting: false, alerts: 4, flagged: 2, true_positives: 2 } });
    expect(e.run).toMatchObject({ records: 7, rejected: 0, alerts: 4, cases: 4, store: null });
  });

  it('labels the rows of a transaction file with the attempts of a pattern file, matched by content', () => {
    // Tiny_Trans.csv is a pandas copy (bank ids without leading zeros, "500.9" for "500.90"): it holds the
    // FAN-OUT attempt, one of the two CYCLE rows, none of FAN-IN, an untyped positive and four negatives.
    const e = evaluateJson(tempDir(), [TRANS, PATTERNS, ...RULE]);
    expect(e.coverage).toEqual({ attempts_absent: 1, pattern_rows_absent: 3, labelled_absent: 0 });
    expect(e.typologies).toEqual({
      CYCLE: { attempts: 1, detected: 1, recall: 1, detected_half: 1, recall_half: 1 },
      'FAN-OUT': { attempts: 1, detected: 1, recall: 1, detected_half: 0, recall_half: 0 },
    });
    expect(e.overall).toMatchObject({
      transactions: 9, positives: 5, negatives: 4, flagged: 3, true_positives: 2, false_positives: 1, false_negatives: 3,
      precision: 0.6667, recall: 0.4, f1: 0.5, attempts: 2, attempts_detected: 2, attempt_recall: 1, attempts_detected_half: 1, attempt_recall_half: 0.5,
      untyped_positives: 1, untyped_flagged: 0, alerts: 6, alerts_per_attempt: 3, alerts_without_positive: 2,
      flagged_negatives: 1, negative_alert_rate_per_100: 25,
    });
  });

  it('lists a reporting rule (a CTR is due) apart and does not count its alerts as laundering detections', () => {
    const dir = tempDir();
    const rule = JSON.parse(readFileSync(join(DIR, 'TEST-CASH.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'TEST-CTR.json'), JSON.stringify({ ...rule, $schema: undefined, id: 'TEST-CTR', purpose: 'reporting' }));
    const e = evaluateJson(dir, [TRANS, PATTERNS, '--rules', join(dir, 'TEST-CTR.json')]);
    expect(e.overall).toMatchObject({ flagged: 0, true_positives: 0, false_positives: 0, alerts: 0, attempts_detected: 0, negative_alert_rate_per_100: 0 });
    expect(e.rules).toEqual({ 'TEST-CTR': { reporting: true, alerts: 6, flagged: 3, true_positives: 2 } });
    const text = cli(dir, ['evaluate', TRANS, PATTERNS, '--rules', join(dir, 'TEST-CTR.json')]).stdout;
    expect(text).toMatch(/^TEST-CTR \(reporting\) +6 +3 +2 +66\.7%$/m);
    expect(text).toContain('(reporting) rules mark a filing obligation such as a CTR, not a suspicion: their alerts are not counted above.');
  });

  it('with the shipped AMLworld FX rates, adds up a fan-out paid in three currencies that it cannot add up without', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'Mixed_Patterns.txt'), [
      'BEGIN LAUNDERING ATTEMPT - FAN-OUT:  Max 3-degree Fan-Out',
      '2022/09/05 09:00,0500,8000E0001,0600,8000E0002,5000.00,Euro,5000.00,Euro,ACH,1',
      '2022/09/05 11:00,0500,8000E0001,0601,8000E0003,40000.00,Yuan,40000.00,Yuan,ACH,1',
      '2022/09/06 10:00,0500,8000E0001,0602,8000E0004,6000.00,US Dollar,6000.00,US Dollar,ACH,1',
      'END LAUNDERING ATTEMPT - FAN-OUT', '',
    ].join('\n'));
    const rules = ['--rules', join(RULES_DIR, 'GRAPH-002.json')];
    const fanOut = (args: string[]) => evaluateJson(dir, ['Mixed_Patterns.txt', ...rules, ...args]).typologies['FAN-OUT'];
    expect(fanOut([])).toMatchObject({ attempts: 1, detected: 0 });
    expect(fanOut(['--fx-rates', join(ROOT, 'samples', 'amlworld_fx_rates.csv')])).toMatchObject({ attempts: 1, detected: 1, detected_half: 1 });
    // The graph rule searched beside the scan above; in the scan's own thread it finds the same.
    expect(fanOut(['--fx-rates', join(ROOT, 'samples', 'amlworld_fx_rates.csv'), '--single-thread'])).toMatchObject({ attempts: 1, detected: 1, detected_half: 1 });
  });

  it('with a transaction file alone, takes the truth from Is Laundering and knows no attempts', () => {
    const e = evaluateJson(tempDir(), [TRANS, ...RULE]);
    expect(e.typologies).toEqual({});
    expect(e.overall).toMatchObject({ positives: 5, negatives: 4, true_positives: 2, false_positives: 1, attempts: 0, alerts_per_attempt: null, untyped_positives: 5, untyped_flagged: 2 });
    // IBM's own files name both account columns "Account": the second is read as Account.1.
    const dir = tempDir();
    writeFileSync(join(dir, 'Own_Trans.csv'), readFileSync(TRANS, 'utf8').replace('Account.1', 'Account'));
    expect(evaluateJson(dir, ['Own_Trans.csv', ...RULE]).overall).toEqual(e.overall);
  });

  it('prints a per-typology table and the overall figures for people', () => {
    const r = cli(tempDir(), ['evaluate', TRANS, PATTERNS, ...RULE]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^TYPOLOGY +ATTEMPTS +DETECTED +RECALL +DETECTED ≥50% +RECALL ≥50%$/m);
    expect(r.stdout).toMatch(/^FAN-OUT +1 +1 +100\.0% +0 +0\.0%$/m);
    expect(r.stdout).toMatch(/^all +2 +2 +100\.0% +1 +50\.0%$/m);
    expect(r.stdout).toContain('Precision 66.7%, recall 40.0%, F1 0.500.');
    expect(r.stdout).toContain('Alert rate on negatives: 25.00 flagged per 100 (1 of 4).');
    expect(r.stdout).toMatch(/^TEST-CASH +6 +3 +2 +66\.7%$/m);
  });

  it('refuses a malformed pattern file with file:line (exit 4), and rejects a bad row at its own line', () => {
    const dir = tempDir();
    const text = readFileSync(PATTERNS, 'utf8');
    writeFileSync(join(dir, 'Broken_Patterns.txt'), text.replace('END LAUNDERING ATTEMPT - CYCLE\n', ''));
    const broken = cli(dir, ['evaluate', 'Broken_Patterns.txt', ...RULE]);
    expect(broken.code).toBe(4);
    expect(broken.stderr).toContain('Broken_Patterns.txt:11: error pattern-unclosed: BEGIN of a new attempt while the CYCLE attempt of line 7 has no END');
    expect(broken.stdout).toBe('');

    writeFileSync(join(dir, 'Bad_Patterns.txt'), text.replace('500.90,US Dollar,500.90', '500.90,US Dollar,lots'));
    const r = cli(dir, ['evaluate', 'Bad_Patterns.txt', ...RULE, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Bad_Patterns\.txt:3: rejected \(bad-amount\)/m);
    const e = JSON.parse(r.stdout) as Record<string, any>;
    expect(e.run).toMatchObject({ records: 7, rejected: 1 });
    expect(e.overall).toMatchObject({ transactions: 6, positives: 6, true_positives: 2 });
  });

  it('keeps the run in --store, with the evidence pointing at the pattern file lines', () => {
    const dir = tempDir();
    evaluateJson(dir, [PATTERNS, ...RULE, '--store', 'eval.db']);
    const rows = readStore(join(dir, 'eval.db'), (db) => ({
      command: (db.prepare('SELECT command FROM runs').get() as { command: string }).command,
      legs: (db.prepare('SELECT txn_id FROM transactions ORDER BY txn_id').all() as Array<{ txn_id: string }>).map((t) => t.txn_id),
    }));
    expect(rows.command).toMatch(/^evaluate /);
    expect(rows.legs).toEqual(['2-in', '2-out', '8-in', '8-out']);
  });
});

describe('amlscreen evaluate on a generated sample and its labels', () => {
  it('groups attempts by planted pattern and counts look-alikes as negatives', () => {
    const dir = tempDir();
    expect(cli(dir, ['samples', 'generate', '--rows', '800', '--typologies', 'structuring', '--out', '.']).code).toBe(0);
    const rules = ['--rules', join(ROOT, 'rules', 'STRUCT-001.json'), join(ROOT, 'rules', 'STRUCT-003.json')];
    const e = evaluateJson(dir, ['export.csv', '--labels', 'labels.csv', ...rules]);
    // Eight planted structuring patterns: STRUCT-001's two and STRUCT-003's one are found, whole.
    expect(e.typologies).toEqual({ structuring: { attempts: 8, detected: 3, recall: 0.375, detected_half: 3, recall_half: 0.375 } });
    expect(e.overall).toMatchObject({
      transactions: 800, positives: 23, negatives: 777, flagged: 12, true_positives: 12, false_positives: 0, false_negatives: 11,
      precision: 1, recall: 0.5217, f1: 0.6857, alerts: 3, negative_alert_rate_per_100: 0, lookalikes: 91, flagged_lookalikes: 0,
    });
    expect(e.rules).toEqual({ 'STRUCT-001': { reporting: false, alerts: 2, flagged: 8, true_positives: 8 }, 'STRUCT-003': { reporting: false, alerts: 1, flagged: 4, true_positives: 4 } });
    expect(e.coverage).toEqual({ attempts_absent: 0, pattern_rows_absent: 0, labelled_absent: 0 });
  });

  it('measures a pattern planted for a reporting rule as a filing obligation, not as laundering', () => {
    const dir = tempDir();
    expect(cli(dir, ['samples', 'generate', '--rows', '800', '--typologies', 'CASH-001,STRUCT-001', '--out', '.']).code).toBe(0);
    const labels = readFileSync(join(dir, 'labels.csv'), 'utf8').split('\n').filter((l) => l.includes(',alert,'));
    const ctr = labels.filter((l) => l.includes(',CASH-001,')).map((l) => l.split(',')[0]!);
    expect(ctr.length).toBeGreaterThan(0);
    const rules = ['--rules', join(ROOT, 'rules', 'STRUCT-001.json'), join(ROOT, 'rules', 'CASH-001.json')];
    const e = evaluateJson(dir, ['export.csv', '--labels', 'labels.csv', ...rules]);
    expect(Object.keys(e.typologies)).toEqual(['structuring']);
    expect(e.obligations).toEqual({ 'CASH-001': { planted: 1, raised: 1 } });
    expect(e.overall.positives).toBe(new Set(labels.map((l) => l.split(',')[0])).size - ctr.length);
    const text = cli(dir, ['evaluate', 'export.csv', '--labels', 'labels.csv', ...rules]).stdout;
    expect(text).toContain('Filing obligations planted (not laundering, not counted above): CASH-001 raised 1 of 1.');
  });

  it('reports a labels file without its columns at file:line, and --labels with two exports as usage', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'labels.csv'), 'id,label\nT1,alert\n');
    writeFileSync(join(dir, 'export.csv'), 'txn_id\n');
    const r = cli(dir, ['evaluate', 'export.csv', '--labels', 'labels.csv']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('labels.csv:1: a labels file needs the columns txn_id, label, typology, pattern; missing txn_id, typology, pattern');
    expect(cli(dir, ['evaluate', 'export.csv', 'export.csv', '--labels', 'labels.csv']).code).toBe(2);
  });
});
