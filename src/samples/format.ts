/**
 * Column lists, the per-day batch of legs, and `legValues`: a leg as its canonical values. That, joined
 * with `toCsvLine`, is the slow reference the byte writers in encoded.ts must agree with.
 */
import { CHANNEL, CURRENCY, DIRECTION, type LegBuffer } from './legs.js';
import type { Period } from './period.js';
import type { Population } from './population.js';
import { BRANCHES } from './catalog.js';
import { PAD2, timesOfDay } from './calendar.js';

export const CANONICAL_COLUMNS: readonly string[] = [
  'txn_id', 'booking_ts', 'account_id', 'customer_id', 'direction', 'amount', 'currency', 'channel', 'branch_id',
  'branch_city', 'branch_state', 'branch_zip', 'branch_country', 'conductor_id', 'teller_id', 'cp_name', 'cp_account',
  'cp_country', 'cp_bank_country', 'description',
];

export const BANK_COLUMNS: readonly string[] = [
  'TRAN_ID', 'POST_DT', 'ACCT_NO', 'CUST_NO', 'TRAN_AMT', 'DR_CR_IND', 'TRAN_CODE', 'CCY', 'BRANCH_NO', 'BRANCH_CITY',
  'BRANCH_ST', 'BRANCH_ZIP', 'COND_ID', 'TELLER', 'CP_NAME', 'CP_ACCT', 'CP_CTRY', 'CP_BANK_CTRY', 'MEMO',
];

/** One day's legs and everything needed to write them. */
export interface Batch {
  period: Period;
  pop: Population;
  day: number;
  buf: LegBuffer;
  /** Leg indices in booking order; the j-th gets transaction number firstTxn + j. */
  order: Int32Array;
  firstTxn: number;
}

/** `9400.00` from 940000 minor units. */
export function money(cents: number): string {
  const whole = Math.floor(cents / 100);
  return whole + '.' + PAD2[cents - whole * 100];
}

/** `T0000001`; wider when there are more than 9,999,999 legs. */
export function txnId(n: number): string {
  return 'T' + String(n).padStart(7, '0');
}

/** The canonical values of one leg, unescaped, in CANONICAL_COLUMNS order. */
export function legValues(b: Batch, i: number, txn: string): string[] {
  const { buf, pop, period, day } = b;
  const kind = buf.kind[i]!;
  const br = buf.branch[i]!;
  const branch = br < 0 ? ['', '', '', '', ''] : [BRANCHES[br]!.id, BRANCHES[br]!.city, BRANCHES[br]!.state, BRANCHES[br]!.zip, 'US'];
  const cond = buf.conductor[i]!;
  const teller = buf.teller[i]!;
  const cp = buf.cp[i]!;
  const memo = buf.memo[i]!;
  const c = buf.cust[i]!;
  return [
    txn, period.isoPrefix[day] + timesOfDay()[buf.sec[i]!] + period.offset[day], pop.acctId[c]!, pop.custId[c]!,
    DIRECTION[kind]!, money(buf.cents[i]!), CURRENCY[buf.ccy[i]!]!, CHANNEL[kind]!, ...branch,
    cond < 0 ? '' : pop.conductors[cond]!, teller < 0 ? '' : pop.tellerIds[teller]!,
    ...(cp < 0 ? ['', '', '', ''] : pop.tables.parties[cp]!),
    memo < 0 ? 'CHECK ' + -memo : pop.tables.memos[memo]!,
  ];
}
