/**
 * What a reviewer needs to check a case without the tool: each evidence leg with the input file it came
 * from (path, sha256), the exact rule files that judged it, and the reference data versions.
 */
import { createHash } from 'node:crypto';
import { parseMinorUnits } from '../ingest/decimal.js';
import type { CaseDetail } from './cases.js';
import type { Db } from './store.js';

export interface InputFile {
  run_id: string;
  source_id: string;
  path: string;
  sha256: string | null;
  bytes: number | null;
  rows: number;
}

export interface EvidenceLeg {
  alert_id: string;
  rule_id: string;
  role: string;
  record: Record<string, unknown>;
  input: InputFile | undefined;
}

export interface RuleText {
  rule_id: string;
  rule_version: string;
  sha256: string;
  /** The file as scanned; undefined for runs made before the store kept rule texts. */
  text: string | undefined;
}

export interface CaseEvidence {
  legs: EvidenceLeg[];
  inputs: InputFile[];
  rules: RuleText[];
  references: Array<Record<string, unknown>>;
}

export function caseEvidence(db: Db, c: CaseDetail): CaseEvidence {
  const inputQuery = db.prepare('SELECT run_id, source_id, path, sha256, bytes, rows FROM run_inputs WHERE run_id = ? AND source_id = ? ORDER BY seq LIMIT 1');
  const inputs = new Map<string, InputFile | undefined>();
  const inputOf = (runId: string, sourceId: string): InputFile | undefined => {
    const key = `${runId}\u0000${sourceId}`;
    if (!inputs.has(key)) inputs.set(key, inputQuery.get(runId, sourceId) as InputFile | undefined);
    return inputs.get(key);
  };
  const legs = c.alert_details.flatMap((a) => a.evidence.map((e): EvidenceLeg => ({
    alert_id: a.alert_id, rule_id: a.rule_id, role: e.role, record: e.record, input: inputOf(a.run_id, String(e.record.source_file_id)),
  })));
  const textQuery = db.prepare('SELECT text FROM rule_texts WHERE sha256 = ?');
  const rules = new Map<string, RuleText>();
  for (const a of c.alert_details) {
    if (rules.has(a.rule_sha256)) continue;
    const text = (textQuery.get(a.rule_sha256) as { text: string } | undefined)?.text;
    // A stored text that does not hash to the alert's rule_sha256 would mislead: leave it out.
    const verified = text !== undefined && createHash('sha256').update(text).digest('hex') === a.rule_sha256 ? text : undefined;
    rules.set(a.rule_sha256, { rule_id: a.rule_id, rule_version: a.rule_version, sha256: a.rule_sha256, text: verified });
  }
  const references = new Map<string, Record<string, unknown>>();
  for (const a of c.alert_details) for (const r of a.references) references.set(`${String(r.name)}@${String(r.sha256)}`, r);
  return {
    legs,
    inputs: [...new Set([...inputs.values()].filter((x): x is InputFile => x !== undefined))],
    rules: [...rules.values()],
    references: [...references.values()],
  };
}

/** A stored leg's amount_usd in cents; undefined when no rate converted it. */
export function usdCents(record: Record<string, unknown>): number | undefined {
  const cents = typeof record.amount_usd === 'string' ? parseMinorUnits(record.amount_usd, 2) : undefined;
  return typeof cents === 'number' ? cents : undefined;
}
