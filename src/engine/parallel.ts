/**
 * Rules split across threads. A second thread reads the same files and screens them with its share of
 * the rules; the scanning thread keeps the rest, writes the store and reports every problem with the
 * input. Files are read twice, but rules are the larger cost, so a two-core machine screens a large
 * pack in little more than the time of its costlier half. Standard input cannot be read twice: it is
 * always screened in one thread.
 */
import { Worker } from 'node:worker_threads';
import type { Txn } from '../ingest/canonical.js';
import type { CompiledRule } from '../rules/compile.js';
import type { Alert } from './alerts.js';
import type { LateLeg, RuleStats } from './engine.js';

/** What the second thread needs to load the rules, mapping and files exactly as the first did. */
export interface WorkerTask {
  files: string[];
  inputFormat?: string;
  sourceId?: string;
  rules: string[];
  params: string[];
  mapping?: string;
  timezone?: string;
  fxRates?: string;
  cutoff?: string;
  maxLatenessMs: number;
  ruleIds: string[];
}

/** An alert as it crosses threads: its rule by id, its trigger legs by index into its records. */
export type PortableAlert = Omit<Alert, 'rule' | 'triggers'> & { ruleId: string; triggerIndexes: number[] };

export interface WorkerResult {
  alerts: PortableAlert[];
  stats: RuleStats[];
  late: LateLeg[];
  duplicates: Array<{ rule: string; subject: string; t: Txn }>;
}

/**
 * Splits rules into two shares of about equal estimated cost: a windowed rule costs more than a
 * single-leg one, and a rule open to every channel more than one limited to a few.
 */
export function splitRules(rules: readonly CompiledRule[]): [CompiledRule[], CompiledRule[]] {
  const cost = (r: CompiledRule) => (r.window ? 4 : 1) * (r.channels === undefined ? 16 : Math.min(r.channels.size, 16)) * r.subjects.length;
  const shares: [CompiledRule[], CompiledRule[]] = [[], []];
  const load = [0, 0];
  for (const r of [...rules].sort((a, b) => cost(b) - cost(a) || (a.id < b.id ? -1 : 1))) {
    const i = load[0]! <= load[1]! ? 0 : 1;
    shares[i]!.push(r);
    load[i]! += cost(r);
  }
  return shares;
}

export function runInWorker(task: WorkerTask): { result: Promise<WorkerResult>; stop(): void } {
  const worker = new Worker(new URL('./scan-worker.js', import.meta.url), { workerData: task });
  const result = new Promise<WorkerResult>((resolve, reject) => {
    worker.once('message', (m: { ok: true; result: WorkerResult } | { ok: false; message: string }) => {
      if (m.ok) resolve(m.result);
      else reject(new Error(`rule thread: ${m.message}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`rule thread exited with code ${code}`)));
  });
  // Awaited only after the scanning thread is done; until then a failure must not go unhandled.
  result.catch(() => {});
  return { result, stop: () => void worker.terminate() };
}

export function toPortable(alert: Alert): PortableAlert {
  const { rule, triggers, ...rest } = alert;
  return { ...rest, ruleId: rule.id, triggerIndexes: alert.records.flatMap((t, i) => (triggers.has(t) ? [i] : [])) };
}

export function fromPortable(p: PortableAlert, rules: ReadonlyMap<string, CompiledRule>): Alert {
  const { ruleId, triggerIndexes, ...rest } = p;
  return { ...rest, rule: rules.get(ruleId)!, triggers: new Set(triggerIndexes.map((i) => p.records[i]!)) };
}
