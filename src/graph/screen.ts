/**
 * Runs the graph rules in the scan: legs become edges, are put back in time order (up to the lateness
 * the scan allows; later ones are reported as late), join the edge store, and each graph rule searches
 * its pattern around every edge it admits. A pattern found again (sharing an edge, or around the same
 * node) extends it while its first new edge is still within the window: one alert per pattern, not one
 * per edge. A pattern that recurs beyond that is reported again, once per window of new edges; its
 * evidence is the whole pattern found, so it may repeat edges of the alert before as context.
 */
import type { GraphFinding } from '../engine/alerts.js';
import type { Txn } from '../ingest/canonical.js';
import { dropFront, firstAfter, worthCutting } from '../engine/lists.js';
import { EdgeStore, counterparty, edgeOf, flowOf, type Edge, type FlowLeg } from './edges.js';
import { SEARCHES, measure, type Found, type GraphSpec } from './patterns.js';

interface OpenPattern {
  center: string;
  edges: Edge[];
  held: Set<Edge>;
  /** The earliest edge not in the center's previous alert: the pattern extends while it is in the window. */
  firstTs: number;
  hits: number;
  /** The center's customer, as a paired transfer's in leg named it while the pattern was found. */
  customer: string | undefined;
}

/** A rule's patterns still open to extension, by central node and by edge. */
interface Open {
  byCenter: Map<string, OpenPattern>;
  byEdge: Map<Edge, OpenPattern>;
  /** The last reported pattern around each node, while its edges may be found again (they are context, not new). */
  reported: Map<string, OpenPattern>;
  /** Swept for patterns past extension when byCenter grows beyond this. */
  sweepAt: number;
}

const SWEEP_AT = 1_000;
/** Edges awaiting their transfer's other leg are swept of stale ones after this many. */
const AWAITING_SWEEP = 4_096;

/**
 * What the screen reports, naming a rule by its place in the screen's list (its bit in a mask is 1 << rule):
 * a pattern by its center and its edges' legs, in the order found.
 */
export interface GraphSink {
  late(rule: number, t: Txn, behindMs: number): void;
  emit(rule: number, center: string, legs: Txn[], finding: GraphFinding, hits: number): void;
}

/** At most this many graph rules in one scan: each is a bit of an edge's `rules` mask. */
export const MAX_GRAPH_RULES = 31;

/** Whether the screen needs the leg itself (it may make an edge or name a customer), not only flowOf(t). */
export function needsLeg(t: Txn, mask: number): boolean {
  return counterparty(t, mask) !== '' || t.f.pair_id !== undefined;
}

function isEdge(x: Edge | FlowLeg): x is Edge {
  return (x as Edge).rules !== undefined;
}

export class GraphScreen {
  private readonly store: EdgeStore;
  /** Edges and flow legs not yet screened, in time order, from buffer[head]. */
  private readonly buffer: Array<Edge | FlowLeg> = [];
  private head = 0;
  private maxTs = -Infinity;
  private released = -Infinity;
  private readonly open: Open[];
  /** Edges screened from one leg of a transfer, by sending node, awaiting its other leg at the same time. */
  private readonly awaiting = new Map<string, Edge[]>();
  private awaited = 0;

  constructor(private readonly rules: readonly GraphSpec[], private readonly maxLatenessMs: number, private readonly sink: GraphSink) {
    const horizon = Math.max(...rules.map((r) => Math.max(r.windowMs, r.hopMs * r.hops)));
    this.store = new EdgeStore(horizon, Math.max(...rules.map((r) => r.hubCap)) + 1);
    this.open = rules.map(() => ({ byCenter: new Map(), byEdge: new Map(), reported: new Map(), sweepAt: SWEEP_AT }));
    this.floor = Math.min(...rules.map((r) => r.minAmount));
  }

  /** The lowest edge floor of the rules: a smaller edge is never in a pattern, so its leg need not be kept. */
  private readonly floor: number;

  /** A leg the rules in `mask` admitted. */
  push(t: Txn, mask: number): void {
    const cp = counterparty(t, mask);
    if (cp === t.account_id || (t.direction === 'in' && t.f.pair_id !== undefined)) {
      // No edge of its own: a transfer to the account itself, or the in leg of a paired transfer, whose
      // edge is the out leg's; but only the in leg names the receiver's customer.
      if (t.customer_id !== undefined && t.f.pair_id !== undefined) this.store.owner(t.account_id, t.customer_id);
      return;
    }
    if (cp === '') return this.flow(flowOf(t));
    if (t.ts < this.released) {
      // A late edge is reported, not searched.
      for (let i = 0; i < this.rules.length; i++) if (mask & (1 << i)) this.sink.late(i, t, this.released - t.ts);
      return;
    }
    this.wait(edgeOf(t, cp, mask));
  }

  /** A leg without a counterparty account (most of an export): it only counts in its account's flow. */
  flow(f: FlowLeg): void {
    // A late one still counts in its account's totals from now on.
    if (f.ts < this.released) this.store.addFlow(f);
    else this.wait(f);
  }

  private wait(e: Edge | FlowLeg): void {
    if (e.ts > this.maxTs) this.maxTs = e.ts;
    const buffer = this.buffer;
    if (buffer.length === this.head || buffer[buffer.length - 1]!.ts <= e.ts) buffer.push(e);
    // Exports in local time across time zones are hours out of UTC order: the place is found by halving.
    else buffer.splice(firstAfter(buffer, e.ts, this.head), 0, e);
    this.release(this.maxTs - this.maxLatenessMs);
  }

  finish(): void {
    this.release(Infinity);
    this.rules.forEach((_, i) => {
      for (const p of this.open[i]!.byCenter.values()) this.close(i, p);
    });
  }

  private release(until: number): void {
    const buffer = this.buffer;
    while (this.head < buffer.length && buffer[this.head]!.ts <= until) this.screen(buffer[this.head++]!);
    if (worthCutting(this.head, buffer.length)) {
      dropFront(buffer, this.head);
      this.head = 0;
    }
  }

  private screen(x: Edge | FlowLeg): void {
    this.released = x.ts;
    if (!isEdge(x)) return this.store.addFlow(x);
    const e = x;
    const first = this.mirror(e);
    if (first) {
      // The transfer's other leg: one edge, searched again only for rules that admitted this leg alone.
      const rules = e.rules & ~first.rules;
      first.rules |= e.rules;
      first.ownFrom = first.ownTo = true;
      // As with a pair_id, the out leg is the edge's leg, whichever came first, and the in leg names the receiver's customer.
      const [outLeg, inLeg] = e.ownFrom ? [e, first] : [first, e];
      if (inLeg.t?.customer_id !== undefined) this.store.owner(first.to, inLeg.t.customer_id);
      if (first.t !== undefined) first.t = outLeg.t;
      this.search(first, rules);
      return;
    }
    if (e.amt < this.floor) e.t = undefined;
    this.store.add(e);
    this.search(e, e.rules);
  }

  private search(e: Edge, rules: number): void {
    for (let i = 0; i < this.rules.length; i++) {
      if ((rules & (1 << i)) === 0) continue;
      const spec = this.rules[i]!;
      const found = SEARCHES[spec.pattern](this.store, e, spec, 1 << i);
      if (found) this.record(i, found, e.ts);
    }
  }

  /**
   * A transfer between two accounts of the export without a pair_id is booked as two legs, out of one and
   * into the other, at the same time and amount: the edge the first leg made, when `e` is the second
   * (each first leg matches one second leg). Two transfers alike are two out legs and two in legs: two edges.
   */
  private mirror(e: Edge): Edge | undefined {
    if (e.ownFrom && e.ownTo) return undefined;
    // By sending node, then receiver and amount: no key is built for every edge.
    const seen = this.awaiting.get(e.from);
    if (seen === undefined || seen.length === 0 || seen[0]!.ts !== e.ts) {
      // Edges are screened in time order: one waiting from an earlier time can no longer be matched.
      this.awaiting.set(e.from, [e]);
      if (++this.awaited % AWAITING_SWEEP === 0) {
        for (const [from, list] of this.awaiting) if (list.length === 0 || list[0]!.ts < e.ts) this.awaiting.delete(from);
      }
      return undefined;
    }
    for (let i = 0; i < seen.length; i++) {
      const x = seen[i]!;
      if (x.to === e.to && x.amt === e.amt && x.cur === e.cur && x.ownFrom !== e.ownFrom) return seen.splice(i, 1)[0];
    }
    seen.push(e);
    return undefined;
  }

  private record(i: number, found: Found, now: number): void {
    const open = this.open[i]!;
    const since = now - this.rules[i]!.windowMs;
    let p: OpenPattern | undefined;
    for (const x of found.edges) if ((p = open.byEdge.get(x))) break;
    p ??= open.byCenter.get(found.center);
    if (p && p.firstTs >= since) {
      const done = open.reported.get(p.center)?.held;
      for (const x of found.edges) {
        if (p.held.has(x)) continue;
        p.held.add(x);
        p.edges.push(x);
        if (!open.byEdge.has(x)) open.byEdge.set(x, p);
        if (x.ts < p.firstTs && !done?.has(x)) p.firstTs = x.ts;
      }
      p.customer ??= this.store.customer(p.center);
      p.hits++;
      return;
    }
    if (p) this.close(i, p);
    const old = open.byCenter.get(found.center);
    if (old) this.close(i, old);
    const done = open.reported.get(found.center)?.held;
    const fresh = done ? found.edges.filter((x) => !done.has(x)) : found.edges;
    if (fresh.length === 0) return;
    const q: OpenPattern = {
      center: found.center, edges: [...found.edges], held: new Set(found.edges), firstTs: Math.min(...fresh.map((x) => x.ts)), hits: 1,
      customer: this.store.customer(found.center),
    };
    open.byCenter.set(q.center, q);
    for (const x of q.edges) open.byEdge.set(x, q);
    // Patterns past extension are reported as they go, so that open ones stay few.
    if (open.byCenter.size > open.sweepAt) {
      for (const o of open.byCenter.values()) if (o.firstTs < since) this.close(i, o);
      for (const [center, o] of open.reported) if (o.edges.every((x) => x.ts < since)) open.reported.delete(center);
      open.sweepAt = Math.max(SWEEP_AT, 2 * open.byCenter.size);
    }
  }

  /** Reports an open pattern (every one is in byCenter) and forgets it. */
  private close(i: number, p: OpenPattern): void {
    const open = this.open[i]!;
    open.byCenter.delete(p.center);
    open.reported.set(p.center, p);
    for (const x of p.edges) if (open.byEdge.get(x) === p) open.byEdge.delete(x);
    const figures = measure(this.rules[i]!.pattern, p.center, p.edges);
    this.sink.emit(i, p.center, p.edges.map((e) => e.t!), { center: p.center, figures, customer: p.customer ?? this.store.customer(p.center) }, p.hits);
  }
}
