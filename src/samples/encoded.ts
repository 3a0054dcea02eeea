/**
 * Every text a line can contain, CSV-escaped and encoded once into an Arena with its trailing separator,
 * and the two line writers (canonical and bank layout) that copy those pieces into a ByteSink.
 */
import { Arena, type ByteSink } from './byte-sink.js';
import { timesOfDay } from './calendar.js';
import type { Batch } from './format.js';
import { CHANNEL, CURRENCY, DIRECTION, DR_CR, Kind, TRAN_CODE } from './legs.js';
import type { Period } from './period.js';
import type { Population } from './population.js';

/** Piece ids, by table. A table that can be empty for a leg has the empty piece as its last entry. */
export interface Encoded {
  arena: Arena;
  /** `account_id,customer_id,` */
  cust: Int32Array;
  /** Canonical `direction,` by kind; `currency,channel,` by ccy * kinds + kind. */
  direction: Int32Array;
  ccyChannel: Int32Array;
  /** Bank layout `DR_CR_IND,TRAN_CODE,CCY,` by ccy * kinds + kind. */
  bankCodes: Int32Array;
  /** Five canonical / four bank-layout branch columns. */
  branch: Int32Array;
  branchBank: Int32Array;
  conductor: Int32Array;
  teller: Int32Array;
  /** Four counterparty columns. */
  party: Int32Array;
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

export function encode(pop: Population, period: Period): Encoded {
  const a = new Arena();
  const t = pop.tables;
  const ids = (texts: readonly string[], suffix = ''): Int32Array => Int32Array.from(texts, (s) => a.add(s + suffix));
  const byCcyKind = (f: (c: string, k: Kind) => string): Int32Array => ids(CURRENCY.flatMap((c) => KINDS.map((k) => f(c, k))));
  const time0 = a.count;
  for (const s of timesOfDay()) a.add(s);
  return {
    arena: a,
    time0,
    cust: ids(pop.custCsv, ','),
    direction: ids(KINDS.map((k) => DIRECTION[k]!), ','),
    ccyChannel: byCcyKind((c, k) => `${c},${CHANNEL[k]},`),
    bankCodes: byCcyKind((c, k) => `${DR_CR[k]},${TRAN_CODE[k]},${c},`),
    branch: ids([...pop.branchCsv, ',,,,'], ','),
    branchBank: ids([...pop.branchCsvBank, ',,,'], ','),
    conductor: ids(pop.conductors, ','),
    teller: ids(pop.tellerIds, ','),
    party: ids([...t.partyCsv, ',,,'], ','),
    memo: ids(t.memoCsv, '\n'),
    isoDay: ids(period.isoPrefix),
    offset: ids(period.offset, ','),
    usDay: ids(period.usPrefix),
    empty: a.add(','),
    check: a.add('CHECK '),
  };
}

/** The columns both layouts end with: conductor, teller, counterparty, memo. */
function tail(out: ByteSink, e: Encoded, b: Batch, i: number): void {
  const buf = b.buf;
  const a = e.arena;
  const cond = buf.conductor[i]!;
  const teller = buf.teller[i]!;
  const cp = buf.cp[i]!;
  const memo = buf.memo[i]!;
  out.piece(a, cond < 0 ? e.empty : e.conductor[cond]!);
  out.piece(a, teller < 0 ? e.empty : e.teller[teller]!);
  out.piece(a, e.party[cp < 0 ? e.party.length - 1 : cp]!);
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
  const br = buf.branch[i]!;
  writeTxnId(out, txn);
  out.piece(a, e.isoDay[b.day]!);
  out.piece(a, e.time0 + buf.sec[i]!);
  out.piece(a, e.offset[b.day]!);
  out.piece(a, e.cust[buf.cust[i]!]!);
  out.piece(a, e.direction[kind]!);
  out.money(buf.cents[i]!);
  out.byte(COMMA);
  out.piece(a, e.ccyChannel[buf.ccy[i]! * KINDS.length + kind]!);
  out.piece(a, e.branch[br < 0 ? e.branch.length - 1 : br]!);
  tail(out, e, b, i);
}

export function writeBank(out: ByteSink, e: Encoded, b: Batch, i: number, txn: number): void {
  const buf = b.buf;
  const a = e.arena;
  const br = buf.branch[i]!;
  writeTxnId(out, txn);
  out.piece(a, e.usDay[b.day]!);
  out.piece(a, e.time0 + buf.sec[i]!);
  out.byte(COMMA);
  out.piece(a, e.cust[buf.cust[i]!]!);
  out.money(buf.cents[i]!);
  out.byte(COMMA);
  out.piece(a, e.bankCodes[buf.ccy[i]! * KINDS.length + buf.kind[i]!]!);
  out.piece(a, e.branchBank[br < 0 ? e.branchBank.length - 1 : br]!);
  tail(out, e, b, i);
}
