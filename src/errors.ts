/**
 * Every problem amlscreen reports carries a code and a location, printed like a compiler:
 * `rules/struct.json:12:9 /window/duration: must match pattern`.
 */

export interface Location {
  file: string;
  line?: number;
  column?: number;
  /** RFC 6901 JSON Pointer inside the file or record. */
  pointer?: string;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  location?: Location;
}

export function formatLocation(loc: Location): string {
  let text = loc.file;
  if (loc.line !== undefined) text += `:${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) text += `:${loc.column}`;
  if (loc.pointer !== undefined) text += ` ${loc.pointer === '' ? '/' : loc.pointer}`;
  return text;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${formatLocation(d.location)}: ` : '';
  return `${where}${d.severity} ${d.code}: ${d.message}`;
}

/** The kinds of failure that end a command; the CLI maps each to an exit code. */
export const FailureKind = {
  usage: 'usage',
  config: 'config',
  input: 'input',
  store: 'store',
  refused: 'refused',
  tampered: 'tampered',
} as const;
export type FailureKind = (typeof FailureKind)[keyof typeof FailureKind];

/** An expected failure: bad rules, an unreadable file, a store that cannot be opened. */
export class AmlError extends Error {
  readonly kind: FailureKind;
  readonly diagnostics: Diagnostic[];

  constructor(kind: FailureKind, message: string, diagnostics: Diagnostic[] = []) {
    super(message);
    this.kind = kind;
    this.diagnostics = diagnostics;
  }
}

export function pointerEscape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointerJoin(base: string, ...tokens: Array<string | number>): string {
  return base + tokens.map((t) => '/' + pointerEscape(String(t))).join('');
}
