/** Shapes several planted patterns share. */
import type { PartyRef } from './population.js';
import { list, type Planner, usd } from './plan.js';

export type Pattern = (pl: Planner) => void;

/** A pattern and its look-alike from one function of (planner, alert). */
export function pair(plant: (pl: Planner, alert: boolean) => void): [Pattern, Pattern] {
  return [(pl) => plant(pl, true), (pl) => plant(pl, false)];
}

export interface FanIn {
  pattern: string;
  rule: string;
  alert: boolean;
  amounts: readonly number[];
  /** Takes a sender: a bank or a walk-in customer. */
  take: () => number;
  /** Each sender's home branch or agent location. */
  homes: readonly number[];
  to: PartyRef;
  /** Calendar days from the first transfer, one per sender. */
  offsets: readonly number[];
  from?: string;
  send: (tag: number, day: number, cents: number, sender: number, home: number) => void;
}

/** Several senders, one transfer each to one beneficiary; returns the case and a sentence describing it. */
export function fanIn(pl: Planner, f: FanIn): { tag: number; text: string } {
  const senders = f.amounts.map(() => f.take());
  const tag = pl.open(f.pattern, f.rule, f.alert, senders[0]!);
  const days = pl.daysAt(`${f.alert ? 'pattern' : 'look-alike'} ${f.rule}`, f.offsets.slice(0, f.amounts.length), f.from);
  senders.forEach((c, k) => {
    pl.pop.home[c] = f.homes[k]!;
    f.send(tag, days[k]!, f.amounts[k]!, c, f.homes[k]!);
  });
  const [name, account] = pl.pop.tables.parties[f.to.cp]!;
  return {
    tag,
    text: `${f.amounts.length} different customers (${list(senders.map((c) => pl.pop.custId[c]!))}) send `
      + `${list(f.amounts.map(usd))} to ${name} (account ${account}) between ${pl.date(days[0]!)} and ${pl.date(days.at(-1)!)}`,
  };
}
