/**
 * What the bank knows about each customer (KYC): residence state, account opening date, the countries
 * it expects the customer to deal with, expected monthly cash; and the relatives abroad a customer sends
 * money to. Walk-in customers of the money-transmitter affiliate get a sender profile at one agent
 * location and one or two relatives in Mexico or Central America.
 */
import { BANKS, BRANCH, BRANCHES, clabe, FIRST_NAMES, LAST_NAMES, MX_BANK_CODES, type WireParty } from './catalog.js';
import { isoDateOf } from './calendar.js';
import type { PartyRef, Population } from './population.js';
import type { Rng } from './prng.js';
import type { Tables } from './tables.js';

export interface Profiles {
  /** Residence state when it differs from the home branch's state, else ''. */
  custState: string[];
  /** account_open_date, '' for walk-in customers (no account). */
  opened: string[];
  /** expected_countries, `;`-separated. */
  countries: string[];
  /** expected_monthly_cash_in in dollars, '' when the profile has none. */
  cashIn: string[];
  /** Relatives abroad an individual wires money to (walk-ins: remits to). */
  family: PartyRef[][];
}

const COMPANY = /\b(S\.A\.|SA de CV|S\.A\.S\.|Inc|LLC|Ltd)/;
const ABROAD = ['', '', 'MX', 'GT', 'CO'];
const WALK_IN_AGENTS = [BRANCH.agentSanDiego, BRANCH.agentSanDiego, BRANCH.agentElPaso, BRANCH.agentLaredo, BRANCH.agentDallas];
const WALK_IN_COUNTRIES = ['MX', 'MX', 'MX', 'MX', 'MX', 'GT', 'GT', 'HN', 'SV'];
const BUSINESS_CASH = ['60000', '75000', '45000'];

/** A wire counterparty with its `WIRE IN …`, `WIRE OUT …` (or `out` prefix) and, abroad, `Wire to …, ref` memos. */
export function wireParty(t: Tables, p: WireParty, out = 'WIRE OUT'): PartyRef {
  const [name, , country] = p;
  const upper = name.toUpperCase();
  const ref: PartyRef = { cp: t.party(p), memoIn: t.memo(`WIRE IN ${upper}`), memoOut: t.memo(`${out} ${upper}`) };
  if (country !== 'US') ref.memoRef = t.memo(`Wire to ${name}, ref "${COMPANY.test(name) ? 'pago de factura' : 'apoyo familiar'}"`);
  return ref;
}

export function digits(rng: Rng, k: number): string {
  let s = '';
  for (let i = 0; i < k; i++) s += String(rng.int(0, 9));
  return s;
}

/** The Spanish given names and surnames of the name lists. */
const GIVEN = [...FIRST_NAMES.slice(0, 20), ...FIRST_NAMES.slice(-6)];
const SURNAMES = LAST_NAMES.slice(0, 30);

/** An invented person in `country` with an account at a bank there, named with a given name and two surnames. */
export function relative(rng: Rng, country: string): WireParty {
  const name = `${rng.pick(GIVEN)} ${rng.pick(SURNAMES)} ${rng.pick(SURNAMES)}`;
  switch (country) {
    case 'MX': {
      const account = clabe(rng.pick(MX_BANK_CODES) + digits(rng, 14));
      return [name, account, 'MX', 'MX', ...BANKS[account.slice(0, 3) as (typeof MX_BANK_CODES)[number]]];
    }
    case 'GT': return [name, `GT${digits(rng, 2)}BRRL${digits(rng, 20)}`, 'GT', 'GT', ...BANKS.GT3];
    case 'CO': return [name, digits(rng, 11), 'CO', 'CO', ...(rng.chance(0.5) ? BANKS.CO : BANKS.CO2)];
    case 'HN': return [name, `HN${digits(rng, 2)}ATLA${digits(rng, 20)}`, 'HN', 'HN', ...BANKS.HN];
    case 'VE': return [name, `0105${digits(rng, 16)}`, 'VE', 'VE', ...BANKS.VE];
    default: return [name, `SV${digits(rng, 2)}CAGR${digits(rng, 20)}`, 'SV', 'SV', ...BANKS.SV];
  }
}

export function addProfiles(pop: Population, rng: Rng, start: number): void {
  for (let c = 0; c < pop.total; c++) {
    if (c >= pop.n) {
      walkIn(pop, rng, c);
      continue;
    }
    const home = BRANCHES[pop.home[c]!]!;
    const border = pop.home[c]! <= BRANCH.nogales;
    pop.custState.push(home.city === 'El Paso' && rng.chance(0.25) ? 'NM' : home.city === 'Chicago' && rng.chance(0.2) ? 'IN' : '');
    pop.opened.push(isoDateOf(start - rng.int(120, 6500)));
    const abroad = ABROAD[pop.wire[c]!] ?? '';
    pop.countries.push(abroad || (border && rng.chance(0.12) ? 'MX' : ''));
    const biz = [pop.restaurant, pop.grocery, pop.carWash].indexOf(c);
    pop.cashIn.push(biz >= 0 ? BUSINESS_CASH[biz]! : String(rng.int(2, 30) * 100));
    const relatives = abroad && !pop.business[c] ? rng.int(1, 2) : 0;
    pop.family.push(Array.from({ length: relatives }, () => wireParty(pop.tables, relative(rng, abroad))));
  }
}

function walkIn(pop: Population, rng: Rng, c: number): void {
  const num = pop.custId[c]!.slice(2);
  pop.acctId[c] = 'MT' + String(Number(num) + 10000).padStart(7, '0');
  pop.custCsv[c] = `${pop.acctId[c]},${pop.custId[c]}`;
  pop.home[c] = rng.pick(WALK_IN_AGENTS);
  pop.wire[c] = 0;
  const country = rng.pick(WALK_IN_COUNTRIES);
  pop.custState.push('');
  pop.opened.push('');
  pop.countries.push(country);
  pop.cashIn.push('');
  pop.family.push(Array.from({ length: rng.int(1, 2) }, () => wireParty(pop.tables, relative(rng, country), 'REMITTANCE TO')));
}
