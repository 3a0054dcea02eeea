/**
 * Writing one scan into the store: the run record, its inputs and rule versions, rejected rows and
 * notices (batched), and at the end its alerts gathered into cases, in one transaction.
 */
import type { Statement } from 'better-sqlite3';
import type { Alert } from '../engine/alerts.js';
import type { RuleStats } from '../engine/engine.js';
import type { CompiledRule } from '../rules/compile.js';
import type { ReferenceVersion } from '../rules/reference.js';
import { writeAlerts, type WriteOutcome } from './alerts-write.js';
import type { Db } from './store.js';

export interface RunInfo {
  runId: string;
  startedAt: string;
  toolVersion: string;
  user: string;
  command: string;
  settings: Record<string, unknown>;
}

export interface InputRecord {
  seq: number;
  path: string;
  sourceId: string;
  format: string;
  gzip: boolean;
}

export interface RejectRow {
  sourceId: string;
  path: string;
  line?: number;
  pointer?: string;
  code: string;
  message: string;
  raw?: string;
}

export interface NoticeRow {
  code: string;
  message: string;
  path?: string;
  line?: number;
  ruleId?: string;
}

const BATCH = 1000;

export class RunWriter {
  private readonly insertReject: Statement;
  private readonly insertNotice: Statement;
  private rejects: RejectRow[] = [];
  private notices: NoticeRow[] = [];

  constructor(private readonly db: Db, readonly run: RunInfo) {
    db.prepare(`INSERT INTO runs (run_id, started_at, status, tool_version, user_name, command, settings_json)
                VALUES (?, ?, 'running', ?, ?, ?, ?)`)
      .run(run.runId, run.startedAt, run.toolVersion, run.user, run.command, JSON.stringify(run.settings));
    this.insertReject = db.prepare(`INSERT INTO rejects (run_id, source_id, path, line, pointer, code, message, raw)
                                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertNotice = db.prepare(`INSERT INTO run_notices (run_id, code, message, path, line, rule_id) VALUES (?, ?, ?, ?, ?, ?)`);
  }

  addInput(input: InputRecord): void {
    this.db.prepare(`INSERT INTO run_inputs (run_id, seq, path, source_id, format, gzip) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(this.run.runId, input.seq, input.path, input.sourceId, input.format, input.gzip ? 1 : 0);
  }

  /** An input's counts; its digest is null when the scan stopped before its end. */
  finishInput(seq: number, stats: { sha256: string | null; bytes: number | null; rows: number; legs: number; rejected: number }): void {
    this.db.prepare(`UPDATE run_inputs SET sha256 = ?, bytes = ?, rows = ?, legs = ?, rejected = ? WHERE run_id = ? AND seq = ?`)
      .run(stats.sha256, stats.bytes, stats.rows, stats.legs, stats.rejected, this.run.runId, seq);
  }

  reject(row: RejectRow): void {
    this.rejects.push(row);
    if (this.rejects.length >= BATCH) this.flush();
  }

  notice(row: NoticeRow): void {
    this.notices.push(row);
    if (this.notices.length >= BATCH) this.flush();
  }

  flush(): void {
    const { rejects, notices } = this;
    if (rejects.length === 0 && notices.length === 0) return;
    this.rejects = [];
    this.notices = [];
    const id = this.run.runId;
    this.db.transaction(() => {
      for (const r of rejects) this.insertReject.run(id, r.sourceId, r.path, r.line ?? null, r.pointer ?? null, r.code, r.message, r.raw ?? null);
      for (const n of notices) this.insertNotice.run(id, n.code, n.message, n.path ?? null, n.line ?? null, n.ruleId ?? null);
    })();
  }

  /** Stores the alerts, the rule versions and counts, and closes the run, all or nothing. */
  complete(
    alerts: readonly Alert[], rules: readonly CompiledRule[], stats: readonly RuleStats[], counts: Record<string, unknown>,
    scoringReferences: readonly ReferenceVersion[] = [],
  ): WriteOutcome {
    this.flush();
    const db = this.db;
    const insertRule = db.prepare(`INSERT INTO run_rules (run_id, rule_id, rule_version, rule_sha256, file, params_json, in_scope,
                                   not_evaluated, missing_json, late, alerts, duplicates) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insertText = db.prepare('INSERT OR IGNORE INTO rule_texts (sha256, rule_id, rule_version, text) VALUES (?, ?, ?, ?)');
    const insertReference = db.prepare(`INSERT INTO run_references (run_id, name, version, as_of, sha256, unconfirmed) VALUES (?, ?, ?, ?, ?, ?)`);
    const references = new Map([...rules.flatMap((r) => r.referenceFiles), ...scoringReferences].map((f) => [f.name, f]));
    return db.transaction(() => {
      const outcome = writeAlerts(db, this.run, alerts);
      for (const f of references.values()) insertReference.run(this.run.runId, f.name, f.version, f.as_of, f.sha256, f.unconfirmed ? 1 : 0);
      rules.forEach((rule, i) => {
        const s = stats[i]!;
        insertRule.run(this.run.runId, rule.id, rule.version, rule.sha256, rule.file, JSON.stringify(paramsRecord(rule)),
          s.inScope, s.notEvaluated, JSON.stringify(s.missing), s.late, s.alerts, s.duplicates);
        insertText.run(rule.sha256, rule.id, rule.version, rule.text);
      });
      this.close('completed', { ...counts, new_alerts: outcome.newAlerts, known_alerts: outcome.knownAlerts, new_cases: outcome.newCases, updated_cases: outcome.updatedCases });
      return outcome;
    }).immediate();
  }

  close(status: 'completed' | 'aborted' | 'failed', counts: Record<string, unknown>): void {
    this.flush();
    this.db.prepare(`UPDATE runs SET status = ?, finished_at = ?, counts_json = ? WHERE run_id = ?`)
      .run(status, new Date().toISOString(), JSON.stringify(counts), this.run.runId);
  }
}

/** The parameter values a rule ran with, and which of them --param changed. */
export function paramsRecord(rule: CompiledRule): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, p] of rule.params) {
    out[name] = p.overriddenFrom === undefined ? p.value : { value: p.value, file_value: p.overriddenFrom };
  }
  return out;
}
