import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { AmlError } from '../errors.js';
import type { ScanEvent } from '../engine/events.js';
import { scan } from '../engine/scan.js';
import type { InputFormat } from '../ingest/input.js';
import { isValidTimeZone, parseDuration } from '../ingest/time.js';
import { DEFAULT_RULES_DIR } from '../paths.js';
import { renderScanSummary } from '../report/scan-text.js';
import { parseParamOverride } from '../rules/load.js';
import { TOOL_VERSION } from '../version.js';
import { ExitCode } from './exit-codes.js';
import { createOutput, formatOption, storeOption, type Format, type Output } from './output.js';

interface ScanFlags {
  rules?: string[];
  mapping?: string;
  inputFormat?: InputFormat;
  sourceId?: string;
  param: string[];
  timezone?: string;
  fxRates?: string;
  businessDayCutoff?: string;
  maxErrors?: string;
  maxLateness: string;
  store: string;
  format: Format;
  user?: string;
  failOnAlerts?: boolean;
  production?: boolean;
  allowStaleReference?: boolean;
  singleThread?: boolean;
  progress: boolean;
}

const SHOWN = 20;

export function registerScan(program: Command): void {
  program.command('scan')
    .description('screen transaction exports (CSV, NDJSON, JSON array; .gz too; - for stdin) and store the cases')
    .argument('<files...>', 'export files to screen, in order')
    .option('--rules <paths...>', 'rule files or folders (default: the bundled rule pack)')
    .option('--mapping <preset|file>', 'column mapping: a preset (canonical, ibm-amlworld) or a mapping JSON file', 'canonical')
    .option('--input-format <format>', 'csv, ndjson or json, instead of guessing from the extension')
    .option('--source-id <id>', "source file id recorded on every leg (default: the file's base name)")
    .option('--param <RULE.name=value>', 'override a rule parameter (repeatable)', collect, [])
    .option('--fx-rates <file>', 'dated FX rates (CSV: date, ccy, usd_per_unit, source) that give foreign-currency legs their amount_usd')
    .option('--timezone <zone>', 'IANA time zone of the institution: naive timestamps and business days (overrides the mapping)')
    .option('--business-day-cutoff <HH:MM>', 'legs at or after this local time count on the next business day')
    .option('--max-errors <n>', 'stop after more than n rejected records (default: never stop)')
    .option('--max-lateness <duration>', "how far a subject's legs may arrive out of time order (e.g. 0, 6h, 1d)", '1d')
    .addOption(storeOption())
    .addOption(formatOption())
    .option('--user <name>', 'who ran the scan, for the audit trail (default: the OS user)')
    .option('--production', 'batch mode: refuse to run when reference data (e.g. the FATF lists) is past its refresh period')
    .option('--allow-stale-reference', 'with --production: run on out-of-date reference data anyway (recorded in the run)')
    .option('--single-thread', 'screen on one thread: the graph rules then search in the scan\'s own, not beside it (a job held to one core)')
    .option('--fail-on-alerts', `exit ${ExitCode.alerts} when the scan raised new alerts`)
    .option('--no-progress', 'no progress line on the terminal')
    .action(async (files: string[], flags: ScanFlags) => {
      process.exitCode = await runScan(files, flags);
    });
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function runScan(files: string[], flags: ScanFlags): Promise<number> {
  const output = createOutput(flags.format, flags.progress);
  const options = {
    files,
    inputFormat: flags.inputFormat,
    sourceId: flags.sourceId,
    rules: flags.rules ?? [DEFAULT_RULES_DIR],
    params: flags.param.map(parseParamOverride),
    mapping: flags.mapping,
    timezone: checkZone(flags.timezone),
    fxRates: flags.fxRates,
    cutoff: checkCutoff(flags.businessDayCutoff),
    maxErrors: flags.maxErrors === undefined ? undefined : nonNegative(flags.maxErrors, '--max-errors'),
    maxLatenessMs: lateness(flags.maxLateness),
    production: flags.production === true,
    allowStaleReference: flags.allowStaleReference === true,
    singleThread: flags.singleThread === true,
    store: flags.store,
    user: flags.user ?? safeUser(),
    command: ['scan', ...process.argv.slice(3)].join(' '),
    toolVersion: TOOL_VERSION,
  };
  const reporter = flags.format === 'text' ? textReporter(output) : flags.format === 'ndjson' ? ndjsonReporter(output) : jsonReporter(output);
  const summary = await scan(options, reporter);
  return flags.failOnAlerts && summary.new_alerts > 0 ? ExitCode.alerts : ExitCode.ok;
}

type Problem = Extract<ScanEvent, { type: 'reject' | 'warning' | 'late' }>;

/** Rejects, warnings and late legs on stderr, the first few of each kind; all of them are in the store. */
export function problemPrinter(output: Output): (e: Problem) => void {
  const counts = { reject: 0, warning: 0, late: 0 };
  const c = output.errColor;
  return (e) => {
    const n = ++counts[e.type];
    if (n <= SHOWN) output.err(describeProblem(e, c));
    else if (n === SHOWN + 1) output.err(c.dim(`… more ${e.type === 'reject' ? 'rejected records' : e.type + 's'} are stored in the run (table ${e.type === 'reject' ? 'rejects' : 'run_notices'})`));
  };
}

function textReporter(output: Output): (e: ScanEvent) => void {
  const alerts: Array<Extract<ScanEvent, { type: 'alert' }>> = [];
  const problem = problemPrinter(output);
  return (e) => {
    switch (e.type) {
      case 'progress':
        output.progress(`${e.file}: ${e.rows.toLocaleString('en-US')} records`);
        break;
      case 'reject':
      case 'warning':
      case 'late':
        problem(e);
        break;
      case 'alert':
        alerts.push(e);
        break;
      case 'summary':
        output.clearProgress();
        for (const line of renderScanSummary(e, alerts)) output.out(line);
        break;
      default:
        break;
    }
  };
}

function describeProblem(e: Problem, c: Output['errColor']): string {
  if (e.type === 'late') {
    const why = e.reason === 'evicted' ? "after the subject's earlier legs were released from memory" : 'behind legs already screened';
    return c.yellow(`${e.source}:${e.line}: late ${e.rule_id}: leg ${e.txn_id} of ${e.subject.replace(/\u0000/g, ' ')} arrived ${why}`);
  }
  const where = `${e.file}:${e.line}${e.type === 'reject' && e.pointer ? ' ' + e.pointer : ''}`;
  return e.type === 'reject' ? c.red(`${where}: rejected (${e.code}): ${e.message}`) : c.yellow(`${where}: warning (${e.code}): ${e.message}`);
}

function ndjsonReporter(output: Output): (e: ScanEvent) => void {
  const problem = problemPrinter(output);
  return (e) => {
    if (e.type === 'progress') return output.progress(`${e.file}: ${e.rows.toLocaleString('en-US')} records`);
    if (e.type === 'reject' || e.type === 'warning' || e.type === 'late') problem(e);
    output.json(e);
  };
}

function jsonReporter(output: Output): (e: ScanEvent) => void {
  const problem = problemPrinter(output);
  const doc: Record<string, unknown> & { alerts: unknown[]; rejects: unknown[]; warnings: unknown[]; late: unknown[] } = { alerts: [], rejects: [], warnings: [], late: [] };
  return (e) => {
    if (e.type === 'reject' || e.type === 'warning' || e.type === 'late') problem(e);
    if (e.type === 'run') Object.assign(doc, { run: e });
    else if (e.type === 'alert') doc.alerts.push(e);
    else if (e.type === 'reject' && doc.rejects.length < 1000) doc.rejects.push(e);
    else if (e.type === 'warning' && doc.warnings.length < 1000) doc.warnings.push(e);
    else if (e.type === 'late' && doc.late.length < 1000) doc.late.push(e);
    else if (e.type === 'summary') output.json({ ...doc, summary: e });
  };
}

export function checkZone(zone: string | undefined): string | undefined {
  if (zone !== undefined && !isValidTimeZone(zone)) throw new AmlError('usage', `--timezone: '${zone}' is not an IANA time zone (e.g. America/Chicago)`);
  return zone;
}

function checkCutoff(cutoff: string | undefined): string | undefined {
  if (cutoff !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(cutoff)) throw new AmlError('usage', `--business-day-cutoff expects HH:MM, got '${cutoff}'`);
  return cutoff;
}

function nonNegative(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw new AmlError('usage', `${flag} expects a whole number, got '${text}'`);
  return Number(text);
}

export function lateness(text: string): number {
  const ms = text === '0' ? 0 : parseDuration(text);
  if (ms === undefined) throw new AmlError('usage', `--max-lateness expects a duration such as 0, 30m, 6h or 1d, got '${text}'`);
  return ms;
}

export function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
