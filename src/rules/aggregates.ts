/**
 * Window aggregates: count, sum, min, max, avg, distinct, optionally over a named set, and sub-group
 * aggregates ("the largest per-business-day total"): group by a field, aggregate each group, then
 * aggregate the groups' values.
 */
import type { FieldValue, Txn } from '../ingest/canonical.js';
import type { CompileContext } from './context.js';
import { NUMERIC_TYPES, type FieldRef } from './fields.js';

/** A transaction in a window, with the bitmask of the rule's sets it belongs to. */
export interface Entry {
  t: Txn;
  key: number;
  mask: number;
}

/**
 * A window's legs as parallel lists, leg i being t[i] with the set bitmask mask[i]: the engine keeps its
 * windows this way, one slot per leg in a few arrays instead of an object per leg and rule.
 */
export interface Legs {
  readonly t: readonly Txn[];
  readonly mask: readonly number[];
}

export function legsOf(entries: readonly Entry[]): Legs {
  return { t: entries.map((e) => e.t), mask: entries.map((e) => e.mask) };
}

export type AggFn = 'count' | 'sum' | 'min' | 'max' | 'avg' | 'distinct';

export interface AggregateDef {
  fn: AggFn;
  field?: string;
  set?: string;
  after?: string;
  by?: string;
  of?: { fn: AggFn; field?: string };
}

/** What an aggregate's value is: a count, an amount in minor units of `amount_usd`, a number or a time. */
export type AggType = 'count' | 'money' | 'number' | 'datetime';

export interface CompiledAggregate {
  name: string;
  type: AggType;
  /** Over the legs from `from` on: a window's first legs may already have left it (see the engine). */
  compute(legs: Legs, from?: number): number | undefined;
  /**
   * Set when the value is a running total that the engine can keep as legs enter and leave a window:
   * the count (no `get`) or exact sum of money (`get`) over the legs in `mask` (all legs when 0).
   */
  running?: { mask: number; get?: (t: Txn) => number | undefined };
}

type Reduce = (legs: Legs, mask: number, from: number) => number | undefined;

export function compileAggregate(
  name: string, def: AggregateDef, pointer: string, ctx: CompileContext, sets: ReadonlyMap<string, number>, required: Set<FieldRef>,
): CompiledAggregate | undefined {
  let mask = 0;
  if (def.set !== undefined) {
    const bit = sets.get(def.set);
    if (bit === undefined) return ctx.error(`${pointer}/set`, `unknown set '${def.set}' (declare it under "sets")`);
    mask = bit;
  }
  const agg = def.by !== undefined ? compileGrouped(name, def, pointer, ctx, mask, required) : plain(name, def, pointer, ctx, mask, required);
  if (!agg || def.after === undefined) return agg;
  const afterBit = sets.get(def.after);
  if (afterBit === undefined) return ctx.error(`${pointer}/after`, `unknown set '${def.after}' (declare it under "sets")`);
  const compute = agg.compute;
  // Only what the window holds after its first leg of the `after` set: money in, then out.
  return {
    ...agg,
    running: undefined,
    compute(legs, from = 0) {
      let first = from;
      while (first < legs.t.length && (legs.mask[first]! & afterBit) === 0) first++;
      return compute(legs, first + 1);
    },
  };
}

function plain(name: string, def: AggregateDef, pointer: string, ctx: CompileContext, mask: number, required: Set<FieldRef>): CompiledAggregate | undefined {
  const inner = compileReducer(def.fn, def.field, pointer, ctx, required);
  if (!inner) return undefined;
  // Counts and sums of money (integer minor units) stay exact when legs are added and taken away.
  const running = def.fn === 'count' ? { mask } : def.fn === 'sum' && inner.type === 'money' ? { mask, get: inner.get } : undefined;
  return { name, type: inner.type, compute: (legs, from = 0) => inner.reduce(legs, mask, from), running };
}

function compileReducer(fn: AggFn, fieldName: string | undefined, pointer: string, ctx: CompileContext, required: Set<FieldRef>) {
  if (fn === 'count') return { type: 'count' as AggType, reduce: countOf };
  const field = ctx.field(fieldName!);
  if (!field) return ctx.error(`${pointer}/field`, `unknown field '${fieldName}'`);
  ctx.reads(field.name);
  if (fn === 'distinct') return { type: 'count' as AggType, reduce: distinctOf(field) };
  if (!NUMERIC_TYPES.has(field.spec.type)) {
    return ctx.error(`${pointer}/field`, `${fn} needs a numeric field; ${field.name} is a ${field.spec.type}`);
  }
  if (field.name === 'amount') {
    return ctx.error(`${pointer}/field`, `${fn} of amount would mix currencies; use amount_usd`);
  }
  required.add(field);
  const type: AggType = field.spec.type === 'money' ? 'money' : field.spec.type === 'datetime' ? 'datetime' : 'number';
  if (type === 'datetime' && (fn === 'sum' || fn === 'avg')) return ctx.error(`${pointer}/fn`, `${fn} of a timestamp means nothing`);
  return { type, reduce: numericReducer(fn, field), get: field.get as (t: Txn) => number | undefined };
}

function countOf(legs: Legs, mask: number, from: number): number {
  if (mask === 0) return Math.max(0, legs.t.length - from);
  let n = 0;
  for (let i = from; i < legs.mask.length; i++) if (legs.mask[i]! & mask) n++;
  return n;
}

function distinctOf(field: FieldRef): Reduce {
  const get = field.get;
  const seen = new Set<FieldValue>();
  return ({ t, mask: masks }, mask, from) => {
    seen.clear();
    for (let i = from; i < t.length; i++) {
      if (mask !== 0 && !(masks[i]! & mask)) continue;
      const v = get(t[i]!);
      if (v !== undefined) seen.add(v);
    }
    return seen.size;
  };
}

/** A running numeric aggregate: no arrays, one pass. */
interface Acc {
  acc: number;
  n: number;
}

function start(fn: AggFn): Acc {
  return { acc: fn === 'min' ? Infinity : fn === 'max' ? -Infinity : 0, n: 0 };
}

function step(fn: AggFn, a: Acc, v: number): void {
  a.n++;
  if (fn === 'min') a.acc = v < a.acc ? v : a.acc;
  else if (fn === 'max') a.acc = v > a.acc ? v : a.acc;
  else a.acc += v;
}

function finish(fn: AggFn, a: Acc): number | undefined {
  if (fn === 'count') return a.n;
  if (a.n === 0) return fn === 'sum' ? 0 : undefined;
  return fn === 'avg' ? a.acc / a.n : a.acc;
}

function numericReducer(fn: AggFn, field: FieldRef): Reduce {
  const get = field.get as (t: Txn) => number | undefined;
  return ({ t, mask: masks }, mask, from) => {
    const a = start(fn);
    for (let i = from; i < t.length; i++) {
      if (mask !== 0 && !(masks[i]! & mask)) continue;
      const v = get(t[i]!);
      if (v !== undefined) step(fn, a, v);
    }
    return finish(fn, a);
  };
}

function compileGrouped(
  name: string, def: AggregateDef, pointer: string, ctx: CompileContext, mask: number, required: Set<FieldRef>,
): CompiledAggregate | undefined {
  const by = ctx.field(def.by!);
  if (!by) return ctx.error(`${pointer}/by`, `unknown field '${def.by}'`);
  ctx.reads(by.name);
  required.add(by);
  const innerFn = def.of!.fn;
  const inner = compileReducer(innerFn, def.of!.field, `${pointer}/of`, ctx, required);
  if (!inner) return undefined;
  const outer = def.fn;
  const getKey = by.get;
  const value = innerFn === 'count' || innerFn === 'distinct' ? undefined : (ctx.field(def.of!.field!)!.get as (t: Txn) => number | undefined);
  const groups = new Map<FieldValue | undefined, Acc>();
  const members = new Map<FieldValue | undefined, { t: Txn[]; mask: number[] }>();
  return {
    name,
    type: outer === 'count' ? 'count' : inner.type === 'count' ? 'number' : inner.type,
    compute({ t, mask: masks }, from = 0) {
      groups.clear();
      members.clear();
      for (let i = from; i < t.length; i++) {
        if (mask !== 0 && !(masks[i]! & mask)) continue;
        const k = getKey(t[i]!);
        if (innerFn === 'distinct') {
          const list = members.get(k);
          if (list) {
            list.t.push(t[i]!);
            list.mask.push(masks[i]!);
          } else members.set(k, { t: [t[i]!], mask: [masks[i]!] });
          continue;
        }
        let a = groups.get(k);
        if (!a) groups.set(k, (a = start(innerFn)));
        if (value === undefined) a.n++;
        else {
          const v = value(t[i]!);
          if (v !== undefined) step(innerFn, a, v);
        }
      }
      if (outer === 'count') return innerFn === 'distinct' ? members.size : groups.size;
      const total = start(outer);
      if (innerFn === 'distinct') {
        for (const list of members.values()) step(outer, total, inner.reduce(list, 0, 0)!);
      } else {
        for (const a of groups.values()) {
          const v = finish(innerFn, a);
          if (v !== undefined) step(outer, total, v);
        }
      }
      return finish(outer, total);
    },
  };
}
