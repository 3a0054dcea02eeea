/**
 * The graph screen's thread (the built dist/graph/thread.js, which starts dist/graph/worker.js) against
 * GraphScreen in this thread, on the same legs: the same alerts and late legs, and the scan is held back
 * while the thread is too far behind.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GraphFinding } from '../../src/engine/alerts.js';
import type { Txn } from '../../src/ingest/canonical.js';
import { GraphScreen } from '../../src/graph/screen.js';
import type { GraphThread as Thread } from '../../src/graph/thread.js';
import { loadRules } from '../../src/rules/load.js';
import { GRAPH_RULES, legs, ROOT } from '../helpers.js';

const { GraphThread } = (await import(join(ROOT, 'dist', 'graph', 'thread.js'))) as { GraphThread: typeof Thread };

/**
 * A seeded stream of transfers among 10,000 accounts, one in six with a counterparty account, one in ten in
 * euros (no USD amount); every 50th a transfer between two accounts booked as two legs with a pair_id and
 * their customers; a few legs out of order.
 */
function traffic(n: number): Txn[] {
  let seed = 7;
  const next = (k: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % k;
  };
  const start = Date.UTC(2026, 0, 5);
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; rows.length < n; i++) {
    const leg = {
      txn_id: `T${i}`, booking_ts: new Date(start + i * 60_000).toISOString(), account_id: `A${next(10_000)}`, customer_id: 'C',
      direction: next(2) === 0 ? 'out' : 'in', amount: `${1_000 + next(19_000)}.00`, currency: next(10) === 0 ? 'EUR' : 'USD', channel: 'wire',
    };
    const cp = `A${next(10_000)}`;
    if (i % 50 === 0) {
      const pair = { pair_id: `P${i}`, direction: 'out', cp_account: cp, customer_id: `C-${leg.account_id}` };
      rows.push({ ...leg, ...pair }, { ...leg, ...pair, txn_id: `T${i}in`, account_id: cp, direction: 'in', cp_account: leg.account_id, customer_id: `C-${cp}` });
    } else rows.push(next(6) === 0 ? { ...leg, cp_account: cp } : leg);
  }
  for (let i = 0; i + 5 < n; i += 997) [rows[i], rows[i + 5]] = [rows[i + 5]!, rows[i]!];
  return legs(rows);
}

interface Found {
  alerts: string[];
  late: string[];
}

type Emit = (rule: number, center: string, evidence: Txn[], finding: GraphFinding, hits: number) => void;

/** What a screen reports, each alert whole: its rule, center, evidence, figures, customer and hits. */
function collector(): { found: Found; late: (rule: number, t: Txn) => void; emit: Emit } {
  const found: Found = { alerts: [], late: [] };
  return {
    found,
    late: (rule, t) => found.late.push(`${rule} ${t.txn_id}`),
    emit: (rule, center, evidence, finding, hits) => found.alerts.push(JSON.stringify({ rule, center, evidence: evidence.map((t) => t.txn_id), finding, hits })),
  };
}

describe('the graph screen on its own thread', () => {
  it('finds what the screen finds in this thread, and holds the scan back while it is behind', async () => {
    const specs = loadRules(GRAPH_RULES).rules.map((r) => r.graph!);
    const all = (1 << specs.length) - 1;
    const stream = traffic(40_000);

    const inline = collector();
    const screen = new GraphScreen(specs, 0, inline);
    for (const t of stream) screen.push(t, all);
    screen.finish();

    const threaded = collector();
    const thread = new GraphThread(specs, 0, threaded);
    let heldBack = 0;
    for (const t of stream) {
      thread.push(t, all);
      const behind = thread.backlog();
      if (behind) {
        heldBack++;
        await behind;
      }
    }
    await thread.finish();

    expect(inline.found.alerts.length).toBeGreaterThan(10);
    // Some alerts name their center's customer, which only a paired transfer's in leg gives.
    expect(inline.found.alerts.some((a) => (JSON.parse(a) as { finding: GraphFinding }).finding.customer?.startsWith('C-'))).toBe(true);
    expect(inline.found.late.length).toBeGreaterThan(10);
    expect(heldBack).toBeGreaterThan(0);
    expect({ alerts: [...threaded.found.alerts].sort(), late: [...threaded.found.late].sort() })
      .toEqual({ alerts: [...inline.found.alerts].sort(), late: [...inline.found.late].sort() });
  });
});
