/**
 * Deterministic sample exports of a U.S. border bank ("First Border Bank") with planted structuring
 * patterns and benign look-alikes. Same options → byte-identical output: one seeded PRNG stream per
 * concern, no clock, no Math.random. Legs are generated a day at a time into typed arrays and written
 * as pre-escaped string concatenations in ~1 MB chunks.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { Background } from './background.js';
import { epochDayOf, isoDateOf } from './calendar.js';
import { ByteSink, bytes } from './byte-sink.js';
import { type Encoded, encode, writeBank, writeCanonical } from './encoded.js';
import { BANK_COLUMNS, type Batch, CANONICAL_COLUMNS, legValues, txnId } from './format.js';
import { DIRECTION, LegBuffer } from './legs.js';
import {
  fanOut, fourBeneficiaries, passThrough, paycheckSpent, roundWires, sevenTransfers, smallTransfers, twoPassThroughs, wiresWithCents,
} from './cross-border.js';
import {
  exactlyThreshold, familyDeposits, justUnderBand, restaurant, spreadOut, twoInBand, wiresNotCash, withdrawalsUnderBand,
} from './lookalikes.js';
import {
  cashThenAbroad, cashThenAbroadNextDay, cashThenMexico, cashThenMexicoExpected, instrumentsForCash, instrumentsFromAccount,
  manyBeneficiaries, manyBeneficiariesUnderTotal,
} from './flows.js';
import { borderFunnel, interstateFunnel, truckDriver } from './funnel.js';
import { GRAPH_PATTERNS } from './graph.js';
import {
  blackListWire, designatedBank, fourCustomersOneBeneficiary, greyListExpected, greyListWire, manyCustomersOneBeneficiary,
  neighbourWire, vectorLookalike,
} from './jurisdictions.js';
import { buildPeriod, type Period } from './period.js';
import { type Plan, Planner } from './plan.js';
import {
  burst, overThreshold, saturdayRollover, smurfs, structuredWithdrawals, threeDayRun, twoBranchesOverThreshold, twoConductors,
} from './planted.js';
import { buildPopulation, type Population } from './population.js';
import {
  fourSenders, gtoSplit, gtoSplitOutsideArea, manySenders, remittancesDaysApart, splitRemittance,
} from './remittance.js';
import {
  freeZoneTransshipment, genericGoods, invoicePaidTwice, offMarketRate, overInvoicedPhones, roundTradePayments, thirdPartyPayer,
  unrelatedBankCountry,
} from './trade.js';
import {
  buyerBankInMexico, buyerPays, contractRate, directShipment, guatemalaViaManzanillo, invoiceMatchingPayments, laptopsInBand,
  marketRate, phonesWithinTolerance, sparePartsNamed, specificGoods, twoInstalments,
} from './trade-lookalikes.js';
import { select, typologyOf } from './typologies.js';

export { CANONICAL_COLUMNS, BANK_COLUMNS } from './format.js';
export { toCsvLine } from './csv.js';

export interface GenerateOptions {
  rows: number;
  seed: number;
  /** YYYY-MM-DD, default 2026-01-05. */
  start?: string;
  /** Default 90. */
  days?: number;
  /** Plant the patterns and look-alikes; default true. */
  plant?: boolean;
  /**
   * Plant only the patterns and look-alikes of these rule ids and typologies (`graph` for GRAPH-001…008);
   * default all of the default pack.
   */
  typologies?: readonly string[];
}

/** Canonical columns, all strings; an absent value is ''. */
export interface SampleRow {
  [column: string]: string;
}

export interface PlantedCase {
  pattern: string;
  rule: string;
  typology: string;
  /** The customer (and account) of the pattern's first leg; customer_ids has each leg's. */
  customer_id: string;
  account_id: string;
  txn_ids: string[];
  customer_ids: string[];
  note: string;
  /** Set on an alert that another rule's pattern raises by design: why. */
  expected_extra?: string;
  /** Set on an expected alert on a look-alike's legs: another rule's false positive, which the sample shows. */
  lookalike?: true;
}

/** In the order they were added: a new pattern goes last, so the earlier ones keep their days and customers. */
const PATTERNS = [
  threeDayRun, burst, twoBranchesOverThreshold, twoConductors, saturdayRollover, overThreshold,
  restaurant, twoInBand, justUnderBand, spreadOut, wiresNotCash, exactlyThreshold, structuredWithdrawals,
  smurfs, withdrawalsUnderBand, familyDeposits, passThrough, paycheckSpent, roundWires, wiresWithCents, fanOut,
  fourBeneficiaries, smallTransfers, sevenTransfers,
  splitRemittance, remittancesDaysApart, gtoSplit, gtoSplitOutsideArea, manySenders, fourSenders,
  instrumentsForCash, instrumentsFromAccount, cashThenAbroad, cashThenAbroadNextDay, cashThenMexico, cashThenMexicoExpected,
  manyBeneficiaries, manyBeneficiariesUnderTotal, interstateFunnel, borderFunnel, truckDriver,
  blackListWire, neighbourWire, greyListWire, greyListExpected, designatedBank, vectorLookalike,
  manyCustomersOneBeneficiary, fourCustomersOneBeneficiary,
  overInvoicedPhones, laptopsInBand, phonesWithinTolerance, thirdPartyPayer, buyerPays, unrelatedBankCountry, buyerBankInMexico,
  genericGoods, specificGoods, sparePartsNamed, freeZoneTransshipment, directShipment, guatemalaViaManzanillo,
  roundTradePayments, invoiceMatchingPayments, invoicePaidTwice, twoInstalments, offMarketRate, marketRate, contractRate,
  twoPassThroughs, ...GRAPH_PATTERNS,
];

interface Setup {
  plan: Plan;
  pop: Population;
  encoded: () => Encoded;
  batches: Generator<Batch>;
}

function setup(opts: GenerateOptions): Setup {
  const { rows, seed, start = '2026-01-05', days = 90, plant = true } = opts;
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`rows must be a non-negative integer, got ${rows}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || isoDateOf(epochDayOf(start)) !== start) {
    throw new RangeError(`start must be a YYYY-MM-DD date, got '${start}'`);
  }
  if (!Number.isSafeInteger(days) || days < 1 || days > 3660) throw new RangeError(`days must be 1..3660, got ${days}`);
  const period = buildPeriod(start, days);
  const pop = buildPopulation(seed, rows, period.start);
  const selection = select(opts.typologies);
  const planner = new Planner(period, pop, seed, selection.wanted);
  if (plant) for (const pattern of PATTERNS) planner.plant(pattern);
  const unused = plant ? selection.unused() : [];
  if (unused.length > 0) throw new RangeError(`no planted pattern belongs to ${unused.join(', ')}`);
  const plan = planner.finish();
  if (plan.count > rows) throw new RangeError(`rows must be at least ${plan.count} to hold the planted legs, got ${rows}`);
  const background = new Background(period, pop, seed, rows - plan.count, plan.byDay.map((legs) => legs.map((l) => l.leg)));
  return { plan, pop, encoded: () => encode(pop, period), batches: dayBatches(plan, background, period, pop) };
}

function* dayBatches(plan: Plan, background: Background, period: Period, pop: Population): Generator<Batch> {
  const buf = new LegBuffer(4096);
  let firstTxn = 1;
  for (let day = 0; day < period.days; day++) {
    buf.size = 0;
    for (const { leg, tag } of plan.byDay[day]!) buf.pushSpec(leg, tag);
    background.fill(buf, day);
    const order = buf.sortedOrder();
    yield { period, pop, day, buf, order, firstTxn };
    firstTxn += order.length;
  }
}

/** Every leg as a canonical row, in booking_ts order (ties by txn_id). */
export function* generateRows(opts: GenerateOptions): Generator<SampleRow> {
  for (const b of setup(opts).batches) {
    for (let j = 0; j < b.order.length; j++) {
      const values = legValues(b, b.order[j]!, txnId(b.firstTxn + j));
      const row: SampleRow = {};
      for (let k = 0; k < CANONICAL_COLUMNS.length; k++) row[CANONICAL_COLUMNS[k]!] = values[k]!;
      yield row;
    }
  }
}

/** The planted alerts (must fire) and look-alikes (must not), with their transaction ids. */
export function plantedCases(opts: GenerateOptions): { alerts: PlantedCase[]; lookalikes: PlantedCase[] } {
  const { plan, pop, batches } = setup(opts);
  const txns = plan.cases.map((): string[] => []);
  const custs = plan.cases.map((): number[] => []);
  const dirs = plan.cases.map((): string[] => []);
  for (const b of batches) {
    for (let j = 0; j < b.order.length; j++) {
      const i = b.order[j]!;
      const tag = b.buf.tag[i]!;
      if (tag === 0) continue;
      txns[tag - 1]!.push(txnId(b.firstTxn + j));
      custs[tag - 1]!.push(b.buf.cust[i]!);
      dirs[tag - 1]!.push(DIRECTION[b.buf.kind[i]!]!);
    }
  }
  const alerts: PlantedCase[] = [];
  const lookalikes: PlantedCase[] = [];
  plan.cases.forEach((c, k) => {
    // The legs an alert covers: all of the case's, or those in one direction. Its customer is its first leg's.
    const legs = (direction?: string) => {
      const at = txns[k]!.flatMap((_, j) => (direction === undefined || dirs[k]![j] === direction ? [j] : []));
      if (direction !== undefined && at.length === 0) throw new Error(`${c.pattern}: no ${direction} leg for the alert it raises by design`);
      const first = custs[k]![at[0]!] ?? c.cust;
      return {
        pattern: c.pattern, customer_id: pop.custId[first]!, account_id: pop.acctId[first]!, txn_ids: at.map((j) => txns[k]![j]!),
        customer_ids: at.map((j) => pop.custId[custs[k]![j]!]!),
      };
    };
    (c.alert ? alerts : lookalikes).push({ ...legs(), rule: c.rule, typology: typologyOf(c.rule), note: c.note });
    for (const x of c.also) {
      alerts.push({
        ...legs(x.direction), rule: x.rule, typology: typologyOf(x.rule), note: c.note, expected_extra: x.reason,
        ...(c.alert ? {} : { lookalike: true as const }),
      });
    }
  });
  return { alerts, lookalikes };
}

type LineWriter = (out: ByteSink, e: Encoded, b: Batch, i: number, txn: number) => void;

async function writeCsv(path: string, opts: GenerateOptions, header: readonly string[], line: LineWriter): Promise<{ rows: number }> {
  const { batches, encoded } = setup(opts);
  const e = encoded();
  const sink = new ByteSink();
  const out = createWriteStream(path);
  let failure: Error | undefined;
  out.on('error', (err) => (failure = err));
  sink.put(bytes(header.join(',') + '\n'));
  let rows = 0;
  try {
    for (const b of batches) {
      for (let j = 0; j < b.order.length; j++) {
        line(sink, e, b, b.order[j]!, b.firstTxn + j);
        if (!sink.full) continue;
        if (failure) throw failure;
        if (!out.write(sink.take())) await once(out, 'drain');
      }
      rows += b.order.length;
    }
    out.end(sink.take());
    await finished(out);
  } catch (err) {
    out.destroy();
    throw err;
  }
  return { rows };
}

/** Writes the canonical CSV (header first), streaming with backpressure. */
export function writeCanonicalCsv(path: string, opts: GenerateOptions): Promise<{ rows: number }> {
  return writeCsv(path, opts, CANONICAL_COLUMNS, writeCanonical);
}

/** Writes the same legs in the bank's teller-extract layout (samples/bank-layout.mapping.json). */
export function writeBankLayoutCsv(path: string, opts: GenerateOptions): Promise<{ rows: number }> {
  return writeCsv(path, opts, BANK_COLUMNS, writeBank);
}
