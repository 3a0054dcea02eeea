/**
 * The graph screen's thread (the built dist/graph/thread.js, which starts dist/graph/worker.js) against
 * GraphScreen in this thread, on the same legs: the same alerts and late legs, and the scan is held back
 * while the thread is too far behind.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Txn } from '../../src/ingest/canonical.js';
import { GraphScreen } from '../../src/graph/screen.js';
import type { GraphThread as Thread } from '../../src/graph/thread.js';
import { loadRules } from '../../src/rules/load.js';
import { legs, ROOT, RULES_DIR } from '../helpers.js';

const { GraphThread } = (await import(join(ROOT, 'dist', 'graph', 'thread.js'))) as { GraphThread: typeof Thread };

/** A seeded stream of transfers among 10,000 accounts, one in six with a counterparty account; a few legs out of order. */
function traffic(n: number): Txn[] {
  let seed = 7;
  const next = (k: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % k;
  };
  const start = Date.UTC(2026, 0, 5);
  const rows = Array.from({ length: n }, (_, i) => ({
    txn_id: `T${i}`, booking_ts: new Date(start + i * 60_000).toISOString(), account_id: `A${next(10_000)}`, customer_id: 'C',
    direction: next(2) === 0 ? 'out' : 'in', amount: `${1_000 + next(19_000)}.00`, currency: 'USD', channel: 'wire',
    ...(next(6) === 0 ? { cp_account: `A${next(10_000)}` } : {}),
  }));
  for (let i = 0; i + 5 < n; i += 997) [rows[i], rows[i + 5]] = [rows[i + 5]!, rows[i]!];
  return legs(rows);
}

interface Found {
  alerts: string[];
  late: string[];
}

function collector(): { found: Found; late: (rule: number, t: Txn) => void; emit: (rule: number, center: string, evidence: Txn[]) => void } {
  const found: Found = { alerts: [], late: [] };
  return {
    found,
    late: (rule, t) => found.late.push(`${rule} ${t.txn_id}`),
    emit: (rule, center, evidence) => found.alerts.push(`${rule} ${center}: ${evidence.map((t) => t.txn_id).join(' ')}`),
  };
}

describe('the graph screen on its own thread', () => {
  it('finds what the screen finds in this thread, and holds the scan back while it is behind', async () => {
    const specs = loadRules([join(RULES_DIR, 'graph')]).rules.map((r) => r.graph!);
    const all = (1 << specs.length) - 1;
    const stream = traffic(40_000);

    const inline = collector();
    const screen = new GraphScreen(specs, 0, { late: inline.late, emit: (rule, center, edges) => inline.emit(rule, center, edges.map((e) => e.t!)) });
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
    expect(inline.found.late.length).toBeGreaterThan(10);
    expect(heldBack).toBeGreaterThan(0);
    expect({ alerts: [...threaded.found.alerts].sort(), late: [...threaded.found.late].sort() })
      .toEqual({ alerts: [...inline.found.alerts].sort(), late: [...inline.found.late].sort() });
  });
});
