/**
 * Runs the graph rules in the scan: legs become edges, are put back in time order (up to the lateness
 * the scan allows; later ones are reported as late), join the edge store, and each graph rule searches
 * its pattern around every edge it admits. A pattern found again around the same node while the earlier
 * one is still in the window extends it: one alert per pattern, not one per edge.
 */
import type { Txn } from '../ingest/canonical.js';
import type { CompiledRule } from '../rules/compile.js';
import { EdgeStore, edgeOf, isFlow, type Edge } from './edges.js';
import { SEARCHES, type Found, type GraphSpec } from './patterns.js';

export interface GraphRule {
  rule: CompiledRule;
  spec: GraphSpec;
  /** The rule's bit in an edge's `rules` mask. */
  bit: number;
}

interface OpenPattern {
  edges: Edge[];
  held: Set<Edge>;
  figures: Record<string, number>;
  lastTs: number;
  hits: number;
}

export interface GraphSink {
  late(rule: CompiledRule, t: Txn, behindMs: number): void;
  emit(rule: CompiledRule, center: string, edges: Edge[], figures: Record<string, number>, hits: number): void;
}

export class GraphScreen {
  private readonly store: EdgeStore;
  /** Edges not yet screened, in time order, from buffer[head]. */
  private readonly buffer: Edge[] = [];
  private head = 0;
  private maxTs = -Infinity;
  private released = -Infinity;
  private readonly open: Array<Map<string, OpenPattern>>;

  constructor(private readonly rules: readonly GraphRule[], private readonly maxLatenessMs: number, private readonly sink: GraphSink) {
    const horizon = Math.max(...rules.map((r) => Math.max(r.spec.windowMs, r.spec.hopMs * r.spec.hops)));
    this.store = new EdgeStore(horizon, Math.max(...rules.map((r) => r.spec.hubCap)) + 1);
    this.open = rules.map(() => new Map());
    this.floor = Math.min(...rules.map((r) => r.spec.minAmount * 100));
  }

  /** The lowest edge floor of the rules (cents): a smaller edge is never in a pattern, so its leg need not be kept. */
  private readonly floor: number;

  /** A leg the rules in `mask` admitted. */
  push(t: Txn, mask: number): void {
    const e = edgeOf(t, mask);
    if (!e) return;
    if (e.ts < this.released) {
      // A late flow edge is in no rule's scope: it is left out of its account's totals.
      if (!isFlow(e)) for (const r of this.rules) if (mask & r.bit) this.sink.late(r.rule, t, this.released - e.ts);
      return;
    }
    if (e.ts > this.maxTs) this.maxTs = e.ts;
    let i = this.buffer.length;
    while (i > this.head && this.buffer[i - 1]!.ts > e.ts) i--;
    if (i === this.buffer.length) this.buffer.push(e);
    else this.buffer.splice(i, 0, e);
    this.release(this.maxTs - this.maxLatenessMs);
  }

  finish(): void {
    this.release(Infinity);
    this.rules.forEach((r, i) => {
      for (const [center, p] of this.open[i]!) this.sink.emit(r.rule, center, p.edges, p.figures, p.hits);
      this.open[i]!.clear();
    });
  }

  private release(until: number): void {
    const buffer = this.buffer;
    while (this.head < buffer.length && buffer[this.head]!.ts <= until) this.screen(buffer[this.head++]!);
    if (this.head > 0 && this.head * 2 >= buffer.length) {
      buffer.copyWithin(0, this.head);
      buffer.length -= this.head;
      this.head = 0;
    }
  }

  private screen(e: Edge): void {
    this.released = e.ts;
    if (e.amt < this.floor || isFlow(e)) e.t = undefined;
    this.store.add(e);
    if (isFlow(e)) return;
    this.rules.forEach((r, i) => {
      if ((e.rules & r.bit) === 0) return;
      const found = SEARCHES[r.spec.pattern](this.store, e, r.spec, r.bit);
      if (found) this.record(i, found, e.ts);
    });
  }

  private record(i: number, found: Found, now: number): void {
    const r = this.rules[i]!;
    const open = this.open[i]!;
    const p = open.get(found.center);
    if (p && p.lastTs >= now - r.spec.windowMs) {
      for (const e of found.edges) {
        if (p.held.has(e)) continue;
        p.held.add(e);
        p.edges.push(e);
      }
      for (const [k, v] of Object.entries(found.figures)) p.figures[k] = Math.max(p.figures[k] ?? 0, v);
      p.lastTs = now;
      p.hits++;
      return;
    }
    if (p) this.sink.emit(r.rule, found.center, p.edges, p.figures, p.hits);
    open.set(found.center, { edges: [...found.edges], held: new Set(found.edges), figures: { ...found.figures }, lastTs: now, hits: 1 });
    // Patterns no longer extendable are reported as they go, so that open ones stay few.
    if (open.size > 1_000) {
      for (const [center, q] of open) {
        if (q.lastTs >= now - r.spec.windowMs) continue;
        this.sink.emit(r.rule, center, q.edges, q.figures, q.hits);
        open.delete(center);
      }
    }
  }
}
