/**
 * Every text a line can contain, CSV-escaped and encoded once into an Arena with its trailing separator,
 * and the two line writers (canonical and bank layout) that copy those pieces into a ByteSink.
 */
import { Arena, type ByteSink } from './byte-sink.js';
import { BRANCHES } from './catalog.js';
import { timesOfDay } from './calendar.js';
import { bankValue, INSTRUMENT, PLACE, PROFILE } from './columns.js';
import { csvField } from './csv.js';
import { type Batch, instrumentValues, placeValues, profileValues, tradeValues } from './format.js';
import { CHANNEL, CURRENCY, DIRECTION, DR_CR, Kind, TRAN_CODE } from './legs.js';
import type { Period } from './period.js';
import type { Population } from './population.js';

/** The pieces whose text differs between the layouts. Tables a leg may lack hold the empty piece last. */
interface LayoutPieces {
  /** instrument_type, funding_method, by extras index. */
  instrument: Int32Array;
  /** institution and branch columns, by branch. */
  place: Int32Array;
  /** KYC profile columns, by customer. */
  profile: Int32Array;
}

/** Piece ids, by table. */
export interface Encoded {
  arena: Arena;
  /** `account_id,customer_id,` */
  cust: Int32Array;
  /** Canonical `direction,` by kind; `currency,channel,` by ccy * kinds + kind. */
  direction: Int32Array;
  ccyChannel: Int32Array;
  /** Bank layout `DR_CR_IND,TRAN_CODE,CCY,` by ccy * kinds + kind. */
  bankCodes: Int32Array;
  canonical: LayoutPieces;
  bank: LayoutPieces;
  conductor: Int32Array;
  teller: Int32Array;
  /** Counterparty columns, and trade columns by extras index. */
  party: Int32Array;
  trade: Int32Array;
  /** Memo with its line feed. */
  memo: Int32Array;
  isoDay: Int32Array;
  /** `-06:00,` */
  offset: Int32Array;
  usDay: Int32Array;
  /** `HH:mm:ss` of second s is piece time0 + s. */
  time0: number;
  empty: number;
  check: number;
}

const KINDS = Object.values(Kind);
const COMMA = 44;
const LF = 10;

const joined = (values: readonly string[]): string => values.map(csvField).join(',') + ',';
/** The teller extract's values of a column group: coded, and without the columns it lacks. */
const banked = (cols: readonly (readonly [string, string])[], values: readonly string[]): string[] =>
  values.flatMap((v, k) => (cols[k]![1] === '' ? [] : [bankValue(cols[k]![0], v)]));

export function encode(pop: Population, period: Period): Encoded {
  const a = new Arena();
  const t = pop.tables;
  const ids = (texts: readonly string[], suffix = ''): Int32Array => Int32Array.from(texts, (s) => a.add(s + suffix));
  const byCcyKind = (f: (c: string, k: Kind) => string): Int32Array => ids(CURRENCY.flatMap((c) => KINDS.map((k) => f(c, k))));
  const extras = [...t.extras, undefined];
  const places = [...BRANCHES.keys(), -1].map(placeValues);
  const profiles = Array.from({ length: pop.total }, (_, c) => profileValues(pop, c));
  const layout = (bank: boolean): LayoutPieces => {
    const text = (cols: readonly (readonly [string, string])[], values: readonly string[]) => joined(bank ? banked(cols, values) : values);
    return {
      instrument: ids(extras.map((e) => text(INSTRUMENT, instrumentValues(e)))),
      place: ids(places.map((v) => text(PLACE, v))),
      profile: ids(profiles.map((v) => text(PROFILE, v))),
    };
  };
  const time0 = a.count;
  for (const s of timesOfDay()) a.add(s);
  return {
    arena: a,
    time0,
    cust: ids(pop.custCsv, ','),
    direction: ids(KINDS.map((k) => DIRECTION[k]!), ','),
    ccyChannel: byCcyKind((c, k) => `${c},${CHANNEL[k]},`),
    bankCodes: byCcyKind((c, k) => `${DR_CR[k]},${TRAN_CODE[k]},${c},`),
    canonical: layout(false),
    bank: layout(true),
    conductor: ids(pop.conductors, ','),
    teller: ids(pop.tellerIds, ','),
    party: ids([...t.partyCsv, ',,,,,,'], ','),
    trade: ids(extras.map((e) => joined(tradeValues(e)))),
    memo: ids(t.memoCsv, '\n'),
    isoDay: ids(period.isoPrefix),
    offset: ids(period.offset, ','),
    usDay: ids(period.usPrefix),
    empty: a.add(','),
    check: a.add('CHECK '),
  };
}

/** Entry `i` of a table whose last entry stands for "none" (i < 0). */
const at = (table: Int32Array, i: number): number => table[i < 0 ? table.length - 1 : i]!;

/** The columns both layouts end with, from instrument_type on. */
function tail(out: ByteSink, e: Encoded, l: LayoutPieces, b: Batch, i: number): void {
  const buf = b.buf;
  const a = e.arena;
  const cond = buf.conductor[i]!;
  const teller = buf.teller[i]!;
  const extra = buf.extra[i]!;
  const memo = buf.memo[i]!;
  out.piece(a, at(l.instrument, extra));
  out.piece(a, at(l.place, buf.branch[i]!));
  out.piece(a, cond < 0 ? e.empty : e.conductor[cond]!);
  out.piece(a, teller < 0 ? e.empty : e.teller[teller]!);
  out.piece(a, l.profile[buf.cust[i]!]!);
  out.piece(a, at(e.party, buf.cp[i]!));
  out.piece(a, at(e.trade, extra));
  if (memo >= 0) {
    out.piece(a, e.memo[memo]!);
  } else {
    out.piece(a, e.check);
    out.uint(-memo);
    out.byte(LF);
  }
}

/** `T0000001,` */
function writeTxnId(out: ByteSink, txn: number): void {
  out.byte(84);
  out.uint(txn, 7);
  out.byte(COMMA);
}

export function writeCanonical(out: ByteSink, e: Encoded, b: Batch, i: number, txn: number): void {
  const buf = b.buf;
  const a = e.arena;
  const kind = buf.kind[i]!;
  writeTxnId(out, txn);
  out.piece(a, e.isoDay[b.day]!);
  out.piece(a, e.time0 + buf.sec[i]!);
  out.piece(a, e.offset[b.day]!);
  out.piece(a, e.cust[buf.cust[i]!]!);
  out.piece(a, e.direction[kind]!);
  out.money(buf.cents[i]!);
  out.byte(COMMA);
  out.piece(a, e.ccyChannel[buf.ccy[i]! * KINDS.length + kind]!);
  tail(out, e, e.canonical, b, i);
}

export function writeBank(out: ByteSink, e: Encoded, b: Batch, i: number, txn: number): void {
  const buf = b.buf;
  const a = e.arena;
  writeTxnId(out, txn);
  out.piece(a, e.usDay[b.day]!);
  out.piece(a, e.time0 + buf.sec[i]!);
  out.byte(COMMA);
  out.piece(a, e.cust[buf.cust[i]!]!);
  out.money(buf.cents[i]!);
  out.byte(COMMA);
  out.piece(a, e.bankCodes[buf.ccy[i]! * KINDS.length + buf.kind[i]!]!);
  tail(out, e, e.bank, b, i);
}
