/**
 * Conditions over single transactions become closures through a typed operator table. Logic is
 * three-valued: a comparison on an absent field is "unknown", so a rule can say it could not decide
 * instead of reporting "no hit".
 */
import type { Txn } from '../ingest/canonical.js';
import { MAX_EXPONENT, literalToMinor } from '../ingest/decimal.js';
import { isoParser } from '../ingest/time.js';
import type { CompileContext } from './context.js';
import type { ListLookup } from './reference.js';
import { NUMERIC_TYPES, ORDERED_TYPES, type FieldRef } from './fields.js';

/** 0 false, 1 true, 2 unknown (a field the condition reads is absent). */
export type Tri = 0 | 1 | 2;
export type Test = (t: Txn) => Tri;

export interface TxnCondition {
  all?: TxnCondition[];
  any?: TxnCondition[];
  not?: TxnCondition;
  field?: string;
  fields?: string[];
  op?: string;
  value?: unknown;
  flags?: string;
  match?: 'exact' | 'prefix' | 'text' | 'words';
}

const ALWAYS_UNKNOWN: Test = () => 2;

/**
 * Compiles a condition. A composite condition, a test on several fields, a pattern or a reference
 * lookup that another set or rule loaded with it already has (same fields, operators and resolved
 * values, no rule-local derived field) shares that one's test, which remembers its answer for the
 * last leg: rules asked about the same leg one after another evaluate it once.
 */
export function compileCondition(node: TxnCondition, pointer: string, ctx: CompileContext): Test {
  const test = compileNode(node, pointer, ctx);
  if (!node.all && !node.any && !node.not && !node.fields && node.op !== 'in_ref' && node.op !== 'matches') return test;
  const key = conditionKey(node, ctx);
  if (key === undefined) return test;
  let shared = ctx.conditions.get(key);
  if (!shared) ctx.conditions.set(key, (shared = lastLegRemembered(test)));
  return shared;
}

/** What a condition tests, with its parameters resolved; undefined when it reads a rule's derived field. */
function conditionKey(node: TxnCondition, ctx: CompileContext): string | undefined {
  let local = false;
  const key = JSON.stringify(node, (k, v: unknown) => {
    if ((k === 'field' && ctx.derived.has(v as string)) || (k === 'fields' && (v as string[]).some((f) => ctx.derived.has(f)))) local = true;
    if (typeof v === 'string' && v.startsWith('$') && !v.startsWith('$$')) return { param: ctx.params.get(v.slice(1))?.value };
    return v;
  });
  return local ? undefined : key;
}

function lastLegRemembered(test: Test): Test {
  let last: Txn | undefined;
  let answer: Tri = 0;
  return (t) => {
    if (t === last) return answer;
    const r = test(t);
    // "Unknown" is asked again, so that the reason it is unknown (coverage.missed) is set each time.
    if (r !== 2) {
      last = t;
      answer = r;
    }
    return r;
  };
}

function compileNode(node: TxnCondition, pointer: string, ctx: CompileContext): Test {
  if (node.all) return allOf(node.all.map((c, i) => compileCondition(c, `${pointer}/all/${i}`, ctx)));
  if (node.any) return anyOf(node.any.map((c, i) => compileCondition(c, `${pointer}/any/${i}`, ctx)));
  if (node.not) {
    const inner = compileCondition(node.not, `${pointer}/not`, ctx);
    return (t) => {
      const r = inner(t);
      return r === 2 ? 2 : ((1 - r) as Tri);
    };
  }
  if (node.fields) return anyKnown(node.fields.map((name, i) => compileLeaf(name, `${pointer}/fields/${i}`, node, pointer, ctx)));
  return compileLeaf(node.field!, `${pointer}/field`, node, pointer, ctx);
}

function compileLeaf(name: string, fieldPointer: string, node: TxnCondition, pointer: string, ctx: CompileContext): Test {
  const field = ctx.field(name);
  if (!field) {
    ctx.error(fieldPointer, `unknown field '${name}' (canonical fields are listed in docs/rules.md; other columns are attrs.<column>)`);
    return ALWAYS_UNKNOWN;
  }
  ctx.reads(field.name);
  return compileComparison(field, node, pointer, ctx) ?? ALWAYS_UNKNOWN;
}

/** The same comparison on several fields: an absent field is skipped; unknown only if all are absent. */
function anyKnown(tests: Test[]): Test {
  return (t) => {
    let known = false;
    for (const test of tests) {
      const r = test(t);
      if (r === 1) return 1;
      if (r === 0) known = true;
    }
    return known ? 0 : 2;
  };
}

function allOf(tests: Test[]): Test {
  if (tests.length === 1) return tests[0]!;
  return (t) => {
    let unknown = false;
    for (const test of tests) {
      const r = test(t);
      if (r === 0) return 0;
      if (r === 2) unknown = true;
    }
    return unknown ? 2 : 1;
  };
}

function anyOf(tests: Test[]): Test {
  if (tests.length === 1) return tests[0]!;
  return (t) => {
    let unknown = false;
    for (const test of tests) {
      const r = test(t);
      if (r === 1) return 1;
      if (r === 2) unknown = true;
    }
    return unknown ? 2 : 0;
  };
}

type Literal = (t: Txn) => number | string;

function compileComparison(field: FieldRef, node: TxnCondition, pointer: string, ctx: CompileContext): Test | undefined {
  const op = node.op!;
  const get = field.get;
  const type = field.spec.type;
  if (isFieldValue(node.value)) return compileFieldComparison(field, op, node.value, pointer, ctx, node.match === 'text');
  const value = ctx.resolve(node.value, `${pointer}/value`);
  if (value === undefined) return undefined;
  if (op === 'exists') {
    const want = value === true ? 1 : 0;
    return (t) => (get(t) === undefined ? ((1 - want) as Tri) : (want as Tri));
  }
  if (op === 'matches') return compileMatches(field, value, node.flags, pointer, ctx);
  if (op === 'in_ref') return compileInRef(field, value, node.match ?? 'exact', pointer, ctx);
  if (op === 'multiple_of') return compileMultipleOf(field, value, pointer, ctx);
  if (op === 'in' || op === 'not_in') return compileIn(field, value, op === 'not_in', pointer, ctx);
  if (ORDERED_TYPES.has(type)) return compileOrdered(field, op, value, pointer, ctx);
  if (op !== 'eq' && op !== 'ne') {
    ctx.error(`${pointer}/op`, `'${op}' compares numbers, dates or times; ${field.name} is a ${type}`);
    return undefined;
  }
  const literal = scalarLiteral(field, value, `${pointer}/value`, ctx);
  if (literal === undefined) return undefined;
  const hit: Tri = op === 'eq' ? 1 : 0;
  const miss: Tri = op === 'eq' ? 0 : 1;
  return (t) => {
    const v = get(t);
    return v === undefined ? 2 : v === literal ? hit : miss;
  };
}

function compileOrdered(field: FieldRef, op: string, value: unknown, pointer: string, ctx: CompileContext): Test | undefined {
  const get = field.get as (t: Txn) => number | string | undefined;
  if (op === 'between') {
    const [lo, hi] = value as unknown[];
    const low = isFieldValue(lo) ? compileFieldComparison(field, 'gte', lo, `${pointer}/value/0`, ctx) : undefined;
    const high = isFieldValue(hi) ? compileFieldComparison(field, 'lte', hi, `${pointer}/value/1`, ctx) : undefined;
    if (low || high) {
      // Bounds from other fields: both ends as comparisons, unknown when a bound is absent.
      const lowTest = low ?? compileOrdered(field, 'gte', lo, pointer, ctx);
      const highTest = high ?? compileOrdered(field, 'lte', hi, pointer, ctx);
      return lowTest && highTest ? allOf([lowTest, highTest]) : undefined;
    }
    const lowLit = orderedLiteral(field, lo, `${pointer}/value/0`, ctx);
    const highLit = orderedLiteral(field, hi, `${pointer}/value/1`, ctx);
    if (!lowLit || !highLit) return undefined;
    return (t) => {
      const v = get(t);
      if (v === undefined) return 2;
      return v >= lowLit(t) && v <= highLit(t) ? 1 : 0;
    };
  }
  const lit = orderedLiteral(field, value, `${pointer}/value`, ctx);
  if (!lit) return undefined;
  const cmp = COMPARE[op];
  if (!cmp) {
    ctx.error(`${pointer}/op`, `'${op}' does not apply to ${field.name}`);
    return undefined;
  }
  return (t) => {
    const v = get(t);
    return v === undefined ? 2 : cmp(v, lit(t)) ? 1 : 0;
  };
}

type Compare = (a: number | string, b: number | string) => boolean;
export const COMPARE: Record<string, Compare> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
};

/** A literal on an ordered field, as a function of the record (amounts depend on the currency's decimals). */
function orderedLiteral(field: FieldRef, value: unknown, pointer: string, ctx: CompileContext): Literal | undefined {
  const type = field.spec.type;
  if (type === 'money') {
    const byExp = moneyLiterals(value, pointer, ctx);
    if (!byExp) return undefined;
    if (field.usdCents) {
      const cents = byExp[2]!;
      return () => cents;
    }
    return (t) => byExp[t.exp]!;
  }
  if (type === 'date') {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      ctx.error(pointer, `${field.name} is a date; expected "YYYY-MM-DD", got ${JSON.stringify(value)}`);
      return undefined;
    }
    return () => value;
  }
  if (type === 'datetime') {
    const parsed = typeof value === 'string' ? isoParser(undefined)(value) : 'not a string';
    if (typeof parsed === 'string') {
      ctx.error(pointer, `${field.name} is a timestamp; expected ISO 8601 with an offset, got ${JSON.stringify(value)}`);
      return undefined;
    }
    return () => parsed.ts;
  }
  const n = numberLiteral(value);
  if (n === undefined || (type === 'integer' && !Number.isInteger(n))) {
    ctx.error(pointer, `${field.name} is ${type === 'integer' ? 'an integer' : 'a number'}; got ${JSON.stringify(value)}`);
    return undefined;
  }
  return () => n;
}

/** A money literal in minor units for every currency exponent, exact; "20000" and 20000 both work. */
export function moneyLiterals(value: unknown, pointer: string, ctx: CompileContext): number[] | undefined {
  if (typeof value !== 'number' && typeof value !== 'string') {
    ctx.error(pointer, `expected an amount, got ${JSON.stringify(value)}`);
    return undefined;
  }
  const out: number[] = [];
  for (let exp = 0; exp <= MAX_EXPONENT; exp++) {
    const minor = literalToMinor(value, exp);
    if (minor === undefined && exp >= 2) {
      ctx.error(pointer, `expected an amount with at most 2 decimals, got ${JSON.stringify(value)}`);
      return undefined;
    }
    out.push(minor ?? Math.ceil(Number(value) * 10 ** exp));
  }
  return out;
}

function numberLiteral(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

function scalarLiteral(field: FieldRef, value: unknown, pointer: string, ctx: CompileContext): string | boolean | undefined {
  const type = field.spec.type;
  if (type === 'boolean') {
    if (typeof value === 'boolean') return value;
    ctx.error(pointer, `${field.name} is true or false; got ${JSON.stringify(value)}`);
    return undefined;
  }
  if (type === 'list') {
    ctx.error(pointer, `${field.name} is a list; use "in" or "exists"`);
    return undefined;
  }
  if (typeof value !== 'string') {
    ctx.error(pointer, `${field.name} is text; expected a string, got ${JSON.stringify(value)}`);
    return undefined;
  }
  if (type === 'enum' && !field.spec.values!.includes(value)) {
    ctx.error(pointer, `${field.name} has no value '${value}' (values: ${field.spec.values!.join(', ')})`);
    return undefined;
  }
  return value;
}

function compileIn(field: FieldRef, value: unknown, negate: boolean, pointer: string, ctx: CompileContext): Test | undefined {
  if (!Array.isArray(value)) {
    ctx.error(pointer + '/value', `'${negate ? 'not_in' : 'in'}' takes a list of values`);
    return undefined;
  }
  const items = value.map((v, i) => scalarOrNumber(field, v, `${pointer}/value/${i}`, ctx));
  if (items.some((v) => v === undefined)) return undefined;
  const set = new Set(items);
  const get = field.get;
  const hit: Tri = negate ? 0 : 1;
  const miss: Tri = negate ? 1 : 0;
  if (field.spec.type === 'list') {
    return (t) => {
      const v = get(t) as readonly string[] | undefined;
      if (v === undefined) return 2;
      for (const x of v) if (set.has(x)) return hit;
      return miss;
    };
  }
  return (t) => {
    const v = get(t);
    return v === undefined ? 2 : set.has(v as string) ? hit : miss;
  };
}

function scalarOrNumber(field: FieldRef, value: unknown, pointer: string, ctx: CompileContext): unknown {
  if (field.spec.type === 'list') return typeof value === 'string' ? value : ctx.error(pointer, 'expected a string');
  if (ORDERED_TYPES.has(field.spec.type)) {
    if (field.spec.type === 'date') return scalarLiteral({ ...field, spec: { ...field.spec, type: 'string' } }, value, pointer, ctx);
    const lit = orderedLiteral(field, value, pointer, ctx);
    if (field.name === 'amount') ctx.error(pointer, `'in' on amount mixes currencies' decimals; compare amount_usd`);
    return lit?.({ exp: 2 } as Txn);
  }
  return scalarLiteral(field, value, pointer, ctx);
}

function compileMatches(field: FieldRef, value: unknown, flags: string | undefined, pointer: string, ctx: CompileContext): Test | undefined {
  if (field.spec.type !== 'string' && field.spec.type !== 'enum') {
    ctx.error(`${pointer}/op`, `'matches' applies to text; ${field.name} is a ${field.spec.type}`);
    return undefined;
  }
  let re: RegExp;
  try {
    re = new RegExp(String(value), flags ?? '');
  } catch (e) {
    ctx.error(`${pointer}/value`, `invalid regular expression: ${(e as Error).message}`);
    return undefined;
  }
  const get = field.get;
  return (t) => {
    const v = get(t);
    return v === undefined ? 2 : re.test(v as string) ? 1 : 0;
  };
}

/**
 * `in_ref`: the field's value is on a reference list (`"fatf_lists/grey"`) in force on the leg's date.
 * `match` widens "is on the list": prefix (an HS code under a listed heading), text (equal after
 * normalising case, accents, punctuation and spaces), words (contains a listed phrase as whole words).
 */
function compileInRef(field: FieldRef, value: unknown, match: NonNullable<TxnCondition['match']>, pointer: string, ctx: CompileContext): Test | undefined {
  if (!['string', 'enum', 'list'].includes(field.spec.type)) {
    return ctx.error(`${pointer}/op`, `'in_ref' applies to text and list fields; ${field.name} is a ${field.spec.type}`);
  }
  const [fileName, listName] = String(value).split('/');
  const ref = ctx.reference(fileName!);
  if (!ref) return ctx.error(`${pointer}/value`, `no reference file '${fileName}.json' (looked in the reference folders)`);
  const exact = ref.list(listName!);
  if (!exact) return ctx.error(`${pointer}/value`, `${ref.file} has no list '${listName}' (lists: ${ref.listNames().join(', ')})`);
  const lookup = match === 'exact' ? exact : widenedLookup(ref.entries(listName!)!, match);
  const get = field.get;
  if (field.spec.type === 'list') {
    return (t) => {
      const v = get(t) as readonly string[] | undefined;
      if (v === undefined) return 2;
      let unknown = false;
      for (const x of v) {
        const r = lookup(x, t);
        if (r === true) return 1;
        if (r === undefined) unknown = true;
      }
      return unknown ? 2 : 0;
    };
  }
  return (t) => {
    const v = get(t);
    if (v === undefined) return 2;
    const r = lookup(v as string, t);
    return r === undefined ? 2 : r ? 1 : 0;
  };
}

/** Upper case, accents removed, every run of other than letters and digits one space: "Mercancía  general." → "MERCANCIA GENERAL". */
export function normaliseText(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim();
}

function widenedLookup(entries: (t: Txn) => readonly string[] | undefined, match: 'prefix' | 'text' | 'words'): ListLookup {
  // Entries are normalised once per list version (the array identity changes only between versions).
  const cache = new WeakMap<readonly string[], { set: Set<string>; phrases: readonly string[] }>();
  const prepared = (list: readonly string[]) => {
    let p = cache.get(list);
    if (!p) {
      const phrases = match === 'prefix' ? [...list] : list.map((e) => ` ${normaliseText(e)} `);
      p = { set: new Set(phrases), phrases };
      cache.set(list, p);
    }
    return p;
  };
  // Names repeat (payroll, utilities, the same beneficiaries): normalise each distinct one once. Values
  // and entries are both kept as " WORDS ", so that a phrase matches on whole words.
  const normalised = new Map<string, string>();
  return (value, t) => {
    const list = entries(t);
    if (list === undefined) return undefined;
    const p = prepared(list);
    if (match === 'prefix') {
      for (const e of list) if (value.startsWith(e)) return true;
      return false;
    }
    let padded = normalised.get(value);
    if (padded === undefined) {
      if (normalised.size >= 100_000) normalised.clear();
      padded = ` ${normaliseText(value)} `;
      normalised.set(value, padded);
    }
    if (match === 'text') return p.set.has(padded);
    for (const e of p.phrases) if (padded.includes(e)) return true;
    return false;
  };
}

function isFieldValue(value: unknown): value is { field: string; times?: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'field' in value;
}

/**
 * A comparison with another field of the same leg ("the conductor is not the customer", "the unit
 * price is above 1.1 × the band's p95"); unknown when either is absent.
 */
function compileFieldComparison(
  field: FieldRef, op: string, ref: { field: string; times?: unknown }, pointer: string, ctx: CompileContext, asText = false,
): Test | undefined {
  const other = ctx.field(ref.field);
  if (!other) return ctx.error(`${pointer}/value/field`, `unknown field '${ref.field}'`);
  ctx.reads(other.name);
  let get = field.get;
  let getOther = other.get;
  if (asText) {
    if (op !== 'eq' && op !== 'ne') return ctx.error(`${pointer}/match`, `"match": "text" compares with eq or ne`);
    // Names as people write them: "Importadora Andina S.A.S." is "IMPORTADORA ANDINA SAS".
    const squeeze = (g: typeof get) => (t: Txn) => {
      const v = g(t);
      return typeof v === 'string' ? normaliseText(v).replace(/ /g, '') : v;
    };
    get = squeeze(get);
    getOther = squeeze(getOther);
  }
  if ((op === 'in' || op === 'not_in') && other.spec.type === 'list') {
    const hit: Tri = op === 'in' ? 1 : 0;
    const miss: Tri = op === 'in' ? 0 : 1;
    return (t) => {
      const a = get(t);
      const list = getOther(t) as readonly string[] | undefined;
      if (a === undefined) return 2;
      if (list === undefined) return miss;
      return list.includes(a as string) ? hit : miss;
    };
  }
  const cmp = COMPARE[op];
  if (!cmp) {
    return ctx.error(`${pointer}/value`, `'${op}' cannot compare with another field${op === 'in' || op === 'not_in' ? ` unless it is a list (${other.name} is a ${other.spec.type})` : ''}`);
  }
  const numeric = NUMERIC_TYPES.has(field.spec.type) && NUMERIC_TYPES.has(other.spec.type);
  if (op !== 'eq' && op !== 'ne' && !numeric && !(field.spec.type === 'date' && other.spec.type === 'date')) {
    return ctx.error(`${pointer}/value`, `'${op}' compares numbers or dates; ${field.name} is a ${field.spec.type} and ${other.name} a ${other.spec.type}`);
  }
  if (numeric && (field.spec.type === 'money') !== (other.spec.type === 'money' && other.usdCents === field.usdCents)) {
    return ctx.error(`${pointer}/value`, `${field.name} and ${other.name} are not amounts in the same unit (compare amount_usd with U.S. dollar amounts)`);
  }
  const factor = ref.times === undefined ? 1 : Number(ctx.resolve(ref.times, `${pointer}/value/times`));
  if (!(factor >= 0)) return ctx.error(`${pointer}/value/times`, `expected a non-negative factor, got ${JSON.stringify(ref.times)}`);
  if (factor !== 1 && !numeric) return ctx.error(`${pointer}/value/times`, `'times' applies to numbers and amounts`);
  return (t) => {
    const a = get(t);
    const b = getOther(t);
    if (a === undefined || b === undefined) return 2;
    return cmp(a as number, factor === 1 ? (b as number) : (b as number) * factor) ? 1 : 0;
  };
}

/** Round amounts: the value is a whole multiple of the literal (amounts compare exactly, in minor units). */
function compileMultipleOf(field: FieldRef, value: unknown, pointer: string, ctx: CompileContext): Test | undefined {
  const type = field.spec.type;
  if (type !== 'money' && type !== 'decimal' && type !== 'integer') {
    return ctx.error(`${pointer}/op`, `'multiple_of' applies to amounts and numbers; ${field.name} is a ${type}`);
  }
  const lit = orderedLiteral(field, value, `${pointer}/value`, ctx);
  if (!lit) return undefined;
  const get = field.get as (t: Txn) => number | undefined;
  return (t) => {
    const v = get(t);
    if (v === undefined) return 2;
    const m = lit(t) as number;
    return m > 0 && v % m === 0 ? 1 : 0;
  };
}
