/**
 * An evaluation: a labelled data set is screened by the real scan (rules, mapping, engine, store), and
 * the alerts of that run are measured against the labels. Inputs are IBM AMLworld files (a
 * transaction file, a pattern file, or both) or a generated export with its labels file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanEvent, ScanSummary } from '../engine/events.js';
import { scan } from '../engine/scan.js';
import { AmlError } from '../errors.js';
import { loadMapping } from '../ingest/mapping.js';
import { loadRules, type ParamOverride } from '../rules/load.js';
import { readLabels } from './labels.js';
import { measure, type Detection, type Measures } from './metrics.js';
import { readPatternFile } from './patterns.js';
import { labelSource, patternSource, transactionSource, type Coverage, type TruthSource } from './truth.js';

export interface EvaluateOptions {
  /** AMLworld: a transaction file and/or a pattern file (*.txt); with `labels`: the generated export. */
  files: string[];
  labels?: string;
  /** Default: ibm-amlworld, or canonical with `labels`. */
  mapping?: string;
  rules: string[];
  params: ParamOverride[];
  fxRates?: string;
  timezone?: string;
  maxLatenessMs: number;
  /** As scan's: the graph rules search in the scan's own thread. */
  singleThread?: boolean;
  /** Default: a temporary store, removed afterwards. */
  store?: string;
  user: string;
  command: string;
  toolVersion: string;
}

export interface Evaluation extends Measures {
  inputs: { scanned: string; patterns: string | null; labels: string | null; mapping: string; rules: string[] };
  run: { run_id: string; store: string | null; records: number; rejected: number; alerts: number; cases: number };
  coverage: Coverage;
}

interface Plan {
  scanned: string;
  patterns: string | null;
  source: TruthSource;
  mapping: string;
}

export async function evaluate(opts: EvaluateOptions, emit: (e: ScanEvent) => void): Promise<Evaluation> {
  const plan = await planInputs(opts);
  const temporary = opts.store === undefined ? mkdtempSync(join(tmpdir(), 'amlscreen-evaluate-')) : undefined;
  try {
    const store = opts.store ?? join(temporary!, 'evaluate.db');
    const detections: Detection[] = [];
    const rejected = new Set<string>();
    const summary = await scan({
      files: [plan.scanned], inputFormat: plan.patterns === plan.scanned ? 'csv' : undefined, rules: opts.rules, params: opts.params,
      mapping: plan.mapping, timezone: opts.timezone, fxRates: opts.fxRates, maxLatenessMs: opts.maxLatenessMs, store,
      singleThread: opts.singleThread, user: opts.user, command: opts.command, toolVersion: opts.toolVersion, open: (spec) => plan.source.open(spec),
    }, (e) => {
      if (e.type === 'alert') detections.push({ rule: e.rule_id, reporting: e.purpose === 'reporting', rows: [...new Set(e.evidence.map(plan.source.rowOf))] });
      if (e.type === 'reject') rejected.add(String(e.line));
      emit(e);
    });
    const { truth, coverage } = plan.source.truth(summary, rejected);
    return {
      inputs: { scanned: plan.scanned, patterns: plan.patterns, labels: opts.labels ?? null, mapping: plan.mapping, rules: opts.rules },
      run: runFigures(summary, opts.store === undefined ? null : store),
      coverage,
      ...measure(truth, detections),
    };
  } finally {
    if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
  }
}

/** Which file is screened and where the truth comes from. */
async function planInputs(opts: EvaluateOptions): Promise<Plan> {
  const patterns = opts.files.filter((f) => /\.txt$/i.test(f));
  const exports = opts.files.filter((f) => !/\.txt$/i.test(f));
  if (opts.labels !== undefined) {
    if (patterns.length > 0 || exports.length !== 1) throw new AmlError('usage', 'with --labels, give exactly one export file (the one the labels describe)');
    const mapping = opts.mapping ?? 'canonical';
    // From the pack as loaded, disabled rules included: a pattern planted for a disabled CTR rule is still no laundering.
    const reporting = new Set(loadRules(opts.rules, opts.params).rules.filter((r) => r.purpose === 'reporting').map((r) => r.id));
    return { scanned: exports[0]!, patterns: null, mapping, source: labelSource(await readLabels(opts.labels), loadMapping(mapping), reporting) };
  }
  if (patterns.length > 1 || exports.length > 1 || opts.files.length === 0) {
    throw new AmlError('usage', 'give an AMLworld transaction file (*_Trans.csv), a pattern file (*_Patterns.txt), or one of each; or an export with --labels');
  }
  const mapping = opts.mapping ?? 'ibm-amlworld';
  const patternFile = patterns[0] === undefined ? undefined : readPatternFile(patterns[0]);
  if (exports[0] !== undefined) return { scanned: exports[0], patterns: patterns[0] ?? null, mapping, source: transactionSource(patternFile) };
  return { scanned: patterns[0]!, patterns: patterns[0]!, mapping, source: patternSource(patternFile!) };
}

function runFigures(s: ScanSummary, store: string | null): Evaluation['run'] {
  return { run_id: s.run_id, store, records: s.records, rejected: s.rejected, alerts: s.alerts, cases: s.cases };
}
