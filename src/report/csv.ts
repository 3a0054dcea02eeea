/**
 * CSV for people who open it in a spreadsheet: a text cell that starts with = + - @ or a tab or carriage
 * return could run as a formula, so it is prefixed with an apostrophe (the OWASP "CSV injection"
 * advice). Plain numbers (-12.50) are left as they are.
 */
import { toCsvLine } from '../samples/csv.js';

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export function spreadsheetSafe(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** A header and rows as CSV text, every cell made spreadsheet-safe. */
export function safeCsv(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return [header, ...rows].map((r) => toCsvLine(r.map(spreadsheetSafe)) + '\r\n').join('');
}
