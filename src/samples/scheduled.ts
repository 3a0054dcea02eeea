/**
 * How many background legs each day gets, and the legs scheduled ahead of the day-by-day draw:
 * - the grocery's and the car wash's cash takings: one deposit of $800–$3,000 per open day (the car wash on
 *   Mondays, Wednesdays, Fridays and Saturdays). A Saturday deposit rolls into the next business day, so a
 *   business date holds at most two of them (≤ $6,000), below the $8,000 band of the cash rules;
 * - the remittances of the money-transmitter affiliate's walk-in customers: cash-funded, $80–$1,500, one
 *   every 8 to 24 days to a relative (below the GTO threshold at most twice in any 7 days, never twice on a
 *   business day: REMIT-002; below $2,500: REMIT-001; at most four in 30 days: XB-008).
 */
import { TELLERS_PER_BRANCH } from './catalog.js';
import { Kind, type LegSpec } from './legs.js';
import type { Period } from './period.js';
import type { Population } from './population.js';
import type { Rng } from './prng.js';
import { MEMO } from './tables.js';

const H = 3600;

/** Legs by day; none at all when `total` background rows could not hold four times as many. */
export function scheduleLegs(p: Period, pop: Population, rng: Rng, total: number): LegSpec[][] {
  const out: LegSpec[][] = Array.from({ length: p.days }, () => []);
  for (let day = 0; day < p.days; day++) {
    if (!p.open[day]) continue;
    const wd = p.weekday[day]!;
    if (rng.chance(0.95)) out[day]!.push(deposit(p, pop, rng, day, pop.grocery, 300_000));
    if (wd % 2 === 1 || wd === 6) out[day]!.push(deposit(p, pop, rng, day, pop.carWash, 240_000));
  }
  const cash = pop.tables.extra({ funding_method: 'cash' });
  for (let c = pop.n; c < pop.total; c++) {
    if (pop.dedicated[c]) continue;
    for (let day = rng.int(0, 13); day < p.days; day += rng.int(8, 24)) {
      const d = p.weekday[day] === 0 ? day + 1 : day;
      if (d < p.days) out[d]!.push(remittance(pop, rng, c, cash));
    }
  }
  const count = out.reduce((a, s) => a + s.length, 0);
  return total >= 4 * count ? out : out.map(() => []);
}

function deposit(p: Period, pop: Population, rng: Rng, day: number, cust: number, max: number): LegSpec {
  const sec = p.weekday[day] === 6 ? rng.int(12 * H, 12 * H + 1800) : rng.int(16 * H, 17 * H - 1);
  const conductor = rng.chance(0.6) ? 2 * cust : 2 * cust + 1;
  const branch = pop.home[cust]!;
  return {
    sec, cust, kind: Kind.cashIn, cents: rng.int(80_000, max), branch,
    teller: branch * TELLERS_PER_BRANCH + rng.int(0, TELLERS_PER_BRANCH - 1),
    conductor, memo: conductor === 2 * cust ? MEMO.businessDeposit : pop.conductorMemo[conductor]!,
  };
}

/** A walk-in customer's cash remittance at its agent location; most amounts are whole tens of dollars. */
function remittance(pop: Population, rng: Rng, c: number, extra: number): LegSpec {
  const to = rng.pick(pop.family[c]!);
  const dollars = rng.skewed(80, 1500, 2);
  const cents = (rng.chance(0.7) ? dollars - (dollars % 10) : dollars) * 100;
  return {
    sec: rng.int(9 * H + 1800, 19 * H), cust: c, kind: Kind.remitOut, cents, branch: pop.home[c]!, conductor: 2 * c, cp: to.cp,
    memo: to.memoOut, extra,
  };
}

/** Relative volume of a day: open weekday 20, open Saturday 10, holiday 6, Sunday 5. */
function dayWeight(p: Period, d: number): number {
  if (p.open[d]) return p.weekday[d] === 6 ? 10 : 20;
  return p.weekday[d] === 0 ? 5 : 6;
}

/** Splits `total` legs over the days in proportion to their weight; the parts add up exactly. */
export function allocate(p: Period, total: number): Int32Array {
  const weights = Array.from({ length: p.days }, (_, d) => dayWeight(p, d));
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = new Int32Array(p.days);
  let cum = 0;
  let prev = 0;
  for (let d = 0; d < p.days; d++) {
    cum += weights[d]!;
    const upto = Math.floor((cum * total + Math.floor(sum / 2)) / sum);
    out[d] = upto - prev;
    prev = upto;
  }
  return out;
}
