/**
 * The HTML report's drawings, as inline SVG: a case's evidence legs on a time axis, and the money flowing
 * between the accounts of a pattern. Every value from the store is escaped.
 */
import { formatUsd } from '../rules/narrative.js';
import type { AlertDetail, CaseDetail } from '../store/cases.js';
import { usdCents } from '../store/evidence.js';

/** Text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A case's evidence leg, once however many of its alerts cite it. */
export interface CaseLeg {
  record: Record<string, unknown>;
  ms: number;
  /** A trigger leg of at least one alert; otherwise context only. */
  trigger: boolean;
  rules: string[];
}

export function caseLegs(c: CaseDetail): CaseLeg[] {
  const legs = new Map<string, CaseLeg>();
  for (const a of c.alert_details) {
    for (const e of a.evidence) {
      const r = e.record;
      const key = [r.source_file_id, r.source_row, r.account_id, r.direction].map(String).join('\u0000');
      const leg = legs.get(key) ?? { record: r, ms: Date.parse(String(r.booking_ts)), trigger: false, rules: [] };
      leg.trigger ||= e.role === 'trigger';
      if (!leg.rules.includes(a.rule_id)) leg.rules.push(a.rule_id);
      legs.set(key, leg);
    }
  }
  return [...legs.values()].sort((x, y) => x.ms - y.ms);
}

/** One mark per leg: money in above the axis, out below, height by the square root of the USD amount. */
export function timeline(legs: readonly CaseLeg[]): string {
  if (legs.length === 0) return '';
  const [W, H, PAD] = [900, 170, 36];
  const mid = H / 2 - 6;
  const [t0, t1] = [legs[0]!.ms, legs[legs.length - 1]!.ms];
  const top = Math.sqrt(legs.reduce((m, l) => Math.max(m, usdCents(l.record) ?? 0), 1));
  const x = (ms: number) => (t1 === t0 ? W / 2 : PAD + ((ms - t0) / (t1 - t0)) * (W - 2 * PAD));
  const marks = legs.map((l, i) => {
    const r = l.record;
    const h = Math.max(3, (Math.sqrt(usdCents(r) ?? 0) / top) * (mid - 14));
    const dir = r.direction === 'in' ? 'in' : 'out';
    const label = `#${i + 1} ${String(r.txn_id)} · ${String(r.booking_ts)} · ${dir} ${String(r.amount)} ${String(r.currency)} · ${String(r.channel)}`;
    return `<rect class="leg ${dir} ${l.trigger ? 'trigger' : 'context'}" x="${(x(l.ms) - 3).toFixed(1)}" y="${(dir === 'in' ? mid - h : mid).toFixed(1)}" ` +
      `width="6" height="${h.toFixed(1)}"><title>${esc(label)}</title></rect>`;
  });
  const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<figure><svg class="timeline" viewBox="0 0 ${W} ${H}" role="img" aria-label="timeline of ${legs.length} evidence legs">
<line class="axis" x1="${PAD}" y1="${mid}" x2="${W - PAD}" y2="${mid}"/><text x="4" y="14">in</text><text x="4" y="${H - 24}">out</text>
${t1 === t0 ? `<text x="${W / 2}" y="${H - 6}" text-anchor="middle">${utc(t0)}</text>`
    : `<text x="${PAD}" y="${H - 6}">${utc(t0)}</text><text x="${W - PAD}" y="${H - 6}" text-anchor="end">${utc(t1)}</text>`}
${marks.join('\n')}</svg>
<figcaption>${legs.length} evidence leg(s) in time: money in (green) above the line, out (red) below; height grows with the USD amount
(legs without one are drawn lowest); solid bars are trigger legs, pale ones context. Hover a bar for the leg; the table below lists them in the same order.</figcaption></figure>`;
}

interface Edge {
  from: string;
  to: string;
  transfers: number;
  cents: number;
  unconverted: number;
}

/**
 * The transfers between accounts that an alert's legs show. A transfer between two of the bank's own
 * accounts is booked as two legs (out of one, into the other): mirrored legs at the same time and amount
 * are one transfer.
 */
function flowEdges(a: AlertDetail): Edge[] {
  const sides = new Map<string, { from: string; to: string; cents: number | undefined; in: number; out: number }>();
  for (const { record: r } of a.evidence) {
    if (r.cp_account === undefined || r.cp_account === null) continue;
    const out = r.direction === 'out';
    const [from, to] = out ? [String(r.account_id), String(r.cp_account)] : [String(r.cp_account), String(r.account_id)];
    const key = [from, to, Date.parse(String(r.booking_ts)), r.amount, r.currency].map(String).join('\u0000');
    const side = sides.get(key) ?? { from, to, cents: usdCents(r), in: 0, out: 0 };
    side[out ? 'out' : 'in']++;
    sides.set(key, side);
  }
  const edges = new Map<string, Edge>();
  for (const s of sides.values()) {
    const e = edges.get(`${s.from}\u0000${s.to}`) ?? { from: s.from, to: s.to, transfers: 0, cents: 0, unconverted: 0 };
    const n = Math.max(s.in, s.out);
    e.transfers += n;
    if (s.cents === undefined) e.unconverted += n;
    else e.cents += n * s.cents;
    edges.set(`${s.from}\u0000${s.to}`, e);
  }
  return [...edges.values()];
}

interface Point {
  x: number;
  y: number;
}

/** An edge's arrow from p to q, labelled with its USD total and, when more than one, its number of transfers. */
function arrow(e: Edge, p: Point, q: Point, marker: string): string {
  const len = Math.hypot(q.x - p.x, q.y - p.y) || 1;
  // Shifted sideways so that transfers both ways between two accounts draw as two arrows.
  const [nx, ny] = [(-(q.y - p.y) / len) * 4, ((q.x - p.x) / len) * 4];
  const usd = e.unconverted === e.transfers ? 'no USD amount' : `$${formatUsd(e.cents)}${e.unconverted > 0 ? ` + ${e.unconverted} without USD` : ''}`;
  const amount = e.transfers === 1 ? usd : `${usd} in ${e.transfers}`;
  const [lx, ly] = [p.x + (q.x - p.x) * 0.4 + nx * 2.5, p.y + (q.y - p.y) * 0.4 + ny * 2.5];
  return `<line class="edge" x1="${(p.x + nx).toFixed(1)}" y1="${(p.y + ny).toFixed(1)}" x2="${(q.x + nx).toFixed(1)}" y2="${(q.y + ny).toFixed(1)}" marker-end="url(#${marker})">` +
    `<title>${esc(`${e.from} → ${e.to}: ${amount}`)}</title></line><text class="amount" x="${lx.toFixed(1)}" y="${ly.toFixed(1)}" text-anchor="middle">${esc(amount)}</text>`;
}

/** Graph patterns, and alerts whose legs move money among three or more accounts, get a drawing of the flow. */
export function flow(a: AlertDetail): string {
  const edges = flowEdges(a);
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
  if (nodes.length < (a.rule_id.startsWith('GRAPH-') ? 2 : 3)) return '';
  // The subject may be a customer (their accounts), an account, or a counterparty account (REMIT-003).
  const own = new Set([a.subject, ...a.evidence.filter((e) => e.record.customer_id === a.subject).map((e) => String(e.record.account_id))]);
  const [S, R] = [440, 140];
  const at = new Map(nodes.map((n, i) => {
    const angle = (2 * Math.PI * i) / nodes.length - Math.PI / 2;
    return [n, { x: S / 2 + R * Math.cos(angle), y: S / 2 + R * Math.sin(angle), cos: Math.cos(angle), sin: Math.sin(angle) }];
  }));
  const marker = `arrow-${esc(a.alert_id)}`;
  const lines = edges.map((e) => arrow(e, at.get(e.from)!, at.get(e.to)!, marker));
  const circles = nodes.map((n) => {
    const p = at.get(n)!;
    const anchor = p.cos > 0.3 ? 'start' : p.cos < -0.3 ? 'end' : 'middle';
    return `<circle class="node${own.has(n) ? ' own' : ''}" cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="9"><title>${esc(n)}</title></circle>` +
      `<text x="${(p.x + p.cos * 14).toFixed(1)}" y="${(p.y + p.sin * 14 + 4).toFixed(1)}" text-anchor="${anchor}">${esc(n.length > 14 ? `…${n.slice(-10)}` : n)}</text>`;
  });
  return `<figure><svg class="flow" viewBox="0 0 ${S} ${S}" role="img" aria-label="flow between ${nodes.length} accounts">
<defs><marker id="${marker}" viewBox="0 0 10 10" refX="19" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>
${lines.join('\n')}
${circles.join('\n')}</svg>
<figcaption>${nodes.length} accounts, ${edges.reduce((n, e) => n + e.transfers, 0)} transfer(s); the subject's accounts are dark. Each arrow is labelled with its USD total, and the number of transfers when more than one.</figcaption></figure>`;
}
