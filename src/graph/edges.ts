/**
 * The transaction graph the graph rules search: accounts and counterparties are nodes, legs are edges
 * (out: account → counterparty; in: counterparty → account). Both legs of a transfer between two
 * accounts of the export (they share a pair_id) are one edge, carried by the out leg. Each node keeps
 * its recent edges in time order, no older than the longest graph window and no more than a cap:
 * memory is bounded by window and degree, not by the file.
 */
import type { Txn } from '../ingest/canonical.js';

export interface Edge {
  from: string;
  to: string;
  ts: number;
  /** U.S. cents when the leg has amount_usd, otherwise minor units of `cur`: only same-`cur` amounts compare. */
  amt: number;
  cur: string;
  /** The leg; dropped (undefined) when the edge is under every graph rule's floor: it then only counts in totals. */
  t: Txn | undefined;
  /** Bitmask of the graph rules whose filter passed the leg. */
  rules: number;
  /** Which ends are accounts of the export: the leg's own account, and the other end of a paired transfer. */
  ownFrom: boolean;
  ownTo: boolean;
}

/** The edge a leg is, or undefined when it is none (no counterparty, or the in leg of a pair). */
export function edgeOf(t: Txn, rules: number): Edge | undefined {
  const cp = t.f.cp_account;
  if (typeof cp !== 'string' || cp === '' || cp === t.account_id) return undefined;
  if (t.direction === 'in' && t.f.pair_id !== undefined) return undefined;
  const usd = t.amount_usd !== undefined;
  const [from, to] = t.direction === 'out' ? [t.account_id, cp] : [cp, t.account_id];
  const paired = t.f.pair_id !== undefined;
  return {
    from, to, ts: t.ts, amt: usd ? t.amount_usd! : t.amount, cur: usd ? 'USD' : t.currency, t, rules,
    ownFrom: t.direction === 'out' || paired, ownTo: t.direction === 'in' || paired,
  };
}

const SWEEP_EVERY = 65_536;

export class EdgeStore {
  private readonly outs = new Map<string, Edge[]>();
  private readonly ins = new Map<string, Edge[]>();
  private added = 0;

  /** horizonMs: the longest window; cap: the most edges kept per node and direction (the largest hub cap, plus one). */
  constructor(readonly horizonMs: number, readonly cap: number) {}

  add(e: Edge): void {
    this.keep(this.outs, e.from, e);
    this.keep(this.ins, e.to, e);
    if (++this.added % SWEEP_EVERY === 0) this.sweep(e.ts);
  }

  /** Edges leaving `node` after `since` (ms), oldest first. */
  out(node: string, since: number): Edge[] {
    return after(this.outs.get(node), since);
  }

  /** Edges reaching `node` after `since` (ms), oldest first. */
  in(node: string, since: number): Edge[] {
    return after(this.ins.get(node), since);
  }

  /** Edges kept leaving `node` (within the longest window): a bound on any window's count. */
  outDegree(node: string): number {
    return this.outs.get(node)?.length ?? 0;
  }

  inDegree(node: string): number {
    return this.ins.get(node)?.length ?? 0;
  }

  /** More edges than the cap in the window: a payroll processor, biller or large merchant, not a pattern member. */
  isHub(node: string, cap: number): boolean {
    return (this.outs.get(node)?.length ?? 0) > cap || (this.ins.get(node)?.length ?? 0) > cap;
  }

  private keep(index: Map<string, Edge[]>, node: string, e: Edge): void {
    let list = index.get(node);
    if (!list) index.set(node, (list = []));
    list.push(e);
    const horizon = e.ts - this.horizonMs;
    let drop = 0;
    while (drop < list.length && (list[drop]!.ts <= horizon || list.length - drop > this.cap)) drop++;
    if (drop > 0) list.splice(0, drop);
  }

  /** Forgets nodes whose edges have all left the window. */
  private sweep(now: number): void {
    const horizon = now - this.horizonMs;
    for (const index of [this.outs, this.ins]) {
      for (const [node, list] of index) if (list[list.length - 1]!.ts <= horizon) index.delete(node);
    }
  }
}

function after(list: Edge[] | undefined, since: number): Edge[] {
  if (!list) return [];
  let i = list.length;
  while (i > 0 && list[i - 1]!.ts > since) i--;
  return i === 0 ? list : list.slice(i);
}
