/**
 * Alerts into cases. An alert already in the store (same identity) is skipped, so re-scanning the same
 * input adds nothing. A new alert joins its subject's open case, or opens one.
 */
import type { Alert } from '../engine/alerts.js';
import { globalId } from '../ingest/identity.js';
import { caseScore, type Modifier } from './score.js';
import type { Txn } from '../ingest/canonical.js';
import { formatMinorUnits } from '../ingest/decimal.js';
import { formatTimestamp } from '../ingest/time.js';
import type { RunInfo } from './runs.js';
import { paramsRecord } from './runs.js';
import { eventInserter } from './event-log.js';
import type { Db } from './store.js';

export interface WriteOutcome {
  newAlerts: number;
  knownAlerts: number;
  newCases: number;
  updatedCases: number;
  /** Case of every alert, new or known. */
  caseOf: Map<string, number>;
  /** Alerts that were new in this run. */
  fresh: Set<string>;
}

/** The canonical record as stored with the evidence: exact decimals, timestamps with their offset. */
export function recordJson(t: Txn): Record<string, unknown> {
  return {
    txn_id: t.txn_id,
    booking_ts: formatTimestamp(t.ts, t.off),
    business_date: t.business_date,
    account_id: t.account_id,
    customer_id: t.customer_id,
    direction: t.direction,
    amount: formatMinorUnits(t.amount, t.exp),
    currency: t.currency,
    amount_usd: t.amount_usd === undefined ? null : formatMinorUnits(t.amount_usd, 2),
    channel: t.channel,
    is_cash: t.is_cash,
    ...t.f,
    source_file_id: t.src,
    source_row: t.line,
  };
}

export function writeAlerts(db: Db, run: RunInfo, alerts: readonly Alert[]): WriteOutcome {
  const s = statements(db);
  const now = new Date().toISOString();
  const outcome: WriteOutcome = { newAlerts: 0, knownAlerts: 0, newCases: 0, updatedCases: 0, caseOf: new Map(), fresh: new Set() };
  const touched = new Set<number>();
  const created = new Set<number>();
  const written = new Set<string>();
  for (const alert of alerts) {
    const known = s.findAlert.get(alert.id) as { case_id: number } | undefined;
    if (known) {
      outcome.knownAlerts++;
      outcome.caseOf.set(alert.id, known.case_id);
      continue;
    }
    const first = formatTimestamp(alert.firstTs, alert.records[0]!.off);
    const last = formatTimestamp(alert.lastTs, alert.records[alert.records.length - 1]!.off);
    let caseRow = s.openCase.get(alert.caseSubject.type, alert.caseSubject.id) as { case_id: number } | undefined;
    if (!caseRow) {
      const info = s.insertCase.run(alert.caseSubject.type, alert.caseSubject.id, alert.severity, now, now, first, last);
      caseRow = { case_id: Number(info.lastInsertRowid) };
      created.add(caseRow.case_id);
      // A closed case is never extended: the new case names it, and its log records the new case.
      const closed = s.closedCase.get(alert.caseSubject.type, alert.caseSubject.id) as { case_id: number } | undefined;
      s.insertEvent({ case_id: caseRow.case_id, at: now, user: run.user, kind: 'created', data: JSON.stringify({ run_id: run.runId, ...(closed ? { follows_closed_case: closed.case_id } : {}) }) });
      if (closed) {
        s.insertLink.run(caseRow.case_id, closed.case_id, 'new alerts after the subject\'s case was closed', now);
        s.insertEvent({ case_id: closed.case_id, at: now, user: run.user, kind: 'new_alerts_after_close', data: JSON.stringify({ run_id: run.runId, new_case: caseRow.case_id }) });
      }
    }
    const caseId = caseRow.case_id;
    s.insertAlert.run(alert.id, run.runId, caseId, alert.rule.id, alert.rule.version, alert.rule.sha256, alert.rule.typology,
      alert.severity, alert.subjectType, alert.subject, JSON.stringify(alert.partition), first, last,
      JSON.stringify(alert.figures), JSON.stringify(paramsRecord(alert.rule)), alert.narrative, now, JSON.stringify(alert.rule.referenceFiles), alert.firstTs, alert.lastTs, JSON.stringify(alert.modifiers));
    alert.records.forEach((t, i) => {
      const gid = globalId(t);
      // A leg in the evidence of several alerts (overlapping windows, graph patterns) is written once.
      if (!written.has(gid)) {
        written.add(gid);
        s.insertTxn.run(gid, t.src, t.line, t.txn_id, formatTimestamp(t.ts, t.off), t.business_date, t.account_id, t.customer_id,
          t.direction, formatMinorUnits(t.amount, t.exp), t.currency, t.amount_usd ?? null, t.channel, JSON.stringify(recordJson(t)), run.runId);
      }
      s.insertEvidence.run(alert.id, gid, alert.triggers.has(t) ? 'trigger' : 'context', i);
    });
    s.insertEvent({ case_id: caseId, at: now, user: run.user, kind: 'alert_added', data: JSON.stringify({ alert_id: alert.id, rule_id: alert.rule.id, run_id: run.runId }) });
    outcome.newAlerts++;
    outcome.fresh.add(alert.id);
    outcome.caseOf.set(alert.id, caseId);
    touched.add(caseId);
  }
  for (const caseId of touched) {
    s.refreshCase.run({ now, id: caseId, bump: created.has(caseId) ? 0 : 1 });
    const rows = s.caseAlerts.all(caseId) as Array<{ severity: number; typology: string; modifiers_json: string }>;
    const { score, breakdown } = caseScore(rows.map((r) => ({ ...r, modifiers: JSON.parse(r.modifiers_json) as Modifier[] })));
    s.setScore.run(score, JSON.stringify(breakdown), caseId);
  }
  outcome.newCases = created.size;
  outcome.updatedCases = [...touched].filter((id) => !created.has(id)).length;
  return outcome;
}

function statements(db: Db) {
  return {
    findAlert: db.prepare('SELECT case_id FROM alerts WHERE alert_id = ?'),
    openCase: db.prepare(`SELECT case_id FROM cases WHERE subject_type = ? AND subject_id = ? AND status <> 'closed'
                          ORDER BY case_id DESC LIMIT 1`),
    closedCase: db.prepare(`SELECT case_id FROM cases WHERE subject_type = ? AND subject_id = ? AND status = 'closed'
                            ORDER BY case_id DESC LIMIT 1`),
    insertLink: db.prepare('INSERT OR IGNORE INTO case_links (case_id, linked_case_id, reason, created_at) VALUES (?, ?, ?, ?)'),
    insertCase: db.prepare(`INSERT INTO cases (subject_type, subject_id, severity, created_at, updated_at, first_ts, last_ts)
                            VALUES (?, ?, ?, ?, ?, ?, ?)`),
    insertAlert: db.prepare(`INSERT INTO alerts (alert_id, run_id, case_id, rule_id, rule_version, rule_sha256, typology, severity,
                             subject_type, subject_id, partition_json, first_ts, last_ts, figures_json, params_json, narrative, created_at, references_json, first_ms, last_ms, modifiers_json)
                             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    insertTxn: db.prepare(`INSERT OR IGNORE INTO transactions (global_id, source_id, source_line, txn_id, booking_ts, business_date,
                           account_id, customer_id, direction, amount, currency, amount_usd_cents, channel, record_json, first_run_id)
                           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    insertEvidence: db.prepare('INSERT OR IGNORE INTO alert_evidence (alert_id, global_id, role, seq) VALUES (?, ?, ?, ?)'),
    caseAlerts: db.prepare('SELECT severity, typology, modifiers_json FROM alerts WHERE case_id = ?'),
    setScore: db.prepare('UPDATE cases SET score = ?, score_json = ? WHERE case_id = ?'),
    insertEvent: eventInserter(db),
    // Severity, period and total are recomputed from the case's alerts and their distinct trigger legs.
    refreshCase: db.prepare(`
      UPDATE cases SET updated_at = @now, version = version + @bump,
        severity = (SELECT MAX(severity) FROM alerts WHERE case_id = cases.case_id),
        first_ts = (SELECT first_ts FROM alerts WHERE case_id = cases.case_id ORDER BY first_ms LIMIT 1),
        last_ts = (SELECT last_ts FROM alerts WHERE case_id = cases.case_id ORDER BY last_ms DESC LIMIT 1),
        total_usd_cents = (SELECT COALESCE(SUM(t.amount_usd_cents), 0) FROM transactions t WHERE t.global_id IN (
          SELECT e.global_id FROM alert_evidence e JOIN alerts a ON a.alert_id = e.alert_id
          WHERE a.case_id = cases.case_id AND e.role = 'trigger'))
      WHERE case_id = @id`),
  };
}
