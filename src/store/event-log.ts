/**
 * The case event log. Triggers refuse UPDATE and DELETE on it, and each case's events form a hash chain:
 * an event's hash is the SHA-256 of the case's previous hash and the event's own fields, so that an event
 * changed, removed or reordered after it was written (say, with the triggers dropped) no longer follows
 * from the events before it, unless every later hash was recomputed too (there is no key): a hash kept
 * outside the store, in an evidence pack or an exported history, is what pins the log down.
 * `amlscreen cases verify` walks every chain.
 */
import { createHash } from 'node:crypto';
import type { Db } from './store.js';

export interface EventFields {
  case_id: number;
  at: string;
  user: string | null;
  kind: string;
  /** The event's data as stored: JSON text. */
  data: string;
}

/**
 * SHA-256, in hex, of the JSON array [previous hash, case_id, at, user_name, kind, data_json]; the
 * previous hash of a case's first event is ''. Anyone can recompute it from history.json.
 */
export function eventHash(previous: string, e: EventFields): string {
  return createHash('sha256').update(JSON.stringify([previous, e.case_id, e.at, e.user, e.kind, e.data])).digest('hex');
}

/** Gives a connection the event_hash() SQL function the insert uses. */
export function registerEventHash(db: Db): void {
  db.function('event_hash', { deterministic: true }, (previous, caseId, at, user, kind, data) =>
    eventHash(previous as string, { case_id: Number(caseId), at: at as string, user: user as string | null, kind: kind as string, data: data as string }));
}

/**
 * Appends an event, chained to its case's last one in the same statement: one statement holds the write
 * lock from reading the previous hash to writing the event, so two writers cannot chain to the same one.
 */
export function eventInserter(db: Db): (e: EventFields) => void {
  const insert = db.prepare(`INSERT INTO case_events (case_id, at, user_name, kind, data_json, hash)
    VALUES (@case_id, @at, @user, @kind, @data, event_hash(
      COALESCE((SELECT hash FROM case_events WHERE case_id = @case_id ORDER BY event_id DESC LIMIT 1), ''),
      @case_id, @at, @user, @kind, @data))`);
  return (e) => {
    insert.run(e);
  };
}

/** Where a case's chain breaks: its first event whose hash does not follow, or no event at all (event_id null). */
export interface BrokenLink {
  case_id: number;
  event_id: number | null;
  at: string | null;
  user: string | null;
  kind: string | null;
}

/**
 * Recomputes every case's chain: per case, the first event whose stored hash does not follow from the
 * events before it (the change is there or in the event just before, if its hash was rewritten too), and
 * the cases without any event (every case's log begins with 'created').
 */
export function verifyEventLog(db: Db): { cases: number; events: number; broken: BrokenLink[] } {
  const last = new Map<number, string>();
  const broken = new Map<number, BrokenLink>();
  let events = 0;
  const rows = db.prepare('SELECT event_id, case_id, at, user_name, kind, data_json, hash FROM case_events ORDER BY event_id').iterate() as
    IterableIterator<{ event_id: number; case_id: number; at: string; user_name: string | null; kind: string; data_json: string; hash: string | null }>;
  for (const r of rows) {
    events++;
    const fields = { case_id: r.case_id, at: r.at, user: r.user_name, kind: r.kind, data: r.data_json };
    const expected = eventHash(last.get(r.case_id) ?? '', fields);
    if (r.hash !== expected && !broken.has(r.case_id)) broken.set(r.case_id, { case_id: r.case_id, event_id: r.event_id, at: r.at, user: r.user_name, kind: r.kind });
    // The chain goes on from the hash as stored, so that one changed event is reported once, not with every later one.
    last.set(r.case_id, r.hash ?? expected);
  }
  const empty = db.prepare('SELECT case_id FROM cases WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = cases.case_id) ORDER BY case_id').all() as Array<{ case_id: number }>;
  for (const c of empty) broken.set(c.case_id, { case_id: c.case_id, event_id: null, at: null, user: null, kind: null });
  return { cases: last.size + empty.length, events, broken: [...broken.values()].sort((a, b) => a.case_id - b.case_id) };
}

/** Migration 5: the hash column, filled in for the events already written, in the order they were written. */
export function chainExistingEvents(db: Db): void {
  // A store whose triggers someone dropped, or that has the column already, is still upgraded (and then verified).
  const columns = db.prepare('SELECT name FROM pragma_table_info(?)').all('case_events') as Array<{ name: string }>;
  if (!columns.some((c) => c.name === 'hash')) db.exec('ALTER TABLE case_events ADD COLUMN hash TEXT');
  db.exec('DROP TRIGGER IF EXISTS case_events_append_only_update; DROP TRIGGER IF EXISTS case_events_append_only_delete;');
  const set = db.prepare('UPDATE case_events SET hash = ? WHERE event_id = ?');
  const last = new Map<number, string>();
  const rows = db.prepare('SELECT event_id, case_id, at, user_name, kind, data_json FROM case_events ORDER BY event_id').all() as
    Array<{ event_id: number; case_id: number; at: string; user_name: string | null; kind: string; data_json: string }>;
  for (const r of rows) {
    const hash = eventHash(last.get(r.case_id) ?? '', { case_id: r.case_id, at: r.at, user: r.user_name, kind: r.kind, data: r.data_json });
    set.run(hash, r.event_id);
    last.set(r.case_id, hash);
  }
  db.exec(`CREATE TRIGGER case_events_append_only_update BEFORE UPDATE ON case_events
    BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
  CREATE TRIGGER case_events_append_only_delete BEFORE DELETE ON case_events
    BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;`);
}
