/**
 * A case's lifecycle: new → in review → escalated → closed (with a disposition), changed only through
 * updateCase. Each change is checked against the case as it is inside one write transaction, bumps the
 * case's version and appends an event (who, when, what changed, the note), so two investigators sharing
 * a store never overwrite each other: the second change is judged against the first one's result, and a
 * change made against an older version (`expectVersion`) is refused.
 */
import { AmlError } from '../errors.js';
import { eventInserter } from './event-log.js';
import type { Db } from './store.js';

export const STATUSES = ['new', 'in_review', 'escalated', 'closed'] as const;
export const DISPOSITIONS = ['false_positive', 'no_action', 'sar_filed', 'referred'] as const;
export type Status = (typeof STATUSES)[number];
export type Disposition = (typeof DISPOSITIONS)[number];

/** Where each status may go. Closing from review is the usual false positive; a reopened case goes back to review. */
const NEXT: Record<Status, readonly Status[]> = {
  new: ['in_review'],
  in_review: ['escalated', 'closed'],
  escalated: ['in_review', 'closed'],
  closed: ['in_review'],
};

/** A SAR or a referral is decided on an escalated case; a case closed from review was a false positive or needed no action. */
const DISPOSITIONS_FROM: Record<Disposition, readonly Status[]> = {
  false_positive: ['in_review', 'escalated'],
  no_action: ['in_review', 'escalated'],
  sar_filed: ['escalated'],
  referred: ['escalated'],
};

export interface CaseChange {
  status?: Status;
  disposition?: Disposition;
  /** A name, or null to unassign. */
  assignee?: string | null;
  note?: string;
}

export interface CaseState {
  case_id: number;
  status: Status;
  disposition: Disposition | null;
  assignee: string | null;
  version: number;
  updated_at: string;
}

export interface UpdateResult {
  before: CaseState;
  after: CaseState;
  changes: Record<string, [unknown, unknown]>;
}

export function parseStatus(value: string): Status {
  if ((STATUSES as readonly string[]).includes(value)) return value as Status;
  throw new AmlError('usage', `unknown status '${value}' (use ${STATUSES.join(', ')})`);
}

export function parseDisposition(value: string): Disposition {
  if ((DISPOSITIONS as readonly string[]).includes(value)) return value as Disposition;
  throw new AmlError('usage', `unknown disposition '${value}' (use ${DISPOSITIONS.join(', ')})`);
}

/**
 * Applies one change to each case, all or none: if any case cannot take it, nothing is written and the
 * error names every case and why.
 */
export function updateCases(db: Db, ids: readonly number[], change: CaseChange, user: string, expectVersion?: number): UpdateResult[] {
  if (change.status === undefined && change.disposition === undefined && change.assignee === undefined && change.note === undefined) {
    throw new AmlError('usage', 'nothing to change: give --status, --disposition, --assignee or --note');
  }
  if (expectVersion !== undefined && ids.length !== 1) throw new AmlError('usage', '--expect-version needs exactly one case');
  const read = db.prepare('SELECT case_id, status, disposition, assignee, version, updated_at FROM cases WHERE case_id = ?');
  const write = db.prepare(`UPDATE cases SET status = @status, disposition = @disposition, assignee = @assignee, updated_at = @now,
                            closed_at = CASE WHEN @status = 'closed' THEN @now ELSE NULL END, version = version + 1
                            WHERE case_id = @case_id AND version = @version`);
  const event = eventInserter(db);
  return db.transaction(() => {
    const now = new Date().toISOString();
    const problems: string[] = [];
    const planned = ids.map((id) => {
      const before = read.get(id) as CaseState | undefined;
      if (!before) throw new AmlError('usage', `no case ${id} in the store; nothing changed`);
      if (expectVersion !== undefined && before.version !== expectVersion) {
        const last = db.prepare('SELECT at, user_name, kind FROM case_events WHERE case_id = ? ORDER BY event_id DESC LIMIT 1').get(id) as
          { at: string; user_name: string | null; kind: string };
        problems.push(`case ${id} changed since version ${expectVersion} (now version ${before.version}; last: ${last.kind} by ${last.user_name ?? 'unknown'} at ${last.at}); ` +
          'review it again (cases show) and repeat the change with the new version');
        return undefined;
      }
      const why = refusal(before, change);
      if (why) {
        problems.push(`case ${id}: ${why}`);
        return undefined;
      }
      return { before, after: applied(before, change) };
    });
    // A change to several cases is all or none: say so even when one of them refused it.
    if (problems.length > 0) throw new AmlError('refused', ids.length === 1 ? problems[0]! : `no case changed:\n  ${problems.join('\n  ')}`);
    return planned.map((p) => {
      const { before, after } = p!;
      const changes: Record<string, [unknown, unknown]> = {};
      for (const k of ['status', 'disposition', 'assignee'] as const) if (before[k] !== after[k]) changes[k] = [before[k], after[k]];
      if (Object.keys(changes).length > 0) {
        write.run({ ...after, now, version: before.version });
      } else {
        db.prepare('UPDATE cases SET version = version + 1, updated_at = ? WHERE case_id = ?').run(now, before.case_id);
      }
      const kind = changes.status ? (before.status === 'closed' ? 'reopened' : 'status_changed') : Object.keys(changes).length > 0 ? 'updated' : 'note';
      event({ case_id: before.case_id, at: now, user, kind, data: JSON.stringify({ changes, ...(change.note === undefined ? {} : { note: change.note }) }) });
      return { before, after: { ...after, version: before.version + 1, updated_at: now }, changes };
    });
  }).immediate();
}

function refusal(c: CaseState, change: CaseChange): string | undefined {
  const to = change.status ?? c.status;
  if (change.status !== undefined && change.status !== c.status && !NEXT[c.status].includes(change.status)) {
    return `cannot go from ${c.status} to ${change.status} (from ${c.status}: ${NEXT[c.status].join(' or ')})`;
  }
  if (to === 'closed' && c.status !== 'closed' && change.disposition === undefined) {
    return `closing needs a disposition (--disposition ${DISPOSITIONS.join('|')})`;
  }
  if (change.disposition !== undefined) {
    if (to !== 'closed' || c.status === 'closed') return 'a disposition is given when closing a case (--status closed --disposition ...)';
    if (!DISPOSITIONS_FROM[change.disposition].includes(c.status)) {
      return `${change.disposition} is decided on a case in ${DISPOSITIONS_FROM[change.disposition].join(' or ')}, not ${c.status} (escalate it first)`;
    }
  }
  if (c.status === 'closed' && change.status === 'in_review' && !change.note) return 'reopening a closed case needs a --note saying why';
  if (c.status === 'closed' && change.assignee !== undefined && change.status === undefined) return 'the case is closed: reopen it (--status in_review) to reassign it';
  return undefined;
}

function applied(c: CaseState, change: CaseChange): CaseState {
  const status = change.status ?? c.status;
  return {
    ...c,
    status,
    disposition: status === 'closed' ? (change.disposition ?? c.disposition) : null,
    assignee: change.assignee === undefined ? c.assignee : change.assignee,
  };
}

/** Records something done with a case that does not change it (an export): logged, version unchanged. */
export function logCaseEvent(db: Db, caseId: number, user: string, kind: string, data: Record<string, unknown>): void {
  eventInserter(db)({ case_id: caseId, at: new Date().toISOString(), user, kind, data: JSON.stringify(data) });
}
