/**
 * The transaction graph the graph rules search: accounts and counterparties are nodes, legs are edges
 * (out: account → counterparty; in: counterparty → account). Both legs of a transfer between two
 * accounts of the export (they share a pair_id) are one edge, carried by the out leg. Each node keeps
 * its recent edges in time order, no older than the longest graph window and no more than a cap:
 * memory is bounded by window and degree, not by the file.
 */
import type { Txn } from '../ingest/canonical.js';
import { firstAfter, firstTimeAfter } from '../engine/lists.js';

export interface Edge {
  from: string;
  to: string;
  ts: number;
  /**
   * Dollars when the leg has amount_usd, otherwise units of `cur` (yen, dinars, whatever the export's
   * decimals): only same-`cur` amounts compare. A number for ratios and floors, not a reported amount.
   */
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

/**
 * The other end of a leg's edge: its counterparty account, or '' for a flow leg. A leg without a
 * counterparty account, or that no graph rule admitted (`rules` 0), makes no edge: it only counts in its
 * account's inflow or outflow (EdgeStore.addFlow).
 */
export function counterparty(t: Txn, rules: number): string {
  const f = t.f.cp_account;
  return typeof f === 'string' && f !== '' && rules !== 0 ? f : '';
}

/**
 * The edge a leg with counterparty account `cp` is. The caller leaves out the legs that make none: the in
 * leg of a pair (its out leg is the edge) and a transfer to the account itself.
 */
export function edgeOf(t: Txn, cp: string, rules: number): Edge {
  const out = t.direction === 'out';
  const paired = t.f.pair_id !== undefined;
  return {
    from: out ? t.account_id : cp, to: out ? cp : t.account_id, ts: t.ts, amt: edgeAmount(t), cur: edgeCurrency(t), t, rules,
    ownFrom: out || paired, ownTo: !out || paired,
  };
}

/**
 * A leg without a counterparty account, as the graph keeps it: it only counts in its account's inflow or
 * outflow. A few numbers, so that the scan can hand flow legs to the graph's thread cheaply.
 */
export interface FlowLeg {
  ts: number;
  account: string;
  out: boolean;
  /** As Edge.amt and Edge.cur. */
  amt: number;
  cur: string;
}

export function flowOf(t: Txn): FlowLeg {
  return { ts: t.ts, account: t.account_id, out: t.direction === 'out', amt: edgeAmount(t), cur: edgeCurrency(t) };
}

/** Edge.amt of a leg. */
export function edgeAmount(t: Txn): number {
  return t.amount_usd !== undefined ? t.amount_usd / 100 : t.amount / (POW10[t.exp] ?? 10 ** t.exp);
}

/** Edge.cur of a leg. */
export function edgeCurrency(t: Txn): string {
  return t.amount_usd !== undefined ? 'USD' : t.currency;
}

/** 10 ** exp for the usual numbers of decimals (an amount is kept with the decimals it was written with). */
const POW10 = Array.from({ length: 19 }, (_, i) => 10 ** i);

const SWEEP_EVERY = 65_536;
const TRIM_SLACK = 64;

/** A node's edges in the window, oldest first, and its flow: legs without a counterparty account. */
interface Node {
  outs: Edge[];
  ins: Edge[];
  flowOuts: Flow;
  flowIns: Flow;
  /** The customer a paired transfer's in leg named, for an account whose own legs may not be in a pattern. */
  customer?: string;
}

export class EdgeStore {
  private readonly nodes = new Map<string, Node>();
  private added = 0;

  /** horizonMs: the longest window; cap: the most edges kept per node and direction (the largest hub cap, plus one). */
  constructor(readonly horizonMs: number, readonly cap: number) {}

  add(e: Edge): void {
    this.keep(this.node(e.from).outs, e);
    this.keep(this.node(e.to).ins, e);
    if (++this.added % SWEEP_EVERY === 0) this.sweep(e.ts);
  }

  /** A flow leg (no counterparty account): it counts in its account's inflow or outflow. */
  addFlow(f: FlowLeg): void {
    const n = this.node(f.account);
    (f.out ? n.flowOuts : n.flowIns).add(f.ts, f.amt, f.cur, f.ts - this.horizonMs, this.cap);
    if (++this.added % SWEEP_EVERY === 0) this.sweep(f.ts);
  }

  owner(account: string, customer: string): void {
    this.node(account).customer = customer;
  }

  customer(account: string): string | undefined {
    return this.nodes.get(account)?.customer;
  }

  /** Edges leaving `node` after `since` (ms), oldest first. */
  out(node: string, since: number): Edge[] {
    return after(this.nodes.get(node)?.outs, since);
  }

  /** Edges reaching `node` after `since` (ms), oldest first. */
  in(node: string, since: number): Edge[] {
    return after(this.nodes.get(node)?.ins, since);
  }

  /** Everything that reached (in) or left (out) `node` after `since` in `cur`: edges and flow. */
  flow(node: string, direction: 'in' | 'out', since: number, cur: string): number {
    const n = this.nodes.get(node);
    if (!n) return 0;
    return direction === 'in' ? sumAfter(n.ins, since, cur) + n.flowIns.sumAfter(since, cur) : sumAfter(n.outs, since, cur) + n.flowOuts.sumAfter(since, cur);
  }

  /** Edges kept leaving `node` (within the longest window): a bound on any window's count. */
  outDegree(node: string): number {
    return this.nodes.get(node)?.outs.length ?? 0;
  }

  inDegree(node: string): number {
    return this.nodes.get(node)?.ins.length ?? 0;
  }

  /**
   * More edges (or flow legs) than the cap after `since`, in or out: a payroll processor, biller or large
   * merchant, not a pattern member. Counted in the window, not the list, which may still hold older edges.
   */
  isHub(node: string, cap: number, since: number): boolean {
    const n = this.nodes.get(node);
    return n !== undefined && (over(n.outs, cap, since) || over(n.ins, cap, since) || n.flowOuts.over(cap, since) || n.flowIns.over(cap, since));
  }

  private node(id: string): Node {
    let n = this.nodes.get(id);
    if (!n) this.nodes.set(id, (n = { outs: [], ins: [], flowOuts: new Flow(), flowIns: new Flow() }));
    return n;
  }

  private keep(list: Edge[], e: Edge): void {
    // A late flow leg (the scan screens edges in time order) takes its place in time.
    if (list.length > 0 && list[list.length - 1]!.ts > e.ts) list.splice(firstAfter(list, e.ts), 0, e);
    else list.push(e);
    // Trimmed when the oldest edge has left the window or the list is well over the cap: not on every add.
    const horizon = e.ts - this.horizonMs;
    if (list[0]!.ts > horizon && list.length <= this.cap + TRIM_SLACK) return;
    let drop = 0;
    while (drop < list.length && (list[drop]!.ts <= horizon || list.length - drop > this.cap)) drop++;
    list.splice(0, drop);
  }

  /** Forgets nodes whose edges have all left the window. */
  private sweep(now: number): void {
    const horizon = now - this.horizonMs;
    const stale = (list: Edge[]): boolean => list.length === 0 || list[list.length - 1]!.ts <= horizon;
    for (const [id, n] of this.nodes) {
      if (stale(n.outs) && stale(n.ins) && n.flowOuts.lastTs() <= horizon && n.flowIns.lastTs() <= horizon) this.nodes.delete(id);
    }
  }
}

/**
 * A node's flow in the window, oldest first: its legs without a counterparty account, most of an export.
 * They only count in totals, so they are kept as numbers in parallel lists, not as edges: an object per
 * leg kept for the whole window would be that much more for the garbage collector to move.
 */
class Flow {
  private readonly ts: number[] = [];
  private readonly amt: number[] = [];
  private readonly cur: string[] = [];

  /** Adds a flow leg (a late one takes its place in time), trimmed as EdgeStore.keep trims edges. */
  add(time: number, amount: number, currency: string, horizon: number, cap: number): void {
    const { ts, amt, cur } = this;
    if (ts.length > 0 && ts[ts.length - 1]! > time) {
      const i = firstTimeAfter(ts, time);
      ts.splice(i, 0, time);
      amt.splice(i, 0, amount);
      cur.splice(i, 0, currency);
    } else {
      ts.push(time);
      amt.push(amount);
      cur.push(currency);
    }
    if (ts[0]! > horizon && ts.length <= cap + TRIM_SLACK) return;
    let drop = 0;
    while (drop < ts.length && (ts[drop]! <= horizon || ts.length - drop > cap)) drop++;
    ts.splice(0, drop);
    amt.splice(0, drop);
    cur.splice(0, drop);
  }

  /** The amounts in `cur` after `since`. */
  sumAfter(since: number, cur: string): number {
    let sum = 0;
    for (let i = firstTimeAfter(this.ts, since); i < this.ts.length; i++) if (this.cur[i] === cur) sum += this.amt[i]!;
    return sum;
  }

  /** More than `cap` legs after `since`. */
  over(cap: number, since: number): boolean {
    return this.ts.length > cap && this.ts.length - firstTimeAfter(this.ts, since) > cap;
  }

  lastTs(): number {
    return this.ts.length === 0 ? -Infinity : this.ts[this.ts.length - 1]!;
  }
}

function after(list: Edge[] | undefined, since: number): Edge[] {
  if (!list) return [];
  const i = firstAfter(list, since);
  return i === 0 ? list : list.slice(i);
}

/** The amounts in `cur` of the edges after `since`. */
function sumAfter(list: readonly Edge[], since: number, cur: string): number {
  let sum = 0;
  for (let i = firstAfter(list, since); i < list.length; i++) if (list[i]!.cur === cur) sum += list[i]!.amt;
  return sum;
}

/** More than `cap` edges after `since`. */
function over(list: readonly Edge[], cap: number, since: number): boolean {
  return list.length > cap && list.length - firstAfter(list, since) > cap;
}
