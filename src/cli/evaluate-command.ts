import { Option, type Command } from 'commander';
import { evaluate } from '../evaluate/evaluate.js';
import { DEFAULT_RULES_DIR } from '../paths.js';
import { renderEvaluation } from '../report/evaluation-text.js';
import { parseParamOverride } from '../rules/load.js';
import { TOOL_VERSION } from '../version.js';
import { ExitCode } from './exit-codes.js';
import { createOutput } from './output.js';
import { checkZone, collect, lateness, problemPrinter, safeUser } from './scan-command.js';

interface EvaluateFlags {
  labels?: string;
  rules?: string[];
  mapping?: string;
  param: string[];
  fxRates?: string;
  timezone?: string;
  maxLateness: string;
  singleThread?: boolean;
  store?: string;
  format: 'text' | 'json';
  user?: string;
  progress: boolean;
}

export function registerEvaluate(program: Command): void {
  program.command('evaluate')
    .description('scan a labelled data set and report detection quality: per typology, per rule and per transaction')
    .argument('<files...>', 'IBM AMLworld: a *_Trans.csv and/or a *_Patterns.txt; or a generated export with --labels')
    .option('--labels <file>', 'the labels.csv `amlscreen samples generate` wrote beside the export')
    .option('--rules <paths...>', 'rule files or folders (default: the bundled rule pack)')
    .option('--mapping <preset|file>', 'column mapping (default: ibm-amlworld, or canonical with --labels)')
    .option('--param <RULE.name=value>', 'override a rule parameter (repeatable)', collect, [])
    .option('--fx-rates <file>', 'dated FX rates (CSV: date, ccy, usd_per_unit, source) that give foreign-currency legs their amount_usd')
    .option('--timezone <zone>', 'IANA time zone of the institution (overrides the mapping)')
    .option('--max-lateness <duration>', "how far a subject's legs may arrive out of time order; pattern files are not in time order", '400d')
    .option('--single-thread', 'screen on one thread: the graph rules then search in the scan\'s own, not beside it')
    .option('--store <path>', 'keep the run and its cases in this store (default: a temporary store, removed afterwards)')
    .addOption(new Option('--format <format>', 'output: text for people, json for machines').choices(['text', 'json']).default('text'))
    .option('--user <name>', 'who ran the evaluation, for the audit trail (default: the OS user)')
    .option('--no-progress', 'no progress line on the terminal')
    .action(async (files: string[], flags: EvaluateFlags) => {
      process.exitCode = await runEvaluate(files, flags);
    });
}

async function runEvaluate(files: string[], flags: EvaluateFlags): Promise<number> {
  const output = createOutput(flags.format, flags.progress);
  const problem = problemPrinter(output);
  const result = await evaluate({
    files, labels: flags.labels, mapping: flags.mapping, rules: flags.rules ?? [DEFAULT_RULES_DIR], params: flags.param.map(parseParamOverride),
    fxRates: flags.fxRates, timezone: checkZone(flags.timezone), maxLatenessMs: lateness(flags.maxLateness), singleThread: flags.singleThread === true, store: flags.store,
    user: flags.user ?? safeUser(), command: ['evaluate', ...process.argv.slice(3)].join(' '), toolVersion: TOOL_VERSION,
  }, (e) => {
    if (e.type === 'progress') output.progress(`${e.file}: ${e.rows.toLocaleString('en-US')} records`);
    else if (e.type === 'reject' || e.type === 'warning' || e.type === 'late') problem(e);
  });
  output.clearProgress();
  if (flags.format === 'json') output.json(result);
  else for (const line of renderEvaluation(result)) output.out(line);
  return ExitCode.ok;
}
