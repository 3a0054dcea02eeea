/**
 * The amlscreen command line: argument parsing, and the one place where failures become exit codes.
 */
import { Command, CommanderError } from 'commander';
import { AmlError, formatDiagnostic } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { registerCases } from './cases-command.js';
import { registerEvaluate } from './evaluate-command.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { registerRules } from './rules-command.js';
import { registerSamples } from './samples-command.js';
import { registerReport } from './report-command.js';
import { registerScan } from './scan-command.js';
import { registerStats } from './stats-command.js';

export function buildProgram(): Command {
  const program = new Command('amlscreen')
    .description('Screen exported transaction files for money-laundering patterns; review the cases in a SQLite store.')
    .version(TOOL_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerScan(program);
  registerRules(program);
  registerCases(program);
  registerSamples(program);
  registerEvaluate(program);
  registerStats(program);
  registerReport(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    process.exitCode = failure(e);
  }
}

function failure(e: unknown): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return ExitCode.ok;
    return ExitCode.usage;
  }
  if (e instanceof Error && e.name === 'SqliteError') {
    process.stderr.write(`amlscreen: the store could not be written: ${e.message}\n`);
    return ExitCode.store;
  }
  if (e instanceof AmlError) {
    for (const d of e.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
    process.stderr.write(`amlscreen: ${e.message}\n`);
    return exitCodeFor(e.kind);
  }
  process.stderr.write(`amlscreen: internal error: ${(e as Error)?.stack ?? String(e)}\nPlease report this.\n`);
  return ExitCode.internal;
}
