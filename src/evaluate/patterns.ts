/**
 * IBM AMLworld pattern files: one block per laundering attempt,
 *
 *   BEGIN LAUNDERING ATTEMPT - FAN-OUT:  Max 16-degree Fan-Out
 *   2022/09/01 00:06,021174,800737690,012,80011F990,2848.96,Euro,2848.96,Euro,ACH,1
 *   END LAUNDERING ATTEMPT - FAN-OUT
 *
 * with the rows of the transaction files and no header. A malformed block makes the labels wrong, so
 * every structural problem is collected with its file:line and the file is refused as a whole.
 */
import { readFileSync } from 'node:fs';
import { AmlError, type Diagnostic } from '../errors.js';

/** The header of the AMLworld transaction files, as the ibm-amlworld mapping reads it. */
export const AMLWORLD_HEADER = [
  'Timestamp', 'From Bank', 'Account', 'To Bank', 'Account.1', 'Amount Received', 'Receiving Currency',
  'Amount Paid', 'Payment Currency', 'Payment Format', 'Is Laundering',
] as const;

export interface PatternRow {
  /** 1-based line in the pattern file. */
  line: number;
  cells: string[];
}

export interface Attempt {
  typology: string;
  /** What follows the typology on the BEGIN line, e.g. "Max 16-degree Fan-Out". */
  detail: string;
  /** The line of its BEGIN. */
  line: number;
  rows: PatternRow[];
}

export interface PatternFile {
  path: string;
  /** The file as read, for the run's record of its inputs. */
  bytes: Buffer;
  attempts: Attempt[];
  /** Every row of every attempt, in file order. */
  rows: PatternRow[];
}

const BEGIN = /^BEGIN LAUNDERING ATTEMPT - ([^:]+?)\s*(?::\s*(.*))?$/;
const END = /^END LAUNDERING ATTEMPT - (.+?)\s*$/;

export function readPatternFile(path: string): PatternFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new AmlError('input', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const { attempts, problems } = parsePatterns(bytes.toString('utf8'), path);
  if (problems.length > 0) throw new AmlError('input', `${path}: malformed pattern file (${problems.length} problem${problems.length === 1 ? '' : 's'})`, problems);
  return { path, bytes, attempts, rows: attempts.flatMap((a) => a.rows) };
}

/** Parses a pattern file's text; `file` names it in the problems. */
export function parsePatterns(text: string, file: string): { attempts: Attempt[]; problems: Diagnostic[] } {
  const attempts: Attempt[] = [];
  const problems: Diagnostic[] = [];
  const problem = (line: number, code: string, message: string) =>
    problems.push({ code, severity: 'error', message, location: { file, line } });
  let open: Attempt | undefined;
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, i) => {
    const line = i + 1;
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (content.trim() === '') return;
    const begin = BEGIN.exec(content);
    const end = END.exec(content);
    if (begin) {
      if (open) problem(line, 'pattern-unclosed', `BEGIN of a new attempt while the ${open.typology} attempt of line ${open.line} has no END`);
      open = { typology: begin[1]!, detail: begin[2]?.trim() ?? '', line, rows: [] };
      attempts.push(open);
    } else if (end) {
      if (!open) problem(line, 'pattern-end', 'END without a BEGIN');
      else if (end[1] !== open.typology) problem(line, 'pattern-end', `END of ${end[1]} closes the ${open.typology} attempt of line ${open.line}`);
      else if (open.rows.length === 0) problem(line, 'pattern-empty', `the ${open.typology} attempt of line ${open.line} has no transactions`);
      open = undefined;
    } else if (!open) {
      problem(line, 'pattern-outside', 'a line outside any BEGIN/END LAUNDERING ATTEMPT block');
    } else {
      const cells = content.split(',');
      if (cells.length !== AMLWORLD_HEADER.length) problem(line, 'row-width', `row has ${cells.length} fields, a transaction has ${AMLWORLD_HEADER.length}`);
      else open.rows.push({ line, cells });
    }
  });
  if (open) problem(open.line, 'pattern-unclosed', `the ${open.typology} attempt has no END before the end of the file`);
  return { attempts, problems };
}

/**
 * What identifies a transaction across a transaction file and a pattern file: its content. Bank ids are
 * read as integers (pandas copies drop the leading zeros) and amounts as numbers ("300.90" is "300.9").
 */
export function rowKey(cells: readonly string[]): string {
  const [ts, fromBank, fromAccount, toBank, toAccount, received, receivedCcy, paid, paidCcy, format] = cells;
  return [ts?.trim(), bank(fromBank), fromAccount?.trim(), bank(toBank), toAccount?.trim(), amount(received), receivedCcy?.trim(),
    amount(paid), paidCcy?.trim(), format?.trim()].join('|');
}

function bank(text: string | undefined): string | undefined {
  const t = text?.trim();
  return t !== undefined && /^\d+$/.test(t) ? String(BigInt(t)) : t;
}

function amount(text: string | undefined): string | undefined {
  const t = text?.trim();
  const n = Number(t);
  return t === undefined || t === '' || Number.isNaN(n) ? t : String(n);
}
