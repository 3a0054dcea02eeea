/**
 * How an evaluation reads for people: the per-typology table, the transaction-level figures, and what
 * each rule flagged.
 */
import type { Evaluation } from '../evaluate/evaluate.js';
import { plural, renderTable } from './table.js';

export function renderEvaluation(e: Evaluation): string[] {
  const o = e.overall;
  const lines = [
    `Evaluated ${e.inputs.scanned}${e.inputs.patterns && e.inputs.patterns !== e.inputs.scanned ? ` against ${e.inputs.patterns}` : ''}` +
      `${e.inputs.labels ? ` against ${e.inputs.labels}` : ''} (mapping ${e.inputs.mapping}): ` +
      `${plural(o.transactions, 'transaction')} screened, ${e.run.rejected.toLocaleString('en-US')} rejected; ${plural(e.run.alerts, 'alert')} in ${plural(e.run.cases, 'case')}.`,
    ...coverageLines(e),
    '',
  ];
  const typologies = Object.entries(e.typologies);
  if (typologies.length === 0) lines.push('No laundering attempts are known for this input (a transaction file alone labels transactions, not attempts).');
  else {
    const row = (name: string, t: { attempts: number; detected: number; recall: number | null; detected_half: number; recall_half: number | null }) =>
      [name, count(t.attempts), count(t.detected), percent(t.recall), count(t.detected_half), percent(t.recall_half)];
    lines.push(...renderTable(
      ['TYPOLOGY', 'ATTEMPTS', 'DETECTED', 'RECALL', 'DETECTED ≥50%', 'RECALL ≥50%'],
      [...typologies.map(([name, t]) => row(name, t)),
        row('all', { attempts: o.attempts, detected: o.attempts_detected, recall: o.attempt_recall, detected_half: o.attempts_detected_half, recall_half: o.attempt_recall_half })],
      new Set([1, 2, 3, 4, 5]),
    ));
  }
  lines.push(
    '',
    `Transactions: ${count(o.positives)} laundering, ${count(o.negatives)} not; ${count(o.flagged)} flagged: ` +
      `${count(o.true_positives)} true positives, ${count(o.false_positives)} false positives, ${count(o.false_negatives)} laundering missed.`,
    `Precision ${percent(o.precision)}, recall ${percent(o.recall)}, F1 ${o.f1 === null ? 'n/a' : o.f1.toFixed(3)}.`,
    `Alerts: ${count(o.alerts)}${o.alerts_per_attempt === null ? '' : ` (${o.alerts_per_attempt.toFixed(2)} per attempt)`}; ${count(o.alerts_without_positive)} with no laundering in their evidence.`,
    `Alert rate on negatives: ${o.negative_alert_rate_per_100 === null ? 'n/a (none screened)' : `${o.negative_alert_rate_per_100.toFixed(2)} flagged per 100 (${count(o.flagged_negatives)} of ${count(o.negatives)})`}.`,
  );
  if (o.untyped_positives > 0) lines.push(`Laundering in no known attempt: ${plural(o.untyped_positives, 'transaction')}, ${count(o.untyped_flagged)} flagged.`);
  if (o.lookalikes !== null) lines.push(`Look-alikes (benign, built to resemble laundering): ${count(o.lookalikes)}, ${count(o.flagged_lookalikes ?? 0)} flagged.`);
  const obligations = Object.entries(e.obligations);
  if (obligations.length > 0) {
    lines.push(`Filing obligations planted (not laundering, not counted above): ${obligations.map(([id, f]) => `${id} raised ${count(f.raised)} of ${count(f.planted)}`).join(', ')}.`);
  }
  const rules = Object.entries(e.rules);
  if (rules.length > 0) {
    lines.push('', ...renderTable(['RULE', 'ALERTS', 'FLAGGED', 'LAUNDERING', 'PRECISION'],
      rules.map(([id, r]) => [r.reporting ? `${id} (reporting)` : id, count(r.alerts), count(r.flagged), count(r.true_positives), percent(r.flagged === 0 ? null : r.true_positives / r.flagged)]),
      new Set([1, 2, 3, 4])));
    if (rules.some(([, r]) => r.reporting)) lines.push('(reporting) rules mark a filing obligation such as a CTR, not a suspicion: their alerts are not counted above.');
  }
  return lines;
}

function coverageLines(e: Evaluation): string[] {
  const c = e.coverage;
  const out: string[] = [];
  if (c.attempts_absent > 0 || c.pattern_rows_absent > 0) {
    out.push(`Pattern-file rows not in the transaction file: ${count(c.pattern_rows_absent)}; attempts left out (none of their rows there): ${count(c.attempts_absent)}.`);
  }
  if (c.labelled_absent > 0) out.push(`Labelled legs not in the export: ${count(c.labelled_absent)}; attempts left out (none of their legs there): ${count(c.attempts_absent)}.`);
  return out;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function percent(x: number | null): string {
  return x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`;
}
