/** The mapping (rules/schema/mapping.schema.json) that reads writeBankLayoutCsv's teller extract. */
import { BANK_CODES, BANK_NAME } from './columns.js';

const invert = (codes: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(codes).map(([value, code]) => [code, value]));

/** Every column of the extract's groups, coded columns through their code tables. */
const groupFields = Object.fromEntries([...BANK_NAME].map(([field, column]) => {
  const codes = BANK_CODES[field];
  return [field, codes ? { column, codes: invert(codes) } : column];
}));

export const BANK_LAYOUT_MAPPING = {
  $schema: '../rules/schema/mapping.schema.json',
  name: 'first-border-bank-teller-extract',
  description: 'First Border Bank core-banking teller extract: one row per posted leg of a customer account, and of a '
    + 'walk-in customer of First Border Money Transfer, the bank\'s money-transmitter affiliate (ENTITY FBB the bank, '
    + 'FBMT the affiliate). POST_DT is America/Chicago wall time without an offset; DR_CR_IND DR is a debit (out), CR a '
    + 'credit (in); TRAN_CODE is the bank\'s transaction code (TCD teller cash deposit, TCW teller cash withdrawal, ATW '
    + 'ATM withdrawal, WIR wire, ACH, CHK check, POS card, XFR book transfer, MIP monetary instrument purchase, RMT '
    + 'remittance, TFP trade-finance payment, TFR trade-finance receipt). INSTR_TYPE MO money order, CC cashier\'s '
    + 'check; FUND_SRC CSH cash, ACT account; CUST_TYPE IND individual, BUS business. COND_ID is the person who '
    + 'conducted a teller cash transaction. The extract has no branch country column (every branch and agent '
    + 'location is in the U.S.), so branch_country stays empty.',
  timestamp: { format: 'MM/DD/YYYY HH:mm:ss', timezone: 'America/Chicago' },
  fields: {
    txn_id: 'TRAN_ID',
    booking_ts: 'POST_DT',
    direction: { column: 'DR_CR_IND', codes: { DR: 'out', CR: 'in' } },
    channel: {
      column: 'TRAN_CODE',
      codes: {
        TCD: 'cash', TCW: 'cash', ATW: 'atm', WIR: 'wire', ACH: 'ach', CHK: 'check', POS: 'card', XFR: 'book',
        MIP: 'monetary_instrument', RMT: 'remittance', TFP: 'trade_finance', TFR: 'trade_finance',
      },
    },
    amount: 'TRAN_AMT',
    currency: 'CCY',
    account_id: 'ACCT_NO',
    customer_id: 'CUST_NO',
    conductor_id: 'COND_ID',
    teller_id: 'TELLER',
    description: 'MEMO',
    ...groupFields,
  },
} as const;
