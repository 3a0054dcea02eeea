/** Cash look-alikes (m)–(t): close to a structuring pattern, but no rule may fire on them. */
import { BRANCH, CONTRACT_PAYER } from './catalog.js';
import { Kind } from './legs.js';
import { list, type Planner, usd } from './plan.js';
import { Dedicated } from './population.js';
import { MEMO } from './tables.js';

const H = 3600;

function dates(pl: Planner, days: readonly number[]): string {
  return list(days.map((d) => pl.date(d)));
}

/** (m) The restaurant's daily cash takings, Monday to Saturday, $800–$3,000 each. */
export function restaurant(pl: Planner): void {
  const { pop, period: p, rng } = pl;
  const c = pop.restaurant;
  const tag = pl.open('restaurant-daily-cash', 'STRUCT-001', false, c);
  pop.dedicated[c] = Dedicated.planted;
  const byBday = new Map<number, number>();
  let [n, first, last] = [0, 0, 0];
  for (let day = 0; day < p.days; day++) {
    if (!p.open[day] || !rng.chance(0.92)) continue;
    const cents = rng.int(80_000, 300_000);
    const sec = p.weekday[day] === 6 ? rng.int(11 * H, 12 * H + 1800) : rng.int(15 * H, 16 * H + 1800);
    const who = rng.chance(0.7) ? 2 * c : 2 * c + 1;
    const memo = who === 2 * c ? MEMO.businessDeposit : pop.conductorMemo[who]!;
    const branch = pop.home[c]!;
    pl.add(tag, { day, sec, cust: c, kind: Kind.cashIn, cents, branch, teller: pl.teller(branch), conductor: who, memo });
    byBday.set(p.bday[day]!, (byBday.get(p.bday[day]!) ?? 0) + cents);
    if (n++ === 0) first = day;
    last = day;
  }
  const peak = Math.max(0, ...byBday.values());
  pl.note(tag, `(m) ${pop.name[c]}, a restaurant, deposits its cash takings at ${pl.branch(pop.home[c]!)} Monday to `
    + `Saturday from ${pl.date(first)} to ${pl.date(last)}: ${n} deposits of $800.00–$3,000.00. Every leg is below the $8,000 band, so STRUCT-001 has nothing to `
    + `count; the largest business-day total (a Saturday rolls into the next business day) is ${usd(peak)}, below $8,000, `
    + `so neither STRUCT-002 (A) nor (B) fires; only the owner and one employee deposit, so STRUCT-003 (three depositors) `
    + `does not apply. Must not alert.`);
}

/** (n) Only two in-band deposits within 14 days. */
export function twoInBand(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('two-in-band-deposits', 'STRUCT-001', false, c);
  const gap = pl.rng.int(3, 6);
  const w = pl.period.weekdays;
  const i = pl.anchor('look-alike (n)', pl.runs(gap + 1, 10));
  const days = [w[i]!, w[i + gap]!];
  pl.pop.home[c] = BRANCH.dallas;
  pl.cash(tag, days[0]!, Kind.cashIn, 930_000, BRANCH.dallas);
  pl.cash(tag, days[1]!, Kind.cashIn, 960_000, BRANCH.dallas);
  pl.note(tag, `(n) Two cash deposits, $9,300.00 and $9,600.00, on ${dates(pl, days)} at ${pl.branch(BRANCH.dallas)}. `
    + `Both are in band and within 14 days, but STRUCT-001 needs at least three in-band legs. Must not alert.`);
}

/** (o) Three deposits of $7,999.99: one cent under the band. */
export function justUnderBand(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('just-under-band', 'STRUCT-001', false, c);
  const w = pl.period.weekdays;
  const i = pl.anchor('look-alike (o)', pl.runs(3, 6));
  const days = [w[i]!, w[i + 1]!, w[i + 2]!];
  pl.pop.home[c] = BRANCH.mcAllen;
  for (const day of days) pl.cash(tag, day, Kind.cashIn, 799_999, BRANCH.mcAllen);
  pl.note(tag, `(o) Three cash deposits of $7,999.99 on consecutive business days (${dates(pl, days)}) at `
    + `${pl.branch(BRANCH.mcAllen)}. Each is one cent below the $8,000 lower bound of the band, so STRUCT-001 counts none `
    + `of them (exact decimal comparison). One leg per day, so no STRUCT-002. Must not alert.`);
}

/** (p) Three in-band deposits ten days apart: no 14-day window holds all three. */
export function spreadOut(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('in-band-spread-out', 'STRUCT-001', false, c);
  const days = pl.daysAt('look-alike (p)', [0, 10, 20]);
  pl.pop.home[c] = BRANCH.phoenix;
  [920_000, 870_000, 945_000].forEach((cents, k) => pl.cash(tag, days[k]!, Kind.cashIn, cents, BRANCH.phoenix));
  pl.note(tag, `(p) Three in-band cash deposits, $9,200.00, $8,700.00 and $9,450.00, ten calendar days apart (${dates(pl, days)}) `
    + `at ${pl.branch(BRANCH.phoenix)}. The first and last are 20 days apart, so any 14-day window holds at most two of `
    + `them; STRUCT-001 needs three. Must not alert.`);
}

/** (q) Three $9,500 wires in: in band, but not cash. */
export function wiresNotCash(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('in-band-wires', 'STRUCT-001', false, c);
  const w = pl.period.weekdays;
  const i = pl.anchor('look-alike (q)', pl.runs(3, 6));
  const days = [w[i]!, w[i + 1]!, w[i + 2]!];
  const cp = pl.pop.tables.party(CONTRACT_PAYER);
  const memo = pl.pop.tables.memo(`WIRE IN ${CONTRACT_PAYER[0].toUpperCase()} PROGRESS PMT`);
  for (const day of days) pl.add(tag, { day, sec: pl.rng.int(10 * H, 15 * H), cust: c, kind: Kind.wireIn, cents: 950_000, cp, memo });
  pl.note(tag, `(q) Three incoming domestic wires of $9,500.00 from ${CONTRACT_PAYER[0]} on ${dates(pl, days)}. The amounts `
    + `are in band but the channel is wire, not cash, so STRUCT-001 and STRUCT-002 ignore them; they are domestic, and `
    + `little leaves the account in the 24 hours after each (no XB-004). Must not alert.`);
}

/** (r) One deposit of exactly $10,000.00. */
export function exactlyThreshold(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('exactly-10000', 'CASH-001', false, c);
  const day = pl.period.weekdays[pl.anchor('look-alike (r)', pl.runs(1))]!;
  pl.pop.home[c] = BRANCH.dallas;
  pl.cash(tag, day, Kind.cashIn, 1_000_000, BRANCH.dallas);
  pl.note(tag, `(r) One cash deposit of exactly $10,000.00 at ${pl.branch(BRANCH.dallas)} on ${pl.date(day)}. CASH-001 needs `
    + `more than $10,000; STRUCT-001 needs three in-band legs; STRUCT-002 needs two legs on the day. Must not alert.`);
}

/** (s) Three cash withdrawals of $7,500: below the band. */
export function withdrawalsUnderBand(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('withdrawals-under-band', 'STRUCT-004', false, c);
  const w = pl.period.weekdays;
  const i = pl.anchor('look-alike (s)', pl.runs(5, 8));
  const days = [w[i]!, w[i + 2]!, w[i + 4]!];
  pl.pop.home[c] = BRANCH.dallas;
  for (const day of days) pl.cash(tag, day, Kind.cashOut, 750_000, BRANCH.dallas);
  pl.note(tag, `(s) Three cash withdrawals of $7,500.00 on ${dates(pl, days)} at ${pl.branch(BRANCH.dallas)}. `
    + `$7,500.00 is below the $8,000 lower bound of STRUCT-004's band, although the three total $22,500.00 within `
    + `14 days; one leg per business day, so no STRUCT-002. Must not alert.`);
}

/** (t) A family account: the holder and a relative deposit cash on five consecutive business days. */
export function familyDeposits(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('family-deposits', 'STRUCT-003', false, c);
  const w = pl.period.weekdays;
  const i = pl.anchor('look-alike (t)', pl.runs(5, 6));
  const days = [0, 1, 2, 3, 4].map((k) => w[i + k]!);
  const amounts = [180_000, 240_000, 125_000, 215_000, 160_000];
  const who = [2 * c, 2 * c + 1, 2 * c, 2 * c + 1, 2 * c + 1];
  pl.pop.home[c] = BRANCH.laredo;
  days.forEach((day, k) => pl.cash(tag, day, Kind.cashIn, amounts[k]!, BRANCH.laredo, undefined, who[k]));
  pl.note(tag, `(t) Cash deposits of ${list(amounts.map(usd))} on five consecutive business days (${dates(pl, days)}) at `
    + `${pl.branch(BRANCH.laredo)}, by the account holder (${pl.pop.conductors[2 * c]}) and a relative `
    + `(${pl.pop.conductors[2 * c + 1]}). The total is over $5,000 within 7 days, but STRUCT-003 needs at least three `
    + `different depositors; one leg per business day (no STRUCT-002), none in the $8,000–$10,000 band. Must not alert.`);
}
