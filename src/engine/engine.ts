/**
 * The streaming engine. Each rule keeps, per subject, the transactions its window still needs and
 * evaluates the window once per clock tick (a timestamp, or a business day once that day is complete),
 * so results do not depend on how ties or days are ordered in the file. Each subject's legs may arrive
 * up to `maxLatenessMs` out of order; later ones are reported as late, never dropped silently.
 */
import type { Txn } from '../ingest/canonical.js';
import type { Entry } from '../rules/aggregates.js';
import { windowKey, type CompiledRule } from '../rules/compile.js';
import type { FieldRef } from '../rules/fields.js';
import { coverage } from '../rules/reference.js';
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

interface Tombstone {
  released: number;
  /** The last window key screened; a leg whose window reaches back past it needed the released window. */
  lastKey: number;
}

interface OpenAlert {
  entries: Entry[];
  maxSeq: number;
  lastKey: number;
  hits: number;
}

interface SubjectState {
  id: string;
  maxTs: number;
  /** The latest window key seen: on a business-date clock it can lie days after maxTs (weekends, holidays). */
  maxKey: number;
  released: number;
  buffer: Entry[];
  pendingKey: number;
  pending: Entry[];
  /** The window is window[head..]: legs that left it are cut off in batches, not one shift per tick. */
  window: Entry[];
  head: number;
  /** txn_ids of the legs held (buffer, pending tick, window), to screen a repeated leg once. */
  ids: Set<string>;
  open: OpenAlert | undefined;
}

const DAY_MS = 86_400_000;
const EVICT_EVERY = 65_536;

/** One rule evaluated per one subject field. */
class RuleRunner {
  readonly states = new Map<string, SubjectState>();
  readonly tombstones = new Map<string, Tombstone>();
  private seq = 0;
  /** The window being evaluated and its aggregates' values, computed when the condition asks. */
  private evaluating: readonly Entry[] = [];
  private evaluatingFrom = 0;
  private readonly values: Array<number | undefined>;
  private readonly computed: boolean[];
  private readonly value = (i: number): number | undefined => {
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
    private readonly engine: Engine,
  ) {
    this.values = rule.aggregates.map(() => undefined);
    this.computed = rule.aggregates.map(() => false);
  }

  /** Screens a leg; false when the leg has no value for the subject field. */
  push(t: Txn, entry: Entry): boolean {
    const id = subjectId(this.subject, this.rule.partition, t);
    if (id === undefined) return false;
    if (!this.rule.window) {
      this.engine.emit(buildAlert(this.rule, this.subject, this.subjectRank, id, [entry], 1));
      return true;
    }
    entry.key = windowKey(this.rule.window, t);
    const st = this.states.get(id) ?? this.createState(id, entry);
    if (st === undefined) return true;
    if (t.ts < st.released) {
      this.engine.late(this.rule, { rule: this.rule.id, subject: id, txn: t, behindMs: st.released - t.ts, reason: 'behind' });
      return true;
    }
    if (st.ids.has(t.txn_id) && holds(st, t)) {
      this.engine.duplicate(this.rule, id, t);
      return true;
    }
    st.ids.add(t.txn_id);
    if (t.ts > st.maxTs) st.maxTs = t.ts;
    if (entry.key > st.maxKey) st.maxKey = entry.key;
    const until = st.maxTs - this.engine.maxLatenessMs;
    if (st.buffer.length === 0 && t.ts <= until) this.admit(st, entry);
    else {
      insertSorted(st.buffer, entry);
      this.release(st, until);
    }
    return true;
  }

  /**
   * A subject's state, new or after it was released from memory. A leg whose window would have reached
   * the released legs is reported as late (undefined is returned): its result would be incomplete.
   */
  private createState(id: string, first: Entry): SubjectState | undefined {
    const tomb = this.tombstones.get(id);
    if (tomb && first.t.ts >= tomb.released && first.key - this.rule.window!.durationMs < tomb.lastKey) {
      this.engine.late(this.rule, { rule: this.rule.id, subject: id, txn: first.t, behindMs: 0, reason: 'evicted' });
      return undefined;
    }
    this.tombstones.delete(id);
    const st: SubjectState = { id, maxTs: -Infinity, maxKey: -Infinity, released: tomb?.released ?? -Infinity, buffer: [], pendingKey: -Infinity, pending: [], window: [], head: 0, ids: new Set(), open: undefined };
    this.states.set(id, st);
    return st;
  }

  /** Moves buffered legs up to `until` (ms) into the window, in time order. */
  private release(st: SubjectState, until: number): void {
    const buffer = st.buffer;
    let n = 0;
    while (n < buffer.length && buffer[n]!.t.ts <= until) this.admit(st, buffer[n++]!);
    if (n === buffer.length) buffer.length = 0;
    else if (n > 0) dropFront(buffer, n);
  }

  /** A leg joins its clock tick; a later tick closes the pending one first. */
  private admit(st: SubjectState, e: Entry): void {
    st.released = e.t.ts;
    e.seq = this.seq++;
    if (e.key > st.pendingKey) {
      this.tick(st);
      st.pendingKey = e.key;
    }
    st.pending.push(e);
  }

  /** The pending clock tick is complete: add it to the window and evaluate once. */
  private tick(st: SubjectState): void {
    if (st.pending.length === 0) return;
    const w = st.window;
    for (const e of st.pending) w.push(e);
    st.pending.length = 0;
    const horizon = st.pendingKey - this.rule.window!.durationMs;
    let head = st.head;
    while (head < w.length && w[head]!.key <= horizon) st.ids.delete(w[head++]!.t.txn_id);
    if (head > 0 && head * 2 >= w.length) {
      dropFront(w, head);
      head = 0;
    }
    st.head = head;
    const rule = this.rule;
    this.evaluating = w;
    this.evaluatingFrom = head;
    this.computed.fill(false);
    if (rule.when(this.value)) this.hit(st, w, head);
    else if (st.open && w[head]!.key > st.open.lastKey) this.closeAlert(st);
  }

  private hit(st: SubjectState, w: readonly Entry[], head: number): void {
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

  private closeAlert(st: SubjectState): void {
    const open = st.open!;
    st.open = undefined;
    this.engine.emit(buildAlert(this.rule, this.subject, this.subjectRank, st.id, open.entries, open.hits));
  }

  /** Screens everything still buffered for a subject and forgets it, keeping only how far it got. */
  flushSubject(st: SubjectState): void {
    this.release(st, Infinity);
    this.tick(st);
    if (st.open) this.closeAlert(st);
    this.states.delete(st.id);
    this.tombstones.set(st.id, { released: st.released, lastKey: st.pendingKey });
  }

  /**
   * Forgets subjects idle for longer than their window can look back, judged against the leg now being
   * screened (not the latest time seen, which one mistyped future date would move).
   */
  evictIdle(now: Txn): void {
    const window = this.rule.window;
    if (!window) return;
    const lateness = this.engine.maxLatenessMs;
    // Idle means: nothing left to release, and no leg from now on can share a window with what it holds.
    const lastTs = now.ts - lateness - DAY_MS;
    const lastKey = windowKey(window, now) - window.durationMs - DAY_MS;
    for (const st of this.states.values()) if (st.maxTs < lastTs && st.maxKey < lastKey) this.flushSubject(st);
  }

  finish(): void {
    for (const st of [...this.states.values()]) this.flushSubject(st);
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

/** Does the subject hold this leg (same source and txn_id)? Only asked when its txn_id is held. */
function holds(st: SubjectState, t: Txn): boolean {
  for (const list of [st.buffer, st.pending]) {
    for (const e of list) if (e.t.txn_id === t.txn_id && e.t.src === t.src) return true;
  }
  for (let i = st.head; i < st.window.length; i++) if (st.window[i]!.t.txn_id === t.txn_id && st.window[i]!.t.src === t.src) return true;
  return false;
}

/** Removes the first n entries in place (splice would allocate an array of the removed ones). */
function dropFront(list: Entry[], n: number): void {
  list.copyWithin(0, n);
  list.length -= n;
}

function insertSorted(buffer: Entry[], e: Entry): void {
  const n = buffer.length;
  if (n === 0 || compareTxn(buffer[n - 1]!.t, e.t) <= 0) {
    buffer.push(e);
    return;
  }
  let i = n;
  while (i > 0 && compareTxn(buffer[i - 1]!.t, e.t) > 0) i--;
  if (i === buffer.length) buffer.push(e);
  else buffer.splice(i, 0, e);
}

export class Engine {
  readonly maxLatenessMs: number;
  readonly stats: RuleStats[];
  private readonly runners: RuleRunner[][];
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
    this.runners = rules.map((r) => r.subjects.map((s, i) => new RuleRunner(r, s, i, this)));
  }

  /** Per channel, the indexes of the rules whose filter can pass a leg of that channel. */
  private byChannel = new Map<string, number[]>();

  private rulesFor(channel: string): number[] {
    let list = this.byChannel.get(channel);
    if (!list) {
      list = this.rules.flatMap((r, i) => (r.channels === undefined || r.channels.has(channel) ? [i] : []));
      this.byChannel.set(channel, list);
    }
    return list;
  }

  push(t: Txn): void {
    const rules = this.rules;
    for (const i of this.rulesFor(t.channel)) {
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
      for (const runner of this.runners[i]!) if (runner.push(t, { t, key: 0, mask, seq: 0 })) screened = true;
      if (!screened) this.notEvaluated(stats, rule, t);
    }
    if (++this.pushed % EVICT_EVERY === 0) for (const list of this.runners) for (const r of list) r.evictIdle(t);
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
    for (const list of this.runners) for (const r of list) r.finish();
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
