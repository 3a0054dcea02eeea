/**
 * Field references are resolved once, when a rule is compiled: a name becomes a typed getter, and a
 * name that is neither canonical nor `attrs.<column>` is a compile error, not a silent miss.
 */
import { ATTR_PREFIX, CANONICAL_FIELDS, type FieldSpec, type FieldValue, type Txn } from '../ingest/canonical.js';

export type Getter = (t: Txn) => FieldValue | undefined;

export interface FieldRef {
  name: string;
  spec: FieldSpec;
  get: Getter;
  /** A money field held in U.S. cents whatever the leg's currency (amount_usd, derived dollar amounts). */
  usdCents?: boolean;
}

const CORE_GETTERS: Record<string, Getter> = {
  txn_id: (t) => t.txn_id,
  booking_ts: (t) => t.ts,
  business_date: (t) => t.business_date,
  account_id: (t) => t.account_id,
  customer_id: (t) => t.customer_id,
  direction: (t) => t.direction,
  amount: (t) => t.amount,
  currency: (t) => t.currency,
  amount_usd: (t) => t.amount_usd,
  channel: (t) => t.channel,
  is_cash: (t) => t.is_cash,
  source_file_id: (t) => t.src,
  source_row: (t) => t.line,
};

const ATTR_SPEC = { type: 'string', level: 'O' } as const;

/** Resolves a field name, or returns undefined when no such field exists. */
export function resolveField(name: string): FieldRef | undefined {
  if (name.startsWith(ATTR_PREFIX)) {
    const column = name.slice(ATTR_PREFIX.length);
    return { name, spec: { name, ...ATTR_SPEC }, get: (t) => t.f[column] };
  }
  const spec = CANONICAL_FIELDS.get(name);
  if (!spec) return undefined;
  return { name, spec, get: CORE_GETTERS[name] ?? ((t) => t.f[name]), usdCents: spec.type === 'money' && name !== 'amount' };
}

/** Field types whose values are numbers at run time and can be ordered, summed or averaged. */
export const NUMERIC_TYPES: ReadonlySet<string> = new Set(['money', 'decimal', 'integer', 'datetime']);
export const ORDERED_TYPES: ReadonlySet<string> = new Set([...NUMERIC_TYPES, 'date']);
