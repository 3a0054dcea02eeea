/** The mapping (rules/schema/mapping.schema.json) that reads writeBankLayoutCsv's teller extract. */

export const BANK_LAYOUT_MAPPING = {
  $schema: '../rules/schema/mapping.schema.json',
  name: 'first-border-bank-teller-extract',
  description: 'First Border Bank core-banking teller extract: one row per posted leg of a customer account. '
    + 'POST_DT is America/Chicago wall time without an offset; DR_CR_IND DR is a debit (out), CR a credit (in); '
    + 'TRAN_CODE is the bank\'s transaction code (TCD teller cash deposit, TCW teller cash withdrawal, ATW ATM '
    + 'withdrawal, WIR wire, ACH, CHK check, POS card, XFR book transfer). COND_ID is the person who conducted a '
    + 'teller cash transaction. The extract has no branch country column (every branch is in the U.S.), so '
    + 'branch_country stays empty.',
  timestamp: { format: 'MM/DD/YYYY HH:mm:ss', timezone: 'America/Chicago' },
  fields: {
    txn_id: 'TRAN_ID',
    booking_ts: 'POST_DT',
    direction: { column: 'DR_CR_IND', codes: { DR: 'out', CR: 'in' } },
    channel: {
      column: 'TRAN_CODE',
      codes: { TCD: 'cash', TCW: 'cash', ATW: 'atm', WIR: 'wire', ACH: 'ach', CHK: 'check', POS: 'card', XFR: 'book' },
    },
    amount: 'TRAN_AMT',
    currency: 'CCY',
    account_id: 'ACCT_NO',
    customer_id: 'CUST_NO',
    branch_id: 'BRANCH_NO',
    branch_city: 'BRANCH_CITY',
    branch_state: 'BRANCH_ST',
    branch_zip: 'BRANCH_ZIP',
    conductor_id: 'COND_ID',
    teller_id: 'TELLER',
    cp_name: 'CP_NAME',
    cp_account: 'CP_ACCT',
    cp_country: 'CP_CTRY',
    cp_bank_country: 'CP_BANK_CTRY',
    description: 'MEMO',
  },
} as const;
