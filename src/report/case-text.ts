/**
 * A case as an investigator reads it in the terminal: header, alerts with their figures, thresholds and
 * narrative, the evidence legs with file:line, and the event log.
 */
import type { CaseDetail, CaseEvent, CaseRow } from '../store/cases.js';
import type { UpdateResult } from '../store/lifecycle.js';
import { renderTable } from './table.js';

export function renderCaseList(rows: readonly CaseRow[]): string[] {
  if (rows.length === 0) return ['No cases match.'];
  return renderTable(
    ['CASE', 'STATUS', 'SCORE', 'SUBJECT', 'RULES', 'ALERTS', 'FIRST', 'LAST', 'TOTAL USD', 'ASSIGNEE'],
    rows.map((r) => [String(r.case_id), statusText(r), String(r.score), r.subject, r.rule_ids.join(','), String(r.alerts), r.first_ts.slice(0, 10), r.last_ts.slice(0, 10), r.total_usd, r.assignee ?? '']),
    new Set([0, 2, 5, 8]),
  );
}

export function renderCase(c: CaseDetail): string[] {
  const lines = [
    `Case ${c.case_id} · ${c.subject_type} ${c.subject} · status ${statusText(c)} · score ${c.score} (${describeScore(c.score_breakdown)})`,
    `Period ${c.first_ts} to ${c.last_ts} · trigger total USD ${c.total_usd} · typologies ${c.typologies.join(', ')}`,
    `Opened ${c.created_at}, updated ${c.updated_at} · version ${c.version} · assignee ${c.assignee ?? 'none'}`,
  ];
  for (const l of c.links) lines.push(`Linked: case ${l.case_id} (${l.reason})`);
  const { shown, more } = relatedShown(c);
  for (const r of shown) lines.push(`Related: case ${r.case_id} (${r.status}, ${r.subject}) shares ${r.accounts.join(', ')}`);
  if (more > 0) lines.push(`Related: ${more} more case(s), none sharing more accounts than those above (--format json lists them all)`);
  for (const a of c.alert_details) {
    lines.push('', `Alert ${a.alert_id.slice(0, 12)} · ${a.rule_id} v${a.rule_version} (${a.typology}, severity ${a.severity}) · ${a.subject_type} ${a.subject}` +
      (Object.keys(a.partition).length > 0 ? ` · ${Object.entries(a.partition).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''));
    lines.push(`  ${a.narrative}`);
    lines.push(`  Figures: ${Object.entries(a.figures).map(([k, v]) => `${k}=${formatValue(v)}`).join(', ')}`);
    lines.push(`  Parameters: ${Object.entries(a.params).map(([k, v]) => `${k}=${formatValue(v)}`).join(', ')}`);
    lines.push(`  Run ${a.run_id} · rule sha256 ${a.rule_sha256.slice(0, 16)}` +
      (a.references.length > 0 ? ` · reference data ${a.references.map((r) => `${String(r.name)}@${String(r.version)}${r.unconfirmed ? ' (unconfirmed)' : ''}`).join(', ')}` : ''));
    lines.push(...renderTable(
      ['ROLE', 'TXN', 'BOOKING TS', 'BUSINESS DATE', 'DIR', 'CHANNEL', 'AMOUNT', 'CCY', 'BRANCH', 'CONDUCTOR', 'SOURCE'],
      a.evidence.map((e) => {
        const r = e.record;
        const branch = [r.branch_id, r.branch_city, r.branch_state].filter((x) => x !== undefined).join(' ');
        return [e.role, s(r.txn_id), s(r.booking_ts), s(r.business_date), s(r.direction), s(r.channel), s(r.amount), s(r.currency), branch, s(r.conductor_id), `${s(r.source_file_id)}:${s(r.source_row)}`];
      }),
      new Set([6]),
    ).map((l) => '  ' + l));
  }
  lines.push('', 'History:', ...renderHistory(c.events).map((l) => '  ' + l));
  return lines;
}

export function renderHistory(events: readonly CaseEvent[]): string[] {
  return events.map((e) => {
    const data = e.data as { changes?: Record<string, [unknown, unknown]>; note?: string } & Record<string, unknown>;
    const changes = Object.entries(data.changes ?? {}).map(([k, [from, to]]) => `${k} ${String(from ?? '-')} → ${String(to ?? '-')}`);
    const rest = Object.entries(data).filter(([k]) => k !== 'changes' && k !== 'note').map(([k, v]) => `${k}=${String(v)}`);
    return [e.at, e.user ?? '-', e.kind, ...changes, ...rest, ...(data.note === undefined ? [] : [`note: ${data.note}`])].join(' · ');
  });
}

export function renderUpdates(results: readonly UpdateResult[]): string[] {
  return results.map((r) => {
    const what = Object.entries(r.changes).map(([k, [from, to]]) => `${k} ${String(from ?? '-')} → ${String(to ?? '-')}`);
    return `Case ${r.after.case_id}: ${what.length > 0 ? what.join(', ') : 'note added'} (version ${r.after.version})`;
  });
}

/**
 * The related cases worth reading, those sharing the most accounts: a counterparty that many customers pay
 * (a remitter, a utility) relates every one of their cases, and a list of hundreds says nothing.
 */
export function relatedShown(c: CaseDetail): { shown: CaseDetail['related']; more: number } {
  return { shown: c.related.slice(0, RELATED_SHOWN), more: Math.max(0, c.related.length - RELATED_SHOWN) };
}

const RELATED_SHOWN = 10;

/** A case's status, with its disposition once closed. */
export function statusText(c: CaseRow): string {
  return c.disposition ? `${c.status} (${c.disposition})` : c.status;
}

/** How a case's score was made: the highest severity, then each addition with its reason. */
export function describeScore(b: Record<string, unknown>): string {
  const parts = [`highest severity ${String(b.highest_severity ?? '?')}`];
  if (Number(b.others) > 0) parts.push(`+${String(b.others)} from other alerts`);
  for (const m of (b.modifiers ?? []) as Array<{ name: string; points: number; reason: string }>) parts.push(`+${m.points} ${m.name}: ${m.reason}`);
  if (Number(b.extra_typologies) > 0) parts.push(`+${String(b.extra_typologies)} for more typologies`);
  return parts.join('; ');
}

function s(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

/** A figure or parameter value as text: lists and objects as JSON. */
export function formatValue(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}
