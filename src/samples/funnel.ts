/**
 * Funnel accounts (FIN-2014-A005): cash deposited by two associates at branches in other states, taken out
 * again in the account's home state within a day or two. FUNNEL-001 with the cash withdrawn in Dallas;
 * FUNNEL-002 with it withdrawn at the border in San Ysidro (FUNNEL-001 fires there too, by design); and a
 * look-alike, a truck driver who deposits and withdraws cash along his route. The accounts are new and
 * have no other activity; every deposit is below $3,000 (no XB-004) and at most two people make them
 * (no STRUCT-003).
 */
import { BRANCH, BRANCHES } from './catalog.js';
import { isoDateOf } from './calendar.js';
import { dates } from './flows.js';
import { Kind } from './legs.js';
import { list, type Planner, usd } from './plan.js';
import { outsider, total } from './planted.js';

/** [branch, cents, index of the leg's day among the six weekdays] */
type Leg = readonly [number, number, number];

interface Funnel {
  home: number;
  deposits: readonly Leg[];
  withdrawals: readonly Leg[];
  /** Deposits by two associates, not the account holder. */
  associates: boolean;
}

function funnel(pl: Planner, tag: number, f: Funnel): { days: number[]; text: string } {
  const c = pl.cases[tag - 1]!.cust;
  const w = pl.period.weekdays;
  // geo_risk.json, which tells border counties (FUNNEL-002), begins on 2025-01-01.
  const i = pl.anchor(pl.cases[tag - 1]!.pattern, pl.runs(6, 8, '2025-01-01'));
  const day = (k: number): number => w[i + k]!;
  pl.pop.home[c] = f.home;
  pl.pop.opened[c] = isoDateOf(pl.period.start + day(0) - pl.rng.int(30, 60));
  const who = f.associates ? [0, 1].map(() => outsider(pl, pl.rng.int(80_000, 89_999))) : [undefined];
  f.deposits.forEach(([b, cents, k], n) => pl.cash(tag, day(k), Kind.cashIn, cents, b, undefined, who[n % who.length]));
  f.withdrawals.forEach(([b, cents, k]) => pl.cash(tag, day(k), Kind.cashOut, cents, b));
  const legs = (l: readonly Leg[]): string => list(l.map(([b, cents]) => `${usd(cents)} in ${BRANCHES[b]!.city} ${BRANCHES[b]!.state}`));
  const deposited = total(f.deposits.map(([, cents]) => cents));
  const out = total(f.withdrawals.map(([, cents]) => cents));
  return {
    days: [...f.deposits, ...f.withdrawals].map(([, , k]) => day(k)),
    text: `An account opened on ${pl.pop.opened[c]}, at home in ${BRANCHES[f.home]!.state} (${pl.branch(f.home)}), receives cash `
      + `deposits of ${legs(f.deposits)} (${usd(deposited)})${f.associates ? ` by two people, ${list(who.map((x) => pl.pop.conductors[x!]!))}` : ''}; `
      + `cash withdrawals of ${legs(f.withdrawals)} (${usd(out)}, ${Math.floor((100 * out) / deposited)}% of the deposits) follow`,
  };
}

const AWAY = [BRANCH.phoenix, BRANCH.chicago, BRANCH.phoenix, BRANCH.chicago];

/** Deposits in Arizona and Illinois, withdrawn in Dallas (not a border county). */
export function interstateFunnel(pl: Planner): void {
  const tag = pl.open('funnel-001-interstate', 'FUNNEL-001', true, pl.customer(true));
  const f = funnel(pl, tag, {
    home: BRANCH.dallas, associates: true,
    deposits: [[AWAY[0]!, 285_000, 0], [AWAY[1]!, 270_000, 1], [AWAY[2]!, 295_000, 3], [AWAY[3]!, 260_000, 4]],
    withdrawals: [[BRANCH.dallas, 470_000, 2], [BRANCH.dallas, 440_000, 5]],
  });
  pl.note(tag, `${f.text}, on ${dates(pl, f.days)}. Within 30 days: at least three out-of-area cash deposits in two states, `
    + `all of the account's credits, and at least 80% of them taken out at home afterwards: FUNNEL-001. Dallas County is `
    + `neither a border county nor a GTO area, so FUNNEL-002 does not fire: this is also FUNNEL-002's look-alike.`);
}

/** Deposits in Texas, Arizona and Illinois, withdrawn at the border in San Ysidro. */
export function borderFunnel(pl: Planner): void {
  const why = 'FUNNEL-002 is FUNNEL-001 with the cash taken out at the border: both fire on the same legs';
  const tag = pl.open('funnel-002-border-cash-out', 'FUNNEL-002', true, pl.customer(true), ['FUNNEL-001', why]);
  const f = funnel(pl, tag, {
    home: BRANCH.sanYsidro, associates: true,
    deposits: [[BRANCH.dallas, 290_000, 0], [BRANCH.phoenix, 275_000, 1], [BRANCH.chicago, 298_000, 3], [BRANCH.dallas, 282_000, 4]],
    withdrawals: [[BRANCH.sanYsidro, 480_000, 2], [BRANCH.sanYsidro, 465_000, 5]],
  });
  pl.note(tag, `${f.text} at the border, on ${dates(pl, f.days)}. FUNNEL-001's conditions hold and all of the outflow is `
    + `cash withdrawn in San Diego County (a border county and a GTO area): FUNNEL-002. FUNNEL-001 fires on the same legs `
    + `by design (expected extra alert, same case).`);
}

/** A truck driver deposits cash along his route and withdraws spending money where he is. */
export function truckDriver(pl: Planner): void {
  const tag = pl.open('cash-along-the-route', 'FUNNEL-001', false, pl.customer(true));
  const f = funnel(pl, tag, {
    home: BRANCH.laredo, associates: false,
    deposits: [[AWAY[0]!, 185_000, 0], [AWAY[1]!, 224_000, 1], [AWAY[2]!, 196_000, 3], [AWAY[3]!, 210_500, 4]],
    withdrawals: [[AWAY[0]!, 120_000, 0], [AWAY[1]!, 150_000, 2], [AWAY[2]!, 90_000, 3], [AWAY[3]!, 140_000, 5]],
  });
  pl.note(tag, `${f.text}, on ${dates(pl, f.days)}, at the same out-of-state branches: he deposits his pay and withdraws `
    + `spending money on the road. FUNNEL-001 counts only cash taken out in the home state (a different area from the `
    + `deposits), so nothing leaves for another area. Must not alert.`);
}
