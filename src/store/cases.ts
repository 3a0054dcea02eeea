/**
 * Reading cases back: lists with filters, and one case with its alerts and evidence legs.
 */
import type { Db } from './store.js';

export interface CaseFilter {
  status?: string;
  rule?: string;
  typology?: string;
  subject?: string;
  assignee?: string;
}

/** The WHERE clause of a case filter over `cases c`, and its parameters. */
const CASE_WHERE = `(@status IS NULL OR c.status = @status)
      AND (@subject IS NULL OR c.subject_id = @subject)
      AND (@assignee IS NULL OR c.assignee = @assignee)
      AND (@rule IS NULL OR c.case_id IN (SELECT case_id FROM alerts WHERE rule_id = @rule))
      AND (@typology IS NULL OR c.case_id IN (SELECT case_id FROM alerts WHERE typology = @typology))`;

function filterParams(f: CaseFilter) {
  return { status: f.status ?? null, subject: f.subject ?? null, assignee: f.assignee ?? null, rule: f.rule ?? null, typology: f.typology ?? null };
}

/** The ids of the cases a filter selects, in order. */
export function selectCaseIds(db: Db, filter: CaseFilter): number[] {
  const rows = db.prepare(`SELECT c.case_id FROM cases c WHERE ${CASE_WHERE} ORDER BY c.case_id`).all(filterParams(filter)) as Array<{ case_id: number }>;
  return rows.map((r) => r.case_id);
}

export interface CaseRow {
  case_id: number;
  subject_type: string;
  subject: string;
  status: string;
  /** Set when the case is closed. */
  disposition: string | null;
  assignee: string | null;
  /** Incremented by every change (a scan adding alerts, an investigator's update). */
  version: number;
  severity: number;
  /** Priority score 0–100 (see score.ts), and how it was made. */
  score: number;
  score_breakdown: Record<string, unknown>;
  rule_ids: string[];
  typologies: string[];
  alerts: number;
  first_ts: string;
  last_ts: string;
  total_usd: string;
  created_at: string;
  updated_at: string;
}

export function listCases(db: Db, filter: CaseFilter): CaseRow[] {
  const rows = db.prepare(`
    SELECT c.*, GROUP_CONCAT(DISTINCT a.rule_id) AS rules, GROUP_CONCAT(DISTINCT a.typology) AS typologies, COUNT(a.alert_id) AS n
    FROM cases c JOIN alerts a ON a.case_id = c.case_id
    WHERE ${CASE_WHERE}
    GROUP BY c.case_id
    ORDER BY c.score DESC, c.severity DESC, c.case_id`).all(filterParams(filter));
  return rows.map((r) => toCaseRow(r as Record<string, unknown>));
}

function toCaseRow(r: Record<string, unknown>): CaseRow {
  return {
    case_id: r.case_id as number,
    subject_type: r.subject_type as string,
    subject: r.subject_id as string,
    status: r.status as string,
    disposition: r.disposition as string | null,
    assignee: r.assignee as string | null,
    version: r.version as number,
    severity: r.severity as number,
    score: (r.score as number | null) ?? (r.severity as number),
    score_breakdown: r.score_json ? (JSON.parse(r.score_json as string) as Record<string, unknown>) : {},
    rule_ids: String(r.rules).split(',').sort(),
    typologies: String(r.typologies).split(',').sort(),
    alerts: r.n as number,
    first_ts: r.first_ts as string,
    last_ts: r.last_ts as string,
    total_usd: centsToDecimal(r.total_usd_cents as number),
    created_at: r.created_at as string,
    updated_at: r.updated_at as string,
  };
}

export function centsToDecimal(cents: number): string {
  return `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
}

export interface EvidenceRow {
  role: string;
  record: Record<string, unknown>;
}

export interface AlertDetail {
  alert_id: string;
  rule_id: string;
  rule_version: string;
  rule_sha256: string;
  typology: string;
  severity: number;
  subject_type: string;
  subject: string;
  partition: Record<string, string>;
  first_ts: string;
  last_ts: string;
  figures: Record<string, unknown>;
  params: Record<string, unknown>;
  narrative: string;
  run_id: string;
  /** Reference files (name, version, as_of, sha256, unconfirmed) the rule read. */
  references: Array<Record<string, unknown>>;
  evidence: EvidenceRow[];
}

export interface CaseDetail extends CaseRow {
  alert_details: AlertDetail[];
  events: CaseEvent[];
  /** Cases opened for this subject after this one was closed, or the closed case this one follows. */
  links: Array<{ case_id: number; reason: string }>;
  /** Other cases whose evidence names an account or counterparty this case's evidence names. */
  related: Array<{ case_id: number; status: string; subject: string; accounts: string[] }>;
}

export interface CaseEvent {
  at: string;
  user: string | null;
  kind: string;
  data: unknown;
  /** Chains the event to the case's previous one (see event-log.ts). */
  hash: string | null;
}

export function caseEvents(db: Db, caseId: number): CaseEvent[] {
  return (db.prepare('SELECT at, user_name, kind, data_json, hash FROM case_events WHERE case_id = ? ORDER BY event_id').all(caseId) as Array<Record<string, unknown>>)
    .map((e) => ({
      at: e.at as string, user: e.user_name as string | null, kind: e.kind as string, data: JSON.parse(e.data_json as string) as unknown, hash: e.hash as string | null,
    }));
}

/**
 * Other cases whose evidence names an account this case's evidence names, as holder or counterparty, those
 * sharing the most accounts first. Read from the case's accounts, through the indexes to the legs naming
 * them and the alerts citing those (CROSS JOIN keeps that order: the planner would otherwise read every alert).
 */
function relatedCases(db: Db, caseId: number): CaseDetail['related'] {
  const rows = db.prepare(`
    WITH legs AS (SELECT t.account_id, json_extract(t.record_json, '$.cp_account') AS cp
                  FROM alerts a JOIN alert_evidence e ON e.alert_id = a.alert_id JOIN transactions t ON t.global_id = e.global_id WHERE a.case_id = @caseId),
    mine(account) AS (SELECT account_id FROM legs UNION SELECT cp FROM legs WHERE cp IS NOT NULL),
    named(global_id, account) AS (
      SELECT t.global_id, t.account_id FROM mine m CROSS JOIN transactions t ON t.account_id = m.account
      UNION
      SELECT t.global_id, m.account FROM mine m CROSS JOIN transactions t
        ON json_extract(t.record_json, '$.cp_account') = m.account AND json_extract(t.record_json, '$.cp_account') IS NOT NULL)
    SELECT a.case_id, c.status, c.subject_id, GROUP_CONCAT(DISTINCT n.account) AS accounts
    FROM named n CROSS JOIN alert_evidence e ON e.global_id = n.global_id CROSS JOIN alerts a ON a.alert_id = e.alert_id JOIN cases c ON c.case_id = a.case_id
    WHERE a.case_id <> @caseId GROUP BY a.case_id ORDER BY COUNT(DISTINCT n.account) DESC, a.case_id`).all({ caseId }) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ case_id: r.case_id as number, status: r.status as string, subject: r.subject_id as string, accounts: String(r.accounts).split(',').sort() }));
}

function caseLinks(db: Db, caseId: number): CaseDetail['links'] {
  return db.prepare(`SELECT linked_case_id AS case_id, reason FROM case_links WHERE case_id = ?
                     UNION SELECT case_id, reason FROM case_links WHERE linked_case_id = ? ORDER BY case_id`).all(caseId, caseId) as CaseDetail['links'];
}

export function getCase(db: Db, caseId: number): CaseDetail | undefined {
  const row = listCaseRow(db, caseId);
  if (!row) return undefined;
  const alerts = db.prepare('SELECT * FROM alerts WHERE case_id = ? ORDER BY first_ms, rule_id').all(caseId) as Array<Record<string, unknown>>;
  const evidence = db.prepare(`SELECT e.role, t.record_json FROM alert_evidence e JOIN transactions t ON t.global_id = e.global_id
                               WHERE e.alert_id = ? ORDER BY e.seq`);
  const alertDetails = alerts.map((a): AlertDetail => ({
    alert_id: a.alert_id as string,
    rule_id: a.rule_id as string,
    rule_version: a.rule_version as string,
    rule_sha256: a.rule_sha256 as string,
    typology: a.typology as string,
    severity: a.severity as number,
    subject_type: a.subject_type as string,
    subject: a.subject_id as string,
    partition: JSON.parse(a.partition_json as string) as Record<string, string>,
    first_ts: a.first_ts as string,
    last_ts: a.last_ts as string,
    figures: JSON.parse(a.figures_json as string) as Record<string, unknown>,
    params: JSON.parse(a.params_json as string) as Record<string, unknown>,
    narrative: a.narrative as string,
    run_id: a.run_id as string,
    references: JSON.parse(a.references_json as string) as Array<Record<string, unknown>>,
    evidence: (evidence.all(a.alert_id) as Array<{ role: string; record_json: string }>).map((e) => ({
      role: e.role, record: JSON.parse(e.record_json) as Record<string, unknown>,
    })),
  }));
  return { ...row, alert_details: alertDetails, events: caseEvents(db, caseId), links: caseLinks(db, caseId), related: relatedCases(db, caseId) };
}

function listCaseRow(db: Db, caseId: number): CaseRow | undefined {
  const r = db.prepare(`
    SELECT c.*, GROUP_CONCAT(DISTINCT a.rule_id) AS rules, GROUP_CONCAT(DISTINCT a.typology) AS typologies, COUNT(a.alert_id) AS n
    FROM cases c JOIN alerts a ON a.case_id = c.case_id WHERE c.case_id = ? GROUP BY c.case_id`).get(caseId);
  return r ? toCaseRow(r as Record<string, unknown>) : undefined;
}
