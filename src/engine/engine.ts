/**
 * The streaming engine. Each rule keeps, per subject, the transactions its window still needs and
 * evaluates the window once per clock tick (a timestamp, or a business day once that day is complete),
 * so results do not depend on how ties or days are ordered in the file. The rules on one subject field
 * share a lane: each subject's legs are put back in time order once for all of them, may arrive up to
 * `maxLatenessMs` out of order, and later ones are reported as late, never dropped silently.
 */
import type { Txn } from '../ingest/canonical.js';
import type { Entry } from '../rules/aggregates.js';
import { windowKey, type CompiledRule } from '../rules/compile.js';
import type { FieldRef } from '../rules/fields.js';
import { coverage } from '../rules/reference.js';
import { AmlError } from '../errors.js';
import { GraphScreen } from '../graph/screen.js';
import { buildAlert, compareTxn, dedupeAlerts, type Alert } from './alerts.js';

export interface EngineOptions {
  /** How far (ms) a subject's legs may arrive out of time order and still be honoured. */
  maxLatenessMs: number;
}

export interface RuleStats {
  rule: string;
  /** Legs that passed the rule's filter (or could not be decided). */
  inScope: number;
  notEvaluated: number;
  /** Field → legs not evaluated because it was absent. */
  missing: Record<string, number>;
  late: number;
  /** Legs whose source file and txn_id repeat a leg still in the subject's window: screened once. */
  duplicates: number;
  alerts: number;
}

export interface LateLeg {
  rule: string;
  subject: string;
  txn: Txn;
  /** How far behind the subject's already-screened legs it arrived, in ms. */
  behindMs: number;
  /** behind: older than legs already screened; evicted: the subject's window had been released from memory. */
  reason: 'behind' | 'evicted';
}

/** A rule's entry for a leg, with the rule's slot in the subject's lane. */
interface Leg extends Entry {
  slot: number;
}

/** A leg waiting in a subject's reorder buffer, with its entries for the rules that screen it. */
interface Held {
  t: Txn;
  legs: Leg[];
}

/** One subject of a lane: its reorder buffer and, per rule, its window. */
interface Subject {
  id: string;
  maxTs: number;
  /** Per rule, the latest window key seen: on a business-date clock it can lie days after maxTs. */
  maxKeys: number[];
  /** The time of the last leg released from the buffer; older legs are late. */
  released: number;
  /** Legs not yet released, in time order, from buffer[head]. */
  buffer: Held[];
  head: number;
  /**
   * The txn_ids (with their source) of legs taken into the buffer or a window, so that a repeated leg is screened once. Entries
   * are not removed when a leg leaves the windows: a hit is checked against what they hold (see
   * Lane.holds), and the map is rebuilt from them when it has grown to twice their size.
   */
  ids: Map<string, string>;
  /** The size of `ids` when it was last rebuilt. */
  idsBase: number;
  rules: Array<RuleState | undefined>;
  /** How far the subject got before it was last released from memory. */
  tomb: Tombstone | undefined;
}

interface Tombstone {
  released: number;
  /** Per rule, the last window key screened: a leg whose window reaches back past it needed the released window. */
  lastKeys: number[];
}

interface OpenAlert {
  entries: Entry[];
  maxSeq: number;
  lastKey: number;
  hits: number;
}

interface RuleState {
  subject: Subject;
  /** The clock tick being gathered: its legs are window[pending..], not evaluated yet. */
  pendingKey: number;
  pending: number;
  /** The window is window[head..]: legs that left it are cut off in batches, not one shift per tick. */
  window: Leg[];
  head: number;
  /** The rule's running aggregates over the window (see CompiledAggregate.running). */
  totals: Float64Array;
  /** Legs of the rule's anchor set in the window: without one, it holds no other leg (see CompiledRule.anchor). */
  anchors: number;
  open: OpenAlert | undefined;
}

const DAY_MS = 86_400_000;
const EVICT_EVERY = 65_536;

/**
 * The rules that share a subject field (and partition). A subject's legs are put in time order once for
 * all of them, and a leg is late when it arrives more than the lateness behind the subject's latest.
 */
class Lane {
  readonly runners: RuleRunner[] = [];
  readonly subjects = new Map<string, Subject>();
  readonly tombstones = new Map<string, Tombstone>();
  /** The current leg's entries, one per rule of the lane that screens it (emptied once the lane has taken them). */
  incoming: Leg[] = [];

  constructor(
    readonly subject: FieldRef,
    readonly partition: readonly FieldRef[],
    private readonly engine: Engine,
  ) {}

  add(runner: RuleRunner): number {
    return this.runners.push(runner) - 1;
  }

  /** Screens the current leg for the rules in `incoming`. */
  push(t: Txn): void {
    const legs = this.incoming;
    const id = subjectId(this.subject, this.partition, t)!;
    const s = this.subjects.get(id) ?? this.create(id);
    if (t.ts < s.released) {
      for (const leg of legs) this.engine.late(this.runners[leg.slot]!.rule, { rule: this.runners[leg.slot]!.rule.id, subject: id, txn: t, behindMs: s.released - t.ts, reason: 'behind' });
    } else if (s.ids.has(t.txn_id) && this.holds(s, t)) {
      // A leg whose source and txn_id repeat one the buffer or a window still holds: screened once, reported.
      for (const leg of legs) this.engine.duplicate(this.runners[leg.slot]!.rule, id, t);
    } else {
      for (const leg of legs) if (leg.key > s.maxKeys[leg.slot]!) s.maxKeys[leg.slot] = leg.key;
      if (t.ts > s.maxTs) s.maxTs = t.ts;
      const until = s.maxTs - this.engine.maxLatenessMs;
      if (s.head === s.buffer.length && t.ts <= until) {
        if (this.admitNow(s, t, legs)) this.remember(s, t);
      } else {
        insertSorted(s, { t, legs: legs.slice() });
        this.remember(s, t);
        this.release(s, until);
      }
    }
    legs.length = 0;
  }

  /**
   * A leg in time order goes straight into the windows; false when none takes it. Most legs of a sequence
   * rule arrive while its window holds no anchor leg, and are not admitted at all (see RuleRunner.idle).
   */
  private admitNow(s: Subject, t: Txn, legs: readonly Leg[]): boolean {
    s.released = t.ts;
    let taken = false;
    for (const leg of legs) {
      const runner = this.runners[leg.slot]!;
      if (!runner.idle(s, leg) && runner.admit(s, leg)) taken = true;
    }
    return taken;
  }

  private remember(s: Subject, t: Txn): void {
    s.ids.set(t.txn_id, t.src);
    if (s.ids.size <= 2 * s.idsBase + 64) return;
    s.ids.clear();
    this.each(s, (held) => s.ids.set(held.txn_id, held.src));
    s.idsBase = s.ids.size;
  }

  /** Whether the buffer or a window of the subject holds a leg with t's source and txn_id. */
  private holds(s: Subject, t: Txn): boolean {
    let found = false;
    this.each(s, (held) => {
      if (held.txn_id === t.txn_id && held.src === t.src) found = true;
    });
    return found;
  }

  /** Calls `fn` for every leg the subject's buffer and windows hold (a leg once per window). */
  private each(s: Subject, fn: (t: Txn) => void): void {
    for (let i = s.head; i < s.buffer.length; i++) fn(s.buffer[i]!.t);
    for (const st of s.rules) {
      if (!st) continue;
      for (let i = st.head; i < st.window.length; i++) fn(st.window[i]!.t);
    }
  }

  private create(id: string): Subject {
    const tomb = this.tombstones.get(id);
    this.tombstones.delete(id);
    const s: Subject = {
      id, maxTs: -Infinity, maxKeys: this.runners.map(() => -Infinity), released: tomb?.released ?? -Infinity,
      buffer: [], head: 0, ids: new Map(), idsBase: 0, rules: this.runners.map(() => undefined), tomb,
    };
    this.subjects.set(id, s);
    return s;
  }

  /** Moves buffered legs up to `until` (ms) into the rules' windows, in time order. */
  private release(s: Subject, until: number): void {
    const buffer = s.buffer;
    let head = s.head;
    while (head < buffer.length && buffer[head]!.t.ts <= until) this.admit(s, buffer[head++]!);
    if (head === buffer.length) {
      buffer.length = 0;
      head = 0;
    } else if (head > 0 && head * 2 >= buffer.length) {
      dropFront(buffer, head);
      head = 0;
    }
    s.head = head;
  }

  private admit(s: Subject, held: Held): void {
    s.released = held.t.ts;
    for (const leg of held.legs) this.runners[leg.slot]!.admit(s, leg);
  }

  /** Screens everything still buffered for a subject and forgets it, keeping only how far it got. */
  private flush(s: Subject): void {
    this.release(s, Infinity);
    const lastKeys = this.runners.map((r, slot) => {
      const st = s.rules[slot];
      if (st) r.finishState(st);
      return st ? st.pendingKey : (s.tomb?.lastKeys[slot] ?? -Infinity);
    });
    this.subjects.delete(s.id);
    this.tombstones.set(s.id, { released: s.released, lastKeys });
  }

  /**
   * Forgets subjects idle for longer than their windows can look back, judged against the leg now being
   * screened (not the latest time seen, which one mistyped future date would move).
   */
  evictIdle(now: Txn): void {
    // Idle means: nothing left to release, and no leg from now on can share a window with what it holds.
    const lastTs = now.ts - this.engine.maxLatenessMs - DAY_MS;
    const lastKeys = this.runners.map((r) => windowKey(r.rule.window, now) - r.rule.window!.durationMs - DAY_MS);
    for (const s of this.subjects.values()) {
      if (s.maxTs < lastTs && s.maxKeys.every((k, slot) => k < lastKeys[slot]!)) this.flush(s);
    }
  }

  finish(): void {
    for (const s of [...this.subjects.values()]) this.flush(s);
  }
}

/** One windowed rule evaluated per one subject field. */
class RuleRunner {
  private seq = 0;
  readonly slot: number;
  /** The window being evaluated and its aggregates' values, computed when the condition asks. */
  private evaluating: readonly Entry[] = [];
  private evaluatingFrom = 0;
  private evaluatingTotals: Float64Array = new Float64Array(0);
  private readonly values: Array<number | undefined>;
  private readonly computed: boolean[];
  /** The aggregates kept as running totals, and per aggregate its index among them (-1: computed per tick). */
  private readonly running: Array<{ mask: number; get?: (t: Txn) => number | undefined }>;
  private readonly totalIndex: number[];
  private readonly value = (i: number): number | undefined => {
    const k = this.totalIndex[i]!;
    if (k >= 0) return this.evaluatingTotals[k];
    if (!this.computed[i]) {
      this.values[i] = this.rule.aggregates[i]!.compute(this.evaluating, this.evaluatingFrom);
      this.computed[i] = true;
    }
    return this.values[i];
  };

  constructor(
    readonly rule: CompiledRule,
    readonly subject: FieldRef,
    readonly subjectRank: number,
    readonly lane: Lane,
    private readonly engine: Engine,
  ) {
    this.slot = lane.add(this);
    this.values = rule.aggregates.map(() => undefined);
    this.computed = rule.aggregates.map(() => false);
    this.running = rule.aggregates.flatMap((a) => (a.running ? [a.running] : []));
    let k = 0;
    this.totalIndex = rule.aggregates.map((a) => (a.running ? k++ : -1));
  }

  /**
   * A leg outside the rule's anchor set while its window holds no anchor leg: the window is empty, so
   * admitting the leg would only move the clock past a tick with nothing to evaluate.
   */
  idle(s: Subject, leg: Leg): boolean {
    const anchor = this.rule.anchor;
    if (anchor === 0 || (leg.mask & anchor) !== 0) return false;
    const st = s.rules[this.slot];
    return !st || st.anchors === 0;
  }

  /**
   * A leg joins its clock tick; a later tick closes the pending one first. False when the leg's window
   * would have reached legs released from memory (it is reported late, its result would be incomplete),
   * or when the rule has an anchor set and the window holds none of its legs (nothing can count it).
   */
  admit(s: Subject, leg: Leg): boolean {
    let st = s.rules[this.slot];
    const anchor = this.rule.anchor;
    if (anchor !== 0 && (leg.mask & anchor) === 0 && (!st || st.anchors === 0)) {
      if (st && leg.key > st.pendingKey) {
        this.tick(st);
        st.pendingKey = leg.key;
      }
      return false;
    }
    if (!st) {
      const lastKey = s.tomb?.lastKeys[this.slot] ?? -Infinity;
      if (leg.key - this.rule.window!.durationMs < lastKey) {
        this.engine.late(this.rule, { rule: this.rule.id, subject: s.id, txn: leg.t, behindMs: 0, reason: 'evicted' });
        return false;
      }
      st = s.rules[this.slot] = { subject: s, pendingKey: -Infinity, pending: 0, window: [], head: 0, totals: new Float64Array(this.running.length), anchors: 0, open: undefined };
    }
    leg.seq = this.seq++;
    if (leg.key > st.pendingKey) {
      this.tick(st);
      st.pendingKey = leg.key;
    }
    if (leg.mask & anchor) st.anchors++;
    st.window.push(leg);
    return true;
  }

  /** The pending clock tick is complete: add it to the window and evaluate once. */
  private tick(st: RuleState): void {
    const w = st.window;
    if (st.pending === w.length) return;
    for (let i = st.pending; i < w.length; i++) this.count(st.totals, w[i]!, 1);
    const horizon = st.pendingKey - this.rule.window!.durationMs;
    const anchor = this.rule.anchor;
    let head = st.head;
    // Legs leave the window when they are older than its duration; a sequence rule's window also starts at
    // its first anchor leg, the legs before it counting for nothing.
    while (head < w.length && (w[head]!.key <= horizon || (anchor !== 0 && (w[head]!.mask & anchor) === 0))) {
      const e = w[head++]!;
      if (e.mask & anchor) st.anchors--;
      this.count(st.totals, e, -1);
    }
    if (head > 0 && head * 2 >= w.length) {
      dropFront(w, head);
      head = 0;
    }
    st.head = head;
    st.pending = w.length;
    this.evaluating = w;
    this.evaluatingFrom = head;
    this.evaluatingTotals = st.totals;
    this.computed.fill(false);
    // An empty window holds nothing to report, whatever rounding is left in the running totals.
    if (head < w.length && this.rule.when(this.value)) this.hit(st, w, head);
    else if (st.open && (head === w.length || w[head]!.key > st.open.lastKey)) this.closeAlert(st);
  }

  /** Adds a leg entering the window to the running totals (sign 1), or takes away one leaving it (-1). */
  private count(totals: Float64Array, e: Entry, sign: number): void {
    const running = this.running;
    for (let k = 0; k < running.length; k++) {
      const { mask, get } = running[k]!;
      if (mask !== 0 && (e.mask & mask) === 0) continue;
      if (!get) totals[k]! += sign;
      else {
        const v = get(e.t);
        if (v !== undefined) totals[k]! += sign * v;
      }
    }
  }

  private hit(st: RuleState, w: readonly Entry[], head: number): void {
    const open = st.open;
    if (open && w[head]!.key <= open.lastKey) {
      for (let i = head; i < w.length; i++) {
        if (w[i]!.seq > open.maxSeq) open.entries.push(w[i]!);
      }
      open.hits++;
    } else {
      if (open) this.closeAlert(st);
      st.open = { entries: w.slice(head), maxSeq: 0, lastKey: 0, hits: 1 };
    }
    const last = w[w.length - 1]!;
    st.open!.maxSeq = last.seq;
    st.open!.lastKey = last.key;
  }

  private closeAlert(st: RuleState): void {
    const open = st.open!;
    st.open = undefined;
    this.engine.emit(buildAlert(this.rule, this.subject, this.subjectRank, st.subject.id, open.entries, open.hits));
  }

  /** Evaluates the last pending tick and closes the open alert: the subject is being released. */
  finishState(st: RuleState): void {
    this.tick(st);
    if (st.open) this.closeAlert(st);
  }
}

function subjectId(subject: FieldRef, partition: readonly FieldRef[], t: Txn): string | undefined {
  const v = subject.get(t);
  if (v === undefined) return undefined;
  if (partition.length === 0) return typeof v === 'string' ? v : String(v);
  let id = String(v);
  for (const p of partition) id += '\u0000' + String(p.get(t));
  return id;
}

/** Removes the first n entries in place (splice would allocate an array of the removed ones). */
function dropFront<T>(list: T[], n: number): void {
  list.copyWithin(0, n);
  list.length -= n;
}

function insertSorted(s: Subject, held: Held): void {
  const buffer = s.buffer;
  const n = buffer.length;
  if (n === s.head || compareTxn(buffer[n - 1]!.t, held.t) <= 0) {
    buffer.push(held);
    return;
  }
  let i = n;
  while (i > s.head && compareTxn(buffer[i - 1]!.t, held.t) > 0) i--;
  buffer.splice(i, 0, held);
}

export class Engine {
  readonly maxLatenessMs: number;
  readonly stats: RuleStats[];
  /** Per rule, its runner per subject field; undefined for a rule without a window (it alerts per leg). */
  private readonly runners: Array<RuleRunner[] | undefined>;
  private readonly lanes: Lane[] = [];
  /** The graph rules' screen, and each rule's bit in its masks (0 for other rules). */
  private readonly graph: GraphScreen | undefined;
  private readonly graphBits: number[];
  /** Lanes given entries by the leg being screened. */
  private readonly touched: Lane[] = [];
  private readonly alerts: Alert[] = [];
  private readonly onLate: (late: LateLeg) => void;
  private readonly onDuplicate: (rule: string, subject: string, t: Txn) => void;
  private pushed = 0;
  /** A repeated leg is reported once, whichever rules noticed it. */
  private lastDuplicate: Txn | undefined;

  constructor(
    readonly rules: readonly CompiledRule[], opts: EngineOptions,
    onLate: (late: LateLeg) => void = () => {}, onDuplicate: (rule: string, subject: string, t: Txn) => void = () => {},
  ) {
    this.maxLatenessMs = opts.maxLatenessMs;
    this.onLate = onLate;
    this.onDuplicate = onDuplicate;
    this.stats = rules.map((r) => ({ rule: r.id, inScope: 0, notEvaluated: 0, missing: {}, late: 0, duplicates: 0, alerts: 0 }));
    const lanes = new Map<string, Lane>();
    const laneOf = (subject: FieldRef, partition: readonly FieldRef[]): Lane => {
      const key = [subject, ...partition].map((f) => f.name).join('\u0000');
      let lane = lanes.get(key);
      if (!lane) lanes.set(key, (lane = new Lane(subject, partition, this)));
      return lane;
    };
    this.runners = rules.map((r) => (r.window ? r.subjects.map((s, i) => new RuleRunner(r, s, i, laneOf(s, r.partition), this)) : undefined));
    this.lanes = [...lanes.values()];
    const graphRules = rules.flatMap((rule) => (rule.graph ? [{ rule, spec: rule.graph, bit: 0 }] : []));
    if (graphRules.length > 31) throw new AmlError('config', `at most 31 graph rules can run in one scan; got ${graphRules.length}`);
    graphRules.forEach((g, i) => (g.bit = 1 << i));
    this.graphBits = rules.map((r) => graphRules.find((g) => g.rule === r)?.bit ?? 0);
    this.graph = graphRules.length === 0 ? undefined : new GraphScreen(graphRules, this.maxLatenessMs, {
      late: (rule, t, behindMs) => this.late(rule, { rule: rule.id, subject: t.account_id, txn: t, behindMs, reason: 'behind' }),
      emit: (rule, center, edges, finding, hits) => this.emit(buildAlert(
        rule, rule.subjects[0]!, 0, center, edges.map((e) => ({ t: e.t!, key: e.ts, mask: 0, seq: 0 })), hits, finding,
      )),
    });
  }

  /** Per direction and channel, the indexes of the rules whose filter can pass such a leg. */
  private readonly byScope = { in: new Map<string, number[]>(), out: new Map<string, number[]>() };

  private rulesFor(t: Txn): number[] {
    const byChannel = this.byScope[t.direction];
    let list = byChannel.get(t.channel);
    if (!list) {
      const pair = `${t.direction}|${t.channel}`;
      list = this.rules.flatMap((r, i) => (r.scope === undefined || r.scope.has(pair) ? [i] : []));
      byChannel.set(t.channel, list);
    }
    return list;
  }

  push(t: Txn): void {
    const rules = this.rules;
    const touched = this.touched;
    let graphMask = 0;
    for (const i of this.rulesFor(t)) {
      const rule = rules[i]!;
      coverage.missed = undefined;
      const r = rule.filter(t);
      if (r === 0) continue;
      const stats = this.stats[i]!;
      stats.inScope++;
      const mask = r === 1 ? membership(rule, t) : -1;
      if (mask < 0) {
        this.notEvaluated(stats, rule, t);
        continue;
      }
      // With several subjects (invoice_id, bl_number), a leg screened under any one of them is evaluated.
      let screened = false;
      const runners = this.runners[i];
      if (this.graphBits[i]) {
        graphMask |= this.graphBits[i]!;
        screened = true;
      } else if (!runners) {
        rule.subjects.forEach((subject, rank) => {
          const id = subjectId(subject, rule.partition, t);
          if (id === undefined) return;
          screened = true;
          this.emit(buildAlert(rule, subject, rank, id, [{ t, key: 0, mask, seq: 0 }], 1));
        });
      } else {
        for (const runner of runners) {
          if (runner.subject.get(t) === undefined) continue;
          screened = true;
          const incoming = runner.lane.incoming;
          if (incoming.length === 0) touched.push(runner.lane);
          incoming.push({ t, key: windowKey(rule.window, t), mask, seq: 0, slot: runner.slot });
        }
      }
      if (!screened) this.notEvaluated(stats, rule, t);
    }
    for (const lane of touched) lane.push(t);
    touched.length = 0;
    // Every leg reaches the graph screen: those no graph rule admitted only count in their account's flow.
    this.graph?.push(t, graphMask);
    if (++this.pushed % EVICT_EVERY === 0) for (const lane of this.lanes) lane.evictIdle(t);
  }

  private notEvaluated(stats: RuleStats, rule: CompiledRule, t: Txn): void {
    stats.notEvaluated++;
    const absent = rule.decisionFields.find((f) => f.get(t) === undefined);
    const name = coverage.missed ?? absent?.name ?? 'unknown';
    stats.missing[name] = (stats.missing[name] ?? 0) + 1;
  }

  emit(alert: Alert): void {
    this.alerts.push(alert);
  }

  late(rule: CompiledRule, late: LateLeg): void {
    this.stats[this.rules.indexOf(rule)]!.late++;
    this.onLate(late);
  }

  duplicate(rule: CompiledRule, subject: string, t: Txn): void {
    this.stats[this.rules.indexOf(rule)]!.duplicates++;
    if (t === this.lastDuplicate) return;
    this.lastDuplicate = t;
    this.onDuplicate(rule.id, subject, t);
  }

  /** Screens what is still buffered and returns every alert, deduplicated and in a stable order. */
  finish(): Alert[] {
    for (const lane of this.lanes) lane.finish();
    this.graph?.finish();
    const alerts = dedupeAlerts(this.alerts);
    for (const a of alerts) this.stats[this.rules.indexOf(a.rule)]!.alerts++;
    return alerts;
  }
}

/** Bitmask of the rule's sets the leg belongs to; -1 when a set or a required field cannot be decided. */
function membership(rule: CompiledRule, t: Txn): number {
  for (const f of rule.required) if (f.get(t) === undefined) return -1;
  let mask = 0;
  for (const s of rule.sets) {
    const r = s.test(t);
    if (r === 2) return -1;
    if (r === 1) mask |= s.bit;
  }
  return mask;
}
