/**
 * The graph patterns (domain/typologies.md §3.7, after IBM AMLSim and AMLworld), each searched around
 * the edge just added, over the edges of the rule's window. A pattern found names its central node,
 * every edge in it; `measure` gives the case its figures.
 */
import type { Edge, EdgeStore } from './edges.js';

export type GraphPattern = 'fan_in' | 'fan_out' | 'cycle' | 'scatter_gather' | 'gather_scatter' | 'bipartite' | 'stack' | 'chain';

export interface GraphSpec {
  pattern: GraphPattern;
  windowMs: number;
  /** Edges below this (USD, or units of the leg's currency without a USD amount) are ignored. */
  minAmount: number;
  /** Distinct counterparties (fan-in, fan-out), intermediaries (scatter-gather), senders and receivers (gather-scatter). */
  minDegree: number;
  /** Fan: the share of the node's flow the pattern's edges carry; gather-scatter: outflow over inflow. */
  share: number;
  /** Fan: the largest coefficient of variation of the edge amounts. */
  maxCv: number;
  /** Cycle: the longest cycle; chain: the shortest chain, in hops. */
  hops: number;
  /** Cycle, scatter-gather, chain: the share an intermediary may keep per hop. */
  maxDecay: number;
  /** Chain: the longest time between one hop and the next. */
  hopMs: number;
  /** Bipartite, stack: the least share of possible sender-receiver pairs between two layers that pay. */
  density: number;
  /** A node with more edges than this in the window (in or out) is a hub: never a pattern member. */
  hubCap: number;
}

export interface Found {
  center: string;
  edges: Edge[];
}

/** The figures each pattern gives its alerts, for narratives (besides account_list, every account in it). */
export const PATTERN_FIGURES: Record<GraphPattern, string[]> = {
  fan_in: ['counterparties', 'edges', 'account_list'],
  fan_out: ['counterparties', 'edges', 'account_list'],
  cycle: ['hops', 'accounts', 'account_list'],
  scatter_gather: ['intermediaries', 'edges', 'account_list'],
  gather_scatter: ['senders', 'receivers', 'edges', 'account_list'],
  bipartite: ['originators', 'beneficiaries', 'edges', 'account_list'],
  stack: ['originators', 'intermediaries', 'beneficiaries', 'edges', 'account_list'],
  chain: ['hops', 'accounts', 'account_list'],
};

/**
 * A pattern's figures, counted from its edges: the same for one find as for finds merged into one alert.
 * A cycle's hops are the accounts it goes round; bipartite and stack layers are told apart by direction
 * (an intermediary both receives and pays).
 */
export function measure(pattern: GraphPattern, center: string, edges: readonly Edge[]): Record<string, number> {
  const froms = new Set(edges.map((x) => x.from));
  const tos = new Set(edges.map((x) => x.to));
  const middle = [...froms].filter((n) => tos.has(n)).length;
  const accounts = new Set([...froms, ...tos]).size;
  const n = edges.length;
  switch (pattern) {
    case 'fan_in': return { counterparties: froms.size, edges: n };
    case 'fan_out': return { counterparties: tos.size, edges: n };
    case 'cycle': return { hops: accounts, accounts };
    case 'chain': return { hops: n, accounts };
    case 'scatter_gather': return { intermediaries: middle, edges: n };
    case 'gather_scatter': return {
      senders: new Set(edges.filter((x) => x.to === center).map((x) => x.from)).size,
      receivers: new Set(edges.filter((x) => x.from === center).map((x) => x.to)).size,
      edges: n,
    };
    case 'bipartite': return { originators: froms.size, beneficiaries: tos.size, edges: n };
    case 'stack': return { originators: froms.size - middle, intermediaries: middle, beneficiaries: tos.size - middle, edges: n };
  }
}

type Search = (store: EdgeStore, e: Edge, spec: GraphSpec, bit: number) => Found | undefined;

export const SEARCHES: Record<GraphPattern, Search> = {
  fan_in: (store, e, spec, bit) => (store.inDegree(e.to) < spec.minDegree ? undefined : fan(store.in(e.to, e.ts - spec.windowMs), e.to, 'in', store, e, spec, bit)),
  fan_out: (store, e, spec, bit) => (store.outDegree(e.from) < spec.minDegree ? undefined : fan(store.out(e.from, e.ts - spec.windowMs), e.from, 'out', store, e, spec, bit)),
  cycle,
  scatter_gather: scatterGather,
  gather_scatter: gatherScatter,
  bipartite,
  stack,
  chain,
};

/**
 * Whether `node` is an account of the export (some edge of the pattern is one of its own legs), not an
 * outside counterparty such as a benefits payer seen only through its payments to customers.
 */
function own(node: string, edges: readonly Edge[]): boolean {
  return edges.some((x) => (x.ownFrom && x.from === node) || (x.ownTo && x.to === node));
}

/** The pattern's first node that is an account of the export: the alert's subject. */
function subjectOf(nodes: readonly string[], edges: readonly Edge[]): string | undefined {
  return nodes.find((n) => own(n, edges));
}

/** More edges than the rule's hub cap in its window ending at the new edge `e`: a hub, never a pattern member. */
function hub(store: EdgeStore, node: string, e: Edge, spec: GraphSpec): boolean {
  return store.isHub(node, spec.hubCap, e.ts - spec.windowMs);
}

/** Each edge of the rule at least the floor (fan and gather-scatter also keep to the new edge's currency, to add amounts up). */
function usable(x: Edge, e: Edge, spec: GraphSpec, bit: number): boolean {
  return (x.rules & bit) !== 0 && x.amt >= spec.minAmount;
}

function summable(x: Edge, e: Edge, spec: GraphSpec, bit: number): boolean {
  return x.cur === e.cur && usable(x, e, spec, bit);
}

/** Edges a search visits around one new edge, at most: a dense neighbourhood is cut short, not searched for minutes. */
const SEARCH_BUDGET = 2_000;

/** The amounts a path of up to `hops` hops ending (or starting) with `amt` can carry. */
function band(amt: number, spec: GraphSpec): [number, number] {
  const hops = Math.max(spec.hops, 2);
  return [amt / FX_GROWTH ** hops, amt / (1 - Math.min(spec.maxDecay, 0.99)) ** hops];
}

/** The most a hop may add to the amount it passes on. */
const GROWTH = 1.05;
/**
 * The most a hop may add when the two legs were booked in different currencies: their dollar amounts come
 * from the bank's reference rates, not the rates the parties dealt at, which may differ by a spread.
 */
const FX_GROWTH = 1.1;

/** Passes the next hop's amount: at most `maxDecay` kept by the intermediary, at most 5% added (10% across currencies). */
function follows(prev: Edge, next: Edge, spec: GraphSpec): boolean {
  // Amounts in different currencies (no USD amount for either) cannot be compared: the hop passes.
  if (next.cur !== prev.cur) return true;
  const growth = prev.t !== undefined && next.t !== undefined && prev.t.currency !== next.t.currency ? FX_GROWTH : GROWTH;
  return next.amt >= (1 - spec.maxDecay) * prev.amt && next.amt <= growth * prev.amt;
}

/** Fan-in (direction in) or fan-out (out) around `center`: many counterparties, most of its flow, similar amounts. */
function fan(window: Edge[], center: string, direction: 'in' | 'out', store: EdgeStore, e: Edge, spec: GraphSpec, bit: number): Found | undefined {
  // Only a usable new edge can complete the pattern; fewer edges than counterparties needed cannot.
  if (!usable(e, e, spec, bit) || window.length < spec.minDegree || hub(store, center, e, spec)) return undefined;
  // A counterparty that is a hub (a payroll processor, a biller) is no pattern member: its edges count only in the flow.
  const edges = window.filter((x) => summable(x, e, spec, bit) && !hub(store, direction === 'in' ? x.from : x.to, e, spec));
  if (!own(center, edges)) return undefined;
  const parties = new Set(edges.map((x) => (direction === 'in' ? x.from : x.to)));
  if (parties.size < spec.minDegree) return undefined;
  // The share is of everything the account received (or paid) in the window, with or without a counterparty account.
  const sum = edges.reduce((n, x) => n + x.amt, 0);
  if (sum < spec.share * store.flow(center, direction, e.ts - spec.windowMs, e.cur)) return undefined;
  const mean = sum / edges.length;
  const sd = Math.sqrt(edges.reduce((n, x) => n + (x.amt - mean) ** 2, 0) / edges.length);
  if (sd / mean > spec.maxCv) return undefined;
  return { center, edges };
}

/** The new edge u → v closes a cycle v → … → u, each hop later than the one before, all in the window. */
function cycle(store: EdgeStore, e: Edge, spec: GraphSpec, bit: number): Found | undefined {
  const since = e.ts - spec.windowMs;
  if (!usable(e, e, spec, bit) || store.inDegree(e.from) === 0 || store.outDegree(e.to) === 0) return undefined;
  if (hub(store, e.to, e, spec) || hub(store, e.from, e, spec)) return undefined;
  // Each hop passes on at least (1 - maxDecay) and at most 105% (110%) of the last: the cycle's amounts lie in a band around e's.
  const [low, high] = band(e.amt, spec);
  const path: Edge[] = [];
  const onPath = new Set<string>([e.to]);
  let budget = SEARCH_BUDGET;
  const walk = (node: string, after: number): boolean => {
    for (const x of store.out(node, Math.max(after, since))) {
      if (--budget < 0) return false;
      if (x.ts >= e.ts || (x.cur === e.cur && (x.amt < low || x.amt > high)) || !usable(x, e, spec, bit) || (path.length > 0 && !follows(path[path.length - 1]!, x, spec))) continue;
      if (x.to === e.from) {
        if (follows(x, e, spec)) {
          path.push(x);
          return true;
        }
        continue;
      }
      if (path.length + 2 >= spec.hops || onPath.has(x.to) || hub(store, x.to, e, spec)) continue;
      path.push(x);
      onPath.add(x.to);
      if (walk(x.to, x.ts)) return true;
      path.pop();
      onPath.delete(x.to);
    }
    return false;
  };
  if (!walk(e.to, since)) return undefined;
  const edges = [...path, e];
  const accounts = edges.map((x) => x.from);
  const center = subjectOf([...accounts].sort(), edges);
  return center === undefined ? undefined : { center, edges };
}

/** The new edge m → t gathers: a source s scattered to m and to other intermediaries that also paid t. */
function scatterGather(store: EdgeStore, e: Edge, spec: GraphSpec, bit: number): Found | undefined {
  if (!usable(e, e, spec, bit) || store.inDegree(e.to) < spec.minDegree || hub(store, e.to, e, spec)) return undefined;
  const since = e.ts - spec.windowMs;
  // The sink's usable incoming edges, by sender: the intermediaries it could have gathered from.
  const gathers = new Map<string, Edge[]>();
  for (const g of store.in(e.to, since)) {
    if (!usable(g, e, spec, bit)) continue;
    const list = gathers.get(g.from);
    if (list) list.push(g);
    else gathers.set(g.from, [g]);
  }
  if (gathers.size < spec.minDegree) return undefined;
  let budget = SEARCH_BUDGET;
  const tried = new Set<string>();
  for (const scatter of store.in(e.from, since)) {
    const s = scatter.from;
    if (tried.has(s) || scatter.ts >= e.ts || s === e.to || !usable(scatter, e, spec, bit) || !follows(scatter, e, spec) || hub(store, s, e, spec)) continue;
    tried.add(s);
    const edges: Edge[] = [];
    const middle = new Set<string>();
    for (const out of store.out(s, since)) {
      if (--budget < 0) return undefined;
      if (out.to === e.to || middle.has(out.to) || !usable(out, e, spec, bit) || hub(store, out.to, e, spec)) continue;
      const gather = gathers.get(out.to)?.find((g) => g.ts > out.ts && follows(out, g, spec));
      if (!gather) continue;
      middle.add(out.to);
      edges.push(out, gather);
    }
    // The source, else the sink, else an intermediary: the ends are what an investigator follows.
    const center = subjectOf([s, e.to, ...middle], edges);
    if (middle.size >= spec.minDegree && center !== undefined) return { center, edges };
  }
  return undefined;
}

/** The new edge leaves a hub that first gathered from several senders and now pays several receivers. */
function gatherScatter(store: EdgeStore, e: Edge, spec: GraphSpec, bit: number): Found | undefined {
  const h = e.from;
  if (!usable(e, e, spec, bit) || store.inDegree(h) < spec.minDegree || store.outDegree(h) < spec.minDegree || hub(store, h, e, spec)) return undefined;
  const since = e.ts - spec.windowMs;
  const ins = store.in(h, since).filter((x) => summable(x, e, spec, bit));
  const outs = store.out(h, since).filter((x) => summable(x, e, spec, bit));
  const senders = new Set(ins.map((x) => x.from));
  const receivers = new Set(outs.map((x) => x.to));
  if (senders.size < spec.minDegree || receivers.size < spec.minDegree) return undefined;
  const inTotal = ins.reduce((n, x) => n + x.amt, 0);
  const outTotal = outs.reduce((n, x) => n + x.amt, 0);
  if (outTotal < spec.share * inTotal) return undefined;
  // Phases: 80% of the inflow has arrived before 20% of the outflow has left.
  if (reached(ins, 0.8 * inTotal) > reached(outs, 0.2 * outTotal)) return undefined;
  const edges = [...ins, ...outs];
  if (!own(h, edges)) return undefined;
  return { center: h, edges };
}

/**
 * The new edge o → b joins two layers: senders that paid b and receivers o paid, most pairs of them
 * linked, and (almost) no money flowing back.
 */
function bipartite(store: EdgeStore, e: Edge, spec: GraphSpec, bit: number): Found | undefined {
  if (!usable(e, e, spec, bit) || store.inDegree(e.to) < 2 || store.outDegree(e.from) < 2) return undefined;
  const since = e.ts - spec.windowMs;
  const ends = sides(store, e, since, spec, bit);
  const layers = ends && between(store, ends[0], ends[1], since, e, spec, bit);
  if (!layers) return undefined;
  const flow = layers.edges.reduce((n, x) => (x.cur === e.cur ? n + x.amt : n), 0);
  let back = 0;
  for (const b of layers.to) for (const x of store.out(b, since)) if (layers.from.has(x.to) && x.cur === e.cur) back += x.amt;
  if (back > 0.1 * flow) return undefined;
  // The block is the bank's to report when a customer pays in it: outside accounts paying customers are not, on their own.
  const center = subjectOf([...layers.from].sort(), layers.edges);
  return center === undefined ? undefined : { center, edges: layers.edges };
}

/**
 * The new edge m → b completes a stack: originators paid a layer of intermediaries, which then paid a
 * layer of beneficiaries, each pair of layers densely linked and the second after the first.
 */
function stack(store: EdgeStore, e: Edge, spec: GraphSpec, bit: number): Found | undefined {
  if (!usable(e, e, spec, bit) || store.inDegree(e.from) === 0 || store.inDegree(e.to) < 2 || store.outDegree(e.from) < 2) return undefined;
  const since = e.ts - spec.windowMs;
  const ends = sides(store, e, since, spec, bit);
  const late = ends && between(store, ends[0], ends[1], since, e, spec, bit);
  if (!late) return undefined;
  const start = Math.min(...late.edges.map((x) => x.ts));
  const origins = new Set<string>();
  for (const m of late.from) {
    for (const x of store.in(m, since)) {
      if (x.ts < start && usable(x, e, spec, bit) && !late.from.has(x.from) && !late.to.has(x.from) && !hub(store, x.from, e, spec)) origins.add(x.from);
    }
  }
  const early = between(store, origins, late.from, since, e, spec, bit, start);
  if (!early || early.to.size < late.from.size * spec.density) return undefined;
  const edges = [...early.edges, ...late.edges];
  const center = subjectOf([...[...late.from].sort(), ...[...early.from].sort(), ...[...late.to].sort()], edges);
  return center === undefined ? undefined : { center, edges };
}

/**
 * The layers the new edge o → b may join: the accounts that paid b, and those o paid; undefined when either
 * has fewer than `minDegree`. The side with fewer edges is gathered first: most searches end there.
 */
function sides(store: EdgeStore, e: Edge, since: number, spec: GraphSpec, bit: number): [Set<string>, Set<string>] | undefined {
  const payersFirst = store.inDegree(e.to) <= store.outDegree(e.from);
  const first = payersFirst ? senders(store, e.to, since, e, spec, bit) : receivers(store, e.from, since, e, spec, bit);
  if (first.size < spec.minDegree) return undefined;
  const second = payersFirst ? receivers(store, e.from, since, e, spec, bit) : senders(store, e.to, since, e, spec, bit);
  if (second.size < spec.minDegree) return undefined;
  return payersFirst ? [first, second] : [second, first];
}

/**
 * The accounts that paid `node` (or that `node` paid): candidates for the other layer of a block. A member
 * must link to at least `density` of a layer of `minDegree`, so accounts with fewer edges are left out.
 */
function senders(store: EdgeStore, node: string, since: number, e: Edge, spec: GraphSpec, bit: number): Set<string> {
  const need = Math.max(1, Math.ceil(spec.density * spec.minDegree));
  const out = new Set<string>();
  for (const x of store.in(node, since)) {
    if (!out.has(x.from) && usable(x, e, spec, bit) && store.outDegree(x.from) >= need && !hub(store, x.from, e, spec)) out.add(x.from);
  }
  return out;
}

function receivers(store: EdgeStore, node: string, since: number, e: Edge, spec: GraphSpec, bit: number): Set<string> {
  const need = Math.max(1, Math.ceil(spec.density * spec.minDegree));
  const out = new Set<string>();
  for (const x of store.out(node, since)) {
    if (!out.has(x.to) && usable(x, e, spec, bit) && store.inDegree(x.to) >= need && !hub(store, x.to, e, spec)) out.add(x.to);
  }
  return out;
}

interface Layers {
  from: Set<string>;
  to: Set<string>;
  edges: Edge[];
}

/**
 * The usable edges from `froms` to `tos` (before `until`), thinned until every member pays (or is paid
 * by) at least `density` of the other layer: two disjoint layers of at least `minDegree` accounts whose
 * linked pairs are at least `density` of all pairs; undefined when there are none.
 */
function between(store: EdgeStore, froms: Set<string>, tos: Set<string>, since: number, e: Edge, spec: GraphSpec, bit: number, until = Infinity): Layers | undefined {
  if (froms.size < spec.minDegree || tos.size < spec.minDegree) return undefined;
  let edges: Edge[] = [];
  let budget = SEARCH_BUDGET;
  const link = (x: Edge): void => {
    if (froms.has(x.from) && tos.has(x.to) && !tos.has(x.from) && !froms.has(x.to) && x.ts < until && usable(x, e, spec, bit)) edges.push(x);
  };
  // Walk whichever side has fewer edges: the senders' payments, or the receivers' receipts.
  let outs = 0;
  let ins = 0;
  for (const f of froms) outs += store.outDegree(f);
  for (const t of tos) ins += store.inDegree(t);
  for (const node of outs <= ins ? froms : tos) {
    for (const x of outs <= ins ? store.out(node, since) : store.in(node, since)) {
      if (--budget < 0) return undefined;
      link(x);
    }
  }
  for (;;) {
    const outs = links(edges, (x) => x.from, (x) => x.to);
    const ins = links(edges, (x) => x.to, (x) => x.from);
    const kept = edges.filter((x) => outs.get(x.from)!.size >= spec.density * ins.size && ins.get(x.to)!.size >= spec.density * outs.size);
    if (kept.length === edges.length) {
      if (outs.size < spec.minDegree || ins.size < spec.minDegree) return undefined;
      let pairs = 0;
      for (const to of outs.values()) pairs += to.size;
      return pairs >= spec.density * outs.size * ins.size ? { from: new Set(outs.keys()), to: new Set(ins.keys()), edges } : undefined;
    }
    edges = kept;
  }
}

/** Per node (key), the distinct nodes it is linked to (other). */
function links(edges: readonly Edge[], key: (x: Edge) => string, other: (x: Edge) => string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const x of edges) {
    const k = key(x);
    let set = out.get(k);
    if (!set) out.set(k, (set = new Set()));
    set.add(other(x));
  }
  return out;
}

/** When the running total of edges (oldest first) first reaches `amount`. */
function reached(edges: Edge[], amount: number): number {
  let sum = 0;
  for (const x of edges) {
    sum += x.amt;
    if (sum >= amount) return x.ts;
  }
  return Infinity;
}

/** The new edge c → d ends a chain a → b → c → d, each hop soon after the last and all in the window, passing most of the money on. */
function chain(store: EdgeStore, e: Edge, spec: GraphSpec, bit: number): Found | undefined {
  if (!usable(e, e, spec, bit) || store.inDegree(e.from) === 0 || hub(store, e.from, e, spec) || hub(store, e.to, e, spec)) return undefined;
  const path: Edge[] = [e];
  const onPath = new Set<string>([e.to, e.from]);
  let budget = SEARCH_BUDGET;
  const back = (next: Edge): boolean => {
    if (path.length >= spec.hops) return true;
    for (const x of store.in(next.from, next.ts - spec.hopMs)) {
      if (--budget < 0) return false;
      if (x.ts >= next.ts || x.ts <= e.ts - spec.windowMs || !usable(x, e, spec, bit) || !follows(x, next, spec)) continue;
      if (onPath.has(x.from) || hub(store, x.from, e, spec)) continue;
      path.unshift(x);
      onPath.add(x.from);
      if (back(x)) return true;
      path.shift();
      onPath.delete(x.from);
    }
    return false;
  };
  if (!back(e)) return undefined;
  const center = subjectOf([...path.map((x) => x.from), e.to], path);
  return center === undefined ? undefined : { center, edges: [...path] };
}
