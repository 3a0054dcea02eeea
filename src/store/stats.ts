/**
 * Figures for a supervisor: the case load by status, rule, typology and age; the alerts each run stored;
 * and, per rule, how its closed cases were decided — the false-positive rate that tuning needs.
 */
import type { Db } from './store.js';

export interface StoreStats {
  as_of: string;
  cases: number;
  by_status: Record<string, number>;
  /** Open (not closed) cases by days since they were opened. */
  open_by_age: Record<string, number>;
  by_rule: Array<{ rule_id: string; cases: number; alerts: number }>;
  by_typology: Array<{ typology: string; cases: number; alerts: number }>;
  runs: Array<{ run_id: string; started_at: string; status: string; user: string | null; alerts_raised: number | null; new_alerts: number }>;
  /** Per rule, its closed cases by disposition; a case with alerts from several rules counts for each. */
  dispositions: Array<{ rule_id: string; closed: number; false_positive: number; no_action: number; sar_filed: number; referred: number; false_positive_rate: number }>;
}

const AGES: Array<[string, number]> = [['0-7 days', 7], ['8-30 days', 30], ['31-90 days', 90], ['over 90 days', Infinity]];

export function storeStats(db: Db, now = new Date()): StoreStats {
  const byStatus = Object.fromEntries(['new', 'in_review', 'escalated', 'closed'].map((s) => [s, 0]));
  for (const r of db.prepare('SELECT status, COUNT(*) AS n FROM cases GROUP BY status').all() as Array<{ status: string; n: number }>) byStatus[r.status] = r.n;
  const openByAge = Object.fromEntries(AGES.map(([label]) => [label, 0]));
  for (const { created_at } of db.prepare("SELECT created_at FROM cases WHERE status <> 'closed'").all() as Array<{ created_at: string }>) {
    const days = (now.getTime() - Date.parse(created_at)) / 86_400_000;
    openByAge[AGES.find(([, max]) => days <= max)![0]]!++;
  }
  const grouped = (column: 'rule_id' | 'typology') => db.prepare(`SELECT ${column} AS k, COUNT(DISTINCT case_id) AS cases, COUNT(*) AS alerts FROM alerts GROUP BY ${column} ORDER BY cases DESC, ${column}`)
    .all() as Array<{ k: string; cases: number; alerts: number }>;
  const runs = (db.prepare(`SELECT r.run_id, r.started_at, r.status, r.user_name, r.counts_json,
                            (SELECT COUNT(*) FROM alerts a WHERE a.run_id = r.run_id) AS new_alerts FROM runs r ORDER BY r.started_at`).all() as Array<Record<string, unknown>>)
    .map((r) => ({
      run_id: r.run_id as string, started_at: r.started_at as string, status: r.status as string, user: r.user_name as string | null,
      alerts_raised: r.counts_json ? ((JSON.parse(r.counts_json as string) as { alerts?: number }).alerts ?? null) : null, new_alerts: r.new_alerts as number,
    }));
  const decided = db.prepare(`SELECT a.rule_id, c.disposition, COUNT(DISTINCT c.case_id) AS n FROM alerts a JOIN cases c ON c.case_id = a.case_id
                              WHERE c.status = 'closed' GROUP BY a.rule_id, c.disposition ORDER BY a.rule_id`).all() as Array<{ rule_id: string; disposition: string; n: number }>;
  const dispositions = new Map<string, StoreStats['dispositions'][number]>();
  for (const d of decided) {
    const row = dispositions.get(d.rule_id) ?? { rule_id: d.rule_id, closed: 0, false_positive: 0, no_action: 0, sar_filed: 0, referred: 0, false_positive_rate: 0 };
    row.closed += d.n;
    row[d.disposition as 'false_positive' | 'no_action' | 'sar_filed' | 'referred'] += d.n;
    row.false_positive_rate = row.false_positive / row.closed;
    dispositions.set(d.rule_id, row);
  }
  return {
    as_of: now.toISOString(),
    cases: Object.values(byStatus).reduce((a, b) => a + b, 0),
    by_status: byStatus,
    open_by_age: openByAge,
    by_rule: grouped('rule_id').map((r) => ({ rule_id: r.k, cases: r.cases, alerts: r.alerts })),
    by_typology: grouped('typology').map((r) => ({ typology: r.k, cases: r.cases, alerts: r.alerts })),
    runs,
    dispositions: [...dispositions.values()],
  };
}
