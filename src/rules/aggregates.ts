/**
 * Window aggregates: count, sum, min, max, avg, distinct, optionally over a named set, and sub-group
 * aggregates ("the largest per-business-day total"): group by a field, aggregate each group, then
 * aggregate the groups' values.
 */
import type { FieldValue, Txn } from '../ingest/canonical.js';
import type { CompileContext } from './context.js';
import { NUMERIC_TYPES, resolveField, type FieldRef } from './fields.js';

/** A transaction in a window, with the bitmask of the rule's sets it belongs to. */
export interface Entry {
  t: Txn;
  key: number;
  mask: number;
  /** Order in which the engine released it into windows. */
  seq: number;
}

export type AggFn = 'count' | 'sum' | 'min' | 'max' | 'avg' | 'distinct';

export interface AggregateDef {
  fn: AggFn;
  field?: string;
  set?: string;
  by?: string;
  of?: { fn: AggFn; field?: string };
}

/** What an aggregate's value is: a count, an amount in minor units of `amount_usd`, a number or a time. */
export type AggType = 'count' | 'money' | 'number' | 'datetime';

export interface CompiledAggregate {
  name: string;
  type: AggType;
  compute(entries: readonly Entry[]): number | undefined;
}

type Reduce = (entries: readonly Entry[], mask: number) => number | undefined;

export function compileAggregate(
  name: string, def: AggregateDef, pointer: string, ctx: CompileContext, sets: ReadonlyMap<string, number>, required: Set<FieldRef>,
): CompiledAggregate | undefined {
  let mask = 0;
  if (def.set !== undefined) {
    const bit = sets.get(def.set);
    if (bit === undefined) return ctx.error(`${pointer}/set`, `unknown set '${def.set}' (declare it under "sets")`);
    mask = bit;
  }
  if (def.by !== undefined) return compileGrouped(name, def, pointer, ctx, mask, required);
  const inner = compileReducer(def.fn, def.field, pointer, ctx, required);
  if (!inner) return undefined;
  return { name, type: inner.type, compute: (entries) => inner.reduce(entries, mask) };
}

function compileReducer(fn: AggFn, fieldName: string | undefined, pointer: string, ctx: CompileContext, required: Set<FieldRef>) {
  if (fn === 'count') return { type: 'count' as AggType, reduce: countOf };
  const field = resolveField(fieldName!);
  if (!field) return ctx.error(`${pointer}/field`, `unknown field '${fieldName}'`);
  ctx.reads(field.name);
  if (fn === 'distinct') return { type: 'count' as AggType, reduce: distinctOf(field) };
  if (!NUMERIC_TYPES.has(field.spec.type)) {
    return ctx.error(`${pointer}/field`, `${fn} needs a numeric field; ${field.name} is a ${field.spec.type}`);
  }
  if (field.name === 'amount' && (fn === 'sum' || fn === 'avg')) {
    return ctx.error(`${pointer}/field`, `${fn} of amount would add different currencies; use amount_usd`);
  }
  required.add(field);
  const type: AggType = field.spec.type === 'money' ? 'money' : field.spec.type === 'datetime' ? 'datetime' : 'number';
  if (type === 'datetime' && (fn === 'sum' || fn === 'avg')) return ctx.error(`${pointer}/fn`, `${fn} of a timestamp means nothing`);
  return { type, reduce: numericReducer(fn, field) };
}

function countOf(entries: readonly Entry[], mask: number): number {
  if (mask === 0) return entries.length;
  let n = 0;
  for (const e of entries) if (e.mask & mask) n++;
  return n;
}

function distinctOf(field: FieldRef): Reduce {
  const get = field.get;
  return (entries, mask) => {
    const seen = new Set<FieldValue>();
    for (const e of entries) {
      if (mask !== 0 && !(e.mask & mask)) continue;
      const v = get(e.t);
      if (v !== undefined) seen.add(v);
    }
    return seen.size;
  };
}

function numericReducer(fn: AggFn, field: FieldRef): Reduce {
  const get = field.get as (t: Txn) => number | undefined;
  return (entries, mask) => {
    const values: number[] = [];
    for (const e of entries) {
      if (mask !== 0 && !(e.mask & mask)) continue;
      const v = get(e.t);
      if (v !== undefined) values.push(v);
    }
    return reduceNumbers(fn, values);
  };
}

function reduceNumbers(fn: AggFn, values: readonly number[]): number | undefined {
  if (values.length === 0) return fn === 'sum' ? 0 : undefined;
  let acc = fn === 'min' ? Infinity : fn === 'max' ? -Infinity : 0;
  for (const v of values) {
    if (fn === 'min') acc = v < acc ? v : acc;
    else if (fn === 'max') acc = v > acc ? v : acc;
    else acc += v;
  }
  return fn === 'avg' ? acc / values.length : acc;
}

function compileGrouped(
  name: string, def: AggregateDef, pointer: string, ctx: CompileContext, mask: number, required: Set<FieldRef>,
): CompiledAggregate | undefined {
  const by = resolveField(def.by!);
  if (!by) return ctx.error(`${pointer}/by`, `unknown field '${def.by}'`);
  ctx.reads(by.name);
  required.add(by);
  const inner = compileReducer(def.of!.fn, def.of!.field, `${pointer}/of`, ctx, required);
  if (!inner) return undefined;
  const outer = def.fn;
  const getKey = by.get;
  return {
    name,
    type: outer === 'count' ? 'count' : inner.type === 'count' ? 'number' : inner.type,
    compute(entries) {
      const groups = new Map<FieldValue | undefined, Entry[]>();
      for (const e of entries) {
        if (mask !== 0 && !(e.mask & mask)) continue;
        const k = getKey(e.t);
        const list = groups.get(k);
        if (list) list.push(e);
        else groups.set(k, [e]);
      }
      if (outer === 'count') return groups.size;
      const values: number[] = [];
      for (const list of groups.values()) {
        const v = inner.reduce(list, 0);
        if (v !== undefined) values.push(v);
      }
      return reduceNumbers(outer, values);
    },
  };
}
