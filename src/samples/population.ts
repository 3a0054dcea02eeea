/**
 * The bank's customers (one account each) and what they do: income, bills, wire habits, who else
 * conducts cash deposits for them. Held in flat arrays indexed by customer number 0..n-1.
 */
import {
  BILLERS, BRANCHES, CHECK_PAYEES, CHECK_PAYERS, EMPLOYERS, FIRST_NAMES, LAST_NAMES, MERCHANTS, TELLERS_PER_BRANCH,
  WIRE_DOMESTIC, WIRE_FOREIGN, type WireParty,
} from './catalog.js';
import { PAD2 } from './calendar.js';
import { addProfiles, type Profiles, wireParty } from './profile.js';
import { Rng } from './prng.js';
import { newTables, type Tables } from './tables.js';

export const WireProfile = { none: 0, domestic: 1, mx: 2, gt: 3, co: 4 } as const;

/**
 * `Population.dedicated`: a planted customer gets no background cash, ATM or wire legs and no inbound leg
 * of $3,000 or more; a quiet one gets no background legs at all.
 */
export const Dedicated = { no: 0, planted: 1, quiet: 2 } as const;

/** A counterparty with the memos its legs carry (indices into Tables). */
export interface PartyRef {
  cp: number;
  memoIn: number;
  memoOut: number;
  /** A customer's own memo for a transfer to a person or company abroad: `Wire to X, ref "…"`. */
  memoRef?: number;
}

export interface Population extends Profiles {
  /** Bank customers are 0..n-1; the walk-in customers of the money-transmitter affiliate follow, up to `total`. */
  n: number;
  total: number;
  tables: Tables;
  custId: string[];
  acctId: string[];
  name: string[];
  /** `account_id,customer_id`, the same in both layouts. */
  custCsv: string[];
  /** Home branch (bank customers) or agent location (walk-in customers). */
  home: Uint8Array;
  business: Uint8Array;
  /** Set by the plan for the customers of its cases: a `Dedicated` value. */
  dedicated: Uint8Array;
  /** Person ids: 2c is customer c's own, 2c+1 a family member or employee; planted outsiders follow. */
  conductors: string[];
  /** Memo `Deposit, per "X. Name"` for each conductor id. */
  conductorMemo: number[];
  income: PartyRef[];
  incomeCents: Int32Array;
  billers: Int32Array;
  wire: Uint8Array;
  /** The customer as counterparty of a book transfer. */
  bookRef: PartyRef[];
  nextCheck: Int32Array;
  restaurant: number;
  grocery: number;
  carWash: number;
  tellerIds: string[];
  atmMemo: number[];
  merchants: PartyRef[];
  billerRefs: PartyRef[];
  payers: PartyRef[];
  payees: PartyRef[];
  wireParties: PartyRef[][];
  settlement: PartyRef;
}

export { wireParty } from './profile.js';

export function customerCount(rows: number): number {
  return Math.min(400, 150 + Math.floor(rows / 200));
}

/** Walk-in customers of the money-transmitter affiliate: one for every six bank customers. */
export function walkInCount(n: number): number {
  return Math.floor(n / 6);
}

/** `start`: the first day of the period (days since 1970-01-01); accounts were opened before it. */
export function buildPopulation(seed: number, rows: number, start: number): Population {
  const rng = new Rng(seed ^ 0x0c0ffee);
  const n = customerCount(rows);
  const total = n + walkInCount(n);
  const t = newTables();
  const ref = (p: WireParty, memoIn: string, memoOut: string): PartyRef =>
    ({ cp: t.party(p), memoIn: t.memo(memoIn), memoOut: t.memo(memoOut) });
  const pop: Population = {
    n, total, tables: t, custId: [], acctId: [], name: [], custCsv: [], home: new Uint8Array(total),
    business: new Uint8Array(total), dedicated: new Uint8Array(total), conductors: [], conductorMemo: [], income: [],
    incomeCents: new Int32Array(total), billers: new Int32Array(2 * total), wire: new Uint8Array(total), bookRef: [],
    nextCheck: new Int32Array(total), restaurant: -1, grocery: -1, carWash: -1,
    custState: [], opened: [], countries: [], cashIn: [], family: [],
    tellerIds: BRANCHES.flatMap((_, b) => Array.from({ length: TELLERS_PER_BRANCH }, (_, k) => `TL${PAD2[b + 1]}${PAD2[k + 1]}`)),
    atmMemo: BRANCHES.map((b) => t.memo(`ATM WITHDRAWAL ${b.city.toUpperCase()} ${b.state}`)),
    merchants: MERCHANTS.map((m) => ref([m, '', '', ''], `POS REFUND ${m.toUpperCase()}`, `POS PURCHASE ${m.toUpperCase()}`)),
    billerRefs: BILLERS.map((b) => ref([b, '', '', ''], `${b.toUpperCase()} CREDIT`, `${b.toUpperCase()} WEB PMT`)),
    payers: CHECK_PAYERS.map((p) => ref([p, '', '', ''], 'CHECK DEPOSIT', 'CHECK')),
    payees: CHECK_PAYEES.map((p) => ref([p, '', '', ''], 'CHECK', 'CHECK')),
    wireParties: [WIRE_DOMESTIC, WIRE_FOREIGN.MX, WIRE_FOREIGN.GT, WIRE_FOREIGN.CO].map((list) => list.map((p) => wireParty(t, p))),
    settlement: ref(['Merchant Card Settlement', '1840072215', '', ''], 'MERCHANT SETTLEMENT DEP CCD', 'MERCHANT FEES CCD'),
  };
  const numbers = customerNumbers(rng, total);
  for (let c = 0; c < total; c++) addCustomer(pop, rng, c, numbers[c]!);
  addBusinesses(pop, rng);
  addProfiles(pop, new Rng(seed ^ 0x9f11e), start);
  return pop;
}

function customerNumbers(rng: Rng, n: number): Int32Array {
  const pool = Int32Array.from({ length: 9999 }, (_, i) => 10001 + i);
  for (let i = 0; i < n; i++) {
    const j = rng.int(i, pool.length - 1);
    const x = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = x;
  }
  return pool.subarray(0, n);
}

/** Among customers who wire at all: half domestic, then Mexico, Guatemala, Colombia. */
const WIRE_PROFILE_DRAW: readonly number[] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 3];

function addCustomer(pop: Population, rng: Rng, c: number, num: number): void {
  const t = pop.tables;
  const name = rng.pick(FIRST_NAMES) + ' ' + rng.pick(LAST_NAMES);
  const acct = '44100' + String(num + 10000);
  pop.custId.push('C-' + num);
  pop.acctId.push(acct);
  pop.name.push(name);
  pop.custCsv.push(acct + ',C-' + num);
  pop.home[c] = rng.chance(0.7) ? rng.int(0, 6) : rng.int(7, 9);
  const relative = rng.pick(FIRST_NAMES) + ' ' + name.slice(name.indexOf(' ') + 1);
  addConductor(pop, 'P-' + (num + 40000), name);
  addConductor(pop, 'P-' + (num + 60000), relative);
  const r = rng.next();
  if (r < 0.7) {
    const e = rng.pick(EMPLOYERS);
    pop.income.push({ cp: t.party([e, String(1700000000 + rng.int(0, 99999999)), '', '']),
      memoIn: t.memo(`DIRECT DEP ${e.toUpperCase()} PPD`), memoOut: t.memo(`PAYROLL REVERSAL ${e.toUpperCase()}`) });
    pop.incomeCents[c] = rng.int(90_000, 320_000);
  } else {
    pop.income.push({ cp: t.party(['Social Security Administration', '9031036000', '', '']),
      memoIn: t.memo('SSA TREAS 310 SOC SEC PPD'), memoOut: t.memo('SSA TREAS 310 RECLAMATION') });
    pop.incomeCents[c] = r < 0.85 ? rng.int(90_000, 240_000) : 0;
  }
  pop.billers[2 * c] = rng.int(0, pop.billerRefs.length - 1);
  pop.billers[2 * c + 1] = rng.int(0, pop.billerRefs.length - 1);
  pop.wire[c] = rng.next() < 0.74 ? WireProfile.none : rng.pick(WIRE_PROFILE_DRAW) + 1;
  const last4 = acct.slice(-4);
  pop.bookRef.push({ cp: t.party([name, acct, '', '']), memoIn: t.memo(`ONLINE TRANSFER FROM XXXXXX${last4}`),
    memoOut: t.memo(`ONLINE TRANSFER TO XXXXXX${last4}`) });
  pop.nextCheck[c] = rng.int(1001, 4000);
}

/** Registers a person who can conduct cash transactions; returns the conductor index. */
export function addConductor(pop: Population, id: string, fullName: string): number {
  const space = fullName.indexOf(' ');
  pop.conductors.push(id);
  pop.conductorMemo.push(pop.tables.memo(`Deposit, per "${fullName[0]}. ${fullName.slice(space + 1)}"`));
  return pop.conductors.length - 1;
}

const BUSINESSES = [
  ['El Fogon Restaurant LLC', 0, WireProfile.none],
  ['Supermercado La Frontera Inc', 4, WireProfile.domestic],
  ['Sun Valley Car Wash LLC', 7, WireProfile.domestic],
] as const;

function addBusinesses(pop: Population, rng: Rng): void {
  const picked: number[] = [];
  while (picked.length < BUSINESSES.length) {
    const c = rng.int(0, pop.n - 1);
    if (!picked.includes(c)) picked.push(c);
  }
  BUSINESSES.forEach(([name, home, wire], k) => {
    const c = picked[k]!;
    pop.name[c] = name;
    pop.business[c] = 1;
    pop.home[c] = home;
    pop.wire[c] = wire;
    pop.income[c] = pop.settlement;
    pop.incomeCents[c] = 0;
    pop.bookRef[c] = { ...pop.bookRef[c]!, cp: pop.tables.party([name, pop.acctId[c]!, '', '']) };
  });
  [pop.restaurant, pop.grocery, pop.carWash] = picked as [number, number, number];
}
