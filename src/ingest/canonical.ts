/**
 * The canonical transaction record (domain/typologies.md §2): one posted leg seen from the
 * institution's customer account. Every input format is mapped onto it.
 */

export const FieldType = {
  string: 'string',
  enum: 'enum',
  money: 'money',
  decimal: 'decimal',
  integer: 'integer',
  boolean: 'boolean',
  datetime: 'datetime',
  date: 'date',
  list: 'list',
} as const;
export type FieldType = (typeof FieldType)[keyof typeof FieldType];

/** R: the loader rejects a row without it. C: rules that need it report "not evaluated". O: optional. D: derived. */
export type FieldLevel = 'R' | 'C' | 'O' | 'D';

export interface FieldSpec {
  name: string;
  type: FieldType;
  level: FieldLevel;
  values?: readonly string[];
}

export const DIRECTIONS = ['in', 'out'] as const;
export const CHANNELS = [
  'cash', 'wire', 'ach', 'iat_ach', 'check', 'monetary_instrument', 'card', 'p2p', 'rtp', 'book', 'atm',
  'armored_car', 'trade_finance', 'crypto', 'remittance', 'other',
] as const;
export const CASH_CHANNELS: ReadonlySet<string> = new Set(['cash', 'atm', 'armored_car']);
const STATUSES = ['posted', 'reversed', 'returned', 'attempted', 'cancelled'] as const;
const INSTRUMENTS = [
  'money_order', 'cashier_check', 'travelers_check', 'bank_draft', 'personal_check', 'business_check',
  'postal_money_order',
] as const;
const FUNDING = ['cash', 'account', 'card', 'money_order'] as const;
const INSTITUTION_TYPES = ['bank', 'msb', 'casa_de_cambio', 'broker_dealer', 'other'] as const;
const CUSTOMER_TYPES = [
  'individual', 'business', 'msb', 'casa_de_cambio', 'foreign_fi', 'armored_car_service', 'government', 'npo',
] as const;

type Row = [string, FieldType, FieldLevel, (readonly string[])?];

const S = FieldType.string;
const TABLE: Row[] = [
  // core (§2.1)
  ['txn_id', S, 'R'],
  ['source_file_id', S, 'D'],
  ['source_row', FieldType.integer, 'D'],
  ['booking_ts', FieldType.datetime, 'R'],
  ['value_date', FieldType.date, 'O'],
  ['business_date', FieldType.date, 'D'],
  ['account_id', S, 'R'],
  ['direction', FieldType.enum, 'R', DIRECTIONS],
  ['amount', FieldType.money, 'R'],
  ['currency', S, 'R'],
  ['amount_usd', FieldType.money, 'D'],
  ['fx_rate', S, 'D'],
  ['fx_date', FieldType.date, 'D'],
  ['fx_source', S, 'D'],
  ['channel', FieldType.enum, 'R', CHANNELS],
  ['instrument_type', FieldType.enum, 'C', INSTRUMENTS],
  ['instrument_serial', S, 'C'],
  ['instrument_issuer', S, 'O'],
  ['is_cash', FieldType.boolean, 'D'],
  ['funding_method', FieldType.enum, 'O', FUNDING],
  ['description', S, 'O'],
  ['purpose_code', S, 'O'],
  ['remittance_info', S, 'O'],
  ['status', FieldType.enum, 'O', STATUSES],
  ['pair_id', S, 'O'],
  ['balance_after', FieldType.decimal, 'O'],
  ['channel_inferred', FieldType.boolean, 'O'],
  // location (§2.2)
  ['institution_type', FieldType.enum, 'C', INSTITUTION_TYPES],
  ['branch_id', S, 'C'],
  ['branch_city', S, 'C'],
  ['branch_state', S, 'C'],
  ['branch_zip', S, 'C'],
  ['branch_country', S, 'C'],
  ['branch_county_fips', S, 'O'],
  ['atm_id', S, 'C'],
  ['terminal_city', S, 'C'],
  ['terminal_state', S, 'C'],
  ['terminal_zip', S, 'C'],
  ['terminal_country', S, 'C'],
  ['lat', FieldType.decimal, 'O'],
  ['lon', FieldType.decimal, 'O'],
  // subject (§2.3)
  ['customer_id', S, 'R'],
  ['customer_type', FieldType.enum, 'C', CUSTOMER_TYPES],
  ['customer_naics', S, 'C'],
  ['occupation', S, 'C'],
  ['customer_country', S, 'C'],
  ['customer_state', S, 'C'],
  ['customer_zip', S, 'C'],
  ['customer_related_mx_business', FieldType.boolean, 'O'],
  ['id_doc_type', S, 'O'],
  ['id_doc_country', S, 'O'],
  ['account_open_date', FieldType.date, 'C'],
  ['account_signer_ids', FieldType.list, 'C'],
  ['customer_risk_rating', S, 'O'],
  ['related_party_ids', FieldType.list, 'O'],
  ['account_home_branch_id', S, 'C'],
  ['account_home_state', S, 'C'],
  ['account_home_zip', S, 'C'],
  ['expected_monthly_cash_in', FieldType.decimal, 'O'],
  ['expected_monthly_xb_out', FieldType.decimal, 'O'],
  ['expected_countries', FieldType.list, 'O'],
  ['conductor_id', S, 'C'],
  ['conductor_name', S, 'C'],
  ['conductor_id_doc', S, 'C'],
  ['teller_id', S, 'O'],
  // counterparty (§2.4)
  ['cp_name', S, 'C'],
  ['cp_account', S, 'C'],
  ['cp_bank_name', S, 'C'],
  ['cp_bank_bic', S, 'C'],
  ['cp_bank_aba', S, 'C'],
  ['cp_bank_country', S, 'C'],
  ['cp_country', S, 'C'],
  ['cp_city', S, 'O'],
  ['cp_state', S, 'O'],
  ['cp_zip', S, 'O'],
  ['intermediary_bics', FieldType.list, 'O'],
  ['route_countries', FieldType.list, 'O'],
  ['ultimate_originator', S, 'O'],
  ['ultimate_beneficiary', S, 'O'],
  ['cp_is_customer', FieldType.boolean, 'O'],
  ['cp_account_internal', S, 'O'],
  // trade (§2.5)
  ['invoice_id', S, 'C'],
  ['invoice_date', FieldType.date, 'C'],
  ['invoice_amount', FieldType.decimal, 'C'],
  ['invoice_currency', S, 'C'],
  ['hs_code', S, 'C'],
  ['goods_description', S, 'C'],
  ['quantity', FieldType.decimal, 'C'],
  ['quantity_unit', S, 'C'],
  ['unit_price', FieldType.decimal, 'C'],
  ['hs6', S, 'D'],
  ['invoice_amount_usd', FieldType.money, 'D'],
  ['unit_price_usd', FieldType.decimal, 'D'],
  ['incoterm', S, 'O'],
  ['seller_name', S, 'C'],
  ['seller_country', S, 'C'],
  ['buyer_name', S, 'C'],
  ['buyer_country', S, 'C'],
  ['notify_party', S, 'O'],
  ['payer_name', S, 'C'],
  ['payer_country', S, 'C'],
  ['payer_account', S, 'C'],
  ['country_of_origin', S, 'C'],
  ['country_of_destination', S, 'C'],
  ['port_of_loading', S, 'O'],
  ['port_of_discharge', S, 'O'],
  ['transshipment_ports', FieldType.list, 'O'],
  ['bl_number', S, 'O'],
  ['container_ids', FieldType.list, 'O'],
  ['lc_number', S, 'O'],
  ['lc_amendment_count', FieldType.integer, 'O'],
  ['lc_last_amend_fields', FieldType.list, 'O'],
  ['trade_txn_ref', S, 'C'],
];

export const CANONICAL_FIELDS: ReadonlyMap<string, FieldSpec> = new Map(
  TABLE.map(([name, type, level, values]) => [name, values ? { name, type, level, values } : { name, type, level }]),
);

/** Fields the record holds as properties of its own; every other field lives in `Txn.f`. */
export const CORE_FIELDS = [
  'txn_id', 'booking_ts', 'business_date', 'account_id', 'customer_id', 'direction', 'amount', 'currency',
  'amount_usd', 'channel', 'is_cash', 'source_file_id', 'source_row',
] as const;
const CORE_SET: ReadonlySet<string> = new Set(CORE_FIELDS);
export function isCoreField(name: string): boolean {
  return CORE_SET.has(name);
}

/** Columns outside the canonical list are kept as attributes, read in rules as `attrs.<column>`. */
export const ATTR_PREFIX = 'attrs.';

export type FieldValue = string | number | boolean | readonly string[];

/** A canonical transaction leg as the engine sees it. Money is in integer minor units. */
export interface Txn {
  /** Source file id (its base name unless set) and the line (or JSON array index) the leg came from. */
  src: string;
  line: number;
  txn_id: string;
  /** booking_ts as epoch milliseconds (UTC), and the UTC offset (minutes) it was written with. */
  ts: number;
  off: number;
  /** YYYY-MM-DD, per 31 CFR 1010.313(b): weekends and holidays roll to the next business day. */
  business_date: string;
  /** business_date as days since 1970-01-01. */
  bday: number;
  account_id: string;
  customer_id: string;
  direction: 'in' | 'out';
  /** Amount in minor units of `currency`; `exp` is the currency's number of decimals. */
  amount: number;
  exp: number;
  currency: string;
  /** Amount in U.S. cents, or undefined when no rate converts the currency (rules then say "not evaluated"). */
  amount_usd: number | undefined;
  channel: string;
  is_cash: boolean;
  /** Every other canonical field present in the input, and unknown columns under their own names. */
  f: Record<string, FieldValue>;
}
