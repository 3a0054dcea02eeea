/** Cash patterns (a)–(h): each must raise exactly one alert of the rule named. */
import { BRANCH, FIRST_NAMES, LAST_NAMES } from './catalog.js';
import { Kind } from './legs.js';
import { list, type Planner, usd } from './plan.js';
import { addConductor } from './population.js';

const H = 3600;

function cashIns(pl: Planner, tag: number, days: readonly number[], amounts: readonly number[], branches: readonly number[]): void {
  days.forEach((day, k) => pl.cash(tag, day, Kind.cashIn, amounts[k]!, branches[k % branches.length]!));
}

export function total(amounts: readonly number[]): number {
  return amounts.reduce((a, b) => a + b, 0);
}

/** A planted third party (`P-8xxxx`) with an invented name; returns the conductor index. */
export function outsider(pl: Planner, num: number): number {
  return addConductor(pl.pop, `P-${num}`, `${pl.rng.pick(FIRST_NAMES)} ${pl.rng.pick(LAST_NAMES)}`);
}

/** (a) Three in-band deposits on three consecutive business days at two border branches. */
export function threeDayRun(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('struct-001-three-day-run', 'STRUCT-001', true, c);
  const w = pl.period.weekdays;
  const i = pl.anchor('pattern (a)', pl.runs(3, 6));
  const days = [w[i]!, w[i + 1]!, w[i + 2]!];
  const amounts = [940_000, 980_000, 910_000];
  pl.pop.home[c] = BRANCH.sanYsidro;
  cashIns(pl, tag, days, amounts, [BRANCH.sanYsidro, BRANCH.chulaVista, BRANCH.sanYsidro]);
  pl.note(tag, `(a) Cash deposits of ${list(amounts.map(usd))} on three consecutive business days `
    + `(${list(days.map((d) => pl.date(d)))}) at ${pl.branch(BRANCH.sanYsidro)} and ${pl.branch(BRANCH.chulaVista)}. `
    + `Three cash-in legs in the $8,000–$10,000 band on three business dates within 14 days, total `
    + `${usd(total(amounts))} > $10,000, and no business day's cash-in above $10,000: one STRUCT-001 alert with these three legs.`);
}

/** (b) Five in-band deposits over six business days: overlapping windows merge into one alert. */
export function burst(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('struct-001-burst', 'STRUCT-001', true, c);
  const w = pl.period.weekdays;
  const i = pl.anchor('pattern (b)', pl.runs(6, 9));
  const skip = i + 1 + pl.rng.int(0, 3);
  const days = [0, 1, 2, 3, 4, 5].map((k) => w[i + k]!).filter((d) => d !== w[skip]);
  const amounts = [950_000, 920_000, 990_000, 900_000, 970_000];
  pl.pop.home[c] = BRANCH.elPaso;
  cashIns(pl, tag, days, amounts, [BRANCH.elPaso]);
  pl.note(tag, `(b) A burst of five cash deposits (${list(amounts.map(usd))}) on ${list(days.map((d) => pl.date(d)))}, `
    + `five of the six business days from ${pl.date(w[i]!)} to ${pl.date(w[i + 5]!)}, at ${pl.branch(BRANCH.elPaso)}. `
    + `Every 14-day window holding three or more of them fires (all in band, ${usd(total(amounts))} in total, one leg per `
    + `business day); the overlapping hits merge into ONE STRUCT-001 alert with the five legs as evidence.`);
}

/** (c) Two cash deposits on one business day at Laredo and McAllen, together over $10,000. */
export function twoBranchesOverThreshold(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('struct-002a-two-branches', 'STRUCT-002', true, c);
  const day = pl.period.weekdays[pl.anchor('pattern (c)', pl.runs(1))]!;
  pl.pop.home[c] = BRANCH.laredo;
  pl.cash(tag, day, Kind.cashIn, 600_000, BRANCH.laredo, pl.rng.int(9 * H + 1800, 11 * H));
  pl.cash(tag, day, Kind.cashIn, 550_000, BRANCH.mcAllen, pl.rng.int(14 * H, 16 * H));
  pl.note(tag, `(c) Cash deposits of $6,000.00 at ${pl.branch(BRANCH.laredo)} in the morning and $5,500.00 at `
    + `${pl.branch(BRANCH.mcAllen)} in the afternoon of ${pl.date(day)}. Two cash-in legs on one business date, each `
    + `≤ $10,000, day total $11,500.00 > $10,000: STRUCT-002 (A). No leg is in the $8,000–$10,000 band, so STRUCT-001 `
    + `has nothing to count, and no single leg exceeds $10,000 (no CASH-001).`);
}

/** (d) Two deposits by two third-party conductors at two branches, day total in the band. */
export function twoConductors(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('struct-002b-two-conductors', 'STRUCT-002', true, c);
  const day = pl.period.weekdays[pl.anchor('pattern (d)', pl.runs(1))]!;
  const first = pl.rng.int(80_000, 84_999);
  const x1 = outsider(pl, first);
  const x2 = outsider(pl, first + pl.rng.int(1, 5000));
  const t1 = pl.rng.int(10 * H, 14 * H);
  pl.pop.home[c] = BRANCH.chulaVista;
  pl.cash(tag, day, Kind.cashIn, 450_000, BRANCH.chulaVista, t1, x1);
  pl.cash(tag, day, Kind.cashIn, 480_000, BRANCH.sanYsidro, t1 + pl.rng.int(35, 80) * 60, x2);
  const [id1, id2] = [pl.pop.conductors[x1], pl.pop.conductors[x2]];
  pl.note(tag, `(d) On ${pl.date(day)}, $4,500.00 is deposited at ${pl.branch(BRANCH.chulaVista)} by conductor ${id1} and, `
    + `within the next 80 minutes, $4,800.00 at ${pl.branch(BRANCH.sanYsidro)} by conductor ${id2}; neither is the `
    + `customer's own person id (${pl.pop.conductors[2 * c]}). Two cash-in legs, day total $9,300.00 in [$8,000, $10,000], `
    + `at 2 branches and by 2 conductors: STRUCT-002 (B).`);
}

/** (e) A Saturday deposit rolls into Monday's business date, where the day total passes $10,000. */
export function saturdayRollover(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('struct-002a-saturday-rollover', 'STRUCT-002', true, c);
  const p = pl.period;
  const saturdays: number[] = [];
  for (let s = 0; s + 2 < p.days; s++) {
    if (p.weekday[s] === 6 && p.open[s] && p.open[s + 2] && p.business[s + 2] && p.bday[s] === p.start + s + 2) {
      saturdays.push(s);
    }
  }
  const sat = pl.anchor('pattern (e)', saturdays);
  pl.pop.home[c] = BRANCH.calexico;
  pl.cash(tag, sat, Kind.cashIn, 520_000, BRANCH.calexico, pl.rng.int(10 * H, 12 * H + 1800));
  pl.cash(tag, sat + 2, Kind.cashIn, 530_000, BRANCH.calexico);
  pl.note(tag, `(e) $5,200.00 cash deposited on Saturday ${pl.date(sat)} and $5,300.00 on Monday ${pl.date(sat + 2)}, both at `
    + `${pl.branch(BRANCH.calexico)}. A Saturday leg counts on the next business day (31 CFR 1010.313(b)), so both legs `
    + `fall on business date ${pl.date(sat + 2)}: two cash-in legs, each ≤ $10,000, total $10,500.00 > $10,000: STRUCT-002 (A).`);
}

/** (f) One cash deposit over $10,000. */
export function overThreshold(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('cash-001-single-deposit', 'CASH-001', true, c);
  const day = pl.period.weekdays[pl.anchor('pattern (f)', pl.runs(1))]!;
  pl.pop.home[c] = BRANCH.nogales;
  pl.cash(tag, day, Kind.cashIn, 1_500_000, BRANCH.nogales);
  pl.note(tag, `(f) One cash deposit of $15,000.00 at ${pl.branch(BRANCH.nogales)} on ${pl.date(day)}: a single cash leg `
    + `above $10,000, CASH-001. It is the customer's only cash leg that day, so STRUCT-002 (which needs two) does not fire.`);
}

/** (g) Three in-band cash withdrawals on three business days within 14 days. */
export function structuredWithdrawals(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('struct-004-withdrawals', 'STRUCT-004', true, c);
  const w = pl.period.weekdays;
  const i = pl.anchor('pattern (g)', pl.runs(5, 8));
  const days = [w[i]!, w[i + 2]!, w[i + 4]!];
  const amounts = [900_000, 980_000, 940_000];
  pl.pop.home[c] = BRANCH.chicago;
  amounts.forEach((cents, k) => pl.cash(tag, days[k]!, Kind.cashOut, cents, BRANCH.chicago));
  pl.note(tag, `(g) Cash withdrawals of ${list(amounts.map(usd))} on ${list(days.map((d) => pl.date(d)))} at `
    + `${pl.branch(BRANCH.chicago)}. Three cash-out legs in the $8,000–$10,000 band on three business dates within 14 days, `
    + `total ${usd(total(amounts))} > $10,000: STRUCT-004. One leg per business day, so no STRUCT-002; none above $10,000 `
    + `(no CASH-001); STRUCT-001 counts deposits only.`);
}

/** (h) Four third parties deposit $1,900–$2,400 each into one account over three business days. */
export function smurfs(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('struct-003-smurfs', 'STRUCT-003', true, c);
  const w = pl.period.weekdays;
  const i = pl.anchor('pattern (h)', pl.runs(3, 4));
  const days = [w[i]!, w[i]!, w[i + 1]!, w[i + 2]!];
  const amounts = [215_000, 198_000, 234_000, 206_000];
  const branches = [BRANCH.chulaVista, BRANCH.sanYsidro, BRANCH.calexico, BRANCH.chulaVista];
  const people = [0, 1, 2, 3].map((k) => outsider(pl, 85_000 + 1200 * k + pl.rng.int(0, 1199)));
  const secs = [pl.rng.int(9 * H + 1800, 11 * H), pl.rng.int(14 * H, 16 * H), pl.tellerSec(days[2]!), pl.tellerSec(days[3]!)];
  pl.pop.home[c] = BRANCH.chulaVista;
  days.forEach((day, k) => pl.cash(tag, day, Kind.cashIn, amounts[k]!, branches[k]!, secs[k], people[k]));
  const ids = people.map((x) => pl.pop.conductors[x]!);
  pl.note(tag, `(h) Four people, ${list(ids)}, none of them the account holder (${pl.pop.conductors[2 * c]}), deposit `
    + `${list(amounts.map(usd))} in cash on ${list([...new Set(days)].map((d) => pl.date(d)))} at `
    + `${list([...new Set(branches)].map((b) => pl.branch(b)))}. Within 7 days, 4 distinct third-party conductors, each deposit `
    + `below $10,000, total ${usd(total(amounts))} ≥ $5,000: STRUCT-003. No business day's cash-in reaches $8,000 `
    + `(${usd(amounts[0]! + amounts[1]!)} on the first), so no STRUCT-002; nothing in the $8,000–$10,000 band.`);
}
