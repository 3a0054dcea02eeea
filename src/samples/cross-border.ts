/**
 * Patterns (i)–(l), each of which must raise one alert, and look-alikes (u)–(x), which must not: rapid
 * pass-through (XB-004), round-dollar international wires (XB-005), fan-out to foreign beneficiaries
 * (XB-007) and many small international transfers (XB-008). Foreign wires go to Mexico, Guatemala and
 * Colombia, none of them on a FATF list (XB-001, XB-002).
 */
import { EMPLOYERS, PASS_THROUGH, TWO_PASSES, type WireParty } from './catalog.js';
import { Kind } from './legs.js';
import { list, type Planner, usd } from './plan.js';
import { total } from './planted.js';
import { type PartyRef, wireParty } from './population.js';
import { relative } from './profile.js';

const H = 3600;

/**
 * A beneficiary abroad made for one case: cases that paid the background's few wire parties would join
 * each other's accounts in one graph (GRAPH-006 would see two payers of the same two parties).
 */
function abroad(pl: Planner, country: 'MX' | 'GT' | 'CO'): PartyRef {
  return pl.party(relative(pl.rng, country));
}

function nameOf(pl: Planner, party: PartyRef): string {
  const [name, , country] = pl.pop.tables.parties[party.cp]!;
  return country === 'US' || country === '' ? name : `${name} (${country})`;
}

/** Outgoing wires on `days`, one amount and one beneficiary each; returns a sentence listing them. */
function wiresOut(pl: Planner, tag: number, days: readonly number[], amounts: readonly number[], to: readonly PartyRef[]): string {
  days.forEach((day, k) => pl.wire(tag, day, Kind.wireOut, amounts[k]!, to[k]!));
  return list(days.map((day, k) => `${usd(amounts[k]!)} to ${nameOf(pl, to[k]!)} on ${pl.date(day)}`));
}

/**
 * (i) Three pass-throughs a week apart: each time money wired in, and at least 80% of it wired on to two
 * other parties within 20 hours.
 */
export function passThrough(pl: Planner): void {
  const c = pl.customer(true);
  const tag = pl.open('xb-004-pass-through', 'XB-004', true, c);
  const days = pl.daysAt('pattern (i)', [0, 1, 7, 8, 14, 15]);
  const { parties, times } = passes(pl, tag, days, PASS_THROUGH);
  pl.note(tag, `(i) Wires from ${parties}, less than 20 hours after the credit: ${list(times)}. Each time at least 80% `
    + `of what came in leaves within 24 hours, three times within 30 days: XB-004, with the nine wires as evidence. All `
    + `domestic, so no cross-border rule; the account has no other activity.`);
}

/** XB-004's look-alike: the same pass-throughs, twice a week apart. */
export function twoPassThroughs(pl: Planner): void {
  const c = pl.customer(true);
  const tag = pl.open('two-pass-throughs', 'XB-004', false, c);
  const days = pl.daysAt('look-alike XB-004', [0, 1, 7, 8]);
  const { parties, times } = passes(pl, tag, days, TWO_PASSES);
  pl.note(tag, `Wires from ${parties}, less than 20 hours after the credit: ${list(times)}. Each time at least 80% of `
    + `what came in leaves within 24 hours, but twice, where XB-004 wants three times within 30 days. Must not alert.`);
}

/**
 * Pass-throughs on `days` (pairs: the credit's day, then the next), one per PASSES entry: a wire in from the
 * first party, on to the second the same afternoon and to the third the next morning, at the same times
 * of day each week. Returns the parties and each pass-through, in words.
 */
function passes(pl: Planner, tag: number, days: readonly number[], catalog: readonly WireParty[]): { parties: string; times: string[] } {
  const [from, to1, to2] = catalog.map((p) => wireParty(pl.pop.tables, p));
  const secs = [pl.rng.int(13 * H + 1800, 14 * H + 1800), pl.rng.int(15 * H + 2700, 16 * H + 1800), pl.rng.int(8 * H + 2400, 9 * H + 1200)];
  const times = PASSES.slice(0, days.length / 2).map(([inCents, out1, out2], k) => {
    const [day, next] = [days[2 * k]!, days[2 * k + 1]!];
    pl.wire(tag, day, Kind.wireIn, inCents, from!, secs[0]);
    pl.wire(tag, day, Kind.wireOut, out1, to1!, secs[1]);
    pl.wire(tag, next, Kind.wireOut, out2, to2!, secs[2]);
    return `${usd(inCents)} in on ${pl.date(day)}, ${usd(out1)} out the same afternoon and ${usd(out2)} the next morning`;
  });
  return { parties: `${nameOf(pl, from!)}, each passed on to ${nameOf(pl, to1!)} and ${nameOf(pl, to2!)}`, times };
}

/** The pass-throughs of pattern (i) and its look-alike: the credit, then the two wires out, in cents. */
const PASSES: ReadonlyArray<readonly [number, number, number]> = [
  [2_500_000, 1_200_000, 900_000],
  [1_800_000, 950_000, 760_000],
  [3_100_000, 1_650_000, 1_200_000],
];

/** (u) A $6,000 payroll credit, then a few card purchases the same day. */
export function paycheckSpent(pl: Planner): void {
  const c = pl.customer();
  const tag = pl.open('paycheck-card-spending', 'XB-004', false, c);
  const p = pl.period;
  const day = pl.anchor('look-alike (u)', p.weekdays.filter((d) => p.weekday[d] === 5));
  const employer = pl.rng.pick(EMPLOYERS);
  const cp = pl.pop.tables.party([employer, '1780046215', '', '']);
  const memo = pl.pop.tables.memo(`DIRECT DEP ${employer.toUpperCase()} PPD`);
  pl.add(tag, { day, sec: pl.rng.int(4 * H, 5 * H), cust: c, kind: Kind.achIn, cents: 600_000, cp, memo });
  const amounts = [4_618, 13_240, 2_895, 8_760];
  const hours = [8, 12, 18, 21];
  amounts.forEach((cents, k) => {
    const shop = pl.rng.pick(pl.pop.merchants);
    pl.add(tag, { day, sec: hours[k]! * H + pl.rng.int(0, 3000), cust: c, kind: Kind.cardOut, cents, cp: shop.cp, memo: shop.memoOut });
  });
  pl.note(tag, `(u) A $6,000.00 direct deposit from ${employer} early on Friday ${pl.date(day)}, then card purchases of `
    + `${list(amounts.map(usd))} the same day. An inbound leg of at least $3,000 opens XB-004's window, but what leaves in `
    + `the next 24 hours stays far below 80% of it. Must not alert.`);
}

/** (j) Three round-dollar wires to Mexico and Colombia within 20 days. */
export function roundWires(pl: Planner): void {
  roundness(pl, true, [700_000, 1_200_000, 450_000]);
}

/** (v) The same wires with cents. */
export function wiresWithCents(pl: Planner): void {
  roundness(pl, false, [701_327, 1_198_640, 451_255]);
}

function roundness(pl: Planner, alert: boolean, amounts: readonly number[]): void {
  const c = pl.customer();
  const tag = pl.open(alert ? 'xb-005-round-wires' : 'wires-with-cents', 'XB-005', alert, c);
  const w = pl.period.weekdays;
  const i = pl.anchor(alert ? 'pattern (j)' : 'look-alike (v)', pl.runs(13, 19));
  const days = [w[i]!, w[i + 6]!, w[i + 12]!];
  const [mx, co] = [abroad(pl, 'MX'), abroad(pl, 'CO')];
  const to = [mx, co, mx];
  const sent = wiresOut(pl, tag, days, amounts, to);
  pl.note(tag, alert
    ? `(j) International wires of ${sent}. Within 30 days, three round amounts (a multiple of $1,000 from $5,000, of $100 `
      + `below) out of three international wires: XB-005. Two beneficiaries in two countries (no XB-007, and too few for `
      + `a fan-out, GRAPH-002), none below $3,000 (no XB-008).`
    : `(v) International wires of ${sent}. The amounts carry cents, so none is round and XB-005 has nothing to count; `
      + `two beneficiaries in two countries (no XB-007 or GRAPH-002). Must not alert.`);
}

/** A beneficiary in Guatemala whom two cases pay (XB-007's and REMIT-004's patterns), so the two are related cases. */
export const COUSIN = 'cousin-in-guatemala';

/** A sentence on the beneficiary another case pays too, or nothing when no other case is planted yet. */
export function sharedWith(pl: Planner, party: PartyRef, known: boolean): string {
  return known ? ` ${nameOf(pl, party)} is also paid by another planted case's customer: \`cases show\` lists the two cases as related.` : '';
}

/**
 * Why GRAPH-002 raises the cross-border look-alikes that pay four or five beneficiaries: its parameters are
 * tuned on IBM AMLworld, whose fan-outs start at three receivers. Their customers, and those of the patterns
 * GRAPH-002 raises by design, have no other legs, so the wires are all of their outflow on any seed.
 */
export const FAN_OUT_FALSE_POSITIVE = 'at least three receivers of similar amounts within 30 days, all of the account\'s '
  + 'outflow, are a fan-out at its k_out of 3 (tuned on IBM AMLworld, docs/evaluation.md): a false positive, cleared by '
  + 'who the beneficiaries are';

/** (k) Five wires to five beneficiaries in three countries within 25 days. */
export function fanOut(pl: Planner): void {
  const c = pl.customer(true);
  const tag = pl.open('xb-007-fan-out', 'XB-007', true, c,
    ['GRAPH-002', 'five receivers of similar amounts within 30 days, all of the account\'s outflow, are a fan-out']);
  const w = pl.period.weekdays;
  const i = pl.anchor('pattern (k)', pl.runs(17, 24));
  const days = [0, 4, 8, 12, 16].map((k) => w[i + k]!);
  const amounts = [324_015, 418_560, 361_235, 397_890, 345_520];
  const [cousin, known] = pl.shared(COUSIN, () => relative(pl.rng, 'GT'));
  const to = [abroad(pl, 'MX'), cousin, abroad(pl, 'CO'), abroad(pl, 'MX'), abroad(pl, 'GT')];
  pl.note(tag, `(k) Wires of ${wiresOut(pl, tag, days, amounts, to)}. Within 30 days one account pays five different `
    + `foreign beneficiary accounts in three countries, ${usd(total(amounts))} in all: XB-007. Every amount has cents `
    + `(no XB-005) and is at least $3,000 (no XB-008).${sharedWith(pl, cousin, known)}`);
}

/** (w) Four beneficiaries in two countries: one account and one country short. */
export function fourBeneficiaries(pl: Planner): void {
  const c = pl.customer(true);
  const tag = pl.open('four-foreign-beneficiaries', 'XB-007', false, c, ['GRAPH-002', FAN_OUT_FALSE_POSITIVE]);
  const w = pl.period.weekdays;
  const i = pl.anchor('look-alike (w)', pl.runs(13, 19));
  const days = [0, 4, 8, 12].map((k) => w[i + k]!);
  const amounts = [412_035, 490_580, 481_515, 476_045];
  const to = (['MX', 'MX', 'GT', 'GT'] as const).map((country) => abroad(pl, country));
  pl.note(tag, `(w) Wires of ${wiresOut(pl, tag, days, amounts, to)}: ${usd(total(amounts))} within 30 days, but to four `
    + `beneficiary accounts in two countries, short of XB-007's five accounts or three countries. XB-007 must not `
    + `alert. GRAPH-002 does: ${FAN_OUT_FALSE_POSITIVE}.`);
}

/** (l) Nine small family remittances to two people in Mexico within 28 days; (x) the same, seven of them. */
function remittances(pl: Planner, alert: boolean, amounts: readonly number[]): void {
  const c = pl.customer();
  const tag = pl.open(alert ? 'xb-008-small-transfers' : 'seven-small-transfers', 'XB-008', alert, c);
  const w = pl.period.weekdays;
  const n = amounts.length;
  const i = pl.anchor(alert ? 'pattern (l)' : 'look-alike (x)', pl.runs(2 * n - 1, 27));
  const days = amounts.map((_, k) => w[i + 2 * k]!);
  const people = [abroad(pl, 'MX'), abroad(pl, 'MX')];
  const to = amounts.map((_, k) => people[k % 2]!);
  days.forEach((day, k) => pl.wire(tag, day, Kind.wireOut, amounts[k]!, to[k]!));
  const head = `(${alert ? 'l' : 'x'}) ${n} wires of ${usd(Math.min(...amounts))} to ${usd(Math.max(...amounts))}, `
    + `${usd(total(amounts))} in all, alternately to ${nameOf(pl, to[0]!)} and ${nameOf(pl, to[1]!)}, every other business `
    + `day: ${list(days.map((d) => pl.date(d)))}`;
  pl.note(tag, alert
    ? `${head}. Within 30 days at least 8 international transfers, each below $3,000, total at least $10,000, two `
      + `beneficiaries in one country: XB-008. Two accounts in one country is not XB-007; every amount has cents (no XB-005).`
    : `${head}. The total passes $10,000, but XB-008 needs at least 8 transfers within 30 days. Must not alert.`);
}

export function smallTransfers(pl: Planner): void {
  remittances(pl, true, [118_645, 134_210, 127_580, 146_825, 115_360, 139_775, 124_430, 148_915, 132_190]);
}

export function sevenTransfers(pl: Planner): void {
  remittances(pl, false, [145_235, 148_810, 143_765, 147_620, 146_185, 144_940, 148_395]);
}
