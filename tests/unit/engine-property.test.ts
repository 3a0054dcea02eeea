/**
 * The streaming engine must agree with a brute-force evaluation (every window recomputed from the whole
 * sorted history) on random transaction streams, for input sorted by time and for input grouped by
 * account and sorted within each account.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAlert, compareTxn, dedupeAlerts, type Alert } from '../../src/engine/alerts.js';
import { Engine } from '../../src/engine/engine.js';
import type { Txn } from '../../src/ingest/canonical.js';
import { legsOf, type Entry } from '../../src/rules/aggregates.js';
import { windowKey, type CompiledRule } from '../../src/rules/compile.js';
import { loadRules } from '../../src/rules/load.js';
import { FIXTURES, RULES_DIR, legs, recurrences } from '../helpers.js';

const RULES = loadRules([RULES_DIR, `${FIXTURES}/rules/TEST-VELOCITY.json`]).rules;
const AMOUNTS = ['450.00', '2000.00', '4500.00', '5000.00', '5000.01', '5500.00', '8000.00', '9000.00', '9500.00', '9999.99', '10000.00', '10000.01', '15000.00'];
const START = Date.UTC(2026, 0, 30, 12); // a Friday, across a weekend and the Presidents' Day holiday

interface Spec {
  customer: number;
  account: number;
  minutes: number;
  amount: number;
  channel: number;
  direction: number;
  branch: number;
  conductor: number;
}

/** Over 24 days, on the half hour, so that legs share times. */
const minutesArb = fc.integer({ min: 0, max: 24 * 60 * 24 }).map((m) => m - (m % 30));

const specArb = fc.record({
  customer: fc.integer({ min: 0, max: 3 }),
  account: fc.integer({ min: 0, max: 1 }),
  minutes: minutesArb,
  amount: fc.integer({ min: 0, max: AMOUNTS.length - 1 }),
  channel: fc.integer({ min: 0, max: 3 }),
  direction: fc.integer({ min: 0, max: 1 }),
  branch: fc.integer({ min: 0, max: 3 }),
  conductor: fc.integer({ min: 0, max: 3 }),
});

/**
 * Funnel-account traffic: cash deposits at out-of-state branches, and withdrawals or wires at home (TX),
 * so that FUNNEL-001 often fires and FUNNEL-002 is evaluated (on the specs above neither would alert).
 */
const funnelArb = fc.oneof(
  fc.record({
    customer: fc.constantFrom(0, 1, 3), account: fc.constant(0), minutes: minutesArb,
    amount: fc.integer({ min: 0, max: 9 }), channel: fc.constant(0), direction: fc.constant(0),
    branch: fc.integer({ min: 1, max: 2 }), conductor: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({
    customer: fc.constantFrom(0, 1, 3), account: fc.constant(0), minutes: minutesArb,
    amount: fc.integer({ min: 0, max: AMOUNTS.length - 1 }), channel: fc.constantFrom(0, 3), direction: fc.constant(1),
    branch: fc.constantFrom(0, 3), conductor: fc.constant(3),
  }),
);

/**
 * Pass-through traffic: wires in and out of two accounts over 40 days, so that XB-004's pass-throughs
 * recur, three within 30 days or not.
 */
const passArb = fc.record({
  customer: fc.integer({ min: 0, max: 1 }), account: fc.constant(0),
  minutes: fc.integer({ min: 0, max: 40 * 24 * 60 }).map((m) => m - (m % 30)),
  amount: fc.integer({ min: 2, max: AMOUNTS.length - 1 }), channel: fc.constant(3), direction: fc.integer({ min: 0, max: 1 }),
  branch: fc.constant(3), conductor: fc.constant(3),
});

function toRows(specs: Spec[], accountsPerCustomer: number): Array<Record<string, unknown>> {
  return specs.map((s, i) => {
    const row: Record<string, unknown> = {
      txn_id: `T${String(i).padStart(4, '0')}`,
      booking_ts: new Date(START + s.minutes * 60_000).toISOString().replace('.000Z', '-06:00').replace(/T(\d\d)/, (_, h: string) => `T${h}`),
      account_id: `A${s.customer}-${s.account % accountsPerCustomer}`,
      customer_id: `C${s.customer}`,
      direction: s.direction === 0 ? 'in' : 'out',
      amount: AMOUNTS[s.amount],
      currency: 'USD',
      channel: ['cash', 'cash', 'atm', 'wire'][s.channel],
    };
    if (s.branch < 3) {
      row.branch_id = `B${s.branch}`;
      // Home-state and out-of-state branches, so that the funnel-account rules are evaluated too.
      row.branch_state = ['TX', 'NM', 'AZ'][s.branch];
    }
    if (s.conductor < 3) row.conductor_id = `P${s.conductor}`;
    // One customer's accounts have no home state: the funnel-account rules cannot evaluate their legs.
    if (s.customer < 3) row.account_home_state = 'TX';
    return row;
  });
}

/** Every window recomputed from scratch over the subject's sorted history. */
function bruteForce(rules: readonly CompiledRule[], txns: readonly Txn[]): Alert[] {
  const out: Alert[] = [];
  for (const rule of rules) {
    // A leg the rule cannot decide (a required field absent, a set undecided) is not evaluated: no window holds it.
    const inScope = txns.filter((t) => rule.filter(t) === 1 && rule.required.every((f) => f.get(t) !== undefined) && rule.sets.every((s) => s.test(t) !== 2));
    rule.subjects.forEach((subject, rank) => {
      const groups = new Map<string, Txn[]>();
      for (const t of inScope) {
        const id = [subject.get(t), ...rule.partition.map((p) => p.get(t))].map(String).join('\u0000');
        groups.set(id, [...(groups.get(id) ?? []), t]);
      }
      for (const [id, list] of groups) {
        const entries: Entry[] = list.sort(compareTxn).map((t) => ({
          t, key: windowKey(rule.window, t),
          mask: rule.sets.reduce((m, s) => (s.test(t) === 1 ? m | s.bit : m), 0),
        }));
        if (!rule.window) {
          for (const e of entries) out.push(buildAlert(rule, subject, rank, id, [e], 1));
          continue;
        }
        const occasions: Entry[][] = [];
        let open: Entry[] | undefined;
        let lastKey = -Infinity;
        for (const k of [...new Set(entries.map((e) => e.key))]) {
          const span = rule.window.durationMs;
          const inWindow = entries.filter((e) => e.key <= k && e.key > k - span);
          // A sequence rule's window starts at its first leg of the anchor set (CompiledRule.anchor).
          const first = inWindow.findIndex((e) => (e.mask & rule.anchor) !== 0);
          const w = rule.anchor === 0 ? inWindow : first < 0 ? [] : inWindow.slice(first);
          const fires = rule.when((i) => rule.aggregates[i]!.compute(legsOf(w)));
          if (fires && open && w[0]!.key <= lastKey) {
            open = [...new Set([...open, ...w])];
          } else if (fires) {
            if (open) occasions.push(open);
            open = [...w];
          } else if (open && (w.length === 0 || w[0]!.key > lastKey)) {
            occasions.push(open);
            open = undefined;
          }
          if (fires) lastKey = k;
        }
        if (open) occasions.push(open);
        for (const a of recurring(rule, occasions)) out.push(buildAlert(rule, subject, rank, id, a.entries, 0, undefined, a.occasions));
      }
    });
  }
  return dedupeAlerts(out);
}

/**
 * The alerts a subject's occasions make: each one, or for a rule with `recur`, per run of occasions in which
 * each has `count` - 1 or more before it within the span, the occasions of those spans.
 */
function recurring(rule: CompiledRule, occasions: readonly Entry[][]): Array<{ entries: Entry[]; occasions: number }> {
  if (!rule.recur || rule.recur.count === 1) return occasions.map((entries) => ({ entries, occasions: 1 }));
  const first = (o: readonly Entry[]): number => Math.min(...o.map((e) => e.key));
  const last = (o: readonly Entry[]): number => Math.max(...o.map((e) => e.key));
  return recurrences(occasions, first, last, rule.recur.count, rule.recur.withinMs).map((group) => ({ entries: group.flat(), occasions: group.length }));
}

/** XB-004 alerting on every pass-through: its alerts are the occasions that XB-004 counts. */
const PASS_THROUGHS = loadRules([RULES_DIR], [{ rule: 'XB-004', name: 'matches', value: 1, text: 'XB-004.matches=1' }]).rules.filter((r) => r.id === 'XB-004');
const SPAN = 30 * 86_400_000;

/**
 * What XB-004's alerts must be, said without the engine's way of grouping occasions (the brute force above
 * mirrors it): every alert is whole occasions, 3 or more; any 3 consecutive occasions of an account within
 * 30 days are in one alert; and each occasion in an alert is one of 3 consecutive ones within 30 days.
 */
function recurrenceHolds(txns: readonly Txn[]): void {
  const legsOf = (a: Alert) => ({ ids: new Set(a.records.map((t) => t.txn_id)), first: a.records[0]!.ts, last: a.records.at(-1)!.ts, subject: a.subject });
  const alerts = streamed(byTime([...txns]), 0).alerts.filter((a) => a.rule.id === 'XB-004').map((a) => ({ ...legsOf(a), occasions: a.figures.occasions }));
  const occasions = bruteForce(PASS_THROUGHS, txns).map(legsOf).sort((x, y) => x.first - y.first);
  const inside = (o: { ids: Set<string> }, a: { ids: Set<string> }) => [...o.ids].every((id) => a.ids.has(id));
  for (const a of alerts) {
    const mine = occasions.filter((o) => o.subject === a.subject && inside(o, a));
    expect(a.occasions).toBe(mine.length);
    expect(mine.length).toBeGreaterThanOrEqual(3);
    expect(new Set(mine.flatMap((o) => [...o.ids]))).toEqual(a.ids);
  }
  for (const subject of new Set(occasions.map((o) => o.subject))) {
    const list = occasions.filter((o) => o.subject === subject);
    const runs = list.slice(0, -2).map((o, i) => list.slice(i, i + 3)).filter((run) => run[2]!.last - run[0]!.first <= SPAN);
    for (const run of runs) expect(alerts.some((a) => run.every((o) => inside(o, a)))).toBe(true);
    for (const o of list) {
      if (alerts.some((a) => inside(o, a))) expect(runs.some((run) => run.includes(o))).toBe(true);
    }
  }
}

function streamed(txns: readonly Txn[], maxLatenessMs: number): { alerts: Alert[]; late: number } {
  const engine = new Engine(RULES, { maxLatenessMs });
  for (const t of txns) engine.push(t);
  const alerts = engine.finish();
  return { alerts, late: engine.stats.reduce((n, s) => n + s.late, 0) };
}

function describeAlerts(alerts: readonly Alert[]): string[] {
  return alerts.map((a) => `${a.rule.id} ${a.subjectType}=${a.subject} [${[...a.triggers].map((t) => t.txn_id).sort().join(' ')}] n=${a.records.length}${a.figures.occasions === undefined ? '' : ` o=${a.figures.occasions}`}`).sort();
}

function byTime(txns: Txn[]): Txn[] {
  return [...txns].sort(compareTxn);
}

function byAccount(txns: Txn[]): Txn[] {
  return [...txns].sort((a, b) => (a.account_id < b.account_id ? -1 : a.account_id > b.account_id ? 1 : compareTxn(a, b)));
}

/** The streamed alerts, time-sorted and account-grouped, equal the brute-force ones. */
function agrees(specs: Spec[]): void {
  const txns = legs(toRows(specs, 1));
  const expected = describeAlerts(bruteForce(RULES, txns));
  const sorted = streamed(byTime(txns), 0);
  const grouped = streamed(byAccount(txns), 0);
  expect(sorted.late).toBe(0);
  expect(grouped.late).toBe(0);
  expect(describeAlerts(sorted.alerts)).toEqual(expected);
  expect(describeAlerts(grouped.alerts)).toEqual(expected);
}

/**
 * Checks `agrees` on 200 streams, and returns how many raise an alert of a rule whose id starts with `prefix`: a
 * property is only worth its runs if the rules it is meant for do fire.
 */
function agreeingRunsThatFire(arb: fc.Arbitrary<Spec[]>, prefix: string): number {
  let fired = 0;
  fc.assert(fc.property(arb, (specs) => {
    agrees(specs);
    if (describeAlerts(bruteForce(RULES, legs(toRows(specs, 1)))).some((a) => a.startsWith(prefix))) fired++;
  }), { numRuns: 200 });
  return fired;
}

describe('streaming engine against brute force', () => {
  it('agrees for time-sorted and account-grouped input, one account per customer', () => {
    fc.assert(fc.property(fc.array(specArb, { maxLength: 120 }), agrees), { numRuns: 300 });
  });

  it('agrees on funnel-account traffic, where the funnel-account rules fire', () => {
    expect(agreeingRunsThatFire(fc.array(funnelArb, { minLength: 10, maxLength: 60 }), 'FUNNEL-')).toBeGreaterThan(20);
  });

  it('agrees on pass-through traffic, where XB-004 alerts only on three pass-throughs within 30 days', () => {
    expect(agreeingRunsThatFire(fc.array(passArb, { minLength: 40, maxLength: 120 }), 'XB-004')).toBeGreaterThan(20);
    fc.assert(fc.property(fc.array(passArb, { minLength: 40, maxLength: 120 }), (specs) => recurrenceHolds(legs(toRows(specs, 1)))), { numRuns: 200 });
  });

  it('agrees when a leg before a sequence rule\'s first anchor leg shares its time (found by the property above)', () => {
    const leg = { customer: 0, account: 0, channel: 0, branch: 0, conductor: 0 };
    agrees([{ ...leg, minutes: 0, amount: 0, direction: 0 }, { ...leg, minutes: 30, amount: 2, direction: 1 }, { ...leg, minutes: 0, amount: 2, direction: 0 }]);
  });

  it('agrees when a leg the rule cannot decide (no conductor) falls in a window that alerts (found by the property above)', () => {
    const leg = { customer: 2, account: 0, minutes: 0, channel: 0, direction: 0, branch: 0 };
    agrees([{ ...leg, amount: 0, conductor: 0 }, { ...leg, amount: 0, conductor: 3 }, { ...leg, amount: 0, conductor: 2 }, { ...leg, amount: 2, conductor: 1 }]);
  });

  it('agrees when customers have several accounts, given lateness that covers the file', () => {
    fc.assert(fc.property(fc.array(specArb, { maxLength: 120 }), (specs) => {
      const txns = legs(toRows(specs, 2));
      const expected = describeAlerts(bruteForce(RULES, txns));
      expect(describeAlerts(streamed(byAccount(txns), 400 * 86_400_000).alerts)).toEqual(expected);
      expect(describeAlerts(streamed(byTime(txns), 0).alerts)).toEqual(expected);
    }), { numRuns: 200 });
  });

  it('reports legs later than it can honour instead of dropping them silently', () => {
    const txns = legs(toRows([
      { customer: 0, account: 0, minutes: 3000, amount: 9, channel: 0, direction: 0, branch: 0, conductor: 0 },
      { customer: 0, account: 1, minutes: 60, amount: 9, channel: 0, direction: 0, branch: 0, conductor: 0 },
    ], 2));
    const late: string[] = [];
    const engine = new Engine(RULES, { maxLatenessMs: 0 }, (l) => late.push(`${l.rule}:${l.txn.txn_id}`));
    for (const t of txns) engine.push(t);
    engine.finish();
    expect(late).toEqual(expect.arrayContaining(['STRUCT-001:T0001', 'STRUCT-002:T0001']));
    expect(engine.stats.find((s) => s.rule === 'STRUCT-001')!.late).toBe(1);
  });

  it('keeps memory per subject bounded: idle subjects are forgotten', () => {
    const rows: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 70_000; i++) {
      rows.push({
        txn_id: `M${i}`, booking_ts: new Date(START + i * 600_000).toISOString(), account_id: `A${i}`,
        direction: 'in', amount: '9500.00', currency: 'USD', channel: 'cash',
      });
    }
    const engine = new Engine(RULES, { maxLatenessMs: 0 });
    for (const t of legs(rows)) engine.push(t);
    const lanes = (engine as unknown as { lanes: Array<{ subjects: Map<string, unknown> }> }).lanes;
    // 70,000 subjects pass through; each lane keeps only those seen since its last sweep (every 65,536 legs).
    const live = lanes.map((l) => l.subjects.size);
    expect(Math.max(...live)).toBeLessThan(10_000);
    engine.finish();
  });

  it('keeps the occasions of a rule with recur over its span, through the sweeps that forget idle subjects', () => {
    // XB-004 alerts on three pass-throughs within 30 days. Between them, 140,000 legs of other accounts:
    // two sweeps, each after the pass-through's 24-hour window has long passed.
    const DAY = 86_400_000;
    const pass = (day: number, k: number): Array<Record<string, unknown>> => [
      { txn_id: `I${k}`, booking_ts: new Date(START + day * DAY).toISOString(), account_id: 'P', direction: 'in', amount: '25000.00', currency: 'USD', channel: 'wire', cp_account: 'S' },
      { txn_id: `O${k}`, booking_ts: new Date(START + day * DAY + 7_200_000).toISOString(), account_id: 'P', direction: 'out', amount: '21000.00', currency: 'USD', channel: 'wire', cp_account: 'R' },
    ];
    const run = (days: readonly number[]): Alert[] => {
      const rows = days.flatMap((day, k) => pass(day, k));
      for (let i = 0; i < 140_000; i++) {
        rows.push({
          txn_id: `F${i}`, booking_ts: new Date(START + 3_600_000 + i * 15_000).toISOString(), account_id: `A${i}`,
          direction: 'out', amount: '20.00', currency: 'USD', channel: 'card',
        });
      }
      const engine = new Engine(RULES, { maxLatenessMs: 0 });
      for (const t of legs(rows).sort(compareTxn)) engine.push(t);
      return engine.finish().filter((a) => a.rule.id === 'XB-004');
    };
    const [alert, ...more] = run([0, 11, 23]);
    expect(more).toEqual([]);
    expect(alert!.records.map((t) => t.txn_id)).toEqual(['I0', 'O0', 'I1', 'O1', 'I2', 'O2']);
    expect(alert!.figures.occasions).toBe(3);
    expect(run([0, 11, 31])).toEqual([]);
  });

  it('reports a leg as late when its span reaches back to occasions already released, instead of counting without them', () => {
    // A second export of the same period, screened after the first: P's third pass-through (day 20) arrives when
    // P, idle since day 10, has been released with its two occasions (the filler runs on to day 48).
    const DAY = 86_400_000;
    const pass = (day: number, k: number): Array<Record<string, unknown>> => [
      { txn_id: `I${k}`, booking_ts: new Date(START + day * DAY).toISOString(), account_id: 'P', direction: 'in', amount: '25000.00', currency: 'USD', channel: 'wire' },
      { txn_id: `O${k}`, booking_ts: new Date(START + day * DAY + 7_200_000).toISOString(), account_id: 'P', direction: 'out', amount: '21000.00', currency: 'USD', channel: 'wire' },
    ];
    const first = [...pass(0, 0), ...pass(10, 1)];
    for (let i = 0; i < 140_000; i++) {
      first.push({ txn_id: `F${i}`, booking_ts: new Date(START + 3_600_000 + i * 30_000).toISOString(), account_id: `A${i}`, direction: 'out', amount: '20.00', currency: 'USD', channel: 'card' });
    }
    const late: Array<{ rule: string; reason: string; txn: string }> = [];
    const engine = new Engine(RULES, { maxLatenessMs: DAY }, (l) => late.push({ rule: l.rule, reason: l.reason, txn: l.txn.txn_id }));
    for (const t of [...legs(first).sort(compareTxn), ...legs(pass(20, 2), 'second.csv')]) engine.push(t);
    expect(engine.finish().filter((a) => a.rule.id === 'XB-004')).toEqual([]);
    expect(late.filter((l) => l.rule === 'XB-004')).toEqual([{ rule: 'XB-004', reason: 'evicted', txn: 'I2' }]);
  });
});
