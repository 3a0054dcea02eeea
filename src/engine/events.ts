/**
 * What a scan tells the outside world, as typed events. The CLI's reporters decide how each looks:
 * text for people, one JSON object a line for machines.
 */
import type { FigureValue } from './alerts.js';

export interface RuleRunSummary {
  rule_id: string;
  /** suspicion, or reporting: the rule marks a filing obligation such as a CTR. */
  purpose: 'suspicion' | 'reporting';
  in_scope: number;
  not_evaluated: number;
  missing: Record<string, number>;
  late: number;
  duplicates: number;
  alerts: number;
}

export interface ScanSummary {
  type: 'summary';
  run_id: string;
  store: string;
  records: number;
  legs: number;
  rejected: number;
  warnings: number;
  alerts: number;
  new_alerts: number;
  known_alerts: number;
  cases: number;
  new_cases: number;
  updated_cases: number;
  rules: RuleRunSummary[];
}

export type ScanEvent =
  | { type: 'run'; run_id: string; store: string; files: string[]; rules: string[]; mapping: string }
  | { type: 'progress'; file: string; rows: number }
  | { type: 'reject'; file: string; line: number; pointer?: string; code: string; message: string }
  | { type: 'warning'; file: string; line: number; code: string; message: string }
  | { type: 'late'; rule_id: string; subject: string; txn_id: string; source: string; line: number; behind_ms: number; reason: 'behind' | 'evicted' }
  | {
      type: 'alert'; alert_id: string; new: boolean; case_id: number; rule_id: string; rule_version: string; typology: string; purpose: 'suspicion' | 'reporting';
      severity: number; subject_type: string; subject: string; case_subject: string; first_ts: string; last_ts: string; evidence: string[];
      figures: Record<string, FigureValue>; narrative: string;
    }
  | ScanSummary;
