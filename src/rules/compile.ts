/**
 * A validated rule document becomes a CompiledRule: closures for its filter, sets, aggregates and alert
 * condition, resolved fields and parameters. After this, no rule fails for a structural reason.
 */
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../errors.js';
import { CASH_CHANNELS, CHANNELS, DIRECTIONS, type Txn } from '../ingest/canonical.js';
import { formatDuration, parseDuration } from '../ingest/time.js';
import { PATTERN_FIGURES, type GraphSpec } from '../graph/patterns.js';
import { compileGraph, type GraphDef } from '../graph/spec.js';
import type { JsonDocument } from '../json-document.js';
import { compileAggregate, type AggregateDef, type CompiledAggregate } from './aggregates.js';
import { COMPARE, compileCondition, moneyLiterals, type Test, type TxnCondition } from './conditions.js';
import { createContext, type CompileContext, type ParamValue } from './context.js';
import { resolveField, type FieldRef } from './fields.js';
import { compileNarrative, type Narrative } from './narrative.js';
import type { ReferenceRegistry, ReferenceVersion, Scalar } from './reference.js';

export interface RuleExample {
  name: string;
  expect: 'alert' | 'no_alert';
  alerts?: number;
  evidence?: string[];
  transactions: Array<Record<string, unknown>>;
}

export interface RuleDocument {
  id: string;
  version: string;
  name: string;
  typology: string;
  purpose?: 'suspicion' | 'reporting';
  severity: number;
  enabled?: boolean;
  description: string;
  references?: string[];
  params?: Record<string, { value: unknown; source?: string; description?: string }>;
  subject: string | string[];
  partition?: string[];
  requires?: string[];
  derive?: Record<string, DeriveDef>;
  escalate?: Array<{ if: TxnCondition; severity: number; reason: string }>;
  filter: TxnCondition;
  window?: { type: 'rolling' | 'calendar'; duration?: string; clock?: 'booking_ts' | 'business_date'; by?: 'business_date' };
  recur?: { count: number | string; within: string };
  sets?: Record<string, TxnCondition>;
  aggregates?: Record<string, AggregateDef>;
  when?: AggCondition;
  evidence?: string;
  graph?: GraphDef;
  narrative?: string;
  examples?: RuleExample[];
}

export interface DeriveDef {
  value?: string;
  table?: string;
  key?: string;
  column?: string;
  type?: 'money';
}

export interface AggCondition {
  all?: AggCondition[];
  any?: AggCondition[];
  not?: AggCondition;
  agg?: string;
  op?: string;
  value?: unknown;
}

export interface WindowSpec {
  kind: 'rolling' | 'calendar';
  /** Window length in ms of its clock; a calendar window is one business day. */
  durationMs: number;
  clock: 'booking_ts' | 'business_date';
}

/** Occasions a window rule must meet its condition on, within a span, before it alerts. */
export interface RecurSpec {
  count: number;
  withinMs: number;
}

export interface RuleSet {
  name: string;
  bit: number;
  test: Test;
}

export interface CompiledRule {
  id: string;
  version: string;
  name: string;
  typology: string;
  /** reporting: the alert marks a filing obligation (a CTR), not a suspicion. */
  purpose: 'suspicion' | 'reporting';
  severity: number;
  enabled: boolean;
  description: string;
  references: string[];
  file: string;
  sha256: string;
  /** The rule file as read: the store keeps it with the alerts it judged. */
  text: string;
  doc: RuleDocument;
  params: Map<string, ParamValue>;
  subjects: FieldRef[];
  partition: FieldRef[];
  filter: Test;
  /** The direction|channel pairs a leg can have and pass the filter; undefined when the filter does not restrict them. */
  scope: ReadonlySet<string> | undefined;
  /** Fields the filter and the sets read, to name the missing one when a leg cannot be decided. */
  filterFields: FieldRef[];
  /** Fields whose absence can leave a leg undecided, in the order a report names them. */
  decisionFields: FieldRef[];
  /** Fields every in-scope transaction must have for the rule to evaluate it. */
  required: FieldRef[];
  window: WindowSpec | undefined;
  recur: RecurSpec | undefined;
  /** A graph rule's pattern and settings (it has no window, sets or aggregates). */
  graph: GraphSpec | undefined;
  sets: RuleSet[];
  aggregates: CompiledAggregate[];
  /** Alert condition over the aggregates' values, asked for by index (in declaration order) as needed. */
  when: When;
  /** Bitmask of the evidence set (0: every window transaction is evidence). */
  evidenceMask: number;
  /**
   * Bit of the set every aggregate starts from (see anchorOf), 0 when there is none: a window holds no
   * leg until a leg of that set arrives, since the aggregates and the condition cannot tell it apart.
   */
  anchor: number;
  narrative: Narrative;
  /** Versions of the reference files the rule reads. */
  referenceFiles: ReferenceVersion[];
  /** Human description of each threshold the alert condition compares, for cases. */
  thresholds: Array<{ agg: string; op: string; value: unknown }>;
  /** Higher severities, highest first, for alerts with an evidence leg that passes the test. */
  escalate: Array<{ test: Test; severity: number; reason: string }>;
}

const DAY_MS = 86_400_000;

export function compileRule(doc: JsonDocument, params: Map<string, ParamValue>, references: ReferenceRegistry): { rule?: CompiledRule; diagnostics: Diagnostic[] } {
  const d = doc.data as RuleDocument;
  const ctx = createContext(doc, params, references);
  const subjects = (Array.isArray(d.subject) ? d.subject : [d.subject]).map((s, i) =>
    fieldOrError(s, Array.isArray(d.subject) ? `/subject/${i}` : '/subject', ctx));
  const partition = (d.partition ?? []).map((p, i) => fieldOrError(p, `/partition/${i}`, ctx));
  for (const [name, def] of Object.entries(d.derive ?? {})) deriveField(name, def, `/derive/${name}`, ctx);
  const requires = (d.requires ?? []).map((p, i) => fieldOrError(p, `/requires/${i}`, ctx));
  const filter = compileCondition(d.filter, '/filter', ctx);
  const window = compileWindow(d, ctx);
  const recur = compileRecur(d, window, ctx);
  const sets = Object.entries(d.sets ?? {}).map(([name, cond], i): RuleSet => ({
    name, bit: 1 << i, test: compileCondition(cond, `/sets/${name}`, ctx),
  }));
  const filterFields = [...ctx.fieldsRead].map((f) => ctx.field(f)!);
  if (sets.length > 30) ctx.error('/sets', 'at most 30 sets');
  const setBits = new Map(sets.map((s) => [s.name, s.bit]));
  const required = new Set<FieldRef>();
  const aggregates = Object.entries(d.aggregates ?? {}).map(([name, def]) =>
    compileAggregate(name, def, `/aggregates/${name}`, ctx, setBits, required));
  const thresholds: CompiledRule['thresholds'] = [];
  const when = d.when ? compileWhen(d.when, '/when', ctx, aggregates, thresholds) : () => true;
  let evidenceMask = 0;
  if (d.evidence !== undefined) evidenceMask = setBits.get(d.evidence) ?? (ctx.error('/evidence', `unknown set '${d.evidence}'`) ?? 0);
  const anchor = d.window && ctx.diagnostics.length === 0 ? anchorOf(d.aggregates ?? {}, aggregates as CompiledAggregate[], when, setBits) : 0;
  const escalate = (d.escalate ?? [])
    .map((e, i) => ({ test: compileCondition(e.if, `/escalate/${i}/if`, ctx), severity: e.severity, reason: e.reason }))
    .sort((a, b) => b.severity - a.severity);
  const graph = d.graph ? compileGraph(d.graph, ctx) : undefined;
  const figureNames = graph ? PATTERN_FIGURES[graph.pattern] : [...aggregates.filter(Boolean).map((a) => a!.name), ...(d.recur ? ['occasions'] : [])];
  const narrative = compileNarrative(d.narrative, ctx, figureNames);
  if (ctx.diagnostics.length > 0) return { diagnostics: ctx.diagnostics };
  const defined = (x: FieldRef | undefined): x is FieldRef => x !== undefined;
  return {
    diagnostics: [],
    rule: {
      id: d.id, version: d.version, name: d.name, typology: d.typology, purpose: d.purpose ?? 'suspicion', severity: d.severity,
      enabled: d.enabled !== false, description: d.description, references: d.references ?? [],
      file: doc.file, sha256: createHash('sha256').update(doc.text).digest('hex'), text: doc.text, doc: d, params,
      subjects: subjects.filter(defined), partition: partition.filter(defined), filter, filterFields, scope: legScope(d.filter, ctx),
      decisionFields: [...new Set([...filterFields, ...partition.filter(defined), ...requires.filter(defined), ...required, ...subjects.filter(defined)])],
      required: [...new Set([...partition.filter(defined), ...requires.filter(defined), ...required])],
      window, recur, graph, sets, aggregates: aggregates as CompiledAggregate[], when, evidenceMask, anchor, narrative, thresholds, escalate,
      referenceFiles: [...ctx.referencesUsed.values()].map((r) => r.info),
    },
  };
}

/**
 * The set a sequence rule starts from: every aggregate reads only that set's legs or the legs `after`
 * its first one, and the condition is false on a window without it ("money in, then out"). Such a
 * window's value does not depend on the legs before the set's first leg, so the engine need not hold them.
 */
function anchorOf(defs: Record<string, AggregateDef>, aggregates: CompiledAggregate[], when: When, setBits: ReadonlyMap<string, number>): number {
  const list = Object.values(defs);
  if (list.length === 0) return 0;
  const name = list[0]!.after ?? list[0]!.set;
  if (name === undefined || !list.every((a) => a.after === name || (a.after === undefined && a.set === name))) return 0;
  return when((i) => aggregates[i]!.compute({ t: [], mask: [] }, 0)) ? 0 : setBits.get(name)!;
}

/**
 * The (direction, channel) pairs a filter can admit, written `in|cash`, read from its conditions on
 * `direction`, `channel` and `is_cash` through `all` and `any`: every leg has both fields, so for any
 * other pair the filter is false and the engine need not ask it. Undefined when it admits every pair.
 */
function legScope(filter: TxnCondition, ctx: CompileContext): ReadonlySet<string> | undefined {
  const scope = scopeOf(filter, ctx);
  return scope.size === ALL_PAIRS.length ? undefined : scope;
}

const ALL_PAIRS = DIRECTIONS.flatMap((d) => CHANNELS.map((c) => `${d}|${c}`));
const pairs = (dirs: readonly string[], channels: readonly string[]) => new Set(dirs.flatMap((d) => channels.map((c) => `${d}|${c}`)));

function scopeOf(c: TxnCondition, ctx: CompileContext): Set<string> {
  if (c.all) {
    return c.all.map((x) => scopeOf(x, ctx)).reduce((a, b) => new Set([...a].filter((p) => b.has(p))), new Set(ALL_PAIRS));
  }
  if (c.any) return new Set(c.any.flatMap((x) => [...scopeOf(x, ctx)]));
  const value = c.field === undefined ? undefined : ctx.resolve(c.value, '');
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? (value as string[]) : undefined;
  if (c.field === 'channel' && list && (c.op === 'eq' || c.op === 'in')) return pairs(DIRECTIONS, list);
  if (c.field === 'channel' && list && (c.op === 'ne' || c.op === 'not_in')) return pairs(DIRECTIONS, CHANNELS.filter((x) => !list.includes(x)));
  if (c.field === 'direction' && list && (c.op === 'eq' || c.op === 'in')) return pairs(list, CHANNELS);
  if (c.field === 'is_cash' && c.op === 'eq' && value === true) return pairs(DIRECTIONS, [...CASH_CHANNELS, 'monetary_instrument', 'remittance']);
  return new Set(ALL_PAIRS);
}

function fieldOrError(name: string, pointer: string, ctx: CompileContext): FieldRef | undefined {
  const field = ctx.field(name);
  if (!field) return ctx.error(pointer, `unknown field '${name}'`);
  ctx.reads(field.name);
  return field;
}

/**
 * A rule-local field read from reference data: a value in force on the leg's date, or a table cell
 * keyed by another field. Absent (and so "not evaluated", with the reason) when the file has no value
 * for that date or no row for that key.
 */
function deriveField(name: string, def: DeriveDef, pointer: string, ctx: CompileContext): void {
  // Stands in after an error, so that the rule's other uses of the name do not report it again.
  ctx.derived.set(name, { name, spec: { name, type: 'decimal', level: 'D' }, get: () => undefined });
  if (resolveField(name)) {
    ctx.error(pointer, `'${name}' is a canonical field; give the derived field another name`);
    return;
  }
  const [file, item] = (def.value ?? def.table)!.split('/') as [string, string];
  const ref = ctx.reference(file);
  if (!ref) {
    ctx.error(`${pointer}/${def.value ? 'value' : 'table'}`, `no reference file '${file}.json' (looked in the reference folders)`);
    return;
  }
  let sample: Scalar;
  let get: (t: Txn) => Scalar | undefined;
  if (def.value !== undefined) {
    const v = ref.value(item);
    if (!v) {
      ctx.error(`${pointer}/value`, `${ref.file} has no value '${item}' (values: ${ref.valueNames().join(', ') || 'none'})`);
      return;
    }
    ({ sample, lookup: get } = v);
  } else {
    const column = ref.column(item, def.column!);
    if (!column) {
      ctx.error(`${pointer}/column`, `${ref.file} has no table '${item}' with a column '${def.column}' (tables: ${ref.tableNames().join(', ') || 'none'})`);
      return;
    }
    const key = ctx.field(def.key!);
    if (!key) {
      ctx.error(`${pointer}/key`, `unknown field '${def.key}'`);
      return;
    }
    ctx.reads(key.name);
    const getKey = key.get;
    sample = column.sample;
    get = (t) => {
      const k = getKey(t);
      return k === undefined ? undefined : column.lookup(String(k), t);
    };
  }
  const numeric = typeof sample === 'number';
  if (def.type === 'money' && !numeric) {
    ctx.error(`${pointer}/type`, `'${name}' reads text ('${String(sample)}'), not an amount`);
    return;
  }
  const type = def.type === 'money' ? 'money' : numeric ? 'decimal' : 'string';
  const read = def.type === 'money'
    ? (t: Txn) => {
      const v = get(t);
      return typeof v === 'number' ? Math.round(v * 100) : undefined;
    }
    : (t: Txn) => {
      const v = get(t);
      return v === undefined || typeof v === (numeric ? 'number' : 'string') ? v : undefined;
    };
  ctx.derived.set(name, { name, spec: { name, type, level: 'D' }, get: read, usdCents: def.type === 'money' });
}

function compileWindow(d: RuleDocument, ctx: CompileContext): WindowSpec | undefined {
  const w = d.window;
  if (!w) return undefined;
  if (w.type === 'calendar') return { kind: 'calendar', durationMs: DAY_MS, clock: 'business_date' };
  const text = ctx.resolve(w.duration, '/window/duration');
  const ms = typeof text === 'string' ? parseDuration(text) : undefined;
  if (ms === undefined || ms <= 0) {
    if (text !== undefined) ctx.error('/window/duration', `expected a duration such as 14d or 24h, got ${JSON.stringify(text)}`);
    return undefined;
  }
  const clock = w.clock ?? 'booking_ts';
  if (clock === 'business_date' && ms % DAY_MS !== 0) {
    ctx.error('/window/duration', `a business_date window is whole days; got ${formatDuration(ms)}`);
  }
  return { kind: 'rolling', durationMs: ms, clock };
}

function compileRecur(d: RuleDocument, window: WindowSpec | undefined, ctx: CompileContext): RecurSpec | undefined {
  if (!d.recur) return undefined;
  const count = ctx.resolve(d.recur.count, '/recur/count');
  if (count !== undefined && !(Number.isInteger(count) && (count as number) >= 1)) {
    ctx.error('/recur/count', `expected a whole number of at least 1, got ${JSON.stringify(count)}`);
    return undefined;
  }
  const text = ctx.resolve(d.recur.within, '/recur/within');
  const withinMs = typeof text === 'string' ? parseDuration(text) : undefined;
  if (withinMs === undefined || withinMs <= 0) {
    if (text !== undefined) ctx.error('/recur/within', `expected a duration such as 30d, got ${JSON.stringify(text)}`);
    return undefined;
  }
  if (window && window.clock === 'business_date' && withinMs % DAY_MS !== 0) {
    ctx.error('/recur/within', `the window runs on business dates, so the span is whole days; got ${formatDuration(withinMs)}`);
  }
  // Separate occasions are at least a window apart: a span no longer than the window never holds two.
  if (window && typeof count === 'number' && count > 1 && withinMs <= window.durationMs) {
    ctx.error('/recur/within', `${formatDuration(withinMs)} is no longer than the window (${formatDuration(window.durationMs)}): `
      + `separate occasions are at least a window apart, so ${count} never fall within it`);
  }
  return typeof count === 'number' ? { count, withinMs } : undefined;
}

/** `value(i)` is aggregate i's value; a condition asks only for what it needs (all/any stop early). */
export type When = (value: (index: number) => number | undefined) => boolean;

function compileWhen(node: AggCondition, pointer: string, ctx: CompileContext, aggs: Array<CompiledAggregate | undefined>, thresholds: CompiledRule['thresholds']): When {
  if (node.all) {
    const parts = node.all.map((c, i) => compileWhen(c, `${pointer}/all/${i}`, ctx, aggs, thresholds));
    // Loops, not every/some: a closure made per evaluation is garbage made per clock tick.
    return (v) => {
      for (const p of parts) if (!p(v)) return false;
      return true;
    };
  }
  if (node.any) {
    const parts = node.any.map((c, i) => compileWhen(c, `${pointer}/any/${i}`, ctx, aggs, thresholds));
    return (v) => {
      for (const p of parts) if (p(v)) return true;
      return false;
    };
  }
  if (node.not) {
    const inner = compileWhen(node.not, `${pointer}/not`, ctx, aggs, thresholds);
    return (v) => !inner(v);
  }
  const index = aggs.findIndex((a) => a?.name === node.agg);
  if (index < 0) {
    ctx.error(`${pointer}/agg`, `unknown aggregate '${node.agg}' (declare it under "aggregates")`);
    return () => false;
  }
  const agg = aggs[index]!;
  thresholds.push({ agg: agg.name, op: node.op!, value: node.value });
  if (typeof node.value === 'object' && node.value !== null && !Array.isArray(node.value)) {
    return compileRelative(agg, index, node.op!, node.value as { agg: string; times?: unknown }, pointer, ctx, aggs);
  }
  const value = ctx.resolve(node.value, `${pointer}/value`);
  const literal = (v: unknown, p: string) => aggLiteral(agg, v, p, ctx);
  if (node.op === 'between') {
    const [lo, hi] = (value ?? []) as unknown[];
    const low = literal(lo, `${pointer}/value/0`);
    const high = literal(hi, `${pointer}/value/1`);
    return (v) => {
      const x = v(index);
      return x !== undefined && low !== undefined && high !== undefined && x >= low && x <= high;
    };
  }
  const lit = value === undefined ? undefined : literal(value, `${pointer}/value`);
  const cmp = COMPARE[node.op!]!;
  return (v) => {
    const x = v(index);
    return x !== undefined && lit !== undefined && cmp(x, lit);
  };
}

/** An aggregate against another one times an exact decimal factor: out_after >= 0.8 × in_total. */
function compileRelative(
  agg: CompiledAggregate, index: number, op: string, ref: { agg: string; times?: unknown }, pointer: string, ctx: CompileContext,
  aggs: Array<CompiledAggregate | undefined>,
): When {
  const other = aggs.findIndex((a) => a?.name === ref.agg);
  if (other < 0) {
    ctx.error(`${pointer}/value/agg`, `unknown aggregate '${ref.agg}'`);
    return () => false;
  }
  if ((agg.type === 'money') !== (aggs[other]!.type === 'money')) {
    ctx.error(`${pointer}/value/agg`, `${agg.name} and ${ref.agg} are not both amounts`);
  }
  const factor = ctx.resolve(ref.times ?? 1, `${pointer}/value/times`);
  const text = typeof factor === 'number' ? String(factor) : String(factor);
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) {
    ctx.error(`${pointer}/value/times`, `expected a non-negative decimal factor, got ${JSON.stringify(factor)}`);
    return () => false;
  }
  const den = 10 ** (m[2]?.length ?? 0);
  const num = Number(m[1]! + (m[2] ?? ''));
  const cmp = COMPARE[op]!;
  // x op y × num/den, compared as x × den op y × num so that amounts stay integers.
  return (v) => {
    const x = v(index);
    const y = v(other);
    return x !== undefined && y !== undefined && cmp(x * den, y * num);
  };
}

function aggLiteral(agg: CompiledAggregate, value: unknown, pointer: string, ctx: CompileContext): number | undefined {
  if (agg.type === 'money') return moneyLiterals(value, pointer, ctx)?.[2];
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : undefined;
  if (n === undefined) return ctx.error(pointer, `${agg.name} is a ${agg.type}; expected a number, got ${JSON.stringify(value)}`);
  return n;
}

/** The window key of a transaction on the rule's clock. */
export function windowKey(spec: WindowSpec | undefined, t: Txn): number {
  return spec?.clock === 'business_date' ? t.bday * DAY_MS : t.ts;
}
