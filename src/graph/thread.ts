/**
 * The graph screen on a thread of its own, beside the scan: the scan hands it every leg in order, in
 * batches, and goes on reading while the thread searches; what the thread finds comes back as messages.
 * A flow leg (most of an export) crosses as a few numbers, a leg that makes an edge as the whole record,
 * which comes back as an alert's evidence. The thread screens exactly what GraphScreen would in the scan.
 */
import { Worker, type TransferListItem } from 'node:worker_threads';
import type { Txn } from '../ingest/canonical.js';
import type { GraphFinding } from '../engine/alerts.js';
import { edgeAmount, edgeCurrency, type FlowLeg } from './edges.js';
import type { GraphSpec } from './patterns.js';
import { GraphScreen, needsLeg, type GraphSink } from './screen.js';

/** Legs per message. */
const BATCH = 4_096;
/** Batches the thread may have still to screen before the scan waits for it: memory stays bounded when it falls behind. */
const AHEAD = 8;

/** A run of legs in the order they were pushed: flow legs as columns, the others whole, `kinds` saying which comes next. */
export interface LegBatch {
  kinds: Uint8Array<ArrayBuffer>;
  ts: Float64Array<ArrayBuffer>;
  amt: Float64Array<ArrayBuffer>;
  out: Uint8Array<ArrayBuffer>;
  account: string[];
  cur: string[];
  legs: Txn[];
  masks: Int32Array<ArrayBuffer>;
}

export type ToThread = { type: 'legs'; batch: LegBatch } | { type: 'finish' };
export type FromThread =
  | { type: 'screened' }
  | { type: 'late'; rule: number; t: Txn; behindMs: number }
  | { type: 'alert'; rule: number; center: string; legs: Txn[]; finding: GraphFinding; hits: number }
  | { type: 'finished' };

function newBatch(): LegBatch {
  return {
    kinds: new Uint8Array(BATCH), ts: new Float64Array(BATCH), amt: new Float64Array(BATCH), out: new Uint8Array(BATCH),
    account: [], cur: [], legs: [], masks: new Int32Array(BATCH),
  };
}

export class GraphThread {
  private readonly worker: Worker;
  private batch = newBatch();
  private length = 0;
  private flows = 0;
  private ahead = 0;
  private failure: Error | undefined;
  /** Resolved when the thread has caught up (`ahead` below AHEAD) or has finished. */
  private wake: (() => void) | undefined;
  private finished = false;

  constructor(specs: readonly GraphSpec[], maxLatenessMs: number, private readonly sink: GraphSink) {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { specs, maxLatenessMs } });
    this.worker.on('message', (m: FromThread) => this.receive(m));
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => {
      if (!this.finished) this.fail(new Error(`the graph screen's thread stopped (exit code ${code})`));
    });
  }

  push(t: Txn, mask: number): void {
    const b = this.batch;
    const k = this.length++;
    if (needsLeg(t, mask)) {
      b.kinds[k] = 1;
      b.masks[b.legs.length] = mask;
      b.legs.push(t);
    } else {
      // As flowOf(t), written straight into the batch's columns.
      const j = this.flows++;
      b.ts[j] = t.ts;
      b.amt[j] = edgeAmount(t);
      b.out[j] = t.direction === 'out' ? 1 : 0;
      b.account.push(t.account_id);
      b.cur.push(edgeCurrency(t));
    }
    if (this.length === BATCH) this.send();
  }

  /** A promise while the thread is too far behind the scan: the scan (one caller) waits on it before reading on. */
  backlog(): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (this.ahead < AHEAD) return undefined;
    return new Promise((resolve) => (this.wake = resolve));
  }

  /** Screens what is left and waits for the thread's last findings; the thread then ends. */
  async finish(): Promise<void> {
    this.send();
    this.post({ type: 'finish' });
    while (!this.finished && !this.failure) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.failure) throw this.failure;
  }

  /**
   * Stops the thread, and hears nothing more from it: a scan that fails has closed its run, so what the
   * thread had still to say (late legs, alerts) is dropped with it.
   */
  close(): void {
    this.finished = true;
    this.worker.removeAllListeners('message');
    void this.worker.terminate();
  }

  private send(): void {
    if (this.length === 0) return;
    const b = this.batch;
    const n = this.length;
    const batch: LegBatch = {
      kinds: b.kinds.subarray(0, n), ts: b.ts.subarray(0, this.flows), amt: b.amt.subarray(0, this.flows), out: b.out.subarray(0, this.flows),
      account: b.account, cur: b.cur, legs: b.legs, masks: b.masks.subarray(0, b.legs.length),
    };
    this.post({ type: 'legs', batch }, [b.kinds.buffer, b.ts.buffer, b.amt.buffer, b.out.buffer, b.masks.buffer]);
    this.ahead++;
    this.batch = newBatch();
    this.length = this.flows = 0;
  }

  private post(m: ToThread, transfer: TransferListItem[] = []): void {
    if (!this.failure) this.worker.postMessage(m, transfer);
  }

  private receive(m: FromThread): void {
    try {
      if (m.type === 'screened') this.ahead--;
      else if (m.type === 'late') this.sink.late(m.rule, m.t, m.behindMs);
      else if (m.type === 'alert') this.sink.emit(m.rule, m.center, m.legs, m.finding, m.hits);
      else {
        this.finished = true;
        void this.worker.terminate();
      }
    } catch (e) {
      this.fail(e as Error);
    }
    if (this.ahead < AHEAD || this.finished) this.wakeUp();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    void this.worker.terminate();
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** The thread's side: screens each batch in order and reports as GraphScreen reports. */
export function screenOnThread(specs: readonly GraphSpec[], maxLatenessMs: number, post: (m: FromThread) => void): (m: ToThread) => void {
  const sink: GraphSink = {
    late: (rule, t, behindMs) => post({ type: 'late', rule, t, behindMs }),
    emit: (rule, center, legs, finding, hits) => post({ type: 'alert', rule, center, legs, finding, hits }),
  };
  const screen = new GraphScreen(specs, maxLatenessMs, sink);
  return (m) => {
    if (m.type === 'finish') {
      screen.finish();
      post({ type: 'finished' });
      return;
    }
    const b = m.batch;
    let leg = 0;
    let flow = 0;
    for (let k = 0; k < b.kinds.length; k++) {
      if (b.kinds[k] === 1) {
        screen.push(b.legs[leg]!, b.masks[leg]!);
        leg++;
      } else {
        const f: FlowLeg = { ts: b.ts[flow]!, account: b.account[flow]!, out: b.out[flow] === 1, amt: b.amt[flow]!, cur: b.cur[flow]! };
        screen.flow(f);
        flow++;
      }
    }
    post({ type: 'screened' });
  };
}
