/**
 * A scan: rules and mapping are loaded and the store opened before any data is read; then every input
 * streams through normalisation into the engine; at the end the alerts and the run are stored in one
 * transaction. Progress, rejects and results are typed events for the CLI to show.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { basename } from 'node:path';
import { AmlError } from '../errors.js';
import { loadFxTable, type FxTable } from '../ingest/fx.js';
import { detectFormat, openInput, type Input, type InputFormat, type InputSpec } from '../ingest/input.js';
import { loadMapping } from '../ingest/mapping.js';
import { compileNormaliser } from '../ingest/normalise.js';
import { loadRules, type ParamOverride } from '../rules/load.js';
import { staleReferences } from '../rules/reference.js';
import { RunWriter } from '../store/runs.js';
import { openStore } from '../store/store.js';
import type { Alert } from './alerts.js';
import { compileModifiers } from './modifiers.js';
import { Engine, type LateLeg, type RuleStats } from './engine.js';
import type { Txn } from '../ingest/canonical.js';
import type { CompiledRule } from '../rules/compile.js';
import type { ScanEvent, ScanSummary } from './events.js';

export interface ScanOptions {
  files: string[];
  inputFormat?: InputFormat;
  sourceId?: string;
  rules: string[];
  params: ParamOverride[];
  mapping?: string;
  timezone?: string;
  fxRates?: string;
  cutoff?: string;
  maxErrors?: number;
  maxLatenessMs: number;
  /** Refuse reference files past their refresh period (batch runs), unless allowStaleReference. */
  production?: boolean;
  allowStaleReference?: boolean;
  /** Run the graph rules in the scan's own thread rather than on one beside it. */
  singleThread?: boolean;
  store: string;
  user: string;
  command: string;
  toolVersion: string;
  /** Opens each input (default openInput): evaluate reads pattern files through it and sees every record. */
  open?: (spec: InputSpec) => Promise<Input>;
}

const PROGRESS_EVERY = 100_000;

export async function scan(opts: ScanOptions, emit: (e: ScanEvent) => void): Promise<ScanSummary> {
  const { rules, references } = loadRules(opts.rules, opts.params);
  const modifiers = compileModifiers(references);
  const stale = staleReferences(references.all(), new Date().toISOString().slice(0, 10)).map(({ ref, ageDays }) => ({
    file: ref.file, line: ref.asOfLine, code: 'stale-reference',
    message: `reference ${ref.info.name} is ${ageDays} days old (as of ${ref.info.as_of}; refresh every ${ref.refreshDays} days): alerts may miss newer list changes`,
  }));
  if (stale.length > 0 && opts.production && !opts.allowStaleReference) {
    throw new AmlError('config', 'reference data is out of date (--production); update it, or pass --allow-stale-reference to run anyway', stale.map((w) => ({
      code: w.code, severity: 'error' as const, message: w.message, location: { file: w.file, line: w.line },
    })));
  }
  const active = rules.filter((r) => r.enabled);
  const mapping = loadMapping(opts.mapping);
  const fx = opts.fxRates === undefined ? undefined : loadFxTable(opts.fxRates);
  for (const file of opts.files) {
    detectFormat(file, opts.inputFormat);
    checkReadable(file);
  }
  const db = openStore(opts.store);
  const runId = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}-${randomBytes(3).toString('hex')}`;
  const settings = {
    rules: opts.rules, params: opts.params.map((p) => p.text), mapping: mapping.origin, timezone: opts.timezone ?? null,
    production: opts.production === true, allow_stale_reference: opts.allowStaleReference === true,
    business_day_cutoff: opts.cutoff ?? null, max_errors: opts.maxErrors ?? null, max_lateness_ms: opts.maxLatenessMs,
    input_format: opts.inputFormat ?? null, single_thread: opts.singleThread === true,
    fx_rates: fx ? { file: fx.file, sha256: fx.sha256, max_age_days: fx.maxAgeDays } : null,
  };
  const writer = new RunWriter(db, { runId, startedAt: new Date().toISOString(), toolVersion: opts.toolVersion, user: opts.user, command: opts.command, settings });
  emit({ type: 'run', run_id: runId, store: opts.store, files: opts.files, rules: active.map((r) => `${r.id}@${r.version}`), mapping: mapping.origin });
  for (const w of stale) {
    writer.notice({ code: w.code, message: w.message, path: w.file, line: w.line });
    emit({ type: 'warning', ...w });
  }
  const onLate = (late: LateLeg) => {
    const why = late.reason === 'evicted'
      ? 'after the subject\'s earlier legs were released from memory (the export is not in time order)'
      : `${Math.round(late.behindMs / 60_000)} min behind legs already screened (beyond --max-lateness)`;
    writer.notice({ code: 'late-leg', message: `${late.rule}: leg ${late.txn.txn_id} of ${late.subject} arrived ${why}`, path: late.txn.src, line: late.txn.line, ruleId: late.rule });
    emit({ type: 'late', rule_id: late.rule, subject: late.subject, txn_id: late.txn.txn_id, source: late.txn.src, line: late.txn.line, behind_ms: late.behindMs, reason: late.reason });
  };
  const onDuplicate = (rule: string, subject: string, t: Txn) => {
    const message = `leg ${t.txn_id} repeats a txn_id of this file already screened for ${subject} (noticed by ${rule}); screened once`;
    writer.notice({ code: 'duplicate-leg', message, path: t.src, line: t.line, ruleId: rule });
    emit({ type: 'warning', file: t.src, line: t.line, code: 'duplicate-leg', message });
  };
  const totals = { records: 0, legs: 0, rejected: 0, warnings: 0 };
  let engine: Engine | undefined;
  try {
    // The graph rules search on a thread of their own, beside the scan, unless told to stay on one.
    engine = new Engine(active, { maxLatenessMs: opts.maxLatenessMs, graphThread: opts.singleThread !== true }, onLate, onDuplicate);
    for (const [seq, file] of opts.files.entries()) {
      await scanFile(file, seq, { opts, mapping, fx, engine, writer, totals, emit });
    }
    await engine.settle();
    const alerts = engine.finish();
    for (const alert of alerts) alert.modifiers = modifiers.apply([...alert.triggers]);
    const counts = { ...totals, alerts: alerts.length };
    const outcome = writer.complete(alerts, active, engine.stats, counts, modifiers.references);
    for (const alert of alerts) emit(alertEvent(alert, outcome.caseOf.get(alert.id)!, outcome.fresh.has(alert.id)));
    const summary: ScanSummary = {
      type: 'summary', run_id: runId, store: opts.store, ...totals, alerts: alerts.length, new_alerts: outcome.newAlerts,
      known_alerts: outcome.knownAlerts, cases: new Set(outcome.caseOf.values()).size, new_cases: outcome.newCases,
      updated_cases: outcome.updatedCases, rules: engine.stats.map((s, i) => ruleSummary(s, active[i]!)),
    };
    emit(summary);
    return summary;
  } catch (e) {
    try {
      writer.close(e instanceof AmlError && e.kind === 'input' ? 'aborted' : 'failed', { ...totals, error: (e as Error).message });
    } catch {
      // The store itself failed (locked, full): the original error says why.
    }
    throw e;
  } finally {
    engine?.close();
    db.close();
  }
}

interface FileContext {
  opts: ScanOptions;
  mapping: ReturnType<typeof loadMapping>;
  fx: FxTable | undefined;
  engine: Engine;
  writer: RunWriter;
  totals: { records: number; legs: number; rejected: number; warnings: number };
  emit: (e: ScanEvent) => void;
}

async function scanFile(path: string, seq: number, c: FileContext): Promise<void> {
  const input = await (c.opts.open ?? openInput)({ path, format: c.opts.inputFormat });
  const sourceId = c.opts.sourceId ?? (path === '-' ? 'stdin' : basename(path));
  c.writer.addInput({ seq, path, sourceId, format: input.format, gzip: input.gzip });
  const normalise = compileNormaliser(c.mapping, input.header, { sourceId, timezone: c.opts.timezone, cutoff: c.opts.cutoff, fx: c.fx });
  const file = { rows: 0, legs: 0, rejected: 0 };
  const { engine, writer, totals, emit } = c;
  try {
    for await (const batch of input.items) {
      for (const item of batch) {
        if (item.kind === 'error' && input.format === 'json' && item.code !== 'json-not-object' && item.code !== 'json-too-long') {
          // A JSON document cannot be read past a syntax error: stop rather than screen part of it.
          throw new AmlError('input', `${path}${item.pointer ? ' ' + item.pointer : ''}: ${item.message}; the rest of the file cannot be read, so the scan stops (the run is recorded as aborted)`);
        }
        file.rows++;
        const result = normalise(item);
        if (result.warnings) {
          for (const w of result.warnings) {
            totals.warnings++;
            writer.notice({ code: w.code, message: w.message, path, line: item.line });
            emit({ type: 'warning', file: path, line: item.line, code: w.code, message: w.message });
          }
        }
        if (result.reject) {
          file.rejected++;
          const pointer = item.kind === 'cells' ? undefined : item.pointer;
          const raw = item.kind === 'cells' ? item.cells.join(',') : item.kind === 'object' ? JSON.stringify(item.value) : item.raw;
          writer.reject({ sourceId, path, line: item.line, pointer, code: result.reject.code, message: result.reject.message, raw: raw?.slice(0, 2000) });
          emit({ type: 'reject', file: path, line: item.line, pointer, code: result.reject.code, message: result.reject.message });
          if (c.opts.maxErrors !== undefined && totals.rejected + file.rejected > c.opts.maxErrors) {
            throw new AmlError('input', `stopped: more than ${c.opts.maxErrors} rejected records (--max-errors); the run is recorded as aborted`);
          }
          continue;
        }
        for (const leg of result.legs) engine.push(leg);
        file.legs += result.legs.length;
      }
      if (file.rows % PROGRESS_EVERY < batch.length) emit({ type: 'progress', file: path, rows: file.rows });
      const behind = engine.backlog();
      if (behind) await behind;
    }
  } catch (e) {
    // A scan that stops part-way still records what it read of this file: in the input's counts (with no
    // digest, as the file was not read to its end) and in the run's.
    try {
      c.writer.finishInput(seq, { sha256: null, bytes: null, ...file });
    } catch {
      // The store itself failed: the scan's error says why.
    }
    addTotals(totals, file);
    throw e;
  }
  c.writer.finishInput(seq, { ...input.digest(), ...file });
  addTotals(totals, file);
}

function addTotals(totals: FileContext['totals'], file: { rows: number; legs: number; rejected: number }): void {
  totals.records += file.rows;
  totals.legs += file.legs;
  totals.rejected += file.rejected;
  file.rows = file.legs = file.rejected = 0;
}

function checkReadable(file: string): void {
  if (file === '-') return;
  try {
    accessSync(file, constants.R_OK);
  } catch (e) {
    throw new AmlError('input', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function alertEvent(alert: Alert, caseId: number, isNew: boolean): ScanEvent {
  return {
    type: 'alert', alert_id: alert.id, new: isNew, case_id: caseId, rule_id: alert.rule.id, rule_version: alert.rule.version,
    typology: alert.rule.typology, purpose: alert.rule.purpose, severity: alert.severity, subject_type: alert.subjectType, subject: alert.subject,
    case_subject: alert.caseSubject.id,
    first_ts: alert.figures.first_ts as string, last_ts: alert.figures.last_ts as string,
    evidence: alert.records.filter((t) => alert.triggers.has(t)).map((t) => t.txn_id), figures: alert.figures, narrative: alert.narrative,
  };
}

function ruleSummary(s: RuleStats, rule: CompiledRule) {
  return { rule_id: s.rule, purpose: rule.purpose, in_scope: s.inScope, not_evaluated: s.notEvaluated, missing: s.missing, late: s.late, duplicates: s.duplicates, alerts: s.alerts };
}
