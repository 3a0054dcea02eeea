/**
 * Alerts: one rule, one subject, one span of time, the evidence legs and the figures computed over them.
 * An alert's identity is a hash of rule, version, subject and trigger legs, so a re-scan finds the same id.
 */
import { createHash } from 'node:crypto';
import type { Txn } from '../ingest/canonical.js';
import { globalId } from '../ingest/identity.js';
import { formatMinorUnits } from '../ingest/decimal.js';
import { formatDuration, formatTimestamp } from '../ingest/time.js';
import { legsOf, type AggType, type Entry } from '../rules/aggregates.js';
import type { CompiledRule } from '../rules/compile.js';
import type { FieldRef } from '../rules/fields.js';
import { formatUsd } from '../rules/narrative.js';
import type { Modifier } from '../store/score.js';

export type FigureValue = number | string | null;

export interface Alert {
  id: string;
  rule: CompiledRule;
  /** The rule's severity, or a higher one its "escalate" list gives for these evidence legs. */
  severity: number;
  subjectType: string;
  subjectRank: number;
  subject: string;
  partition: Record<string, string>;
  /** Every leg of the windows that fired, in time order. */
  records: Txn[];
  /** The legs that make the pattern (the rule's evidence set). */
  triggers: ReadonlySet<Txn>;
  figures: Record<string, FigureValue>;
  /** Aggregate types, to format figures; money figures are decimal strings in USD ("28300.00"). */
  figureTypes: Record<string, AggType>;
  hits: number;
  firstTs: number;
  lastTs: number;
  /** Alerts gather into one open case per customer (or per subject for other subject kinds). */
  caseSubject: { type: string; id: string };
  narrative: string;
  /** Case-score modifiers its trigger legs earn (set by the scan). */
  modifiers: Modifier[];
}

export function compareTxn(a: Txn, b: Txn): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  if (a.src !== b.src) return a.src < b.src ? -1 : 1;
  if (a.txn_id !== b.txn_id) return a.txn_id < b.txn_id ? -1 : 1;
  return a.line - b.line;
}

/** A graph pattern's alert: its central node is the subject; `figures` are the pattern's. */
export interface GraphFinding {
  center: string;
  figures: Record<string, number>;
  /** The center's customer, as any leg of its account named it. */
  customer: string | undefined;
}

export function buildAlert(rule: CompiledRule, subject: FieldRef, rank: number, key: string, entries: Entry[], hits: number, graph?: GraphFinding, occasions = 1): Alert {
  const sorted = [...entries].sort((a, b) => compareTxn(a.t, b.t));
  const records = sorted.map((e) => e.t);
  const mask = rule.evidenceMask;
  let triggerList = mask === 0 ? records : sorted.filter((e) => e.mask & mask).map((e) => e.t);
  if (triggerList.length === 0) triggerList = records;
  const first = triggerList[0]!;
  const last = triggerList[triggerList.length - 1]!;
  const partition: Record<string, string> = {};
  for (const p of rule.partition) partition[p.name] = String(p.get(first));
  const subjectValue = graph?.center ?? String(subject.get(first));
  const id = createHash('sha256')
    .update([rule.id, rule.version, subject.name, key, ...triggerList.map(globalId).sort()].join('\n'))
    .digest('hex');
  const { figures, figureTypes } = computeFigures(rule, sorted, triggerList, hits, occasions);
  // A graph pattern's center may only receive paired transfers, whose legs are the senders': its customer is then
  // the one its own legs named, and without one the case is the account's.
  const customer = graph ? records.find((t) => t.account_id === graph.center)?.customer_id ?? graph.customer : first.customer_id;
  const caseSubject = graph && customer === undefined ? { type: 'account_id', id: subjectValue }
    : subject.name === 'customer_id' || subject.name === 'account_id' ? { type: 'customer', id: customer ?? subjectValue }
      : { type: subject.name, id: subjectValue };
  if (graph) {
    Object.assign(figures, graph.figures);
    figures.account_list = accountsOf(records).join(', ');
  }
  const escalation = rule.escalate.find((e) => triggerList.some((t) => e.test(t) === 1));
  if (escalation) figures.severity_reason = escalation.reason;
  const alert: Alert = {
    id, rule, severity: Math.max(rule.severity, escalation?.severity ?? 0), subjectType: subject.name, subjectRank: rank, subject: subjectValue, partition, records,
    triggers: new Set(triggerList), figures, figureTypes, hits, firstTs: first.ts, lastTs: last.ts, caseSubject, narrative: '', modifiers: [],
  };
  alert.narrative = rule.narrative({ values: narrativeValues(alert, triggerList) });
  for (const [name, type] of Object.entries(figureTypes)) {
    const v = figures[name];
    if (type === 'money' && typeof v === 'number') figures[name] = formatMinorUnits(Math.round(v), 2);
  }
  return alert;
}

/** Every account and counterparty of a graph pattern, in the order its legs first name them. */
function accountsOf(records: readonly Txn[]): string[] {
  const seen = new Set<string>();
  for (const t of records) {
    const [from, to] = t.direction === 'out' ? [t.account_id, t.f.cp_account] : [t.f.cp_account, t.account_id];
    seen.add(String(from));
    seen.add(String(to));
  }
  return [...seen];
}

function computeFigures(rule: CompiledRule, entries: Entry[], triggers: Txn[], hits: number, occasions: number) {
  const figures: Record<string, FigureValue> = {};
  const figureTypes: Record<string, AggType> = {};
  const legs = legsOf(entries);
  for (const agg of rule.aggregates) {
    const v = agg.compute(legs);
    figures[agg.name] = v === undefined ? null : v;
    figureTypes[agg.name] = agg.type;
  }
  // A total that would leave out a leg without a USD amount is not given at all.
  let total: number | null = 0;
  for (const t of triggers) total = t.amount_usd === undefined || total === null ? null : total + t.amount_usd;
  figures.trigger_count = triggers.length;
  figures.trigger_total_usd = total;
  figureTypes.trigger_count = 'count';
  figureTypes.trigger_total_usd = 'money';
  figures.first_ts = formatTimestamp(triggers[0]!.ts, triggers[0]!.off);
  figures.last_ts = formatTimestamp(triggers[triggers.length - 1]!.ts, triggers[triggers.length - 1]!.off);
  figures.hits = hits;
  if (rule.recur) {
    figures.occasions = occasions;
    figureTypes.occasions = 'count';
  }
  if (rule.window) figures.window = rule.window.kind === 'calendar' ? '1 business day' : formatDuration(rule.window.durationMs);
  if (rule.graph) figures.window = formatDuration(rule.graph.windowMs);
  return { figures, figureTypes };
}

/** A figure as people read it: amounts as 28,300.00, counts as integers. */
export function formatFigure(value: FigureValue, type: AggType | undefined): string {
  if (value === null) return 'n/a';
  if (typeof value === 'string') return type === 'money' ? formatUsd(Math.round(Number(value) * 100)) : value;
  if (type === 'money') return formatUsd(value);
  if (type === 'datetime') return new Date(value).toISOString();
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function narrativeValues(alert: Alert, triggers: Txn[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, v] of Object.entries(alert.figures)) values[name] = formatFigure(v, alert.figureTypes[name]);
  const places = new Set<string>();
  for (const t of triggers) {
    const city = t.f.branch_city;
    if (city !== undefined) places.add(t.f.branch_state !== undefined ? `${String(city)}, ${String(t.f.branch_state)}` : String(city));
  }
  Object.assign(values, {
    subject: alert.subject,
    subject_type: alert.subjectType,
    rule_name: alert.rule.name,
    first_date: triggers[0]!.business_date,
    last_date: triggers[triggers.length - 1]!.business_date,
    places: places.size > 0 ? [...places].join('; ') : 'no branch recorded',
    window: String(alert.figures.window ?? 'single transaction'),
  });
  return values;
}

/** The same legs flagged by one rule under several subject fields make one alert: the first subject's. */
export function dedupeAlerts(alerts: readonly Alert[]): Alert[] {
  const best = new Map<string, Alert>();
  for (const a of alerts) {
    const key = a.rule.id + '\n' + [...a.triggers].map(globalId).sort().join(',');
    const seen = best.get(key);
    if (!seen || a.subjectRank < seen.subjectRank) best.set(key, a);
  }
  return [...best.values()].sort((a, b) =>
    a.firstTs - b.firstTs || (a.rule.id < b.rule.id ? -1 : a.rule.id > b.rule.id ? 1 : 0) || (a.id < b.id ? -1 : 1));
}
