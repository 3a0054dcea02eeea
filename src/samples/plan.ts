/**
 * Planted patterns: each case owns one customer and a few legs with exact amounts on chosen days.
 * The planner picks days and customers with its own PRNG stream, so the plan does not shift when the
 * background traffic changes.
 */
import { BRANCHES, TELLERS_PER_BRANCH } from './catalog.js';
import { Kind, type LegSpec } from './legs.js';
import type { Period } from './period.js';
import { Dedicated, type PartyRef, type Population } from './population.js';
import { Rng } from './prng.js';
import { MEMO } from './tables.js';

export interface PlanCase {
  pattern: string;
  rule: string;
  /** True for a pattern that must raise the rule; false for a look-alike that must not. */
  alert: boolean;
  cust: number;
  note: string;
}

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
  readonly rng: Rng;

  constructor(readonly period: Period, readonly pop: Population, seed: number) {
    this.rng = new Rng(seed ^ 0x51a7ed);
  }

  /**
   * An individual customer no other case uses; background traffic then adds no cash, ATM, wire or large
   * inbound legs for it, or no legs at all when `quiet`.
   */
  customer(quiet = false): number {
    let c = this.rng.int(0, this.pop.n - 1);
    while (this.pop.dedicated[c] || this.pop.business[c]) c = this.rng.int(0, this.pop.n - 1);
    this.pop.dedicated[c] = quiet ? Dedicated.quiet : Dedicated.planted;
    return c;
  }

  /** A random element of `candidates`, which must not be empty. */
  anchor<T>(what: string, candidates: readonly T[]): T {
    if (candidates.length === 0) {
      throw new RangeError(`cannot place ${what} in ${this.period.days} days from ${this.period.iso[0]}; use more days`);
    }
    return this.rng.pick(candidates);
  }

  /** Indices i such that the open weekdays i..i+span-1 exist and span at most `maxDays` calendar days. */
  runs(span: number, maxDays = 13): number[] {
    const w = this.period.weekdays;
    const out: number[] = [];
    for (let i = 0; i + span <= w.length; i++) if (w[i + span - 1]! - w[i]! <= maxDays) out.push(i);
    return out;
  }

  /** A teller time: 09:05–16:30 on weekdays, 09:05–12:30 on Saturdays. */
  tellerSec(day: number, from = 9 * 3600 + 300): number {
    const until = this.period.weekday[day] === 6 ? 12 * 3600 + 1800 : 16 * 3600 + 1800;
    return this.rng.int(from, until);
  }

  teller(branch: number): number {
    return branch * TELLERS_PER_BRANCH + this.rng.int(0, TELLERS_PER_BRANCH - 1);
  }

  open(pattern: string, rule: string, alert: boolean, cust: number): number {
    this.cases.push({ pattern, rule, alert, cust, note: '' });
    return this.cases.length;
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

  /** A wire to or from `party`, by default between 10:00 and 15:00. */
  wire(tag: number, day: number, kind: Kind, cents: number, party: PartyRef, sec = this.rng.int(10 * 3600, 15 * 3600)): PlannedLeg {
    const memo = kind === Kind.wireIn ? party.memoIn : party.memoOut;
    return this.add(tag, { day, sec, cust: this.cases[tag - 1]!.cust, kind, cents, cp: party.cp, memo });
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
