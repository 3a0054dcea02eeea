/**
 * Raw rows become canonical legs: the mapping is compiled against the file's header once, then each row
 * is a few array reads, exact amount parsing and timestamp parsing. A row that cannot become a valid
 * leg is a reject with a reason, never an exception.
 */
import { AmlError } from '../errors.js';
import { businessDayResolver } from './business-date.js';
import { CANONICAL_FIELDS, CASH_CHANNELS, isCoreField, type FieldValue, type Txn } from './canonical.js';
import { currencyExponent, parseMinorUnits } from './decimal.js';
import type { RawItem } from './input.js';
import type { Mapping, ValueSpec } from './mapping.js';
import { isoParser, patternParser, zoneOffsetMinutes, type TimeParser } from './time.js';

export interface NormaliseOptions {
  /** Source file id written into each leg (the file's base name unless set). */
  sourceId: string;
  /** Overrides the mapping's time zone (naive timestamps and the business-day clock). */
  timezone?: string;
  /** Overrides the mapping's business-day cutoff, HH:MM. */
  cutoff?: string;
}

export interface RowProblem {
  code: string;
  message: string;
}

export interface NormaliseResult {
  legs: Txn[];
  reject?: RowProblem;
  warnings?: RowProblem[];
}

export type Normaliser = (item: RawItem) => NormaliseResult;

type Row = readonly string[] | Record<string, unknown>;
type Accessor = (row: Row, line: number) => string | undefined;

interface LegPlan {
  getters: Array<[field: string, get: Accessor]>;
  /** Field → where it comes from, for messages ("column DR_CR_IND"). */
  origins: Map<string, string>;
}

const REQUIRED = ['txn_id', 'booking_ts', 'account_id', 'direction', 'amount', 'currency', 'channel'] as const;

/** Compiles a mapping for one input file; `header` is the CSV header (undefined for JSON inputs). */
export function compileNormaliser(mapping: Mapping, header: readonly string[] | undefined, opts: NormaliseOptions): Normaliser {
  const zone = opts.timezone ?? mapping.spec.timestamp?.timezone;
  const format = mapping.spec.timestamp?.format ?? 'ISO';
  const parseTime = format === 'ISO' ? isoParser(zone) : patternParser(format, zone);
  const build = legBuilder(parseTime, zone, opts);
  if (mapping.identity && header === undefined) return identityObjects(build);
  const plans = legPlans(mapping, header);
  const used = new Set(plans.flatMap((p) => [...p.origins.values()]));
  const keep = mapping.spec.keep_unmapped !== false;
  const extraColumns = keep && header ? header.map((c, i) => [c, i] as const).filter(([c]) => !used.has(`column ${c}`)) : [];
  return (item) => {
    if (item.kind === 'error') return { legs: [], reject: { code: item.code, message: item.message } };
    const row: Row = item.kind === 'cells' ? item.cells : (item.value as Record<string, unknown>);
    if (header && item.kind === 'cells' && item.cells.length !== header.length) {
      return { legs: [], reject: { code: 'row-width', message: `row has ${item.cells.length} fields, the header has ${header.length}` } };
    }
    const attrs = item.kind === 'cells' ? cellAttrs(item.cells, extraColumns) : keep ? objectAttrs(row as Record<string, unknown>, used) : {};
    const result: NormaliseResult = { legs: [] };
    for (const plan of plans) {
      const raw: Record<string, string> = {};
      for (const [field, get] of plan.getters) {
        const v = get(row, item.line);
        if (v !== undefined && v !== '') raw[field] = v;
      }
      const leg = build(raw, attrs, item.line, plan.origins, result);
      if (!leg) return { legs: [], reject: result.reject!, warnings: result.warnings };
      result.legs.push(leg);
    }
    return result;
  };
}

function identityObjects(build: ReturnType<typeof legBuilder>): Normaliser {
  const origins = new Map<string, string>();
  return (item) => {
    if (item.kind === 'error') return { legs: [], reject: { code: item.code, message: item.message } };
    if (item.kind !== 'object') return { legs: [], reject: { code: 'row-kind', message: 'expected a JSON object' } };
    const raw: Record<string, string> = {};
    const attrs: Record<string, FieldValue> = {};
    for (const [key, value] of Object.entries(item.value as Record<string, unknown>)) {
      const text = cellText(value);
      if (text === undefined || text === '') continue;
      if (CANONICAL_FIELDS.has(key)) raw[key] = text;
      else attrs[key] = text;
    }
    const result: NormaliseResult = { legs: [] };
    const leg = build(raw, attrs, item.line, origins, result);
    return leg ? { legs: [leg], warnings: result.warnings } : { legs: [], reject: result.reject!, warnings: result.warnings };
  };
}

function legPlans(mapping: Mapping, header: readonly string[] | undefined): LegPlan[] {
  const base = mapping.identity ? identityFields(header!) : (mapping.spec.fields ?? {});
  const legs = mapping.spec.legs ?? [{ fields: {} }];
  return legs.map((leg) => {
    const fields = { ...base, ...leg.fields };
    const origins = new Map<string, string>();
    const getters = Object.entries(fields).map(([field, spec]): [string, Accessor] => {
      origins.set(field, describe(spec));
      return [field, accessor(spec, header)];
    });
    return { getters, origins };
  });
}

function identityFields(header: readonly string[]): Record<string, ValueSpec> {
  return Object.fromEntries(header.filter((c) => CANONICAL_FIELDS.has(c) && !isDerived(c)).map((c) => [c, c]));
}

function isDerived(field: string): boolean {
  return CANONICAL_FIELDS.get(field)?.level === 'D';
}

function describe(spec: ValueSpec): string {
  if (typeof spec === 'string') return `column ${spec}`;
  if ('column' in spec) return `column ${spec.column}`;
  if ('const' in spec) return 'a constant';
  if ('line' in spec) return 'the line number';
  return spec.concat.map(describe).join(' + ');
}

function accessor(spec: ValueSpec, header: readonly string[] | undefined): Accessor {
  if (typeof spec === 'string') return columnAccessor(spec, header);
  if ('const' in spec) return () => spec.const;
  if ('line' in spec) return (_row, line) => String(line);
  if ('concat' in spec) {
    const parts = spec.concat.map((p) => accessor(p, header));
    return (row, line) => {
      let out = '';
      for (const part of parts) {
        const v = part(row, line);
        if (v === undefined || v === '') return undefined;
        out += v;
      }
      return out;
    };
  }
  const get = columnAccessor(spec.column, header);
  const { codes, integer } = spec;
  const fallback = spec.default;
  return (row, line) => {
    let v = get(row, line);
    if (v === undefined || v === '') return fallback;
    if (integer && /^\d+$/.test(v)) v = String(BigInt(v));
    if (codes) {
      const mapped = codes[v];
      return mapped ?? fallback ?? v;
    }
    return v;
  };
}

function columnAccessor(column: string, header: readonly string[] | undefined): Accessor {
  if (header === undefined) return (row) => cellText((row as Record<string, unknown>)[column]);
  const index = header.indexOf(column);
  if (index < 0) {
    throw new AmlError('input', `the mapping reads column '${column}', which is not in the header (${header.join(', ')})`);
  }
  return (row) => (row as readonly string[])[index];
}

function cellText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(String).join(';');
  return JSON.stringify(value);
}

function cellAttrs(cells: readonly string[], extra: ReadonlyArray<readonly [string, number]>): Record<string, FieldValue> {
  const attrs: Record<string, FieldValue> = {};
  for (const [column, index] of extra) {
    const v = cells[index];
    if (v !== undefined && v !== '') attrs[column] = v;
  }
  return attrs;
}

function objectAttrs(row: Record<string, unknown>, used: ReadonlySet<string>): Record<string, FieldValue> {
  const attrs: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(row)) {
    const text = cellText(value);
    if (text !== undefined && text !== '' && !used.has(`column ${key}`)) attrs[key] = text;
  }
  return attrs;
}

function legBuilder(parseTime: TimeParser, zone: string | undefined, opts: NormaliseOptions) {
  const cutoff = opts.cutoff ?? '24:00';
  const businessDay = businessDayResolver(Number(cutoff.slice(0, 2)) * 60 + Number(cutoff.slice(3, 5)));
  return (raw: Record<string, string>, attrs: Record<string, FieldValue>, line: number, origins: Map<string, string>, out: NormaliseResult): Txn | undefined => {
    const fail = (code: string, message: string) => {
      out.reject = { code, message };
      return undefined;
    };
    const from = (field: string) => (origins.has(field) ? ` (${origins.get(field)})` : '');
    for (const field of REQUIRED) {
      if (raw[field] === undefined) return fail('missing-field', `missing required field ${field}${from(field)}`);
    }
    const time = parseTime(raw.booking_ts!);
    if (typeof time === 'string') return fail('bad-timestamp', `booking_ts${from('booking_ts')}: ${time}`);
    const direction = raw.direction!.trim().toLowerCase();
    if (direction !== 'in' && direction !== 'out') {
      return fail('bad-direction', `direction '${raw.direction}'${from('direction')} is neither in nor out`);
    }
    const channel = raw.channel!.trim().toLowerCase();
    if (!CANONICAL_FIELDS.get('channel')!.values!.includes(channel)) {
      return fail('bad-channel', `channel '${raw.channel}'${from('channel')} is not a canonical channel`);
    }
    const currency = raw.currency!.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) return fail('bad-currency', `currency '${raw.currency}'${from('currency')} is not an ISO 4217 code`);
    const exp = currencyExponent(currency);
    const amount = parseMinorUnits(raw.amount!, exp);
    if (typeof amount === 'string') return fail('bad-amount', `amount${from('amount')}: ${amount}`);
    if (amount === 0) return fail('bad-amount', `amount${from('amount')} is zero`);
    const offset = zone === undefined ? time.offsetMinutes : zoneOffsetMinutes(zone, time.ts);
    const bd = businessDay(time.ts + offset * 60_000);
    const f = optionalFields(raw, attrs, origins, out);
    const funding = f.funding_method;
    return {
      src: opts.sourceId,
      line,
      txn_id: raw.txn_id!,
      ts: time.ts,
      off: time.offsetMinutes,
      business_date: bd.date,
      bday: bd.day,
      account_id: raw.account_id!,
      customer_id: raw.customer_id ?? raw.account_id!,
      direction,
      amount,
      exp,
      currency,
      amount_usd: currency === 'USD' ? amount : undefined,
      channel,
      is_cash: CASH_CHANNELS.has(channel) || ((channel === 'monetary_instrument' || channel === 'remittance') && funding === 'cash'),
      f,
    };
  };
}

function optionalFields(raw: Record<string, string>, attrs: Record<string, FieldValue>, origins: Map<string, string>, out: NormaliseResult): Record<string, FieldValue> {
  const f: Record<string, FieldValue> = { ...attrs };
  for (const field in raw) {
    if (isCoreField(field)) continue;
    const value = parseOptional(field, raw[field]!);
    if (typeof value === 'object' && value !== null && 'problem' in value) {
      const where = origins.has(field) ? ` (${origins.get(field)})` : '';
      (out.warnings ??= []).push({ code: 'bad-value', message: `${field}${where}: ${value.problem}; treated as absent` });
    } else {
      f[field] = value as FieldValue;
    }
  }
  return f;
}

function parseOptional(field: string, text: string): FieldValue | { problem: string } {
  const spec = CANONICAL_FIELDS.get(field)!;
  switch (spec.type) {
    case 'enum': {
      const v = text.trim().toLowerCase();
      return spec.values!.includes(v) ? v : { problem: `'${text}' is not one of ${spec.values!.join(', ')}` };
    }
    case 'decimal': {
      return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : { problem: `'${text}' is not a decimal number` };
    }
    case 'integer':
      return /^-?\d+$/.test(text.trim()) ? Number(text) : { problem: `'${text}' is not an integer` };
    case 'boolean': {
      const v = text.trim().toLowerCase();
      if (['true', '1', 'yes', 'y'].includes(v)) return true;
      if (['false', '0', 'no', 'n'].includes(v)) return false;
      return { problem: `'${text}' is not true or false` };
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? text.trim() : { problem: `'${text}' is not a YYYY-MM-DD date` };
    case 'list':
      return text.split(/[;|]/).map((s) => s.trim()).filter((s) => s !== '');
    default:
      return text;
  }
}
