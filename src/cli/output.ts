/**
 * Where output goes and how it looks: results on stdout, diagnostics and progress on stderr, colour
 * only on a terminal and never with NO_COLOR.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { Option } from 'commander';
import { AmlError, formatDiagnostic, type Diagnostic } from '../errors.js';

export type Format = 'text' | 'ndjson' | 'json';
export const FORMATS: readonly Format[] = ['text', 'ndjson', 'json'];

export interface Output {
  format: Format;
  /** Colours for stdout text. */
  color: ChalkInstance;
  /** Colours for stderr text. */
  errColor: ChalkInstance;
  out(line: string): void;
  err(line: string): void;
  json(value: unknown): void;
  /** A throttled, self-erasing progress line on an interactive stderr. */
  progress(text: string): void;
  clearProgress(): void;
  diagnostic(d: Diagnostic): void;
}

function colorFor(stream: NodeJS.WriteStream): ChalkInstance {
  const enabled = stream.isTTY === true && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
  return new Chalk({ level: enabled ? 1 : 0 });
}

/** A reader that stops early (`| head`) closes stdout; the command still finishes its work and its store writes. */
let stdoutClosed = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  stdoutClosed = true;
});

function writeOut(text: string): void {
  if (!stdoutClosed) process.stdout.write(text);
}

export function createOutput(format: Format, showProgress = true): Output {
  const color = colorFor(process.stdout);
  const errColor = colorFor(process.stderr);
  const interactive = showProgress && process.stderr.isTTY === true;
  let last = 0;
  let shown = false;
  const output: Output = {
    format,
    color,
    errColor,
    out: (line) => writeOut(line + '\n'),
    err: (line) => {
      output.clearProgress();
      process.stderr.write(line + '\n');
    },
    json: (value) => writeOut(JSON.stringify(value) + '\n'),
    progress(text) {
      if (!interactive) return;
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      shown = true;
      process.stderr.write(`\r\x1b[2K${text}`);
    },
    clearProgress() {
      if (shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
    diagnostic(d) {
      const text = formatDiagnostic(d);
      output.err(d.severity === 'error' ? errColor.red(text) : errColor.yellow(text));
    },
  };
  return output;
}

export function formatOption(): Option {
  return new Option('--format <format>', 'output: text for people, ndjson or json for machines').choices(FORMATS).default('text');
}

export function storeOption(): Option {
  return new Option('--store <path>', 'the SQLite case store').default('amlscreen.db');
}

/**
 * Runs `write`, which writes the files a command was asked to write at `path`: a file-system failure (no
 * such folder, no permission, a full disk) is a usage error naming the path, not a bug.
 */
export function writingTo<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (e) {
    throw writeError(path, e);
  }
}

/** A file-system error met writing `path` as a usage error naming it; any other error as it is. */
export function writeError(path: string, e: unknown): unknown {
  // A system call's failure (ENOENT, EACCES, ENOSPC…) carries an errno; Node's own ERR_* errors are bugs.
  const errno = (e as NodeJS.ErrnoException).errno;
  return typeof errno === 'number' ? new AmlError('usage', `cannot write ${path}: ${(e as Error).message}`) : e;
}
