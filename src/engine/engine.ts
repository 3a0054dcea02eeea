/**
 * The streaming engine. Each rule keeps, per subject, the transactions its window still needs and
 * evaluates the window once per clock tick (a timestamp, or a business day once that day is complete),
 * so results do not depend on how ties or days are ordered in the file. The rules on one subject field
 * share a lane: each subject's legs are put back in time order once for all of them, may arrive up to
 * `maxLatenessMs` out of order, and later ones are reported as late, never dropped silently.
 */
import type { Txn } from '../ingest/canonical.js';
import type { Entry, Legs } from '../rules/aggregates.js';
import { windowKey, type CompiledRule } from '../rules/compile.js';
import type { FieldRef } from '../rules/fields.js';
import { coverage } from '../rules/reference.js';
import { AmlError } from '../errors.js';
import { GraphScreen, MAX_GRAPH_RULES } from '../graph/screen.js';
import { GraphThread } from '../graph/thread.js';
import { stringHash } from '../ingest/intern.js';
import { buildAlert, compareTxn, dedupeAlerts, type Alert, type GraphFinding } from './alerts.js';
import { dropFront, dropFrontNumbers, worthCutting } from './lists.js';

export interface EngineOptions {
  /** How far (ms) a subject's legs may arrive out of time order and still be honoured. */
  maxLatenessMs: number;
  /**
   * Run the graph rules on a thread of their own beside the scan (GraphThread); the caller then awaits
   * settle() before finish(), and close() when done or failed (it stops the thread).
   */
  graphThread?: boolean;
}

export interface RuleStats {
  rule: string;
  /** Legs that passed the rule's filter (or could not be decided). */
  inScope: number;
  notEvaluated: number;
  /** Field → legs not evaluated because it was absent. */
  missing: Record<string, number>;
  late: number;
  /** Legs whose source file and txn_id repeat a leg the subject's reorder buffer or windows still hold: screened once. */
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

/**
 * The rules of a lane that screen a leg, as (slot, key, mask) triples: the rule's slot in the lane, the
 * leg's window key and its bitmask of the rule's sets.
 */
type Screening = number[];

/** One subject of a lane: its reorder buffer and, per rule, its window. */
interface Subject {
  id: string;
  maxTs: number;
  /** Per rule, the latest window key seen: on a business-date clock it can lie days after maxTs. */
  maxKeys: number[];
  /** The time of the last leg released from the buffer; older legs are late. */
  released: number;
  /**
   * The reorder buffer: legs not yet released, in time order, from buffer[head]. Their times and rules
   * are in one flat list of numbers, from screenings[screeningHead] on: per leg, its time, the number n
   * of its (slot, key, mask) triples, the triples, and n again, so that the list can be read from either
   * end. No object is made per buffered leg.
   */
  buffer: Txn[];
  head: number;
  screenings: number[];
  screeningHead: number;
  /**
   * A Bloom filter of the source and txn_id of legs taken into the reorder buffer or a window, so that a
   * repeated leg is screened once without a map lookup per leg (lookups in thousands of maps miss the CPU
   * caches). A leg it may hold is checked against what the buffer and windows hold (see anyHeld). Legs
   * that leave are not taken out: the filter is rebuilt from what is held once it has taken in 2 * held + 64.
   */
  ids: Int32Array;
  /** Legs entered since the last rebuild, and how many were held then. */
  idsCount: number;
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
  /** The window's count of legs admitted when it last hit: later ones are the window's last legs. */
  admitted: number;
  lastKey: number;
  hits: number;
  /** Occasions it gathers: 1, or more for a rule with `recur`. */
  occasions: number;
  /** For an occasion of a rule with `recur`: the alert of recurring occasions it was last gathered into. */
  alert?: OpenAlert;
}

interface RuleState {
  subject: Subject;
  /** The clock tick being gathered: its legs are those from `pending` on, not evaluated yet. */
  pendingKey: number;
  pending: number;
  /**
   * The window, from `head` on, in the order its legs were admitted: the legs with their set bitmasks,
   * and in parallel their window keys. Legs that left it are cut off in batches, not one shift per tick.
   */
  legs: { t: Txn[]; mask: number[] };
  keys: number[];
  head: number;
  /** Legs admitted to the window so far. */
  admitted: number;
  /** The rule's running aggregates over the window (see CompiledAggregate.running). */
  totals: Float64Array;
  /** Legs of the rule's anchor set in the window: without one, it holds no other leg (see CompiledRule.anchor). */
  anchors: number;
  open: OpenAlert | undefined;
  /**
   * A rule with `recur`: its closed occasions within the span of the latest, and the alert of recurring
   * occasions while it is open (see RuleRunner.closeAlert).
   */
  held: OpenAlert[];
  recurring: OpenAlert | undefined;
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
  /**
   * The rules of the lane that screen the current leg: the first `incomingLength` numbers, emptied once
   * the lane has taken it. Scratch lists keep their length and count in a field: setting an array's
   * length to 0 frees its storage, and the next push would allocate it again, once per leg.
   */
  readonly incoming: Screening = [];
  incomingLength = 0;

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
    const incoming = this.incoming;
    const n = this.incomingLength;
    const id = subjectId(this.subject, this.partition, t)!;
    const s = this.subjects.get(id) ?? this.create(id);
    const hash = legHash(t);
    if (t.ts < s.released) {
      for (let k = 0; k < n; k += 3) {
        const rule = this.runners[incoming[k]!]!.rule;
        this.engine.late(rule, { rule: rule.id, subject: id, txn: t, behindMs: s.released - t.ts, reason: 'behind' });
      }
    } else if (mayHold(s.ids, hash) && anyHeld(s, sameLeg, t)) {
      // A leg whose source and txn_id repeat one the buffer or a window still holds: screened once, reported.
      for (let k = 0; k < n; k += 3) this.engine.duplicate(this.runners[incoming[k]!]!.rule, id, t);
    } else {
      for (let k = 0; k < n; k += 3) {
        if (incoming[k + 1]! > s.maxKeys[incoming[k]!]!) s.maxKeys[incoming[k]!] = incoming[k + 1]!;
      }
      // Later than every leg seen so far: it goes at the end of the buffer, with nothing to compare.
      const latest = t.ts > s.maxTs;
      if (latest) s.maxTs = t.ts;
      const until = s.maxTs - this.engine.maxLatenessMs;
      if (s.head === s.buffer.length && t.ts <= until) {
        if (this.admit(s, t, incoming, 0, n)) this.remember(s, hash);
      } else {
        if (latest) append(s, t, incoming, n);
        else insertSorted(s, t, incoming, n);
        this.remember(s, hash);
        this.release(s, until);
      }
    }
    this.incomingLength = 0;
  }

  /** Enters a leg, by its hash, in the subject's filter of legs held. */
  private remember(s: Subject, hash: number): void {
    if (s.idsCount >= 2 * s.idsBase + 64) {
      const held = heldCount(s);
      // Sixteen bits or more for each txn_id it will hold before the next rebuild (those held now and
      // up to 2 * held + 64 new ones): about 1.5% false positives, each a search of the windows.
      const words = Math.max(16, 1 << Math.ceil(Math.log2((3 * held + 64) / 2)));
      if (words === s.ids.length) s.ids.fill(0);
      else s.ids = new Int32Array(words);
      s.idsBase = held;
      s.idsCount = 0;
      anyHeld(s, enterLeg, undefined);
    }
    enter(s.ids, hash);
    s.idsCount++;
  }

  private create(id: string): Subject {
    const tomb = this.tombstones.get(id);
    this.tombstones.delete(id);
    const s: Subject = {
      id, maxTs: -Infinity, maxKeys: this.runners.map(() => -Infinity), released: tomb?.released ?? -Infinity,
      buffer: [], head: 0, screenings: [], screeningHead: 0, ids: new Int32Array(16), idsCount: 0, idsBase: 0, rules: this.runners.map(() => undefined), tomb,
    };
    this.subjects.set(id, s);
    return s;
  }

  /** Moves buffered legs up to `until` (ms) into the rules' windows, in time order. */
  private release(s: Subject, until: number): void {
    const { buffer, screenings } = s;
    let head = s.head;
    let at = s.screeningHead;
    while (head < buffer.length && screenings[at]! <= until) {
      const from = at + 2;
      const to = from + 3 * screenings[at + 1]!;
      this.admit(s, buffer[head++]!, screenings, from, to);
      at = to + 1;
    }
    if (head === buffer.length) {
      buffer.length = screenings.length = 0;
      head = at = 0;
    } else if (worthCutting(head, buffer.length)) {
      dropFront(buffer, head);
      dropFrontNumbers(screenings, at);
      head = at = 0;
    }
    s.head = head;
    s.screeningHead = at;
  }

  /**
   * Releases a leg, in time order, into the windows of the rules that screen it; false when none takes it
   * (most legs of a sequence rule arrive while its window holds no anchor leg: see RuleRunner.admit).
   */
  private admit(s: Subject, t: Txn, screening: Screening, from: number, to: number): boolean {
    s.released = t.ts;
    let taken = false;
    for (let k = from; k < to; k += 3) {
      if (this.runners[screening[k]!]!.admit(s, t, screening[k + 1]!, screening[k + 2]!)) taken = true;
    }
    return taken;
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
    // Idle means: nothing left to release, and no leg from now on can share a window with what it holds
    // (or, for a rule with `recur`, an occasion's span with one it holds).
    const lastTs = now.ts - this.engine.maxLatenessMs - DAY_MS;
    const lastKeys = this.runners.map((r) => windowKey(r.rule.window, now) - r.reachMs - DAY_MS);
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
  readonly slot: number;
  /** How far back (on the window's clock) a leg's result depends on what the subject's state holds: its window, and with `recur` the span. */
  readonly reachMs: number;
  /** The window being evaluated and its aggregates' values, computed when the condition asks. */
  private evaluating: Legs = { t: [], mask: [] };
  private evaluatingFrom = 0;
  private evaluatingTotals: Float64Array = new Float64Array(0);
  private readonly values: Array<number | undefined>;
  /** Per aggregate, the evaluation its value was computed for (see `evaluation`). */
  private readonly computedAt: number[];
  private evaluation = 0;
  /** The aggregates kept as running totals, and per aggregate its index among them (-1: computed per tick). */
  private readonly running: Array<{ mask: number; get?: (t: Txn) => number | undefined }>;
  private readonly totalIndex: number[];
  private readonly value = (i: number): number | undefined => {
    const k = this.totalIndex[i]!;
    if (k >= 0) return this.evaluatingTotals[k];
    if (this.computedAt[i] !== this.evaluation) {
      this.values[i] = this.rule.aggregates[i]!.compute(this.evaluating, this.evaluatingFrom);
      this.computedAt[i] = this.evaluation;
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
    this.reachMs = rule.window!.durationMs + (rule.recur && rule.recur.count > 1 ? rule.recur.withinMs : 0);
    this.values = rule.aggregates.map(() => undefined);
    this.computedAt = rule.aggregates.map(() => -1);
    this.running = rule.aggregates.flatMap((a) => (a.running ? [a.running] : []));
    let k = 0;
    this.totalIndex = rule.aggregates.map((a) => (a.running ? k++ : -1));
  }

  /**
   * A leg joins its clock tick; a later tick closes the pending one first. False when the leg's window
   * would have reached legs released from memory (it is reported late, its result would be incomplete),
   * or when the rule has an anchor set and the window holds none of its legs (nothing can count it).
   */
  admit(s: Subject, t: Txn, key: number, mask: number): boolean {
    let st = s.rules[this.slot];
    const anchor = this.rule.anchor;
    if (anchor !== 0 && (mask & anchor) === 0 && (!st || st.anchors === 0)) {
      // Nothing in the window can count the leg. Only a leg left pending by the tick that dropped the
      // last anchor is ticked out; an empty window's clock is not moved (nothing there to evaluate).
      if (st && st.pending < st.legs.t.length && key > st.pendingKey) {
        this.tick(st);
        st.pendingKey = key;
      }
      return false;
    }
    if (!st) {
      const lastKey = s.tomb?.lastKeys[this.slot] ?? -Infinity;
      if (key - this.reachMs < lastKey) {
        this.engine.late(this.rule, { rule: this.rule.id, subject: s.id, txn: t, behindMs: 0, reason: 'evicted' });
        return false;
      }
      st = s.rules[this.slot] = {
        subject: s, pendingKey: -Infinity, pending: 0, legs: { t: [], mask: [] }, keys: [], head: 0, admitted: 0,
        totals: new Float64Array(this.running.length), anchors: 0, open: undefined, held: [], recurring: undefined,
      };
    }
    if (key > st.pendingKey) {
      this.tick(st);
      st.pendingKey = key;
    }
    if (mask & anchor) st.anchors++;
    st.legs.t.push(t);
    st.legs.mask.push(mask);
    st.keys.push(key);
    st.admitted++;
    return true;
  }

  /** The pending clock tick is complete: add it to the window and evaluate once. */
  private tick(st: RuleState): void {
    const { t, mask: masks } = st.legs;
    const keys = st.keys;
    if (st.pending === t.length) return;
    for (let i = st.pending; i < t.length; i++) this.count(st.totals, t[i]!, masks[i]!, 1);
    const horizon = st.pendingKey - this.rule.window!.durationMs;
    const anchor = this.rule.anchor;
    let head = st.head;
    // Legs leave the window when they are older than its duration; a sequence rule's window also starts at
    // its first anchor leg, the legs before it counting for nothing.
    while (head < t.length && (keys[head]! <= horizon || (anchor !== 0 && (masks[head]! & anchor) === 0))) {
      if (masks[head]! & anchor) st.anchors--;
      this.count(st.totals, t[head]!, masks[head]!, -1);
      head++;
    }
    if (worthCutting(head, t.length)) {
      dropFront(t, head);
      dropFrontNumbers(masks, head);
      dropFrontNumbers(keys, head);
      head = 0;
    }
    st.head = head;
    st.pending = t.length;
    this.evaluating = st.legs;
    this.evaluatingFrom = head;
    this.evaluatingTotals = st.totals;
    this.evaluation++;
    // An empty window holds nothing to report, whatever rounding is left in the running totals.
    if (head < t.length && this.rule.when(this.value)) this.hit(st, head);
    else if (st.open && (head === t.length || keys[head]! > st.open.lastKey)) this.closeAlert(st);
  }

  /** Adds a leg entering the window to the running totals (sign 1), or takes away one leaving it (-1). */
  private count(totals: Float64Array, t: Txn, legMask: number, sign: number): void {
    const running = this.running;
    for (let k = 0; k < running.length; k++) {
      const { mask, get } = running[k]!;
      if (mask !== 0 && (legMask & mask) === 0) continue;
      if (!get) totals[k]! += sign;
      else {
        const v = get(t);
        if (v !== undefined) totals[k]! += sign * v;
      }
    }
  }

  /** The window fires: its legs from `head` on join the open alert when the windows overlap, else start one. */
  private hit(st: RuleState, head: number): void {
    const { legs, keys } = st;
    const n = legs.t.length;
    const entry = (i: number): Entry => ({ t: legs.t[i]!, key: keys[i]!, mask: legs.mask[i]! });
    let open = st.open;
    if (open && keys[head]! <= open.lastKey) {
      // Only the legs admitted since the last hit are new to the alert.
      for (let i = Math.max(head, n - (st.admitted - open.admitted)); i < n; i++) open.entries.push(entry(i));
      open.hits++;
    } else {
      if (open) this.closeAlert(st);
      open = st.open = { entries: [], admitted: 0, lastKey: 0, hits: 1, occasions: 1 };
      for (let i = head; i < n; i++) open.entries.push(entry(i));
    }
    open.admitted = st.admitted;
    open.lastKey = keys[n - 1]!;
  }

  /**
   * The open alert's windows stopped firing: it is an alert, or with `recur` one occasion. The recurrence
   * holds when it and the occasions before it within the span are `count` or more: they join the open alert
   * of recurring occasions, or begin one; when it no longer holds, that alert is emitted. An occasion can
   * then begin the next alert as well: each alert holds every occasion of the recurrences it covers.
   */
  private closeAlert(st: RuleState): void {
    const open = st.open!;
    st.open = undefined;
    const recur = this.rule.recur;
    if (!recur || recur.count === 1) return this.emitAlert(st, open);
    const recent = st.held.filter((o) => open.lastKey - o.entries[0]!.key <= recur.withinMs);
    recent.push(open);
    if (recent.length >= recur.count) {
      const alert = (st.recurring ??= { entries: [], admitted: 0, lastKey: 0, hits: 0, occasions: 0 });
      for (const o of recent) {
        if (o.alert === alert) continue;
        o.alert = alert;
        gather(alert, o);
      }
    } else if (st.recurring) {
      this.emitAlert(st, st.recurring);
      st.recurring = undefined;
    }
    st.held = recent;
  }

  private emitAlert(st: RuleState, open: OpenAlert): void {
    this.engine.emit(buildAlert(this.rule, this.subject, this.subjectRank, st.subject.id, open.entries, open.hits, undefined, open.occasions));
  }

  /** Evaluates the last pending tick and closes the open alert: the subject is being released. */
  finishState(st: RuleState): void {
    this.tick(st);
    if (st.open) this.closeAlert(st);
    if (st.recurring) this.emitAlert(st, st.recurring);
  }
}

/** Adds a later occasion to an alert of recurring ones. */
function gather(into: OpenAlert, later: OpenAlert): void {
  for (const e of later.entries) into.entries.push(e);
  into.hits += later.hits;
  into.occasions += later.occasions;
  into.lastKey = later.lastKey;
}

function subjectId(subject: FieldRef, partition: readonly FieldRef[], t: Txn): string | undefined {
  const v = subject.get(t);
  if (v === undefined) return undefined;
  if (partition.length === 0) return typeof v === 'string' ? v : String(v);
  let id = String(v);
  for (const p of partition) id += '\u0000' + String(p.get(t));
  return id;
}

/** How many legs the subject's buffer and windows hold (a leg once per window). */
function heldCount(s: Subject): number {
  let n = s.buffer.length - s.head;
  for (let r = 0; r < s.rules.length; r++) {
    const st = s.rules[r];
    if (st) n += st.legs.t.length - st.head;
  }
  return n;
}

/**
 * Whether `visit` is true of a leg the subject's buffer or windows hold; it stops at the first. The
 * visitors are plain functions, given what they need as arguments: a closure over the caller's
 * variables would be allocated on every call, once per leg.
 */
function anyHeld<A>(s: Subject, visit: (held: Txn, s: Subject, arg: A) => boolean, arg: A): boolean {
  for (let i = s.head; i < s.buffer.length; i++) if (visit(s.buffer[i]!, s, arg)) return true;
  for (let r = 0; r < s.rules.length; r++) {
    const st = s.rules[r];
    if (!st) continue;
    for (let i = st.head; i < st.legs.t.length; i++) if (visit(st.legs.t[i]!, s, arg)) return true;
  }
  return false;
}

/** A leg with t's source and txn_id: a repeat. */
function sameLeg(held: Txn, _s: Subject, t: Txn): boolean {
  return held.txn_id === t.txn_id && held.src === t.src;
}

function enterLeg(held: Txn, s: Subject): boolean {
  enter(s.ids, legHash(held));
  return false;
}

/** The last source seen and its hash: legs come file by file. */
let lastSrc = '';
let lastSrcHash = Math.imul(stringHash(''), 0x9e3779b1);

/**
 * A leg's hash in a Bloom filter, from its txn_id and source: the same transactions in two overlapping
 * exports are different legs, and must not all look like possible repeats (each a search of the windows).
 */
function legHash(t: Txn): number {
  if (t.src !== lastSrc) {
    lastSrc = t.src;
    lastSrcHash = Math.imul(stringHash(t.src), 0x9e3779b1);
  }
  return stringHash(t.txn_id) ^ lastSrcHash;
}

/** A leg's two bits in a Bloom filter: its hash, and a second mix of it. */
function secondBit(h: number): number {
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 7;
}

function enter(filter: Int32Array, h: number): void {
  const size = filter.length * 32 - 1;
  const a = h & size;
  const b = secondBit(h) & size;
  filter[a >>> 5]! |= 1 << (a & 31);
  filter[b >>> 5]! |= 1 << (b & 31);
}

function mayHold(filter: Int32Array, h: number): boolean {
  const size = filter.length * 32 - 1;
  const a = h & size;
  if ((filter[a >>> 5]! & (1 << (a & 31))) === 0) return false;
  const b = secondBit(h) & size;
  return (filter[b >>> 5]! & (1 << (b & 31))) !== 0;
}

/** Puts a leg that arrived out of order in its place in the subject's reorder buffer. */
function insertSorted(s: Subject, t: Txn, screening: Screening, n: number): void {
  const { buffer, screenings } = s;
  // Its place among the legs and in the list of rules, found from the end.
  let i = buffer.length;
  let at = screenings.length;
  while (i > s.head && compareTxn(buffer[i - 1]!, t) > 0) {
    i--;
    at -= 3 + 3 * screenings[at - 1]!;
  }
  // A tie with the latest leg goes at the end, like a later leg (legs with date-only times are all ties).
  if (i === buffer.length) return append(s, t, screening, n);
  buffer.splice(i, 0, t);
  screenings.splice(at, 0, t.ts, n / 3, ...screening.slice(0, n), n / 3);
}

/** Puts a leg at the end of the subject's reorder buffer, with the first n numbers of `screening`. */
function append(s: Subject, t: Txn, screening: Screening, n: number): void {
  s.buffer.push(t);
  s.screenings.push(t.ts, n / 3);
  for (let k = 0; k < n; k++) s.screenings.push(screening[k]!);
  s.screenings.push(n / 3);
}

export class Engine {
  readonly maxLatenessMs: number;
  readonly stats: RuleStats[];
  /** Per rule, its runner per subject field; undefined for a rule without a window (it alerts per leg). */
  private readonly runners: Array<RuleRunner[] | undefined>;
  private readonly lanes: Lane[] = [];
  /** The graph rules' screen, and each rule's bit in its masks (0 for other rules). */
  private readonly graph: GraphScreen | GraphThread | undefined;
  private settled = false;
  private readonly graphBits: number[];
  /** Lanes given entries by the leg being screened: the first `touchedLength` (see Lane.incoming). */
  private readonly touched: Lane[] = [];
  private touchedLength = 0;
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
    const graphRules = rules.filter((rule) => rule.graph);
    if (graphRules.length > MAX_GRAPH_RULES) throw new AmlError('config', `at most ${MAX_GRAPH_RULES} graph rules can run in one scan; got ${graphRules.length}`);
    this.graphBits = rules.map((r) => (r.graph ? 1 << graphRules.indexOf(r) : 0));
    const late = (i: number, t: Txn, behindMs: number) => {
      const rule = graphRules[i]!;
      this.late(rule, { rule: rule.id, subject: t.account_id, txn: t, behindMs, reason: 'behind' });
    };
    const emit = (i: number, center: string, legs: Txn[], finding: GraphFinding, hits: number) => {
      const rule = graphRules[i]!;
      this.emit(buildAlert(rule, rule.subjects[0]!, 0, center, legs.map((t) => ({ t, key: t.ts, mask: 0 })), hits, finding));
    };
    const specs = graphRules.map((r) => r.graph!);
    if (specs.length === 0) this.graph = undefined;
    else if (opts.graphThread) this.graph = new GraphThread(specs, this.maxLatenessMs, { late, emit });
    else this.graph = new GraphScreen(specs, this.maxLatenessMs, { late, emit });
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
    const scope = this.rulesFor(t);
    for (let j = 0; j < scope.length; j++) {
      const i = scope[j]!;
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
        // Loops here, not closures: a closure over the loop's variables is allocated for every rule and leg.
        for (let rank = 0; rank < rule.subjects.length; rank++) {
          const subject = rule.subjects[rank]!;
          const id = subjectId(subject, rule.partition, t);
          if (id === undefined) continue;
          screened = true;
          this.emit(buildAlert(rule, subject, rank, id, [{ t, key: 0, mask }], 1));
        }
      } else {
        for (let n = 0; n < runners.length; n++) {
          const runner = runners[n]!;
          if (runner.subject.get(t) === undefined) continue;
          screened = true;
          const lane = runner.lane;
          let k = lane.incomingLength;
          if (k === 0) touched[this.touchedLength++] = lane;
          lane.incoming[k++] = runner.slot;
          lane.incoming[k++] = windowKey(rule.window, t);
          lane.incoming[k++] = mask;
          lane.incomingLength = k;
        }
      }
      if (!screened) this.notEvaluated(stats, rule, t);
    }
    for (let i = 0; i < this.touchedLength; i++) touched[i]!.push(t);
    this.touchedLength = 0;
    // Every leg reaches the graph screen: those no graph rule admitted only count in their account's flow.
    this.graph?.push(t, graphMask);
    if (++this.pushed % EVICT_EVERY === 0) for (const lane of this.lanes) lane.evictIdle(t);
  }

  /** A promise while the graph's thread is too far behind: the caller waits on it before pushing more. */
  backlog(): Promise<void> | undefined {
    return this.graph instanceof GraphThread ? this.graph.backlog() : undefined;
  }

  /** Waits for the graph's thread to screen every leg pushed and report what it found. */
  async settle(): Promise<void> {
    if (this.graph instanceof GraphThread) await this.graph.finish();
    this.settled = true;
  }

  /** Stops the graph's thread of a scan that failed. */
  close(): void {
    if (this.graph instanceof GraphThread) this.graph.close();
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
    if (this.graph instanceof GraphScreen) this.graph.finish();
    else if (this.graph && !this.settled) throw new Error('Engine.finish before settle: the graph thread may still hold legs');
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
