/**
 * The second rule thread of a scan (see parallel.ts): screens the files with its share of the rules
 * and posts back the alerts, per-rule counts and late or repeated legs. Problems with the input are
 * the scanning thread's to report; this one skips what it cannot read.
 */
import { basename } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { Txn } from '../ingest/canonical.js';
import { loadFxTable } from '../ingest/fx.js';
import { openInput, type InputFormat } from '../ingest/input.js';
import { loadMapping } from '../ingest/mapping.js';
import { compileNormaliser } from '../ingest/normalise.js';
import { loadRules, parseParamOverride } from '../rules/load.js';
import { Engine, type LateLeg } from './engine.js';
import { toPortable, type WorkerResult, type WorkerTask } from './parallel.js';

async function screen(task: WorkerTask): Promise<WorkerResult> {
  const wanted = new Set(task.ruleIds);
  const rules = loadRules(task.rules, task.params.map(parseParamOverride)).rules.filter((r) => wanted.has(r.id));
  const mapping = loadMapping(task.mapping);
  const fx = task.fxRates === undefined ? undefined : loadFxTable(task.fxRates);
  const late: LateLeg[] = [];
  const duplicates: WorkerResult['duplicates'] = [];
  const engine = new Engine(rules, { maxLatenessMs: task.maxLatenessMs }, (l) => late.push(l), (rule, subject, t: Txn) => duplicates.push({ rule, subject, t }));
  for (const path of task.files) {
    const input = await openInput({ path, format: task.inputFormat as InputFormat | undefined });
    const normalise = compileNormaliser(mapping, input.header, {
      sourceId: task.sourceId ?? basename(path), timezone: task.timezone, cutoff: task.cutoff, fx,
    });
    for await (const batch of input.items) {
      for (const item of batch) {
        if (item.kind === 'error' && input.format === 'json' && item.code !== 'json-not-object' && item.code !== 'json-too-long') break;
        const result = normalise(item);
        if (!result.reject) for (const leg of result.legs) engine.push(leg);
      }
    }
  }
  const alerts = engine.finish().map(toPortable);
  return { alerts, stats: engine.stats, late, duplicates };
}

screen(workerData as WorkerTask).then(
  (result) => parentPort!.postMessage({ ok: true, result }),
  (e: unknown) => parentPort!.postMessage({ ok: false, message: (e as Error).message }),
);
