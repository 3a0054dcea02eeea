/** Look-alikes (g)–(m): close to a structuring pattern, but no rule may fire on them. */
import { BRANCH, CONTRACT_PAYER } from './catalog.js';
import { Kind } from './legs.js';
import { list, type Planner, usd } from './plan.js';
import { MEMO } from './tables.js';

const H = 3600;

function dates(pl: Planner, days: readonly number[]): string {
  return list(days.map((d) => pl.date(d)));
}

/** (g) The restaurant's daily cash takings, Monday to Saturday, $800–$3,000 each. */
export function restaurant(pl: Planner): void {
  const { pop, period: p, rng } = pl;
  const c = pop.restaurant;
  pop.dedicated[c] = 1;
  const tag = pl.open('restaurant-daily-cash', 'STRUCT-001', false, c);
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
  pl.note(tag, `(g) ${pop.name[c]}, a restaurant, deposits its cash takings at ${pl.branch(pop.home[c]!)} Monday to `
    + `Saturday from ${pl.date(first)} to ${pl.date(last)}: ${n} deposits of $800.00–$3,000.00. Every leg is below the $8,000 band, so STRUCT-001 has nothing to `
    + `count; the largest business-day total (a Saturday rolls into the next business day) is ${usd(peak)}, below $8,000, `
    + `so neither STRUCT-002 (A) nor (B) fires. Must not alert.`);
}

/** (h) Only two in-band deposits within 14 days. */
export function twoInBand(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('two-in-band-deposits', 'STRUCT-001', false, c);
  const gap = pl.rng.int(3, 6);
  const w = pl.period.weekdays;
  const i = pl.anchor('look-alike (h)', pl.runs(gap + 1, 10));
  const days = [w[i]!, w[i + gap]!];
  pl.pop.home[c] = BRANCH.dallas;
  pl.cash(tag, days[0]!, Kind.cashIn, 930_000, BRANCH.dallas);
  pl.cash(tag, days[1]!, Kind.cashIn, 960_000, BRANCH.dallas);
  pl.note(tag, `(h) Two cash deposits, $9,300.00 and $9,600.00, on ${dates(pl, days)} at ${pl.branch(BRANCH.dallas)}. `
    + `Both are in band and within 14 days, but STRUCT-001 needs at least three in-band legs. Must not alert.`);
}

/** (i) Three deposits of $7,999.99: one cent under the band. */
export function justUnderBand(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('just-under-band', 'STRUCT-001', false, c);
  const w = pl.period.weekdays;
  const i = pl.anchor('look-alike (i)', pl.runs(3, 6));
  const days = [w[i]!, w[i + 1]!, w[i + 2]!];
  pl.pop.home[c] = BRANCH.mcAllen;
  for (const day of days) pl.cash(tag, day, Kind.cashIn, 799_999, BRANCH.mcAllen);
  pl.note(tag, `(i) Three cash deposits of $7,999.99 on consecutive business days (${dates(pl, days)}) at `
    + `${pl.branch(BRANCH.mcAllen)}. Each is one cent below the $8,000 lower bound of the band, so STRUCT-001 counts none `
    + `of them (exact decimal comparison). One leg per day, so no STRUCT-002. Must not alert.`);
}

/** (j) Three in-band deposits ten days apart: no 14-day window holds all three. */
export function spreadOut(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('in-band-spread-out', 'STRUCT-001', false, c);
  const p = pl.period;
  const isWeekday = new Set(p.weekdays);
  const starts = p.weekdays.filter((d) => isWeekday.has(d + 10) && isWeekday.has(d + 20));
  const d0 = pl.anchor('look-alike (j)', starts);
  const days = [d0, d0 + 10, d0 + 20];
  pl.pop.home[c] = BRANCH.phoenix;
  [920_000, 870_000, 945_000].forEach((cents, k) => pl.cash(tag, days[k]!, Kind.cashIn, cents, BRANCH.phoenix));
  pl.note(tag, `(j) Three in-band cash deposits, $9,200.00, $8,700.00 and $9,450.00, ten calendar days apart (${dates(pl, days)}) `
    + `at ${pl.branch(BRANCH.phoenix)}. The first and last are 20 days apart, so any 14-day window holds at most two of `
    + `them; STRUCT-001 needs three. Must not alert.`);
}

/** (k) Three $9,500 wires in: in band, but not cash. */
export function wiresNotCash(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('in-band-wires', 'STRUCT-001', false, c);
  const w = pl.period.weekdays;
  const i = pl.anchor('look-alike (k)', pl.runs(3, 6));
  const days = [w[i]!, w[i + 1]!, w[i + 2]!];
  const cp = pl.pop.tables.party(CONTRACT_PAYER);
  const memo = pl.pop.tables.memo(`WIRE IN ${CONTRACT_PAYER[0].toUpperCase()} PROGRESS PMT`);
  for (const day of days) pl.add(tag, { day, sec: pl.rng.int(10 * H, 15 * H), cust: c, kind: Kind.wireIn, cents: 950_000, cp, memo });
  pl.note(tag, `(k) Three incoming domestic wires of $9,500.00 from ${CONTRACT_PAYER[0]} on ${dates(pl, days)}. The amounts `
    + `are in band but the channel is wire, not cash, so STRUCT-001 and STRUCT-002 ignore them. Must not alert.`);
}

/** (l) One deposit of exactly $10,000.00. */
export function exactlyThreshold(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('exactly-10000', 'CASH-001', false, c);
  const day = pl.period.weekdays[pl.anchor('look-alike (l)', pl.runs(1))]!;
  pl.pop.home[c] = BRANCH.dallas;
  pl.cash(tag, day, Kind.cashIn, 1_000_000, BRANCH.dallas);
  pl.note(tag, `(l) One cash deposit of exactly $10,000.00 at ${pl.branch(BRANCH.dallas)} on ${pl.date(day)}. CASH-001 needs `
    + `more than $10,000; STRUCT-001 needs three in-band legs; STRUCT-002 needs two legs on the day. Must not alert.`);
}

/** (m) Three in-band cash withdrawals on three different days. */
export function withdrawals(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('in-band-withdrawals', 'STRUCT-001', false, c);
  const w = pl.period.weekdays;
  const i = pl.anchor('look-alike (m)', pl.runs(5, 8));
  const days = [w[i]!, w[i + 2]!, w[i + 4]!];
  pl.pop.home[c] = BRANCH.chicago;
  [900_000, 980_000, 940_000].forEach((cents, k) => pl.cash(tag, days[k]!, Kind.cashOut, cents, BRANCH.chicago));
  pl.note(tag, `(m) Three cash withdrawals, $9,000.00, $9,800.00 and $9,400.00, on ${dates(pl, days)} at `
    + `${pl.branch(BRANCH.chicago)}. STRUCT-001 counts deposits (cash in) only, and STRUCT-002 needs two cash legs on one `
    + `business day. Must not alert under STRUCT-001, STRUCT-002 or CASH-001 (the withdrawal-side rule STRUCT-004 (A) `
    + `would match it once it ships).`);
}
