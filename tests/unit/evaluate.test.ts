import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measure, type Truth } from '../../src/evaluate/metrics.js';
import { parsePatterns, readPatternFile, rowKey } from '../../src/evaluate/patterns.js';
import { FIXTURES } from '../helpers.js';

const ROW = '2022/09/01 00:06,021174,800737690,012,80011F990,2848.96,Euro,2848.96,Euro,ACH,1';

describe('pattern files', () => {
  it('reads each block as an attempt with its typology, detail and rows at their own lines', () => {
    const file = readPatternFile(join(FIXTURES, 'evaluate', 'Tiny_Patterns.txt'));
    expect(file.attempts.map((a) => [a.typology, a.detail, a.line, a.rows.map((r) => r.line)])).toEqual([
      ['FAN-OUT', 'Max 3-degree Fan-Out', 1, [2, 3, 4]],
      ['CYCLE', 'Max 2 hops', 7, [8, 9]],
      ['FAN-IN', 'Max 2-degree Fan-In', 12, [13, 14]],
    ]);
    expect(file.rows).toHaveLength(7);
    expect(file.rows[0]!.cells).toEqual(['2022/09/01 00:06', '021174', '800737690', '012', '80011F990', '12000.00', 'US Dollar', '12000.00', 'US Dollar', 'Cash', '1']);
  });

  it('accepts CRLF line ends, a BOM and a BEGIN line without detail', () => {
    const { attempts, problems } = parsePatterns(`\uFEFFBEGIN LAUNDERING ATTEMPT - STACK\r\n${ROW}\r\nEND LAUNDERING ATTEMPT - STACK\r\n`, 'p.txt');
    expect(problems).toEqual([]);
    expect(attempts).toEqual([{ typology: 'STACK', detail: '', line: 1, rows: [{ line: 2, cells: ROW.split(',') }] }]);
  });

  it('reports every malformed block with its file:line', () => {
    const text = [
      ROW, // 1: outside a block
      'BEGIN LAUNDERING ATTEMPT - CYCLE:  Max 3 hops', // 2
      '2022/09/01 00:06,021174,800737690', // 3: too few fields
      'END LAUNDERING ATTEMPT - FAN-IN', // 4: closes the wrong typology
      'END LAUNDERING ATTEMPT - FAN-IN', // 5: no BEGIN
      'BEGIN LAUNDERING ATTEMPT - STACK: x', // 6
      'END LAUNDERING ATTEMPT - STACK', // 7: empty
      'BEGIN LAUNDERING ATTEMPT - RANDOM: x', // 8
      ROW, // 9
      'BEGIN LAUNDERING ATTEMPT - BIPARTITE: x', // 10: RANDOM is still open
      ROW, // 11, and BIPARTITE never ends
    ].join('\n');
    const { problems } = parsePatterns(text, 'p.txt');
    expect(problems.map((p) => [p.location?.line, p.code])).toEqual([
      [1, 'pattern-outside'], [3, 'row-width'], [4, 'pattern-end'], [5, 'pattern-end'], [7, 'pattern-empty'],
      [10, 'pattern-unclosed'], [10, 'pattern-unclosed'],
    ]);
    expect(problems[2]!.message).toBe('END of FAN-IN closes the CYCLE attempt of line 2');
    expect(problems.every((p) => p.location?.file === 'p.txt' && p.severity === 'error')).toBe(true);
  });

  it('identifies a row by content: bank ids as integers, amounts as numbers', () => {
    const pandas = '2022/09/01 00:06,21174,800737690,12,80011F990,2848.960,Euro,2848.96,Euro,ACH,1'.split(',');
    expect(rowKey(pandas)).toBe(rowKey(ROW.split(',')));
    expect(rowKey(ROW.replace('80011F990', '80011F991').split(','))).not.toBe(rowKey(ROW.split(',')));
    expect(rowKey(ROW.replace(',ACH,', ',Wire,').split(','))).not.toBe(rowKey(ROW.split(',')));
  });
});

describe('detection metrics', () => {
  // Ten transactions: attempts A (FAN-OUT: 1,2,3), B (FAN-OUT: 4,5), C (CYCLE: 6); 7 is laundering in no
  // attempt; 8, 9, 10 are negatives.
  const truth: Truth = {
    screened: 10,
    positives: new Set(['1', '2', '3', '4', '5', '6', '7']),
    attempts: [{ typology: 'FAN-OUT', rows: ['1', '2', '3'] }, { typology: 'FAN-OUT', rows: ['4', '5'] }, { typology: 'CYCLE', rows: ['6'] }],
  };

  it('counts an attempt detected at one flagged transaction, and at half when half or more are flagged', () => {
    const m = measure(truth, [{ rule: 'R1', reporting: false, rows: ['1'] }, { rule: 'R2', reporting: false, rows: ['4', '8'] }, { rule: 'R2', reporting: false, rows: ['9'] }]);
    expect(m.typologies).toEqual({
      'FAN-OUT': { attempts: 2, detected: 2, recall: 1, detected_half: 1, recall_half: 0.5 },
      CYCLE: { attempts: 1, detected: 0, recall: 0, detected_half: 0, recall_half: 0 },
    });
    expect(m.overall).toMatchObject({
      transactions: 10, positives: 7, negatives: 3, flagged: 4, true_positives: 2, false_positives: 2, false_negatives: 5,
      precision: 0.5, recall: 0.2857, f1: 0.3636, attempts: 3, attempts_detected: 2, attempt_recall: 0.6667,
      attempts_detected_half: 1, attempt_recall_half: 0.3333, untyped_positives: 1, untyped_flagged: 0,
      alerts: 3, alerts_per_attempt: 1, alerts_without_positive: 1, flagged_negatives: 2, negative_alert_rate_per_100: 66.6667,
      lookalikes: null, flagged_lookalikes: null,
    });
    expect(m.rules).toEqual({ R1: { reporting: false, alerts: 1, flagged: 1, true_positives: 1 }, R2: { reporting: false, alerts: 2, flagged: 3, true_positives: 1 } });
  });

  it('counts a transaction flagged by several alerts once', () => {
    const m = measure(truth, [{ rule: 'R1', reporting: false, rows: ['6'] }, { rule: 'R2', reporting: false, rows: ['6'] }]);
    expect(m.overall).toMatchObject({ flagged: 1, true_positives: 1, false_positives: 0, attempts_detected: 1, alerts: 2 });
  });

  it('gives null where a ratio has nothing to divide by', () => {
    const m = measure({ screened: 2, positives: new Set(), attempts: [], lookalikes: new Set(['1']) }, []);
    expect(m.typologies).toEqual({});
    expect(m.overall).toMatchObject({
      precision: null, recall: null, f1: null, attempt_recall: null, alerts_per_attempt: null, negative_alert_rate_per_100: 0, lookalikes: 1, flagged_lookalikes: 0,
    });
  });
});
