/**
 * The grocery's and the car wash's cash takings: one deposit of $800–$3,000 per open day (the car wash
 * on Mondays, Wednesdays, Fridays and Saturdays). A Saturday deposit rolls into the next business day,
 * so a business date holds at most two of them (≤ $6,000), below the $8,000 band of the cash rules.
 */
import { TELLERS_PER_BRANCH } from './catalog.js';
import type { Period } from './period.js';
import type { Population } from './population.js';
import type { Rng } from './prng.js';
import { MEMO } from './tables.js';

const H = 3600;

export interface Scheduled {
  sec: number;
  cust: number;
  cents: number;
  branch: number;
  teller: number;
  conductor: number;
  memo: number;
}

/** Deposits by day; none at all when `total` background rows could not hold four times as many. */
export function scheduleBusinessCash(p: Period, pop: Population, rng: Rng, total: number): Scheduled[][] {
  const out: Scheduled[][] = Array.from({ length: p.days }, () => []);
  let count = 0;
  for (let day = 0; day < p.days; day++) {
    if (!p.open[day]) continue;
    const wd = p.weekday[day]!;
    if (rng.chance(0.95)) out[day]!.push(deposit(p, pop, rng, day, pop.grocery, 300_000));
    if (wd % 2 === 1 || wd === 6) out[day]!.push(deposit(p, pop, rng, day, pop.carWash, 240_000));
    count += out[day]!.length;
  }
  return total >= 4 * count ? out : out.map(() => []);
}

function deposit(p: Period, pop: Population, rng: Rng, day: number, cust: number, max: number): Scheduled {
  const sec = p.weekday[day] === 6 ? rng.int(12 * H, 12 * H + 1800) : rng.int(16 * H, 17 * H - 1);
  const conductor = rng.chance(0.6) ? 2 * cust : 2 * cust + 1;
  const branch = pop.home[cust]!;
  return {
    sec, cust, cents: rng.int(80_000, max), branch, teller: branch * TELLERS_PER_BRANCH + rng.int(0, TELLERS_PER_BRANCH - 1),
    conductor, memo: conductor === 2 * cust ? MEMO.businessDeposit : pop.conductorMemo[conductor]!,
  };
}
