/**
 * How a scan's results read for people.
 */
import type { ScanEvent, ScanSummary } from '../engine/events.js';
import { plural, renderTable } from './table.js';

type AlertEvent = Extract<ScanEvent, { type: 'alert' }>;

export function renderScanSummary(summary: ScanSummary, alerts: readonly AlertEvent[]): string[] {
  const lines = [
    `Screened ${plural(summary.records, 'record')} (${plural(summary.legs, 'leg')}); ${summary.rejected.toLocaleString('en-US')} rejected.`,
    `Alerts: ${summary.alerts} (${summary.new_alerts} new, ${summary.known_alerts} already in the store) in ${plural(summary.cases, 'case')} ` +
      `(${summary.new_cases} new, ${summary.updated_cases} updated). Store ${summary.store}, run ${summary.run_id}.`,
  ];
  const fresh = alerts.filter((a) => a.new);
  if (fresh.length > 0) {
    lines.push('', ...renderTable(
      ['CASE', 'RULE', 'SUBJECT', 'FIRST', 'LAST', 'LEGS', 'TOTAL USD'],
      fresh.map((a) => [String(a.case_id), a.rule_id, a.subject, a.first_ts.slice(0, 10), a.last_ts.slice(0, 10), String(a.evidence.length),
        String(a.figures.trigger_total_usd ?? '')]),
      new Set([0, 5, 6]),
    ));
  }
  const partial = summary.rules.filter((r) => r.not_evaluated > 0 || r.late > 0);
  if (partial.length > 0) {
    lines.push('', 'Not fully evaluated (these legs were neither hits nor misses):');
    for (const r of partial) {
      const missing = Object.entries(r.missing)
        .map(([f, n]) => (f.includes(' ') ? `${f}: ${n.toLocaleString('en-US')}` : `${f} absent on ${n.toLocaleString('en-US')}`)).join(', ');
      const parts = [r.not_evaluated > 0 ? `${plural(r.not_evaluated, 'leg')} not evaluated (${missing})` : '', r.late > 0 ? `${plural(r.late, 'late leg')}` : '']
        .filter(Boolean);
      lines.push(`  ${r.rule_id}: ${parts.join('; ')}`);
    }
  }
  if (summary.cases > 0) lines.push('', `Review: amlscreen cases list --store ${summary.store}   then: amlscreen cases show <CASE> --store ${summary.store}`);
  return lines;
}
