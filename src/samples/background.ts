/**
 * Background traffic: payroll and bills by ACH, card purchases, ATM and teller cash, checks, wires and
 * book transfers, with per-customer limits that keep every customer well away from the rules:
 * - cash deposits ≤ $2,500 and at most two per business date, by at most two people (the customer and a
 *   relative or employee); cash out (teller + ATM) < $4,000 per business date; businesses' daily
 *   deposits ≤ $3,000 and one per open day (STRUCT-001 to STRUCT-004, CASH-001);
 * - after an inbound leg of $3,000 or more (or any peso wire), outflows on that day and the next total
 *   less than $2,400, 80% of $3,000 (XB-004, see OutflowLimit);
 * - international wires carry cents, so none is round (XB-005), and a customer sends at most one every
 *   five days, so no 30 days hold eight (XB-008); an individual wires abroad only to a relative of its own
 *   (and hears only from another), a business to one account (XB-007, REMIT-004, and no beneficiary
 *   abroad hears from several customers: XB-006, REMIT-003);
 * - no account has three senders or three receivers with accounts, passes a payment on or gets one back: a
 *   book transfer goes from a customer to its one contact at the bank, who never pays it back, and none
 *   involves a customer who wires money; a customer wires to one party and hears from another; no payment
 *   is within 30% of one the other way among the customer's last 16 and its planted ones within 30 days
 *   (GRAPH-001 to GRAPH-008; a customer with more legs than the samples' may forget older ones);
 * - no international transfer leaves on the day of a cash deposit or the day after (REMIT-005, MXCASH-003), and no
 *   domestic wire out is between $2,500 and $3,000 (REMIT-001);
 * - cash is deposited only at branches in the account's home state (FUNNEL-001);
 * - money orders and cashier's checks stay below $2,500, at most one a week (STRUCT-005).
 */
import { BANK_BRANCHES, BRANCHES, TELLERS_PER_BRANCH } from './catalog.js';
import { DIRECTION, Kind, type LegBuffer, type LegSpec } from './legs.js';
import { OutflowLimit } from './outflow-limit.js';
import type { Period } from './period.js';
import { Dedicated, WireProfile, type PartyRef, type Population } from './population.js';
import { Rng } from './prng.js';
import { MEMO } from './tables.js';
import { MXN_RATE } from './trade.js';
import { allocate, scheduleLegs } from './scheduled.js';

const H = 3600;
const BOOK = 99;
/** Days between two outgoing international wires, and between two instrument purchases, of one customer. */
const ABROAD_GAP = 5;
const INSTRUMENT_GAP = 7;
const LONG_AGO = -1000;
/** Legs with a counterparty account remembered per customer, and for how many days. */
const EDGES = 16;
const EDGE_DAYS = 30;
/** The kinds of leg whose counterparty has an account: edges to the graph rules. */
const EDGE_KINDS: ReadonlySet<Kind> = new Set([Kind.wireIn, Kind.wireOut, Kind.achIn, Kind.bookOut, Kind.bookIn, Kind.remitOut, Kind.tradeOut, Kind.tradeIn]);
type Pick = Kind | typeof BOOK;

/** [kind, weight] per day type; BOOK is a transfer between two customers (two legs). */
const OPEN_WEEKDAY: readonly [Pick, number][] = [
  [Kind.cardOut, 80], [Kind.atmOut, 16], [Kind.cashIn, 14], [Kind.cashOut, 6], [Kind.achIn, 10], [Kind.achOut, 18],
  [Kind.checkIn, 8], [Kind.checkOut, 10], [Kind.wireIn, 4], [Kind.wireOut, 4], [BOOK, 8], [Kind.miOut, 2],
];
const PAYDAY: readonly [Pick, number][] = OPEN_WEEKDAY.map(([k, w]) => [k, k === Kind.achIn ? 40 : w]);
const SATURDAY: readonly [Pick, number][] = [
  [Kind.cardOut, 110], [Kind.atmOut, 28], [Kind.cashIn, 20], [Kind.cashOut, 8], [Kind.checkIn, 6], [BOOK, 12], [Kind.miOut, 3],
];
/** Branches of each state, for cash deposited away from the home branch. */
const IN_STATE: ReadonlyMap<string, number[]> = new Map(BRANCHES.slice(0, BANK_BRANCHES).map((b) => [
  b.state, BRANCHES.flatMap((o, k) => (k < BANK_BRANCHES && o.state === b.state ? [k] : [])),
]));
const CLOSED: readonly [Pick, number][] = [[Kind.cardOut, 136], [Kind.atmOut, 40], [Kind.checkIn, 8], [BOOK, 16]];

export class Background {
  private readonly rng: Rng;
  private readonly perDay: Int32Array;
  private readonly schedule: LegSpec[][];
  private readonly inBd: Int32Array;
  private readonly inCount: Uint8Array;
  private readonly outBd: Int32Array;
  private readonly outCents: Int32Array;
  private readonly limit: OutflowLimit;
  private readonly lastAbroad: Int32Array;
  private readonly lastCashIn: Int32Array;
  private readonly lastInstrument: Int32Array;
  /** The planted legs with a counterparty account of each planted customer: day and cents (negative out). */
  private readonly plantedEdges = new Map<number, [day: number, cents: number][]>();
  /** Each customer's last EDGES legs with a counterparty account: their day and USD cents (negative out). */
  private readonly edgeDay: Int32Array;
  private readonly edgeCents: Int32Array;
  private readonly edgeNext: Uint8Array;
  /** [extra, memo] of a money order and of a cashier's check bought with cash or from the account. */
  private readonly instruments: (readonly [number, number])[];

  constructor(private readonly p: Period, private readonly pop: Population, seed: number, total: number, planted: readonly (readonly LegSpec[])[]) {
    this.rng = new Rng(seed ^ 0x0ba5e);
    this.schedule = scheduleLegs(p, pop, new Rng(seed ^ 0x7a11), total);
    const scheduled = this.schedule.reduce((a, s) => a + s.length, 0);
    this.perDay = allocate(p, total - scheduled);
    const n = pop.total;
    this.inBd = new Int32Array(n);
    this.inCount = new Uint8Array(n);
    this.outBd = new Int32Array(n);
    this.outCents = new Int32Array(n);
    this.limit = new OutflowLimit(n, pop.dedicated);
    this.lastAbroad = new Int32Array(n).fill(LONG_AGO);
    this.lastCashIn = new Int32Array(n).fill(LONG_AGO);
    this.lastInstrument = new Int32Array(n).fill(LONG_AGO);
    this.edgeDay = new Int32Array(n * EDGES);
    this.edgeCents = new Int32Array(n * EDGES);
    this.edgeNext = new Uint8Array(n);
    planted.forEach((legs, day) => {
      for (const leg of legs.filter((l) => EDGE_KINDS.has(l.kind))) {
        const list = this.plantedEdges.get(leg.cust) ?? [];
        list.push([day, DIRECTION[leg.kind] === 'out' ? -leg.cents : leg.cents]);
        this.plantedEdges.set(leg.cust, list);
      }
    });
    const t = pop.tables;
    this.instruments = [
      [t.extra({ instrument_type: 'money_order', funding_method: 'cash' }), t.memo('MONEY ORDER PURCHASE')],
      [t.extra({ instrument_type: 'cashier_check', funding_method: 'cash' }), t.memo('CASHIERS CHECK PURCHASE')],
      [t.extra({ instrument_type: 'cashier_check', funding_method: 'account' }), t.memo('CASHIERS CHECK PURCHASE')],
    ];
  }

  /** Adds the day's background legs to `buf`, which holds the day's planted legs. */
  fill(buf: LegBuffer, day: number): void {
    this.limit.day = day;
    for (const s of this.schedule[day]!) {
      buf.pushSpec(s, 0);
      if (s.kind === Kind.cashIn) this.lastCashIn[s.cust] = day;
    }
    this.limit.note(buf);
    const p = this.p;
    const table = !p.open[day] ? CLOSED : p.weekday[day] === 6 ? SATURDAY : p.weekday[day] === 5 ? PAYDAY : OPEN_WEEKDAY;
    const sum = table.reduce((a, [, w]) => a + w, 0);
    let left = this.perDay[day]!;
    while (left > 0) {
      let r = this.rng.int(0, sum - 1);
      let k = 0;
      while (r >= table[k]![1]) r -= table[k++]![1];
      const c = this.rng.skewed(0, this.pop.n - 1, 2);
      if (this.pop.dedicated[c] === Dedicated.quiet) continue;
      const pick = table[k]![0];
      const made = pick === BOOK ? (left >= 2 ? this.book(buf, day, c) : 0) : this.leg(buf, day, c, pick);
      left -= made || this.card(buf, c);
    }
  }

  private leg(buf: LegBuffer, day: number, c: number, kind: Kind): number {
    switch (kind) {
      case Kind.cashIn: return this.cashIn(buf, day, c);
      case Kind.cashOut: case Kind.atmOut: return this.cashOut(buf, day, c, kind);
      case Kind.wireIn: case Kind.wireOut: return this.wire(buf, day, c, kind);
      case Kind.achIn: return this.achIn(buf, day, c);
      case Kind.achOut: return this.achOut(buf, c);
      case Kind.checkIn: return this.checkIn(buf, day, c);
      case Kind.checkOut: return this.checkOut(buf, c);
      case Kind.miOut: return this.instrument(buf, day, c);
      default: return 0;
    }
  }

  private tellerSec(day: number): number {
    return this.rng.int(9 * H, (this.p.weekday[day] === 6 ? 13 : 17) * H - 1);
  }

  private cashIn(buf: LegBuffer, day: number, c: number): number {
    const pop = this.pop;
    if (pop.dedicated[c] || pop.business[c]) return 0;
    const bd = this.p.bday[day]!;
    if (this.inBd[c] !== bd) {
      this.inBd[c] = bd;
      this.inCount[c] = 0;
    }
    if (this.inCount[c]! >= 2 || this.lastAbroad[c] === day) return 0;
    this.inCount[c]!++;
    this.lastCashIn[c] = day;
    const dollars = this.rng.skewed(20, 2500, 3);
    const cents = dollars * 100 + (dollars < 2500 && this.rng.chance(0.2) ? this.rng.int(1, 99) : 0);
    const who = this.rng.chance(0.85) ? 2 * c : 2 * c + 1;
    const i = buf.push(this.tellerSec(day), c, Kind.cashIn, cents, who === 2 * c ? MEMO.cashDeposit : pop.conductorMemo[who]!);
    this.atBranch(buf, i, c, true, IN_STATE.get(BRANCHES[pop.home[c]!]!.state));
    buf.conductor[i] = who;
    return 1;
  }

  /** Books `cents` of cash out on the business date unless the date would reach $4,000. */
  private cashOutRoom(day: number, c: number, cents: number): boolean {
    const bd = this.p.bday[day]!;
    if (this.outBd[c] !== bd) {
      this.outBd[c] = bd;
      this.outCents[c] = 0;
    }
    if (this.outCents[c]! + cents >= 400_000) return false;
    this.outCents[c]! += cents;
    return true;
  }

  private cashOut(buf: LegBuffer, day: number, c: number, kind: Kind): number {
    if (this.pop.dedicated[c] || this.pop.business[c]) return 0;
    const atm = kind === Kind.atmOut;
    const cents = (atm ? this.rng.skewed(1, 40, 2) : this.rng.int(5, 100)) * 2000;
    if (!this.cashOutRoom(day, c, cents) || !this.limit.spend(c, cents)) return 0;
    const sec = atm ? this.rng.int(6 * H, 23 * H - 1) : this.tellerSec(day);
    const i = buf.push(sec, c, kind, cents, atm ? -1 : MEMO.cashWithdrawal);
    this.atBranch(buf, i, c, !atm);
    if (atm) buf.memo[i] = this.pop.atmMemo[buf.branch[i]!]!;
    else buf.conductor[i] = 2 * c;
    return 1;
  }

  /** The home branch, or now and then another one (one of `away` when given). */
  private atBranch(buf: LegBuffer, i: number, c: number, teller: boolean, away?: readonly number[]): void {
    const b = this.rng.chance(0.85) ? this.pop.home[c]! : away ? this.rng.pick(away) : this.rng.int(0, BANK_BRANCHES - 1);
    buf.branch[i] = b;
    if (teller) buf.teller[i] = b * TELLERS_PER_BRANCH + this.rng.int(0, TELLERS_PER_BRANCH - 1);
  }

  private wire(buf: LegBuffer, day: number, c: number, kind: Kind): number {
    const pop = this.pop;
    const profile = pop.wire[c]!;
    if (profile === WireProfile.none || pop.dedicated[c]) return 0;
    const incoming = kind === Kind.wireIn;
    const abroad = profile !== WireProfile.domestic;
    const big = !abroad || pop.business[c];
    // One party of the list's first half pays the customer, one of its second half is paid (so no party passes a
    // payment from one customer on to another). The first relative is paid, the second (if any) pays: no payment
    // comes back, in whatever currency (GRAPH-003). With the payroll, no account has three senders or receivers.
    const parties = pop.wireParties[profile - 1]!;
    const half = parties.length >> 1;
    const family = pop.family[c]!;
    if (!big && incoming && family.length < 2) return 0;
    const party: PartyRef = big ? parties[incoming ? c % half : half + (c % (parties.length - half))]! : family[incoming ? 1 : 0]!;
    const drawn = big ? this.rng.skewed(1000, incoming ? 40_000 : 30_000, 2) : this.rng.skewed(200, 4000, 2);
    // Domestic wires out may follow each other within days: none just below $3,000 (REMIT-001's band).
    const dollars = !incoming && !abroad && drawn >= 2500 && drawn < 3000 ? drawn + 500 : drawn;
    const mxn = incoming && profile === WireProfile.mx && !big && this.rng.chance(0.4);
    // International amounts carry cents: never round (XB-005).
    const cents = (mxn ? this.rng.skewed(5000, 150_000, 2) : dollars) * 100 + (abroad ? this.rng.int(1, 99) : 0);
    const usdCents = mxn ? Math.round(cents * MXN_RATE) : cents;
    if (this.relays(c, day, usdCents, !incoming)) return 0;
    const booked = incoming
      ? this.limit.receive(c, cents, mxn)
      : (!abroad || (day - this.lastAbroad[c]! >= ABROAD_GAP && day - this.lastCashIn[c]! >= 2)) && this.limit.spend(c, cents);
    if (!booked) return 0;
    this.remember(c, day, usdCents, !incoming);
    if (!incoming && abroad) this.lastAbroad[c] = day;
    const ref = !incoming && !big && this.rng.chance(0.3);
    const memo = ref ? party.memoRef! : incoming ? party.memoIn : party.memoOut;
    const i = buf.push(this.rng.int(8 * H + 1800, 16 * H + 1800), c, kind, cents, memo);
    buf.cp[i] = party.cp;
    buf.ccy[i] = mxn ? 1 : 0;
    return 1;
  }

  /** A money order ($50–$1,000) or a cashier's check ($300–$2,400) bought at a teller, at most one a week. */
  private instrument(buf: LegBuffer, day: number, c: number): number {
    const pop = this.pop;
    if (pop.dedicated[c] || pop.business[c] || day - this.lastInstrument[c]! < INSTRUMENT_GAP) return 0;
    const k = this.rng.int(0, this.instruments.length - 1);
    const [extra, memo] = this.instruments[k]!;
    const cents = (k === 0 ? this.rng.skewed(50, 1000, 2) : this.rng.skewed(300, 2400, 2)) * 100 + (k === 2 ? this.rng.int(0, 99) : 0);
    if ((k < 2 && !this.cashOutRoom(day, c, cents)) || !this.limit.spend(c, cents)) return 0;
    this.lastInstrument[c] = day;
    const i = buf.push(this.tellerSec(day), c, Kind.miOut, cents, memo);
    this.atBranch(buf, i, c, true);
    buf.conductor[i] = 2 * c;
    buf.extra[i] = extra;
    buf.cp[i] = this.rng.pick(pop.payees).cp;
    return 1;
  }

  private achIn(buf: LegBuffer, day: number, c: number): number {
    const pop = this.pop;
    const cents = pop.business[c] ? this.rng.skewed(300, 6000, 2) * 100 + this.rng.int(0, 99) : pop.incomeCents[c]!;
    if (cents === 0 || this.relays(c, day, cents, false) || !this.limit.receive(c, cents)) return 0;
    this.remember(c, day, cents, false);
    const ref = pop.income[c]!;
    buf.cp[buf.push(this.rng.int(4 * H, 7 * H - 1), c, Kind.achIn, cents, ref.memoIn)] = ref.cp;
    return 1;
  }

  private achOut(buf: LegBuffer, c: number): number {
    const ref = this.pop.billerRefs[this.pop.billers[2 * c + this.rng.int(0, 1)]!]!;
    const cents = this.rng.skewed(25, 900, 2) * 100 + this.rng.int(0, 99);
    if (!this.limit.spend(c, cents)) return 0;
    buf.cp[buf.push(this.rng.int(4 * H, 7 * H - 1), c, Kind.achOut, cents, ref.memoOut)] = ref.cp;
    return 1;
  }

  private checkIn(buf: LegBuffer, day: number, c: number): number {
    const ref = this.rng.pick(this.pop.payers);
    const cents = this.rng.skewed(50, 4000, 2) * 100 + (this.rng.chance(0.5) ? this.rng.int(0, 99) : 0);
    if (!this.limit.receive(c, cents)) return 0;
    const teller = this.p.open[day] === 1 && this.rng.chance(0.5);
    const sec = teller ? this.tellerSec(day) : this.rng.int(7 * H, 22 * H - 1);
    const i = buf.push(sec, c, Kind.checkIn, cents, teller ? MEMO.checkDepositTeller : MEMO.checkDepositMobile);
    buf.cp[i] = ref.cp;
    if (teller) this.atBranch(buf, i, c, true);
    return 1;
  }

  private checkOut(buf: LegBuffer, c: number): number {
    const ref = this.rng.pick(this.pop.payees);
    const cents = this.rng.skewed(40, 3000, 2) * 100 + (this.rng.chance(0.5) ? this.rng.int(0, 99) : 0);
    if (!this.limit.spend(c, cents)) return 0;
    buf.cp[buf.push(this.rng.int(6 * H, 8 * H - 1), c, Kind.checkOut, cents, -this.pop.nextCheck[c]!++)] = ref.cp;
    return 1;
  }

  private card(buf: LegBuffer, c: number): number {
    const ref = this.rng.pick(this.pop.merchants);
    const sec = this.rng.chance(0.7) ? this.rng.int(9 * H, 18 * H - 1) : this.rng.int(18 * H, 23 * H - 1);
    const cents = this.rng.skewed(300, 25_000, 2);
    if (!this.limit.spend(c, cents)) return 0;
    buf.cp[buf.push(sec, c, Kind.cardOut, cents, ref.memoOut)] = ref.cp;
    return 1;
  }

  /**
   * A transfer to the customer's one contact at the bank: customer 2k pays 2k + 1, never the reverse, and none
   * involves a customer who wires money or has a planted case. So no account is paid by two customers, pays
   * three parties, or is paid back (GRAPH-001 to GRAPH-003, GRAPH-006).
   */
  private book(buf: LegBuffer, day: number, c: number): number {
    const pop = this.pop;
    const c2 = c + 1;
    if (c % 2 === 1 || c2 >= pop.n || pop.dedicated[c] || pop.wire[c] !== WireProfile.none || pop.wire[c2] !== WireProfile.none) return 0;
    const cents = this.rng.skewed(20, 3000, 2) * 100;
    if (pop.dedicated[c2] || this.relays(c, day, cents, true) || this.relays(c2, day, cents, false)) return 0;
    if (!this.limit.receive(c2, cents) || !this.limit.spend(c, cents)) return 0;
    this.remember(c, day, cents, true);
    this.remember(c2, day, cents, false);
    const sec = this.rng.int(7 * H, 23 * H - 1);
    const to = pop.bookRef[c2]!;
    const from = pop.bookRef[c]!;
    buf.cp[buf.push(sec, c, Kind.bookOut, cents, to.memoOut)] = to.cp;
    buf.cp[buf.push(sec, c2, Kind.bookIn, cents, from.memoIn)] = from.cp;
    return 2;
  }

  /**
   * Whether `cents` in (or out) on `day` would pass on, or bring back, a recent leg the other way with a
   * counterparty account: within 30% of its amount in USD, a chain or a cycle to the graph rules (GRAPH-003, GRAPH-008).
   */
  private relays(c: number, day: number, cents: number, out: boolean): boolean {
    const near = (when: number, signed: number): boolean => {
      if (signed === 0 || (signed < 0) === out || Math.abs(day - when) > EDGE_DAYS) return false;
      const other = Math.abs(signed);
      return Math.min(other, cents) >= 0.7 * Math.max(other, cents);
    };
    for (let k = c * EDGES; k < (c + 1) * EDGES; k++) if (near(this.edgeDay[k]!, this.edgeCents[k]!)) return true;
    return this.plantedEdges.get(c)?.some(([when, signed]) => near(when, signed)) ?? false;
  }

  private remember(c: number, day: number, cents: number, out: boolean): void {
    const k = c * EDGES + this.edgeNext[c]!;
    this.edgeDay[k] = day;
    this.edgeCents[k] = out ? -cents : cents;
    this.edgeNext[c] = (this.edgeNext[c]! + 1) % EDGES;
  }
}
