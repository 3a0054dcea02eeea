/**
 * Cash that turns into something else: monetary instruments bought with cash (STRUCT-005), cash deposited
 * and sent abroad (REMIT-005, MXCASH-003), small transfers to many people abroad (REMIT-004), each with a
 * look-alike. Cash deposits stay below $3,000 each, so no deposit opens an XB-004 pass-through window.
 */
import { BRANCH } from './catalog.js';
import { Kind } from './legs.js';
import { list, type Planner, usd } from './plan.js';
import { total } from './planted.js';
import { COUSIN, FAN_OUT_FALSE_POSITIVE, sharedWith } from './cross-border.js';
import { relative } from './profile.js';
import { pair } from './shapes.js';

const H = 3600;
export const dates = (pl: Planner, days: readonly number[]): string => list([...new Set(days)].map((d) => pl.date(d)));

/** Two cashier's checks of $2,900 and $2,750 to a car dealer on consecutive days, bought with cash or from the account. */
export const [instrumentsForCash, instrumentsFromAccount] = pair((pl, cash) => {
  const c = pl.customer();
  const tag = pl.open(cash ? 'struct-005-cash-instruments' : 'instruments-from-account', 'STRUCT-005', cash, c);
  const days = pl.daysAt(cash ? 'pattern STRUCT-005' : 'look-alike STRUCT-005', [0, 1]);
  const payee = pl.party(['Rio Valley Motors Inc', '', '', '']);
  const amounts = [290_000, 275_000];
  const extra = { instrument_type: 'cashier_check', funding_method: cash ? 'cash' : 'account' } as const;
  pl.pop.home[c] = BRANCH.elPaso;
  days.forEach((day, k) => pl.instrument(tag, day, amounts[k]!, extra, BRANCH.elPaso, payee));
  const head = `Cashier's checks of ${list(amounts.map(usd))} payable to Rio Valley Motors Inc, bought at `
    + `${pl.branch(BRANCH.elPaso)} on ${dates(pl, days)}`;
  pl.note(tag, cash
    ? `${head}, each paid in cash. Two cash purchases of instruments between $2,500 and $3,000 within 3 days, together `
      + `$5,650.00 ≥ $3,000, each below the $3,000 from which the bank must record the purchaser (31 CFR 1010.415): STRUCT-005 (A).`
    : `${head}, each paid from the account (funding_method account): not a cash purchase, so STRUCT-005 does not apply. `
      + `Must not alert.`);
});

/** Two cash deposits in the morning, a wire to a relative in Guatemala that afternoon, or 26 hours later. */
export const [cashThenAbroad, cashThenAbroadNextDay] = pair((pl, alert) => {
  const c = pl.customer();
  const tag = pl.open(alert ? 'remit-005-cash-then-abroad' : 'cash-then-abroad-next-day', 'REMIT-005', alert, c);
  const [day, next] = pl.daysAt(alert ? 'pattern REMIT-005' : 'look-alike REMIT-005', [0, 1]);
  const secs = [pl.rng.int(9 * H + 900, 10 * H), pl.rng.int(11 * H, 12 * H)];
  const deposits = [240_000, 220_000];
  pl.pop.home[c] = BRANCH.mcAllen;
  deposits.forEach((cents, k) => pl.cash(tag, day!, Kind.cashIn, cents, BRANCH.mcAllen, secs[k]));
  const to = pl.party(relative(pl.rng, 'GT'));
  const sent = 395_060;
  const [when, sec] = alert ? [day!, pl.rng.int(14 * H, 15 * H)] : [next!, secs[1]! + 2 * H];
  pl.wire(tag, when, Kind.wireOut, sent, to, sec);
  const head = `Cash deposits of ${list(deposits.map(usd))} at ${pl.branch(BRANCH.mcAllen)} on the morning of ${pl.date(day!)}, `
    + `then a wire of ${usd(sent)} to ${pl.pop.tables.parties[to.cp]![0]} in Guatemala`;
  pl.note(tag, alert
    ? `${head} the same afternoon: within 24 hours of $4,600.00 in cash, at least 80% of it leaves abroad electronically: `
      + `REMIT-005. Each deposit is below $3,000, so neither opens an XB-004 window; the day's cash is far below $10,000.`
    : `${head} on ${pl.date(next!)}, 26 hours after the second deposit: outside REMIT-005's 24 hours. Must not alert.`);
});

/** Five cash deposits over a week, then most of the money wired to Mexico four business days later. */
export const [cashThenMexico, cashThenMexicoExpected] = pair((pl, alert) => {
  const c = pl.customer();
  const tag = pl.open(alert ? 'mxcash-003-cash-then-mexico' : 'cash-then-mexico-expected', 'MXCASH-003', alert, c);
  const w = pl.period.weekdays;
  const i = pl.anchor(alert ? 'pattern MXCASH-003' : 'look-alike MXCASH-003', pl.runs(9, 14));
  const days = [0, 1, 2, 3, 4].map((k) => w[i + k]!);
  const deposits = [235_000, 248_000, 229_000, 242_500, 246_000];
  pl.pop.home[c] = BRANCH.laredo;
  pl.pop.countries[c] = alert ? '' : 'MX';
  days.forEach((day, k) => pl.cash(tag, day, Kind.cashIn, deposits[k]!, BRANCH.laredo));
  const to = pl.party(relative(pl.rng, 'MX'));
  const sent = 912_040;
  pl.wire(tag, w[i + 8]!, Kind.wireOut, sent, to);
  const head = `Cash deposits of ${list(deposits.map(usd))} (${usd(total(deposits))}) at ${pl.branch(BRANCH.laredo)} on `
    + `${dates(pl, days)}, then ${usd(sent)} wired to ${pl.pop.tables.parties[to.cp]![0]} in Mexico on ${pl.date(w[i + 8]!)}`;
  pl.note(tag, alert
    ? `${head}. Within 30 days, at least $10,000 in cash and at least 70% of it sent to Mexico afterwards, by a customer `
      + `whose profile expects no dealings with Mexico (expected_countries empty): MXCASH-003. The wire leaves four business `
      + `days after the last deposit (no REMIT-005); each deposit is below $3,000 (no XB-004).`
    : `${head}. The same flow, but the customer's profile lists Mexico among the expected countries (family there): `
      + `the transfers are explained by the profile. Must not alert.`);
});

/** Six transfers below $3,000 to six people in three countries within 25 days; five of them, under $10,000. */
export const [manyBeneficiaries, manyBeneficiariesUnderTotal] = pair((pl, alert) => {
  const [amounts, countries] = alert
    ? [[214_025, 238_560, 291_015, 246_080, 227_535, 269_040], ['MX', 'GT', 'MX', 'HN', 'GT', 'MX']]
    : [[182_040, 204_515, 196_075, 189_030, 187_560], ['MX', 'GT', 'HN', 'MX', 'GT']];
  const c = pl.customer(true);
  const why = 'XB-007 has no cap per transfer: the same transfers reach its five beneficiaries (or three countries) and $10,000';
  const tag = alert
    ? pl.open('remit-004-many-beneficiaries', 'REMIT-004', true, c, ['XB-007', why],
      ['GRAPH-002', 'six receivers of similar amounts within 30 days, all of the account\'s outflow, are a fan-out'])
    : pl.open('many-beneficiaries-under-total', 'REMIT-004', false, c, ['GRAPH-002', FAN_OUT_FALSE_POSITIVE]);
  const days = pl.daysAt(alert ? 'pattern REMIT-004' : 'look-alike REMIT-004', [0, 4, 8, 14, 18, 22].slice(0, amounts.length));
  // The pattern's second beneficiary is the XB-007 pattern's, when that is planted: related cases.
  const [cousin, known] = alert ? pl.shared(COUSIN, () => relative(pl.rng, 'GT')) : [undefined, false];
  const to = countries.map((country, k) => (k === 1 && cousin ? cousin : pl.party(relative(pl.rng, country))));
  days.forEach((day, k) => pl.wire(tag, day, Kind.wireOut, amounts[k]!, to[k]!));
  const head = `${amounts.length} wires of ${usd(Math.min(...amounts))} to ${usd(Math.max(...amounts))}, ${usd(total(amounts))} in all, `
    + `to ${amounts.length} different people in ${new Set(countries).size} countries (${[...new Set(countries)].join(', ')}) `
    + `between ${pl.date(days[0]!)} and ${pl.date(days.at(-1)!)}`;
  pl.note(tag, alert
    ? `${head}: within 30 days, transfers each below $3,000 to at least five beneficiaries, totalling at least $10,000: `
      + `REMIT-004. XB-007 fires on the same legs by design (expected extra alert, same case).${cousin ? sharedWith(pl, cousin, known) : ''}`
    : `${head}: five beneficiaries in three countries, but ${usd(total(amounts))} is below REMIT-004's and XB-007's `
      + `$10,000. REMIT-004 and XB-007 must not alert. GRAPH-002 does: ${FAN_OUT_FALSE_POSITIVE}.`);
});
