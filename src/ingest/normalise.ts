/**
 * Raw rows become canonical legs: the mapping is compiled against the file's header once into one
 * accessor per field, then each row is a few array reads, exact amount parsing and timestamp parsing.
 * A row that cannot become a valid leg is a reject with a reason, never an exception.
 */
import { AmlError } from '../errors.js';
import { businessDayResolver } from './business-date.js';
import { interner } from './intern.js';
import { CANONICAL_FIELDS, CASH_CHANNELS, isCoreField, type FieldValue, type Txn } from './canonical.js';
import { parseAmount } from './decimal.js';
import type { FxTable } from './fx.js';
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
  /** Dated rates that give foreign-currency legs their amount_usd. */
  fx?: FxTable;
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

/** Turns one raw item into legs. The result object is reused by the next call: read it before then. */
export type Normaliser = (item: RawItem) => NormaliseResult;

type Row = readonly string[] | Record<string, unknown>;
type Accessor = (row: Row, line: number) => string | undefined;

interface OptionalField {
  name: string;
  get: Accessor;
  parse: (text: string) => FieldValue | { problem: string };
  intern: (text: string) => string;
}

/** One leg's compiled field plan. */
interface LegPlan {
  txnId: Accessor;
  bookingTs: Accessor;
  accountId: Accessor;
  customerId: Accessor | undefined;
  direction: Accessor;
  amount: Accessor;
  currency: Accessor;
  channel: Accessor;
  optional: OptionalField[];
  /** Field → where it comes from, for messages ("column DR_CR_IND"). */
  origins: Map<string, string>;
}

const REQUIRED = ['txn_id', 'booking_ts', 'account_id', 'direction', 'amount', 'currency', 'channel'] as const;
/**
 * Each canonical channel to itself: a leg gets the one shared string, not its own copy of 'wire' (a leg a
 * window holds for weeks keeps less, and lookups by channel reuse one cached hash).
 */
const CHANNEL_NAMES: ReadonlyMap<string, string> = new Map(CANONICAL_FIELDS.get('channel')!.values!.map((c) => [c, c]));
const MISSING: Accessor = () => undefined;

/** Compiles a mapping for one input file; `header` is the CSV header (undefined for JSON inputs). */
export function compileNormaliser(mapping: Mapping, header: readonly string[] | undefined, opts: NormaliseOptions): Normaliser {
  const zone = opts.timezone ?? mapping.spec.timestamp?.timezone;
  const format = mapping.spec.timestamp?.format ?? 'ISO';
  const parseTime = format === 'ISO' ? isoParser(zone) : patternParser(format, zone);
  const build = legBuilder(parseTime, zone, { ...opts, cutoff: opts.cutoff ?? mapping.spec.timestamp?.business_day_cutoff });
  if (mapping.identity && header === undefined) return identityObjects(build);
  const plans = legPlans(mapping, header);
  const used = new Set(plans.flatMap((p) => [...p.origins.values()]));
  const keep = mapping.spec.keep_unmapped !== false;
  const result: NormaliseResult = { legs: [] };
  const extra = keep && header ? header.map((c, i) => [c, i] as const).filter(([c]) => !used.has(`column ${c}`)) : [];
  return (item) => {
    if (item.kind === 'error') return { legs: [], reject: { code: item.code, message: item.message } };
    const row: Row = item.kind === 'cells' ? item.cells : (item.value as Record<string, unknown>);
    if (header && item.kind === 'cells' && item.cells.length !== header.length) {
      return { legs: [], reject: { code: 'row-width', message: `row has ${item.cells.length} fields, the header has ${header.length}` } };
    }
    const attrs = item.kind === 'cells' ? cellAttrs(item.cells, extra) : keep ? objectAttrs(row as Record<string, unknown>, used) : undefined;
    result.legs = [];
    result.warnings = undefined;
    result.reject = undefined;
    for (const plan of plans) {
      const leg = build(plan, row, item.line, attrs, result);
      if (!leg) return { legs: [], reject: result.reject!, warnings: result.warnings };
      result.legs.push(leg);
    }
    return result;
  };
}

/** Canonical JSON records: keys are field names; one plan per distinct key list, cached. */
function identityObjects(build: ReturnType<typeof legBuilder>): Normaliser {
  const plans = new Map<string, { plan: LegPlan; others: string[] }>();
  return (item) => {
    if (item.kind === 'error') return { legs: [], reject: { code: item.code, message: item.message } };
    if (item.kind !== 'object') return { legs: [], reject: { code: 'row-kind', message: 'expected a JSON object' } };
    const value = item.value as Record<string, unknown>;
    const keys = Object.keys(value);
    const signature = keys.join('\u0000');
    let cached = plans.get(signature);
    if (!cached) {
      const fields = Object.fromEntries(keys.filter(isMappable).map((k) => [k, k]));
      cached = { plan: planFor(fields, undefined), others: keys.filter((k) => !CANONICAL_FIELDS.has(k)) };
      plans.set(signature, cached);
    }
    let attrs: Record<string, FieldValue> | undefined;
    for (const key of cached.others) {
      const text = cellText(value[key]);
      if (text !== undefined && text !== '') (attrs ??= {})[key] = text;
    }
    const result: NormaliseResult = { legs: [] };
    const leg = build(cached.plan, value, item.line, attrs, result);
    return leg ? { legs: [leg], warnings: result.warnings } : { legs: [], reject: result.reject!, warnings: result.warnings };
  };
}

function isMappable(field: string): boolean {
  const spec = CANONICAL_FIELDS.get(field);
  return spec !== undefined && spec.level !== 'D';
}

function legPlans(mapping: Mapping, header: readonly string[] | undefined): LegPlan[] {
  const base: Record<string, ValueSpec> = mapping.identity
    ? Object.fromEntries(header!.filter(isMappable).map((c) => [c, c]))
    : (mapping.spec.fields ?? {});
  return (mapping.spec.legs ?? [{ fields: {} }]).map((leg) => planFor({ ...base, ...leg.fields }, header));
}

function planFor(fields: Record<string, ValueSpec>, header: readonly string[] | undefined): LegPlan {
  const origins = new Map<string, string>();
  const accessors = new Map<string, Accessor>();
  for (const [field, spec] of Object.entries(fields)) {
    origins.set(field, describe(spec));
    accessors.set(field, accessor(spec, header));
  }
  const get = (name: string) => accessors.get(name) ?? MISSING;
  return {
    txnId: get('txn_id'), bookingTs: get('booking_ts'), accountId: get('account_id'), customerId: accessors.get('customer_id'),
    direction: get('direction'), amount: get('amount'), currency: get('currency'), channel: get('channel'),
    optional: [...accessors].filter(([name]) => !isCoreField(name)).map(([name, a]) => ({ name, get: a, parse: optionalParser(name), intern: interner() })),
    origins,
  };
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
    if (codes) return (Object.hasOwn(codes, v) ? codes[v] : undefined) ?? fallback ?? v;
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

function cellAttrs(cells: readonly string[], extra: ReadonlyArray<readonly [string, number]>): Record<string, FieldValue> | undefined {
  let attrs: Record<string, FieldValue> | undefined;
  for (const [column, index] of extra) {
    const v = cells[index];
    if (v !== undefined && v !== '') (attrs ??= {})[column] = v;
  }
  return attrs;
}

function objectAttrs(row: Record<string, unknown>, used: ReadonlySet<string>): Record<string, FieldValue> | undefined {
  let attrs: Record<string, FieldValue> | undefined;
  for (const key in row) {
    const text = cellText(row[key]);
    if (text !== undefined && text !== '' && !used.has(`column ${key}`)) (attrs ??= {})[key] = text;
  }
  return attrs;
}

function legBuilder(parseTime: TimeParser, zone: string | undefined, opts: NormaliseOptions) {
  const cutoff = opts.cutoff ?? '24:00';
  const businessDay = businessDayResolver(Number(cutoff.slice(0, 2)) * 60 + Number(cutoff.slice(3, 5)));
  const src = opts.sourceId;
  const fx = opts.fx;
  // Accounts, customers and currencies repeat from leg to leg: legs held in windows share one copy.
  const internAccount = interner();
  const internCustomer = interner();
  const internCurrency = interner();
  return (p: LegPlan, row: Row, line: number, attrs: Record<string, FieldValue> | undefined, out: NormaliseResult): Txn | undefined => {
    const txnId = p.txnId(row, line);
    const bookingTs = p.bookingTs(row, line);
    const accountId = p.accountId(row, line);
    const directionText = p.direction(row, line);
    const amountText = p.amount(row, line);
    const currencyText = p.currency(row, line);
    const channelText = p.channel(row, line);
    if (!txnId || !bookingTs || !accountId || !directionText || !amountText || !currencyText || !channelText) {
      const values = [txnId, bookingTs, accountId, directionText, amountText, currencyText, channelText];
      const field = REQUIRED[values.findIndex((v) => !v)]!;
      return fail(out, 'missing-field', `missing required field ${field}${from(p, field)}`);
    }
    const time = parseTime(bookingTs);
    if (typeof time === 'string') return fail(out, 'bad-timestamp', `booking_ts${from(p, 'booking_ts')}: ${time}`);
    const word = normaliseWord(directionText);
    if (word !== 'in' && word !== 'out') {
      return fail(out, 'bad-direction', `direction '${directionText}'${from(p, 'direction')} is neither in nor out`);
    }
    const direction = word === 'in' ? 'in' : 'out';
    const channel = CHANNEL_NAMES.get(normaliseWord(channelText));
    if (channel === undefined) return fail(out, 'bad-channel', `channel '${channelText}'${from(p, 'channel')} is not a canonical channel`);
    const currency = internCurrency(currencyText.length === 3 ? currencyText.toUpperCase() : currencyText.trim().toUpperCase());
    if (!/^[A-Z]{3}$/.test(currency)) return fail(out, 'bad-currency', `currency '${currencyText}'${from(p, 'currency')} is not an ISO 4217 code`);
    const parsed = parseAmount(amountText, currency);
    if (typeof parsed === 'string') return fail(out, 'bad-amount', `amount${from(p, 'amount')}: ${parsed}`);
    const { minor: amount, exp } = parsed;
    if (amount === 0) return fail(out, 'bad-amount', `amount${from(p, 'amount')} is zero`);
    const offset = zone === undefined ? time.offsetMinutes : zoneOffsetMinutes(zone, time.ts);
    const bd = businessDay(time.ts + offset * 60_000);
    const f = optionalFields(p, row, line, attrs, out);
    let amountUsd: number | undefined = currency === 'USD' ? amount : undefined;
    if (amountUsd === undefined && fx !== undefined) {
      const converted = fx.convert(currency, amount, exp, localDay(time.ts, time.offsetMinutes));
      if (converted) {
        amountUsd = converted.cents;
        f.fx_rate = converted.rate.text;
        f.fx_date = converted.rate.date;
        if (converted.rate.source !== '') f.fx_source = converted.rate.source;
      }
    }
    if (f.invoice_amount !== undefined || f.hs_code !== undefined) deriveTrade(f, fx, localDay(time.ts, time.offsetMinutes), currency);
    return {
      src,
      line,
      txn_id: txnId,
      ts: time.ts,
      off: time.offsetMinutes,
      business_date: bd.date,
      bday: bd.day,
      account_id: internAccount(accountId),
      customer_id: internCustomer(p.customerId?.(row, line) || accountId),
      direction,
      amount,
      exp,
      currency,
      amount_usd: amountUsd,
      channel,
      is_cash: CASH_CHANNELS.has(channel) || ((channel === 'monetary_instrument' || channel === 'remittance') && f.funding_method === 'cash'),
      f,
    };
  };
}

function localDay(ts: number, offsetMinutes: number): number {
  return Math.floor((ts + offsetMinutes * 60_000) / 86_400_000);
}

/**
 * Trade fields derived for TBML rules (domain/typologies.md §2.5): `hs6` (the first six digits of
 * hs_code), a quantity in dozens as items, `unit_price` when absent (invoice_amount / quantity), and the
 * U.S.-dollar figures `invoice_amount_usd` (exact, through the FX table on the booking date) and
 * `unit_price_usd`. The invoice currency defaults to the leg's.
 */
function deriveTrade(f: Record<string, FieldValue>, fx: FxTable | undefined, day: number, legCurrency: string): void {
  if (typeof f.hs_code === 'string') {
    const digits = f.hs_code.replace(/[.\s]/g, '');
    if (/^\d{6,10}$/.test(digits)) f.hs6 = digits.slice(0, 6);
  }
  if (f.quantity_unit === 'dozen' && typeof f.quantity === 'number') {
    f.quantity = f.quantity * 12;
    f.quantity_unit = 'u';
  }
  if (typeof f.invoice_amount !== 'number') return;
  const quantity = typeof f.quantity === 'number' && f.quantity > 0 ? f.quantity : undefined;
  if (f.unit_price === undefined && quantity !== undefined) f.unit_price = f.invoice_amount / quantity;
  const currency = typeof f.invoice_currency === 'string' ? f.invoice_currency.toUpperCase() : legCurrency;
  const parsed = parseAmount(String(f.invoice_amount), currency);
  if (typeof parsed === 'string') return;
  const cents = currency === 'USD' ? parsed.minor * 10 ** (2 - parsed.exp) : fx?.convert(currency, parsed.minor, parsed.exp, day)?.cents;
  if (cents === undefined || !Number.isInteger(cents)) return;
  f.invoice_amount_usd = cents;
  if (quantity !== undefined) f.unit_price_usd = cents / 100 / quantity;
}

function fail(out: NormaliseResult, code: string, message: string): undefined {
  out.reject = { code, message };
  return undefined;
}

function from(p: LegPlan, field: string): string {
  const origin = p.origins.get(field);
  return origin ? ` (${origin})` : '';
}

/** Lower-case without allocating when the text already is (the common case). */
function normaliseWord(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c === 32) return text.trim().toLowerCase();
  }
  return text;
}

function optionalFields(p: LegPlan, row: Row, line: number, attrs: Record<string, FieldValue> | undefined, out: NormaliseResult): Record<string, FieldValue> {
  const f: Record<string, FieldValue> = attrs ? { ...attrs } : {};
  for (const o of p.optional) {
    const text = o.get(row, line);
    if (text === undefined || text === '') continue;
    const value = o.parse(text);
    if (typeof value === 'object' && value !== null && 'problem' in value) {
      (out.warnings ??= []).push({ code: 'bad-value', message: `${o.name}${from(p, o.name)}: ${value.problem}; treated as absent` });
    } else {
      f[o.name] = typeof value === 'string' ? o.intern(value) : (value as FieldValue);
    }
  }
  return f;
}

function optionalParser(field: string): (text: string) => FieldValue | { problem: string } {
  const spec = CANONICAL_FIELDS.get(field)!;
  switch (spec.type) {
    case 'enum':
      return (text) => {
        // The canonical value itself, one shared string.
        const v = normaliseWord(text);
        return spec.values!.find((x) => x === v) ?? { problem: `'${text}' is not one of ${spec.values!.join(', ')}` };
      };
    case 'decimal':
      return (text) => (/^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : { problem: `'${text}' is not a decimal number` });
    case 'integer':
      return (text) => (/^-?\d+$/.test(text.trim()) ? Number(text) : { problem: `'${text}' is not an integer` });
    case 'boolean':
      return (text) => {
        const v = text.trim().toLowerCase();
        if (['true', '1', 'yes', 'y'].includes(v)) return true;
        if (['false', '0', 'no', 'n'].includes(v)) return false;
        return { problem: `'${text}' is not true or false` };
      };
    case 'date':
      return (text) => (/^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? text.trim() : { problem: `'${text}' is not a YYYY-MM-DD date` });
    case 'list':
      return (text) => text.split(/[;|]/).map((s) => s.trim()).filter((s) => s !== '');
    default:
      return (text) => text;
  }
}
