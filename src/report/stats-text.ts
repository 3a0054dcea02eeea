/** `amlscreen stats` for a person: the case load, runs, and each rule's decisions. */
import type { StoreStats } from '../store/stats.js';
import { renderTable } from './table.js';

export function renderStats(s: StoreStats): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  return [
    `${s.cases} case(s) as of ${s.as_of}: ${Object.entries(s.by_status).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    `Open cases by age: ${Object.entries(s.open_by_age).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    '',
    ...renderTable(['RULE', 'CASES', 'ALERTS'], s.by_rule.map((r) => [r.rule_id, String(r.cases), String(r.alerts)]), new Set([1, 2])),
    '',
    ...renderTable(['TYPOLOGY', 'CASES', 'ALERTS'], s.by_typology.map((r) => [r.typology, String(r.cases), String(r.alerts)]), new Set([1, 2])),
    '',
    ...renderTable(['RUN', 'STARTED', 'STATUS', 'USER', 'ALERTS RAISED', 'NEW ALERTS'],
      s.runs.map((r) => [r.run_id, r.started_at, r.status, r.user ?? '-', r.alerts_raised === null ? '-' : String(r.alerts_raised), String(r.new_alerts)]), new Set([4, 5])),
    '',
    ...(s.dispositions.length === 0 ? ['No closed cases yet: disposition rates appear once cases are closed.']
      : renderTable(['RULE', 'CLOSED', 'FALSE POSITIVE', 'NO ACTION', 'SAR FILED', 'REFERRED', 'FALSE-POSITIVE RATE'],
        s.dispositions.map((d) => [d.rule_id, String(d.closed), String(d.false_positive), String(d.no_action), String(d.sar_filed), String(d.referred), pct(d.false_positive_rate)]),
        new Set([1, 2, 3, 4, 5, 6]))),
  ];
}
