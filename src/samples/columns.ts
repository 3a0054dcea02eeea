/**
 * The columns of both layouts, in groups: the canonical name of each column and its name in the bank's
 * teller extract. Groups a leg takes from one table (its counterparty, its customer's profile, its
 * per-leg extras) are written as one pre-escaped piece.
 */

/** [canonical, teller extract] */
type Column = readonly [string, string];

/** Instrument and funding of a purchase or remittance: per-leg extras written after the channel. */
export const INSTRUMENT: readonly Column[] = [['instrument_type', 'INSTR_TYPE'], ['funding_method', 'FUND_SRC']];

/** Where the leg was conducted; the teller extract has no branch country column. */
export const PLACE: readonly Column[] = [
  ['institution_type', 'ENTITY'], ['branch_id', 'BRANCH_NO'], ['branch_city', 'BRANCH_CITY'], ['branch_state', 'BRANCH_ST'],
  ['branch_zip', 'BRANCH_ZIP'], ['branch_country', ''], ['branch_county_fips', 'BRANCH_FIPS'],
];

/** The account holder's KYC profile, the same on every leg of the customer. */
export const PROFILE: readonly Column[] = [
  ['customer_type', 'CUST_TYPE'], ['customer_state', 'CUST_ST'], ['account_home_state', 'HOME_ST'],
  ['account_open_date', 'OPEN_DT'], ['expected_countries', 'KYC_CTRY'], ['expected_monthly_cash_in', 'KYC_CASH_MO'],
];

export const PARTY: readonly Column[] = [
  ['cp_name', 'CP_NAME'], ['cp_account', 'CP_ACCT'], ['cp_country', 'CP_CTRY'], ['cp_bank_country', 'CP_BANK_CTRY'],
  ['cp_bank_name', 'CP_BANK'], ['cp_bank_bic', 'CP_BIC'], ['intermediary_bics', 'INTERMED_BIC'],
];

/** Trade fields of a trade-finance payment (or a wire paying an invoice): per-leg extras. */
export const TRADE: readonly Column[] = [
  ['invoice_id', 'INV_NO'], ['invoice_amount', 'INV_AMT'], ['invoice_currency', 'INV_CCY'], ['hs_code', 'HS_CODE'],
  ['goods_description', 'GOODS_DESC'], ['quantity', 'QTY'], ['quantity_unit', 'QTY_UOM'], ['seller_name', 'SELLER'],
  ['seller_country', 'SELLER_CTRY'], ['buyer_name', 'BUYER'], ['buyer_country', 'BUYER_CTRY'], ['payer_name', 'PAYER'],
  ['payer_country', 'PAYER_CTRY'], ['country_of_origin', 'ORIG_CTRY'], ['country_of_destination', 'DEST_CTRY'],
  ['transshipment_ports', 'TRANSSHIP'], ['bl_number', 'BL_NO'],
];

/** Canonical names of the per-leg extras. */
export type ExtraColumn = 'instrument_type' | 'funding_method' | 'invoice_id' | 'invoice_amount' | 'invoice_currency'
  | 'hs_code' | 'goods_description' | 'quantity' | 'quantity_unit' | 'seller_name' | 'seller_country' | 'buyer_name'
  | 'buyer_country' | 'payer_name' | 'payer_country' | 'country_of_origin' | 'country_of_destination'
  | 'transshipment_ports' | 'bl_number';

/** Per-leg extras: canonical column → value (a list column joins its values with `;`). */
export type Extra = Readonly<Partial<Record<ExtraColumn, string>>>;

const canonical = (cols: readonly Column[]): string[] => cols.map(([c]) => c);
const teller = (cols: readonly Column[]): string[] => cols.map(([, t]) => t).filter((t) => t !== '');

export const CANONICAL_COLUMNS: readonly string[] = [
  'txn_id', 'booking_ts', 'account_id', 'customer_id', 'direction', 'amount', 'currency', 'channel', ...canonical(INSTRUMENT),
  ...canonical(PLACE), 'conductor_id', 'teller_id', ...canonical(PROFILE), ...canonical(PARTY), ...canonical(TRADE), 'description',
];

export const BANK_COLUMNS: readonly string[] = [
  'TRAN_ID', 'POST_DT', 'ACCT_NO', 'CUST_NO', 'TRAN_AMT', 'DR_CR_IND', 'TRAN_CODE', 'CCY', ...teller(INSTRUMENT), ...teller(PLACE),
  'COND_ID', 'TELLER', ...teller(PROFILE), ...teller(PARTY), ...teller(TRADE), 'MEMO',
];

/** Teller-extract codes of the coded columns (canonical value → code); the mapping reverses them. */
export const BANK_CODES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  instrument_type: { money_order: 'MO', cashier_check: 'CC' },
  funding_method: { cash: 'CSH', account: 'ACT' },
  institution_type: { bank: 'FBB', msb: 'FBMT' },
  customer_type: { individual: 'IND', business: 'BUS' },
};

/** The teller extract's value of canonical `column`. */
export function bankValue(column: string, value: string): string {
  return BANK_CODES[column]?.[value] ?? value;
}

/** canonical column → teller-extract column */
export const BANK_NAME: ReadonlyMap<string, string> = new Map(
  [INSTRUMENT, PLACE, PROFILE, PARTY, TRADE].flat().filter(([, t]) => t !== ''),
);
