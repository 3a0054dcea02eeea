/**
 * Rules of rules/, evaluated by brute force over generated rows — independently of the engine — so the
 * sample generator can be checked to plant exactly the cases it claims: STRUCT-001 to STRUCT-005,
 * CASH-001, REMIT-001, REMIT-004, REMIT-005, MXCASH-003, XB-001, XB-002, XB-004 to XB-008 (the others —
 * GTO areas, funnels, designated banks, trade — are left to the engine and the e2e tests). Rolling windows
 * are checked generously: every run of consecutive legs shorter than the window counts as a window, a
 * superset of those the engine slides over.
 */
import type { PlantedCase, SampleRow } from '../../src/samples/generate.js';
import { recurrences } from '../helpers.js';

export const cents = (amount: string): number => Number(amount.replace('.', ''));

// ---- an independent calendar: Federal Reserve holidays, business dates ------------------------------

const DAY = 86_400_000;
const HOUR = 3_600_000;
export const dayNo = (iso: string): number => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY;
const wday = (d: number): number => new Date(d * DAY).getUTCDay();

function holidays(year: number): Set<number> {
  const on = (m: number, d: number): number => Date.UTC(year, m - 1, d) / DAY;
  const nth = (m: number, w: number, n: number): number => on(m, 1) + ((w - wday(on(m, 1)) + 7) % 7) + 7 * (n - 1);
  const last = (m: number, w: number): number => {
    const end = Date.UTC(year, m, 0) / DAY;
    return end - ((wday(end) - w + 7) % 7);
  };
  const fixed = [on(1, 1), on(6, 19), on(7, 4), on(11, 11), on(12, 25)].map((d) => (wday(d) === 0 ? d + 1 : d));
  return new Set([...fixed, nth(1, 1, 3), nth(2, 1, 3), last(5, 1), nth(9, 1, 1), nth(10, 1, 2), nth(11, 4, 4)]);
}

const businessDays = new Map<string, number>();

/** The local date of an ISO timestamp written with the bank's offset, rolled past weekends and holidays. */
export function businessDay(ts: string): number {
  const date = ts.slice(0, 10);
  let d = businessDays.get(date);
  if (d === undefined) {
    d = dayNo(date);
    while (wday(d) === 0 || wday(d) === 6 || holidays(new Date(d * DAY).getUTCFullYear()).has(d)) d++;
    businessDays.set(date, d);
  }
  return d;
}

// ---- legs ------------------------------------------------------------------------------------------

interface Leg {
  txn: string;
  ms: number;
  cust: string;
  acct: string;
  bd: number;
  dir: string;
  channel: string;
  /** Cents in USD; undefined for a foreign-currency leg (a scan without --fx-rates has no amount_usd). */
  usd: number | undefined;
  branch: string;
  conductor: string;
  cpAccount: string;
  cpCountry: string;
  /** Counterparty or its bank outside the U.S. */
  abroad: boolean;
  /** Teller cash, ATM, or an instrument or remittance paid in cash (the engine's is_cash). */
  cash: boolean;
  funding: string;
  /** The leg's countries (counterparty, its bank, payer; '-' when absent), the customer's expected countries and state. */
  countries: string[];
  expected: string[];
  state: string;
  branchState: string;
}

const foreign = (country: string): boolean => country !== '' && country !== 'US';

function legsOf(rows: readonly SampleRow[]): Leg[] {
  return rows.map((r) => ({
    txn: r.txn_id!, ms: Date.parse(r.booking_ts!), cust: r.customer_id!, acct: r.account_id!, bd: businessDay(r.booking_ts!),
    dir: r.direction!, channel: r.channel!, usd: r.currency === 'USD' ? cents(r.amount!) : undefined, branch: r.branch_id!,
    conductor: r.conductor_id!, cpAccount: r.cp_account!, cpCountry: r.cp_country!,
    abroad: foreign(r.cp_country!) || foreign(r.cp_bank_country!),
    cash: r.channel === 'cash' || r.channel === 'atm'
      || (['monetary_instrument', 'remittance'].includes(r.channel!) && r.funding_method === 'cash'),
    funding: r.funding_method!, countries: [r.cp_country!, r.cp_bank_country!, r.payer_country!].map((c) => c || '-'),
    expected: r.expected_countries!.split(';').filter((c) => c !== ''), state: r.customer_state!, branchState: r.branch_state!,
  }));
}

/** Every country a sample names. Of the FATF lists, only Myanmar (black) and Venezuela (grey) appear, on planted legs. */
export const COUNTRIES = ['', 'US', 'MX', 'GT', 'CO', 'HN', 'SV', 'VE', 'MM', 'TH', 'HK'];
const BLACK = ['KP', 'IR', 'MM'];
/** The grey-list countries on every list since October 2025 (fatf_lists.json), which is all a sample can name. */
const GREY = ['AO', 'BO', 'BG', 'CM', 'CI', 'CD', 'HT', 'KE', 'LA', 'LB', 'MC', 'NP', 'SS', 'SY', 'VE', 'VN', 'VG', 'YE'];
/** The first FATF lists in rules/reference: a leg booked earlier is not evaluated by XB-001 and XB-002. */
const FATF_FROM = Date.parse('2025-10-24T00:00:00Z');

export function countries(rows: readonly SampleRow[]): Set<string> {
  return new Set(rows.flatMap((r) => [r.cp_country!, r.cp_bank_country!, r.branch_country!]));
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) {
    const list = m.get(key(t));
    if (list) list.push(t);
    else m.set(key(t), [t]);
  }
  return m;
}

const distinct = (values: readonly string[]): number => new Set(values.filter((v) => v !== '')).size;
const sum = (legs: readonly Leg[]): number => legs.reduce((a, l) => a + (l.usd ?? 0), 0);

/** Evidence per customer (sorted txn ids), and how many alerts its hits make once overlapping ones merge. */
interface Result {
  evidence: Record<string, string[]>;
  alerts: Record<string, number>;
}

type Hit = { cust: string; start: number; end: number; legs: readonly Leg[] };

function collect(hits: readonly Hit[]): Result {
  const result: Result = { evidence: {}, alerts: {} };
  for (const [cust, list] of groupBy(hits, (h) => h.cust)) {
    list.sort((x, y) => x.start - y.start);
    let reach = -Infinity;
    let alerts = 0;
    for (const h of list) {
      if (h.start > reach) alerts++;
      reach = Math.max(reach, h.end);
    }
    result.evidence[cust] = [...new Set(list.flatMap((h) => h.legs.map((l) => l.txn)))].sort();
    result.alerts[cust] = alerts;
  }
  return result;
}

interface WindowRule {
  filter: (l: Leg) => boolean;
  subject: (l: Leg) => string;
  /** The window's clock and length in its units. */
  at: (l: Leg) => number;
  span: number;
  /** The window's evidence when the rule fires on it. */
  fires: (w: readonly Leg[]) => readonly Leg[] | undefined;
}

function rolling(legs: readonly Leg[], rule: WindowRule): Result {
  const hits: Hit[] = [];
  for (const list of groupBy(legs.filter(rule.filter), rule.subject).values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i; j < list.length && rule.at(list[j]!) - rule.at(list[i]!) < rule.span; j++) {
        const evidence = rule.fires(list.slice(i, j + 1));
        if (evidence) hits.push({ cust: list[i]!.cust, start: rule.at(list[i]!), end: rule.at(list[j]!), legs: evidence });
      }
    }
  }
  return collect(hits);
}

// ---- the rules -------------------------------------------------------------------------------------

const CTR = 1_000_000;
const BAND_LOW = 800_000;
const isCash = (l: Leg): boolean => l.cash;
const inBand = (l: Leg): boolean => l.usd !== undefined && l.usd >= BAND_LOW && l.usd <= CTR;

function struct002(legs: readonly Leg[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const g of groupBy(legs.filter(isCash), (l) => `${l.cust}|${l.bd}|${l.dir}`).values()) {
    if (g.length < 2) continue;
    const total = sum(g);
    const a = g.every((l) => l.usd! <= CTR) && total > CTR;
    const b = total >= BAND_LOW && total <= CTR
      && (distinct(g.map((l) => l.branch)) >= 2 || distinct(g.map((l) => l.conductor)) >= 2);
    if (a || b) out[g[0]!.cust] = [...(out[g[0]!.cust] ?? []), ...g.map((l) => l.txn)].sort();
  }
  return out;
}

/** STRUCT-001: no business day in the window may hold more than $10,000 of cash in. */
function struct001(legs: readonly Leg[], span: number): Result {
  const hits: Hit[] = [];
  for (const ins of groupBy(legs.filter((l) => isCash(l) && l.dir === 'in'), (l) => l.cust).values()) {
    const dayTotal = new Map<number, number>();
    for (const l of ins) dayTotal.set(l.bd, (dayTotal.get(l.bd) ?? 0) + l.usd!);
    const band = ins.filter(inBand);
    for (const end of band) {
      const w = band.filter((l) => l.bd > end.bd - span && l.bd <= end.bd);
      const over = [...dayTotal].some(([d, t]) => d > end.bd - span && d <= end.bd && t > CTR);
      if (w.length >= 3 && distinct(w.map((l) => String(l.bd))) >= 2 && sum(w) > CTR && !over) {
        hits.push({ cust: end.cust, start: Math.min(...w.map((l) => l.bd)), end: end.bd, legs: w });
      }
    }
  }
  return collect(hits);
}

function xb001(legs: readonly Leg[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const l of legs) {
    if (CROSS.includes(l.channel) && l.channel !== 'p2p' && l.ms >= FATF_FROM && l.countries.some((c) => BLACK.includes(c))) {
      out[l.cust] = [...(out[l.cust] ?? []), l.txn].sort();
    }
  }
  return out;
}

function cash001(legs: readonly Leg[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const l of legs) if (isCash(l) && l.usd! > CTR) out[l.cust] = [...(out[l.cust] ?? []), l.txn].sort();
  return out;
}

/** `extra` lengthens every window (days; XB-004 by four hours a day) to show no case hangs on its edge. */
function windowRules(extra: number): Record<string, WindowRule> {
  const days = (n: number): number => (n + extra) * DAY;
  const round = (l: Leg): boolean => l.usd !== undefined && (l.usd >= 500_000 ? l.usd % 100_000 === 0 : l.usd % 10_000 === 0);
  return {
    'STRUCT-003': {
      filter: (l) => l.cash && l.dir === 'in' && l.conductor !== '' && l.conductor !== l.cust && l.usd! < CTR,
      subject: (l) => l.acct, at: (l) => l.ms, span: days(7),
      fires: (w) => (distinct(w.map((l) => l.conductor)) >= 3 && sum(w) >= 500_000 ? w : undefined),
    },
    'STRUCT-004': {
      filter: (l) => isCash(l) && l.dir === 'out' && inBand(l),
      subject: (l) => l.cust, at: (l) => l.bd, span: 14 + extra,
      fires: (w) => (w.length >= 3 && distinct(w.map((l) => String(l.bd))) >= 2 && sum(w) > CTR ? w : undefined),
    },
    'XB-005': {
      filter: (l) => l.channel === 'wire' && l.abroad,
      subject: (l) => l.cust, at: (l) => l.ms, span: days(30),
      fires: (w) => {
        const r = w.filter(round);
        return r.length >= 3 && 2 * r.length >= w.length ? r : undefined;
      },
    },
    'XB-007': {
      filter: (l) => l.dir === 'out' && l.abroad,
      subject: (l) => l.acct, at: (l) => l.ms, span: days(30),
      fires: (w) => ((distinct(w.map((l) => l.cpAccount)) >= 5 || distinct(w.map((l) => l.cpCountry)) >= 3) && sum(w) >= CTR
        ? w : undefined),
    },
    'XB-008': {
      filter: (l) => l.dir === 'out' && l.abroad && l.usd !== undefined && l.usd < 300_000,
      subject: (l) => l.cust, at: (l) => l.ms, span: days(30),
      fires: (w) => (w.length >= 8 && sum(w) >= CTR
        && (distinct(w.map((l) => l.cpAccount)) <= 3 || distinct(w.map((l) => l.cpCountry)) === 1) ? w : undefined),
    },
    'STRUCT-005': {
      filter: (l) => l.channel === 'monetary_instrument' && l.dir === 'out' && l.funding === 'cash' && l.usd! < RECORD,
      subject: (l) => l.cust, at: (l) => l.bd, span: 3 + extra,
      fires: (w) => {
        const band = w.filter((l) => l.usd! >= 250_000);
        const days = [...groupBy(w, (l) => String(l.bd)).values()].map(sum);
        return (band.length >= 2 && sum(band) >= RECORD) || Math.max(...days) >= RECORD ? w : undefined;
      },
    },
    'REMIT-001': {
      filter: (l) => TRANSFERS.includes(l.channel) && l.dir === 'out' && l.usd! >= 250_000 && l.usd! < RECORD,
      subject: (l) => `${l.cust} ${l.cpAccount}`, at: (l) => l.ms, span: days(3),
      fires: (w) => (w.length >= 2 && sum(w) >= RECORD ? w : undefined),
    },
    'REMIT-004': {
      filter: (l) => TRANSFERS.includes(l.channel) && l.dir === 'out' && l.abroad && l.usd! < RECORD,
      subject: (l) => l.cust, at: (l) => l.ms, span: days(30),
      fires: (w) => ((distinct(w.map((l) => l.cpAccount)) >= 5 || distinct(w.map((l) => l.cpCountry)) >= 3) && sum(w) >= CTR
        ? w : undefined),
    },
    'REMIT-005': {
      filter: (l) => (l.cash && l.dir === 'in') || (TRANSFERS.includes(l.channel) && l.dir === 'out' && !l.cash && l.abroad),
      subject: (l) => l.acct, at: (l) => l.ms, span: (24 + extra) * HOUR,
      fires: (w) => moneyAfterCash(w, 100_000, 0.8),
    },
    'MXCASH-003': {
      filter: (l) => (l.cash && l.dir === 'in')
        || (CROSS.includes(l.channel) && l.dir === 'out' && l.countries.slice(0, 2).includes('MX') && !l.expected.includes('MX')),
      subject: (l) => l.cust, at: (l) => l.ms, span: days(30),
      fires: (w) => moneyAfterCash(w, CTR, 0.7),
    },
    'XB-002': {
      filter: (l) => CROSS.includes(l.channel) && l.ms >= FATF_FROM && l.countries.some((c) => GREY.includes(c) && !l.expected.includes(c)),
      subject: (l) => l.cust, at: (l) => l.ms, span: days(30),
      fires: (w) => (sum(w) >= CTR || w.some((l) => l.usd! >= RECORD) ? w : undefined),
    },
    'XB-006': {
      filter: (l) => CROSS.includes(l.channel) && l.dir === 'out' && l.abroad,
      subject: (l) => l.cpAccount, at: (l) => l.ms, span: days(30),
      fires: (w) => (distinct(w.map((l) => l.cust)) >= 5 && sum(w) >= CTR
        && (distinct(w.map((l) => l.state)) >= 2 || distinct(w.map((l) => l.branchState)) >= 2) ? w : undefined),
    },
  };
}

const RECORD = 300_000;
/** REMIT-001, REMIT-004, REMIT-005: transfers a remitter sends; XB-002, XB-006, MXCASH-003: channels that cross a border. */
const TRANSFERS = ['remittance', 'wire', 'iat_ach', 'p2p'];
const CROSS = ['wire', 'iat_ach', 'remittance', 'trade_finance', 'p2p'];

/** The window's legs when its cash-in reaches `min` and what goes out after the first cash-in is `ratio` of it. */
function moneyAfterCash(w: readonly Leg[], min: number, ratio: number): readonly Leg[] | undefined {
  const first = w.findIndex((l) => l.dir === 'in');
  if (first < 0) return undefined;
  const cash = sum(w.filter((l) => l.dir === 'in'));
  const out = sum(w.slice(first + 1).filter((l) => l.dir === 'out'));
  return cash >= min && out >= ratio * cash ? w : undefined;
}

/**
 * XB-004, leg by leg: every inbound leg of at least $3,000 against the outflows in the 24 hours after it.
 * A window the rule alerts on has a first inbound leg whose next 24 hours hold all of the window's
 * outflows after it, at least 80% of the window's inbound total and so of that leg: this finds it. The
 * rule alerts on three such pass-throughs within 30 days.
 */
function xb004(legs: readonly Leg[], extra: number): Result {
  const hits: Hit[] = [];
  const span = 24 * HOUR + 4 * extra * HOUR;
  for (const list of groupBy(legs.filter((l) => l.usd !== undefined), (l) => l.acct).values()) {
    list.forEach((inbound, i) => {
      if (inbound.dir !== 'in' || inbound.usd! < 300_000) return;
      const out: Leg[] = [];
      for (let j = i + 1; j < list.length && list[j]!.ms - inbound.ms < span; j++) {
        if (list[j]!.dir === 'out' && list[j]!.ms > inbound.ms) out.push(list[j]!);
      }
      if (5 * sum(out) >= 4 * inbound.usd!) hits.push({ cust: inbound.cust, start: inbound.ms, end: out.at(-1)!.ms, legs: [inbound, ...out] });
    });
  }
  return recurring(hits, 3, 30 * DAY + extra * DAY);
}

/**
 * A rule's `recur`: per customer, overlapping hits make one occasion, and the occasions make alerts as
 * `recurrences` (tests/helpers.ts) says.
 */
function recurring(hits: readonly Hit[], count: number, within: number): Result {
  const alerts: Hit[] = [];
  for (const [cust, list] of groupBy(hits, (h) => h.cust)) {
    const occasions: Hit[] = [];
    for (const h of [...list].sort((x, y) => x.start - y.start)) {
      const last = occasions.at(-1);
      if (last && h.start <= last.end) occasions[occasions.length - 1] = { cust, start: last.start, end: Math.max(last.end, h.end), legs: [...last.legs, ...h.legs] };
      else occasions.push(h);
    }
    for (const group of recurrences(occasions, (h) => h.start, (h) => h.end, count, within)) {
      alerts.push({ cust, start: group[0]!.start, end: group.at(-1)!.end, legs: group.flatMap((h) => h.legs) });
    }
  }
  return collect(alerts);
}

export const RULE_IDS = [
  'STRUCT-001', 'STRUCT-002', 'STRUCT-003', 'STRUCT-004', 'STRUCT-005', 'CASH-001', 'REMIT-001', 'REMIT-004', 'REMIT-005',
  'MXCASH-003', 'XB-001', 'XB-002', 'XB-004', 'XB-005', 'XB-006', 'XB-007', 'XB-008',
];

/** Per rule, the evidence found for each customer. */
export type Found = Record<string, Record<string, string[]>>;

/** Every rule over `rows`; windows `extra` days longer than the rules'. Also how many alerts each subject gets. */
export function bruteForce(rows: readonly SampleRow[], extra = 0): { found: Found; alerts: Record<string, Record<string, number>> } {
  const legs = legsOf(rows);
  const results: Record<string, Result> = { 'STRUCT-001': struct001(legs, 14 + extra), 'XB-004': xb004(legs, extra) };
  for (const [id, rule] of Object.entries(windowRules(extra))) results[id] = rolling(legs, rule);
  const found: Found = { 'STRUCT-002': struct002(legs), 'CASH-001': cash001(legs), 'XB-001': xb001(legs) };
  for (const [id, r] of Object.entries(results)) found[id] = r.evidence;
  const alerts = Object.fromEntries(Object.entries(results).map(([id, r]) => [id, r.alerts]));
  return { found: Object.fromEntries(RULE_IDS.map((id) => [id, found[id]!])), alerts };
}

/** The planted alerts of the rules checked here. */
export function expectedFound(alerts: readonly PlantedCase[]): Found {
  const out: Found = Object.fromEntries(RULE_IDS.map((id) => [id, {}]));
  for (const a of alerts) if (out[a.rule]) out[a.rule]![a.customer_id] = [...a.txn_ids].sort();
  return out;
}
