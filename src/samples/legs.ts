/**
 * One day's legs as parallel typed arrays (no object per leg), and the per-kind codes both layouts use.
 */

/** miOut: a monetary instrument bought (money order, cashier's check); remitOut: a money transmitter's remittance. */
export const Kind = {
  cashIn: 0, cashOut: 1, atmOut: 2, wireIn: 3, wireOut: 4, achIn: 5, achOut: 6, checkIn: 7, checkOut: 8, cardOut: 9,
  bookOut: 10, bookIn: 11, miOut: 12, remitOut: 13, tradeOut: 14, tradeIn: 15,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export const DIRECTION: readonly string[] = [
  'in', 'out', 'out', 'in', 'out', 'in', 'out', 'in', 'out', 'out', 'out', 'in', 'out', 'out', 'out', 'in',
];
export const CHANNEL: readonly string[] = [
  'cash', 'cash', 'atm', 'wire', 'wire', 'ach', 'ach', 'check', 'check', 'card', 'book', 'book', 'monetary_instrument',
  'remittance', 'trade_finance', 'trade_finance',
];
export const DR_CR: readonly string[] = DIRECTION.map((d) => (d === 'in' ? 'CR' : 'DR'));
/** The teller extract's transaction codes (bank-mapping.ts maps them back to channels). */
export const TRAN_CODE: readonly string[] = [
  'TCD', 'TCW', 'ATW', 'WIR', 'WIR', 'ACH', 'ACH', 'CHK', 'CHK', 'POS', 'XFR', 'XFR', 'MIP', 'RMT', 'TFP', 'TFR',
];
export const CURRENCY: readonly string[] = ['USD', 'MXN'];

/** The planted fields of one leg; background legs go straight into a LegBuffer. */
export interface LegSpec {
  sec: number;
  cust: number;
  kind: Kind;
  cents: number;
  branch?: number;
  teller?: number;
  conductor?: number;
  cp?: number;
  memo: number;
  /** Index of the leg's extras (instrument, funding, trade fields) in Tables.extras. */
  extra?: number;
}

export class LegBuffer {
  size = 0;
  sec: Int32Array;
  cust: Int32Array;
  kind: Uint8Array;
  cents: Float64Array;
  branch: Int8Array;
  teller: Int8Array;
  conductor: Int32Array;
  cp: Int32Array;
  /** Memo index; a negative value -n is the memo `CHECK n`. */
  memo: Int32Array;
  ccy: Uint8Array;
  /** Index in Tables.extras, -1 for none. */
  extra: Int32Array;
  /** 1 + the index of the planted case the leg belongs to; 0 for background. */
  tag: Int16Array;
  private readonly buckets = new Int32Array(513);

  constructor(capacity = 1024) {
    this.sec = new Int32Array(capacity);
    this.cust = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.cents = new Float64Array(capacity);
    this.branch = new Int8Array(capacity);
    this.teller = new Int8Array(capacity);
    this.conductor = new Int32Array(capacity);
    this.cp = new Int32Array(capacity);
    this.memo = new Int32Array(capacity);
    this.ccy = new Uint8Array(capacity);
    this.extra = new Int32Array(capacity);
    this.tag = new Int16Array(capacity);
  }

  /** Appends a leg with no branch, teller, conductor or counterparty; returns its index. */
  push(sec: number, cust: number, kind: Kind, cents: number, memo: number): number {
    if (this.size === this.sec.length) this.grow();
    const i = this.size++;
    this.sec[i] = sec;
    this.cust[i] = cust;
    this.kind[i] = kind;
    this.cents[i] = cents;
    this.memo[i] = memo;
    this.branch[i] = -1;
    this.teller[i] = -1;
    this.conductor[i] = -1;
    this.cp[i] = -1;
    this.ccy[i] = 0;
    this.extra[i] = -1;
    this.tag[i] = 0;
    return i;
  }

  pushSpec(s: LegSpec, tag: number): void {
    const i = this.push(s.sec, s.cust, s.kind, s.cents, s.memo);
    this.branch[i] = s.branch ?? -1;
    this.teller[i] = s.teller ?? -1;
    this.conductor[i] = s.conductor ?? -1;
    this.cp[i] = s.cp ?? -1;
    this.extra[i] = s.extra ?? -1;
    this.tag[i] = tag;
  }

  /**
   * Leg indices by booking second, ties in insertion order (so txn ids follow booking_ts): a stable
   * two-pass radix sort, low 9 bits then high 8 bits of the second of day.
   */
  sortedOrder(): Int32Array {
    const n = this.size;
    const sec = this.sec;
    const tmp = new Int32Array(n);
    const order = new Int32Array(n);
    const low = this.buckets.subarray(0, 513).fill(0);
    for (let i = 0; i < n; i++) low[(sec[i]! & 511) + 1]!++;
    for (let k = 1; k < 513; k++) low[k]! += low[k - 1]!;
    for (let i = 0; i < n; i++) tmp[low[sec[i]! & 511]!++] = i;
    const high = this.buckets.subarray(0, 257).fill(0);
    for (let j = 0; j < n; j++) high[(sec[tmp[j]!]! >> 9) + 1]!++;
    for (let k = 1; k < 257; k++) high[k]! += high[k - 1]!;
    for (let j = 0; j < n; j++) order[high[sec[tmp[j]!]! >> 9]!++] = tmp[j]!;
    return order;
  }

  private grow(): void {
    const cap = this.sec.length * 2;
    const grown = <T extends Int32Array | Uint8Array | Float64Array | Int8Array | Int16Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.sec = grown(this.sec);
    this.cust = grown(this.cust);
    this.kind = grown(this.kind);
    this.cents = grown(this.cents);
    this.branch = grown(this.branch);
    this.teller = grown(this.teller);
    this.conductor = grown(this.conductor);
    this.cp = grown(this.cp);
    this.memo = grown(this.memo);
    this.ccy = grown(this.ccy);
    this.extra = grown(this.extra);
    this.tag = grown(this.tag);
  }
}
