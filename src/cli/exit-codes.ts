/**
 * Exit codes, decided here and nowhere else. An unexpected bug exits 1, never a code that means
 * "alerts found".
 */
import type { FailureKind } from '../errors.js';

export const ExitCode = {
  /** The command did what was asked. */
  ok: 0,
  /** An unexpected internal error (a bug): report it. */
  internal: 1,
  /** Bad command-line usage: unknown option, missing argument, unknown file format, an output path that cannot be written. */
  usage: 2,
  /** Invalid rules or mapping (located errors printed), or a rule example failed (rules test). */
  config: 3,
  /** Input could not be read, or --max-errors was exceeded; the run is recorded as aborted. */
  input: 4,
  /** The store could not be opened or written (locked, not a store, newer schema). */
  store: 5,
  /** A case change was refused: a transition the lifecycle does not allow, or the case changed since --expect-version. */
  refused: 6,
  /** cases verify: a case's event log was changed after it was written. */
  tampered: 7,
  /** scan --fail-on-alerts: the scan completed and raised new alerts. */
  alerts: 10,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeFor(kind: FailureKind): ExitCode {
  return ExitCode[kind];
}
