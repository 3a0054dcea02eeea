/**
 * The per-day batch of legs, and `legValues`: a leg as its canonical values. That, joined with
 * `toCsvLine`, is the slow reference the byte writers in encoded.ts must agree with; both take the
 * values of each column group from the functions here.
 */
import { CHANNEL, CURRENCY, DIRECTION, type LegBuffer } from './legs.js';
import type { Period } from './period.js';
import type { Population } from './population.js';
import { BRANCHES } from './catalog.js';
import { PAD2, timesOfDay } from './calendar.js';
import { type Extra, INSTRUMENT, TRADE } from './columns.js';

export { BANK_COLUMNS, CANONICAL_COLUMNS } from './columns.js';

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

/** institution_type, branch_id, branch_city, branch_state, branch_zip, branch_country, branch_county_fips */
export function placeValues(br: number): string[] {
  const b = BRANCHES[br];
  return b ? [b.msb ? 'msb' : 'bank', b.id, b.city, b.state, b.zip, 'US', b.fips] : ['bank', '', '', '', '', '', ''];
}

/** customer_type, customer_state, account_home_state, account_open_date, expected_countries, expected_monthly_cash_in */
export function profileValues(pop: Population, c: number): string[] {
  const home = BRANCHES[pop.home[c]!]!.state;
  return [pop.business[c] ? 'business' : 'individual', pop.custState[c] || home, home, pop.opened[c]!, pop.countries[c]!, pop.cashIn[c]!];
}

export const instrumentValues = (e: Extra | undefined): string[] => INSTRUMENT.map(([c]) => e?.[c as keyof Extra] ?? '');
export const tradeValues = (e: Extra | undefined): string[] => TRADE.map(([c]) => e?.[c as keyof Extra] ?? '');

/** The canonical values of one leg, unescaped, in CANONICAL_COLUMNS order. */
export function legValues(b: Batch, i: number, txn: string): string[] {
  const { buf, pop, period, day } = b;
  const kind = buf.kind[i]!;
  const cond = buf.conductor[i]!;
  const teller = buf.teller[i]!;
  const cp = buf.cp[i]!;
  const memo = buf.memo[i]!;
  const c = buf.cust[i]!;
  const extra = pop.tables.extras[buf.extra[i]!];
  return [
    txn, period.isoPrefix[day] + timesOfDay()[buf.sec[i]!] + period.offset[day], pop.acctId[c]!, pop.custId[c]!,
    DIRECTION[kind]!, money(buf.cents[i]!), CURRENCY[buf.ccy[i]!]!, CHANNEL[kind]!, ...instrumentValues(extra),
    ...placeValues(buf.branch[i]!), cond < 0 ? '' : pop.conductors[cond]!, teller < 0 ? '' : pop.tellerIds[teller]!,
    ...profileValues(pop, c), ...(cp < 0 ? ['', '', '', '', '', '', ''] : pop.tables.parties[cp]!), ...tradeValues(extra),
    memo < 0 ? 'CHECK ' + -memo : pop.tables.memos[memo]!,
  ];
}
