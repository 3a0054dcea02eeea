/**
 * Remittance patterns at First Border Money Transfer, the bank's money-transmitter affiliate: walk-in
 * customers send cash abroad from its agent locations (institution_type msb). REMIT-001 (transfers split
 * below the $3,000 recordkeeping threshold), REMIT-002 (cash split below a southwest-border GTO threshold)
 * and REMIT-003 (many senders, one beneficiary), each with a look-alike.
 */
import { BRANCH, BRANCHES } from './catalog.js';
import { list, type Planner, usd } from './plan.js';
import { total } from './planted.js';
import { relative } from './profile.js';
import { fanIn, pair } from './shapes.js';

const where = (pl: Planner, agents: readonly number[]): string => list([...new Set(agents)].map((b) => pl.branch(b)));

/** A walk-in customer at `agent` who sends `amounts` to one relative in `country` on `days`. */
function sender(pl: Planner, pattern: string, rule: string, alert: boolean, agent: number, country: string) {
  const c = pl.walkIn();
  const tag = pl.open(pattern, rule, alert, c);
  pl.pop.home[c] = agent;
  pl.pop.countries[c] = country;
  const to = pl.party(relative(pl.rng, country));
  return { tag, name: pl.pop.tables.parties[to.cp]![0]!, send: (days: readonly number[], amounts: readonly number[]) =>
    days.forEach((day, k) => pl.remit(tag, day, amounts[k]!, to, agent)) };
}

/** Two cash remittances of $2,900 and $2,850 to one relative on consecutive days; the same, five days apart. */
export const [splitRemittance, remittancesDaysApart] = pair((pl, alert) => {
  const offsets = alert ? [0, 1] : [0, 5];
  const s = sender(pl, alert ? 'remit-001-split-remittance' : 'remittances-days-apart', 'REMIT-001', alert, BRANCH.agentElPaso, 'GT');
  const days = pl.daysAt(alert ? 'pattern REMIT-001' : 'look-alike REMIT-001', offsets);
  const amounts = [290_000, 285_000];
  s.send(days, amounts);
  const head = `A walk-in customer of the money-transmitter affiliate sends ${list(amounts.map(usd))} in cash to ${s.name} in `
    + `Guatemala from ${pl.branch(BRANCH.agentElPaso)} on ${list(days.map((d) => pl.date(d)))}`;
  pl.note(s.tag, alert
    ? `${head}: two transfers to one beneficiary between $2,500 and $3,000, within 3 days, together $5,750.00 ≥ $3,000: `
      + `REMIT-001. Each is above the $1,000 GTO threshold, so REMIT-002 does not look at them.`
    : `${head}: the same two transfers, but five days apart, outside REMIT-001's 3-day window. Must not alert.`);
});

/** Three cash remittances of $940–$985 in six days at an agent in El Paso County (a GTO area); the same in Dallas. */
export const [gtoSplit, gtoSplitOutsideArea] = pair((pl, alert) => {
  const agent = alert ? BRANCH.agentElPaso : BRANCH.agentDallas;
  const s = sender(pl, alert ? 'remit-002-gto-split' : 'gto-split-outside-area', 'REMIT-002', alert, agent, 'MX');
  // The $1,000 threshold and El Paso County's coverage date from the GTO of 2025-09-10 (geo_risk.json).
  const days = pl.daysAt(alert ? 'pattern REMIT-002' : 'look-alike REMIT-002', [0, 2, 5], '2025-09-10');
  const amounts = [96_000, 98_500, 94_000];
  s.send(days, amounts);
  const b = BRANCHES[agent]!;
  const head = `Cash remittances of ${list(amounts.map(usd))} to ${s.name} in Mexico on ${list(days.map((d) => pl.date(d)))} at `
    + `${pl.branch(agent)}, an agent location of the money-transmitter affiliate (institution_type msb) in county ${b.fips}`;
  pl.note(s.tag, alert
    ? `${head}, inside the southwest-border MSB Geographic Targeting Order, whose reporting threshold is $1,000: three cash `
      + `legs between 80% of the threshold and the threshold within 7 days, REMIT-002 (B). One leg per business day, so no (A).`
    : `${head}, outside every GTO area. The same three legs as REMIT-002's pattern, but no order covers Dallas County. `
      + `Must not alert.`);
});

/** Five walk-in customers at agents in California and Texas send to one person in Honduras; four of them. */
export const [manySenders, fourSenders] = pair((pl, alert) => {
  const amounts = alert ? [72_000, 95_000, 118_000, 86_000, 134_000] : [81_000, 99_000, 112_500, 90_500];
  const agents = [BRANCH.agentSanDiego, BRANCH.agentElPaso, BRANCH.agentSanDiego, BRANCH.agentLaredo, BRANCH.agentElPaso];
  const to = pl.party(relative(pl.rng, 'HN'));
  const f = fanIn(pl, {
    pattern: alert ? 'remit-003-many-senders' : 'four-senders', rule: 'REMIT-003', alert, amounts, take: () => pl.walkIn(),
    homes: agents, to, offsets: [0, 3, 8, 14, 21],
    send: (tag, day, cents, c, agent) => {
      pl.pop.countries[c] = 'HN';
      pl.remit(tag, day, cents, to, agent, c);
    },
  });
  const head = `${f.text}: walk-in customers of the money-transmitter affiliate, paying cash to a beneficiary in Honduras at `
    + `${where(pl, agents.slice(0, amounts.length))}`;
  pl.note(f.tag, alert
    ? `${head}. Five senders at locations in two states, an average of ${usd(Math.round(total(amounts) / 5))} (≤ $3,000), `
      + `to a beneficiary in a corridor country: REMIT-003, whose alert names the beneficiary's account. The total, `
      + `${usd(total(amounts))}, is below XB-006's $10,000.`
    : `${head}. Four senders, one short of REMIT-003's five. Must not alert.`);
});
