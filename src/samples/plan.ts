/**
 * Planted patterns: each case owns one customer and a few legs with exact amounts on chosen days.
 * The planner picks days and customers with its own PRNG stream, so the plan does not shift when the
 * background traffic changes.
 */
import { epochDayOf } from './calendar.js';
import { BRANCHES, TELLERS_PER_BRANCH, type WireParty } from './catalog.js';
import type { Extra } from './columns.js';
import { Kind, type LegSpec } from './legs.js';
import type { Period } from './period.js';
import { Dedicated, type PartyRef, type Population, wireParty } from './population.js';
import { Rng } from './prng.js';
import { MEMO } from './tables.js';

export interface PlanCase {
  pattern: string;
  rule: string;
  /** True for a pattern that must raise the rule; false for a look-alike that must not. */
  alert: boolean;
  cust: number;
  note: string;
  /** Other rules the same legs raise by design, each with the reason; `direction` when only its legs in or out. */
  also: Also[];
}

export interface Also {
  rule: string;
  reason: string;
  direction?: 'in' | 'out';
}

/** [rule, reason] or [rule, reason, direction] of a rule a case raises by design. */
export type AlsoSpec = readonly [rule: string, reason: string, direction?: 'in' | 'out'];

/** Thrown by `open` for a rule that was not asked for: the pattern is left out. */
class Skip extends Error {}

export interface PlannedLeg extends LegSpec {
  day: number;
}

export interface Plan {
  cases: PlanCase[];
  /** Planted legs by day index; each leg's tag is 1 + its case index. */
  byDay: { leg: PlannedLeg; tag: number }[][];
  count: number;
}

export class Planner {
  readonly cases: PlanCase[] = [];
  readonly legs: { leg: PlannedLeg; tag: number }[] = [];
  private readonly sharedParties = new Map<string, PartyRef>();
  readonly rng: Rng;
  /** Customers taken by the pattern being planted, given back if it is left out. */
  private picked: number[] = [];

  /** `wanted`: whether to plant the patterns and look-alikes of a rule. */
  constructor(
    readonly period: Period, readonly pop: Population, seed: number, private readonly wanted: (rule: string) => boolean = () => true,
  ) {
    this.rng = new Rng(seed ^ 0x51a7ed);
  }

  /** Runs `pattern`, or leaves it out (its customers unused) when it opens a case of a rule not wanted. */
  plant(pattern: (pl: Planner) => void): void {
    this.picked = [];
    try {
      pattern(this);
    } catch (e) {
      if (!(e instanceof Skip)) throw e;
      for (const c of this.picked) this.pop.dedicated[c] = Dedicated.no;
    }
  }

  /**
   * An individual customer no other case uses; background traffic then adds no cash, ATM, wire or large
   * inbound legs for it, or no legs at all when `quiet`.
   */
  customer(quiet = false): number {
    return this.take(0, this.pop.n, quiet ? Dedicated.quiet : Dedicated.planted);
  }

  /** A walk-in customer of the money-transmitter affiliate that no other case uses (no background remittances). */
  walkIn(): number {
    return this.take(this.pop.n, this.pop.total, Dedicated.planted);
  }

  private take(from: number, to: number, how: number): number {
    let c = this.rng.int(from, to - 1);
    while (this.pop.dedicated[c] || this.pop.business[c]) c = this.rng.int(from, to - 1);
    this.pop.dedicated[c] = how;
    this.pop.custState[c] = '';
    this.picked.push(c);
    return c;
  }

  /** A random element of `candidates`, which must not be empty. */
  anchor<T>(what: string, candidates: readonly T[]): T {
    if (candidates.length === 0) {
      throw new RangeError(`cannot place ${what} in ${this.period.days} days from ${this.period.iso[0]}; use more days, `
        + 'a later start (some rules read reference lists that begin in 2025) or --typologies without it');
    }
    return this.rng.pick(candidates);
  }

  /** Indices i such that the open weekdays i..i+span-1 exist and span at most `maxDays` calendar days. */
  runs(span: number, maxDays = 13, from?: string): number[] {
    const w = this.period.weekdays;
    const first = this.dayOf(from);
    const out: number[] = [];
    for (let i = 0; i + span <= w.length; i++) if (w[i]! >= first && w[i + span - 1]! - w[i]! <= maxDays) out.push(i);
    return out;
  }

  /**
   * Days d + offsets[k] (offsets in calendar days, the first 0), all open Monday-to-Friday days; d at random, not
   * before `from` (the date from which a reference list makes the pattern a hit).
   */
  daysAt(what: string, offsets: readonly number[], from?: string): number[] {
    const open = new Set(this.period.weekdays);
    const first = this.dayOf(from);
    const d = this.anchor(what, this.period.weekdays.filter((d0) => d0 >= first && offsets.every((o) => open.has(d0 + o))));
    return offsets.map((o) => d + o);
  }

  /** Index of an ISO date in the period (negative before it); 0 for none. */
  private dayOf(iso?: string): number {
    return iso === undefined ? 0 : epochDayOf(iso) - this.period.start;
  }

  /** A teller time: 09:05–16:30 on weekdays, 09:05–12:30 on Saturdays. */
  tellerSec(day: number, from = 9 * 3600 + 300): number {
    const until = this.period.weekday[day] === 6 ? 12 * 3600 + 1800 : 16 * 3600 + 1800;
    return this.rng.int(from, until);
  }

  teller(branch: number): number {
    return branch * TELLERS_PER_BRANCH + this.rng.int(0, TELLERS_PER_BRANCH - 1);
  }

  /** A new case of `rule`; `also` names other rules its legs raise by design (rule, reason, the legs' direction). */
  open(pattern: string, rule: string, alert: boolean, cust: number, ...also: readonly AlsoSpec[]): number {
    if (!this.wanted(rule)) throw new Skip(rule);
    this.cases.push({ pattern, rule, alert, cust, note: '', also: also.map(([r, reason, direction]) => ({ rule: r, reason, ...(direction ? { direction } : {}) })) });
    return this.cases.length;
  }

  /** A counterparty not in the population's tables yet. */
  party(p: WireParty): PartyRef {
    return wireParty(this.pop.tables, p);
  }

  /** The counterparty several cases pay, made by the first that asks for it; whether an earlier case had it. */
  shared(key: string, make: () => WireParty): [party: PartyRef, before: boolean] {
    const known = this.sharedParties.get(key);
    if (known) return [known, true];
    const party = this.party(make());
    this.sharedParties.set(key, party);
    return [party, false];
  }

  /** A teller cash leg conducted by the customer unless `conductor` is given. */
  cash(tag: number, day: number, kind: Kind, cents: number, branch: number, sec?: number, conductor?: number): PlannedLeg {
    const cust = this.cases[tag - 1]!.cust;
    const who = conductor ?? 2 * cust;
    const memo = conductor === undefined
      ? (kind === Kind.cashIn ? MEMO.cashDeposit : MEMO.cashWithdrawal)
      : this.pop.conductorMemo[who]!;
    return this.add(tag, {
      day, sec: sec ?? this.tellerSec(day), cust, kind, cents, branch, teller: this.teller(branch), conductor: who, memo,
    });
  }

  /** A wire to or from `party`, by default between 10:00 and 15:00; `cust` defaults to the case's customer. */
  wire(
    tag: number, day: number, kind: Kind, cents: number, party: PartyRef, sec = this.rng.int(10 * 3600, 15 * 3600), cust?: number,
  ): PlannedLeg {
    const memo = kind === Kind.wireIn ? party.memoIn : party.memoOut;
    return this.add(tag, { day, sec, cust: cust ?? this.cases[tag - 1]!.cust, kind, cents, cp: party.cp, memo });
  }

  /** A cash remittance by walk-in customer `cust` at an agent location, conducted in person. */
  remit(tag: number, day: number, cents: number, party: PartyRef, agent: number, cust = this.cases[tag - 1]!.cust): PlannedLeg {
    const extra = this.pop.tables.extra({ funding_method: 'cash' });
    const sec = this.rng.int(10 * 3600, 18 * 3600);
    return this.add(tag, { day, sec, cust, kind: Kind.remitOut, cents, branch: agent, conductor: 2 * cust, cp: party.cp, memo: party.memoOut, extra });
  }

  /** A monetary instrument bought at a teller by the case's customer, payable to `payee`. */
  instrument(tag: number, day: number, cents: number, extra: Extra, branch: number, payee: PartyRef): PlannedLeg {
    const cust = this.cases[tag - 1]!.cust;
    const memo = this.pop.tables.memo(extra.instrument_type === 'money_order' ? 'MONEY ORDER PURCHASE' : 'CASHIERS CHECK PURCHASE');
    return this.add(tag, {
      day, sec: this.tellerSec(day), cust, kind: Kind.miOut, cents, branch, teller: this.teller(branch), conductor: 2 * cust,
      cp: payee.cp, memo, extra: this.pop.tables.extra(extra),
    });
  }

  add(tag: number, leg: PlannedLeg): PlannedLeg {
    this.legs.push({ leg, tag });
    return leg;
  }

  note(tag: number, text: string): void {
    this.cases[tag - 1]!.note = text;
  }

  date(day: number): string {
    return this.period.iso[day]!;
  }

  branch(b: number): string {
    return `${BRANCHES[b]!.city} ${BRANCHES[b]!.state} (${BRANCHES[b]!.id})`;
  }

  finish(): Plan {
    const byDay: Plan['byDay'] = Array.from({ length: this.period.days }, () => []);
    for (const l of this.legs) byDay[l.leg.day]!.push(l);
    return { cases: this.cases, byDay, count: this.legs.length };
  }
}

/** `$9,400.00` */
export function usd(cents: number): string {
  const dollars = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+$)/g, ',');
  return '$' + dollars + '.' + String(cents % 100).padStart(2, '0');
}

/** `a`, `a and b`, `a, b and c` */
export function list(items: readonly string[]): string {
  return items.length < 3 ? items.join(' and ') : items.slice(0, -1).join(', ') + ' and ' + items.at(-1);
}
