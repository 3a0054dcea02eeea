/**
 * Patterns for the graph rules (GRAPH-001 to GRAPH-008), each beside a benign
 * look-alike its rule must leave alone. Quiet customers (no background legs, so nothing else touches their
 * accounts) wire money to and receive it from outside accounts made for the pattern. An outside account
 * paid by one customer that pays another is how a path through other banks shows in one bank's export
 * (typologies §3.7, the one-bank caveat); a book transfer would show as two parallel edges, the export
 * having no pair_id, so none is used. Every payment is at least $1,000, each hop keeps at most 20%, and no
 * account pays an inflow on within 24 hours (no XB-004 from the default pack).
 */
import { FIRST_NAMES, LAST_NAMES, WIRE_DOMESTIC } from './catalog.js';
import { Kind } from './legs.js';
import { type AlsoSpec, list, type PlannedLeg, type Planner, usd } from './plan.js';
import { digits } from './profile.js';
import type { PartyRef } from './population.js';
import type { Pattern } from './shapes.js';
import { MEMO } from './tables.js';

const H = 3600;
/** A check with no counterparty account: it counts in the account's inflow or outflow, not as an edge. */
const CHECK = 'check';
const isCustomer = (name: string): boolean => /^[A-Z]/.test(name);

/**
 * One payment: [from, to, calendar day from the first, hour, cents]. A capitalised name is a customer of the
 * bank, any other an outside account.
 */
type Hop = readonly [from: string, to: string, day: number, hour: number, cents: number];

/** A pattern or a look-alike: its id, its payments, and why its rule fires or must not. */
type Planted = readonly [pattern: string, hops: readonly Hop[], why: string];

interface GraphPair {
  rule: string;
  alert: Planted;
  lookalike: Planted;
  /** Other graph rules the pattern raises by design: [rule, reason, the direction of the legs they cover]. */
  also?: readonly AlsoSpec[];
}

const BANKS = [...new Set(WIRE_DOMESTIC.map((p) => p[4]!))];
const FIRMS = ['Holdings LLC', 'Trading Co', 'Capital Group Inc', 'Imports LLC', 'Services Inc'];

/** A U.S. account at another bank, made for one pattern: a person or a company. */
function outsider(pl: Planner): PartyRef {
  const last = pl.rng.pick(LAST_NAMES);
  const name = pl.rng.chance(0.5) ? `${pl.rng.pick(FIRST_NAMES)} ${last}` : `${last} ${pl.rng.pick(FIRMS)}`;
  return pl.party([name, '3' + digits(pl.rng, 9), 'US', 'US', pl.rng.pick(BANKS)]);
}

/** Plants a pattern or look-alike: a quiet customer for each capitalised name, a new outside account for each other. */
function plantCase(pl: Planner, rule: string, alert: boolean, planted: Planted, also: readonly AlsoSpec[] = []): void {
  const [pattern, hops, why] = planted;
  const names = [...new Set(hops.flatMap(([from, to]) => [from, to]))].filter((n) => n !== CHECK);
  // The first-named customer gets the lowest account number: a cycle's alert is on the lowest of its accounts,
  // a block's on the lowest of its paying layer (src/graph/patterns.ts), so the case is the first-named customer's.
  const people = names.filter(isCustomer);
  const picked = people.map(() => pl.customer(true)).sort((a, b) => pl.pop.acctId[a]!.localeCompare(pl.pop.acctId[b]!));
  const customers = new Map(people.map((n, k) => [n, picked[k]!]));
  const tag = pl.open(pattern, rule, alert, customers.values().next().value!, ...also);
  const outside = new Map(names.filter((n) => !isCustomer(n)).map((n) => [n, outsider(pl)]));
  const offsets = [...new Set(hops.map((h) => h[2]))].sort((a, b) => a - b);
  const days = pl.daysAt(`${alert ? 'pattern' : 'look-alike'} ${rule}`, offsets);
  const label = (n: string): string => (n === CHECK ? 'a check' : isCustomer(n)
    ? `account ${pl.pop.acctId[customers.get(n)!]}` : pl.pop.tables.parties[outside.get(n)!.cp]![0]!);
  const paid = hops.map(([from, to, offset, hour, cents]) => {
    const out = isCustomer(from);
    const [c, other] = out ? [customers.get(from)!, to] : [customers.get(to)!, from];
    const leg = { day: days[offsets.indexOf(offset)]!, sec: hour * H + pl.rng.int(0, 900), cust: c, cents };
    if (other === CHECK) pl.add(tag, check(pl, leg, out));
    else pl.wire(tag, leg.day, out ? Kind.wireOut : Kind.wireIn, cents, outside.get(other)!, leg.sec, c);
    return `${usd(cents)} from ${label(from)} to ${label(to)} on ${pl.date(leg.day)}`;
  });
  pl.note(tag, `${list(paid)}. ${why}`);
}

/** A check the customer writes (out) or deposits: its counterparty has no account. */
function check(pl: Planner, leg: Pick<PlannedLeg, 'day' | 'sec' | 'cust' | 'cents'>, out: boolean): PlannedLeg {
  return out
    ? { ...leg, kind: Kind.checkOut, cp: pl.rng.pick(pl.pop.payees).cp, memo: -pl.pop.nextCheck[leg.cust]!++ }
    : { ...leg, kind: Kind.checkIn, cp: pl.rng.pick(pl.pop.payers).cp, memo: MEMO.checkDepositMobile };
}

const PAIRS: readonly GraphPair[] = [
  {
    rule: 'GRAPH-001',
    alert: ['graph-001-fan-in', [['x1', 'A', 0, 10, 815_000], ['x2', 'A', 2, 11, 792_000], ['x3', 'A', 4, 14, 840_000],
      ['x4', 'A', 7, 10, 776_000]],
      'Four outside accounts pay one customer similar amounts within eight days: at least 3 distinct senders, carrying all '
        + 'of its inflow in 30 days, with a coefficient of variation far under 2: GRAPH-001.'],
    lookalike: ['fan-in-two-senders', [['x1', 'A', 0, 10, 815_000], ['x2', 'A', 3, 13, 792_000]],
      'Two outside accounts pay one customer similar amounts: GRAPH-001 needs 3 distinct senders. Must not alert.'],
  },
  {
    rule: 'GRAPH-002',
    alert: ['graph-002-fan-out', [['A', 'r1', 0, 11, 860_000], ['A', 'r2', 1, 14, 825_000], ['A', 'r3', 5, 10, 890_000],
      ['A', 'r4', 7, 15, 845_000]],
      'One customer wires similar amounts to four outside accounts within eight days: at least 3 receivers, carrying all of '
        + 'its outflow in 30 days: GRAPH-002.'],
    lookalike: ['fan-out-mostly-checks', [['A', 'r1', 0, 11, 185_000], ['A', CHECK, 1, 9, 640_000], ['A', 'r2', 2, 14, 197_500],
      ['A', 'r3', 4, 10, 172_000]],
      'Wires to three outside accounts (contractors, say), but most of what the account paid went by check, with no '
        + 'counterparty account: the three carry under 80% of its outflow, so GRAPH-002 must not alert.'],
  },
  {
    rule: 'GRAPH-003',
    alert: ['graph-003-cycle', [['A', 'x', 0, 10, 960_000], ['x', 'B', 7, 11, 915_000], ['B', 'y', 14, 14, 870_000],
      ['y', 'A', 21, 10, 835_000]],
      'Money leaves one customer and comes back to it through an outside account, a second customer and another outside '
        + 'account, a week a hop, each keeping under 5%: a time-ordered cycle of 4 hops within 30 days, GRAPH-003. The hops '
        + 'are over 72 hours apart, so they are no chain (GRAPH-008).'],
    lookalike: ['round-trip-keeps-too-much', [['A', 'x', 0, 10, 960_000], ['x', 'B', 7, 11, 520_000],
      ['B', 'y', 14, 14, 495_000], ['y', 'A', 21, 10, 470_000]],
      'The same round of four payments, but the second passes on 54% of the first: more than 20% is kept, so GRAPH-003 '
        + 'finds no cycle. Must not alert.'],
  },
  {
    rule: 'GRAPH-004',
    alert: ['graph-004-scatter-gather', [['s', 'M1', 0, 10, 840_000], ['s', 'M2', 0, 11, 790_000], ['s', 'M3', 0, 13, 815_000],
      ['M1', 't', 2, 14, 756_000], ['M2', 't', 3, 10, 711_000], ['M3', 't', 3, 14, 733_000]],
      'One outside account pays three customers on one day; two and three days later each passes about 90% of it to the '
        + 'same other outside account: a source, 3 intermediaries and a sink within 30 days, GRAPH-004. Each keeps more '
        + 'than 5%, so no payment is passed on whole (GRAPH-008).'],
    lookalike: ['subcontractors-pay-supplier', [['s', 'M1', 0, 10, 800_000], ['s', 'M2', 0, 11, 760_000],
      ['s', 'M3', 0, 13, 820_000], ['M1', 't', 2, 14, 320_000], ['M2', 't', 3, 10, 305_000], ['M3', 't', 3, 14, 340_000]],
      'A company pays three customers (subcontractors), and each pays one supplier about 40% of it (materials): each keeps '
        + 'more than 20%, so GRAPH-004 must not alert.'],
  },
  {
    rule: 'GRAPH-005',
    alert: ['graph-005-gather-scatter', [['x1', 'A', 0, 10, 920_000], ['x2', 'A', 1, 11, 875_000], ['x3', 'A', 2, 14, 948_000],
      ['A', 'r1', 7, 10, 890_000], ['A', 'r2', 8, 13, 865_000], ['A', 'r3', 9, 15, 882_000]],
      'One customer gathers wires from three outside accounts in three days, then, the next week, pays 96% of it to three '
        + 'others: an inflow phase, then an outflow phase, GRAPH-005. The two phases are also a fan-in (GRAPH-001) and a '
        + 'fan-out (GRAPH-002).'],
    also: [
      ['GRAPH-001', 'the gathering phase: three senders carry all of the account\'s inflow', 'in'],
      ['GRAPH-002', 'the paying-out phase: three receivers carry all of the account\'s outflow', 'out'],
    ],
    // Checks in and out (no counterparty account) keep the wires under 80% of the flow: no fan-in or fan-out.
    lookalike: ['interleaved-in-and-out', [['x1', 'A', 0, 10, 820_000], [CHECK, 'A', 0, 11, 280_000],
      ['A', 'r1', 1, 15, 760_000], ['A', CHECK, 2, 9, 240_000], ['x2', 'A', 3, 10, 790_000], [CHECK, 'A', 3, 11, 310_000],
      ['A', 'r2', 4, 15, 745_000], ['A', CHECK, 4, 16, 220_000], [CHECK, 'A', 7, 9, 190_000], ['x3', 'A', 7, 10, 835_000],
      ['A', CHECK, 7, 14, 190_000], ['A', 'r3', 8, 15, 760_000]],
      'A self-employed contractor paid by three clients and paying three suppliers, by wire and by check, in and out in '
        + 'turn: 20% of the wired outflow had left before 80% of the wired inflow came in, no gathering phase, so GRAPH-005 '
        + 'must not alert. The checks carry over 20% of the account\'s inflow and of its outflow, so the wires are no fan-in '
        + 'or fan-out either (GRAPH-001, GRAPH-002).'],
  },
  {
    rule: 'GRAPH-006',
    alert: ['graph-006-bipartite', [['O1', 'b1', 0, 10, 520_000], ['O1', 'b2', 1, 11, 485_000], ['O2', 'b1', 2, 14, 505_000],
      ['O2', 'b2', 3, 10, 490_000]],
      'Two customers each pay both of two outside accounts within four days: 2 originators and 2 beneficiaries, all 4 pairs '
        + 'linked (at least 60%), nothing paid back: GRAPH-006.'],
    lookalike: ['one-to-one-payments', [['O1', 'b1', 0, 10, 520_000], ['O2', 'b2', 1, 11, 485_000], ['O3', 'b3', 2, 14, 505_000]],
      'Three customers each pay a different outside account: no two share a payment partner, no 2 by 2 block, so '
        + 'GRAPH-006 must not alert.'],
  },
  {
    rule: 'GRAPH-007',
    alert: ['graph-007-stack', [['o1', 'M1', 0, 10, 600_000], ['o1', 'M2', 0, 14, 580_000], ['o2', 'M1', 1, 10, 620_000],
      ['o2', 'M2', 1, 14, 590_000], ['M1', 'b1', 3, 10, 545_000], ['M1', 'b2', 3, 14, 555_000], ['M2', 'b1', 4, 10, 530_000],
      ['M2', 'b2', 4, 14, 540_000]],
      'Two outside accounts each pay both of two customers; two days later each customer pays both of two other outside '
        + 'accounts about 90% of what it received (no payment passed on whole, GRAPH-008): originators, intermediaries '
        + 'and beneficiaries, each pair of layers fully linked, in that order: GRAPH-007. The customers\' payments are by '
        + 'themselves a bipartite block (GRAPH-006).'],
    also: [['GRAPH-006', 'the intermediaries and the beneficiaries they pay are a bipartite block of their own', 'out']],
    // Each intermediary pays two of three beneficiaries: a 2 by 2 block would raise GRAPH-006.
    lookalike: ['intermediaries-pay-first', [['M1', 'b1', 0, 10, 570_000], ['M1', 'b2', 0, 14, 585_000],
      ['M2', 'b2', 1, 10, 560_000], ['M2', 'b3', 1, 14, 575_000], ['o1', 'M1', 3, 10, 600_000], ['o1', 'M2', 3, 14, 580_000],
      ['o2', 'M1', 4, 10, 620_000], ['o2', 'M2', 4, 14, 590_000]],
      'Two customers pay three outside accounts (each two of them) first and are paid by two others only afterwards: the '
        + 'intermediaries pay before they are paid, so GRAPH-007 must not alert. Around no single payment do the customers '
        + 'and the accounts they pay link 60% of 2 by 2 pairs, so GRAPH-006 stays silent too.'],
  },
  {
    rule: 'GRAPH-008',
    alert: ['graph-008-chain', [['x', 'A', 0, 9, 980_000], ['A', 'y', 1, 11, 931_000], ['y', 'B', 2, 13, 894_000],
      ['B', 'z', 3, 15, 858_000]],
      'An outside account pays a customer, who pays an outside account, which pays a second customer, who pays on: 4 hops, '
        + 'each 26 hours after the last (within 72 hours) and passing on about 96%: GRAPH-008.'],
    lookalike: ['chain-with-slow-hops', [['x', 'A', 0, 9, 980_000], ['A', 'y', 3, 14, 931_000], ['y', 'B', 6, 17, 894_000]],
      'The same payments passed on, but each hop comes 77 hours after the one before: more than 72 hours, so no two hops '
        + 'in quick succession, and GRAPH-008 must not alert.'],
  },
];

/** After the other patterns, so adding them kept the earlier patterns' days and customers. */
export const GRAPH_PATTERNS: readonly Pattern[] = PAIRS.flatMap((g) => [
  (pl: Planner) => plantCase(pl, g.rule, true, g.alert, g.also),
  (pl: Planner) => plantCase(pl, g.rule, false, g.lookalike),
]);
