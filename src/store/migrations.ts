/**
 * The store's schema, as an append-only list of migrations: SQL, or a function for one that computes
 * (hashes). Each runs in a transaction and bumps PRAGMA user_version; a shipped migration is never
 * edited, a change is a new entry.
 */
import { chainExistingEvents } from './event-log.js';
import type { Db } from './store.js';

export const MIGRATIONS: ReadonlyArray<string | ((db: Db) => void)> = [
  // 1: runs, evidence, alerts, cases, rejects
  `
  CREATE TABLE runs (
    run_id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'aborted', 'failed')),
    tool_version TEXT NOT NULL,
    user_name TEXT,
    command TEXT NOT NULL,
    settings_json TEXT NOT NULL,
    counts_json TEXT
  ) STRICT;

  CREATE TABLE run_inputs (
    run_id TEXT NOT NULL REFERENCES runs (run_id),
    seq INTEGER NOT NULL,
    path TEXT NOT NULL,
    source_id TEXT NOT NULL,
    format TEXT NOT NULL,
    gzip INTEGER NOT NULL,
    sha256 TEXT,
    bytes INTEGER,
    rows INTEGER NOT NULL DEFAULT 0,
    legs INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, seq)
  ) STRICT;

  CREATE TABLE run_rules (
    run_id TEXT NOT NULL REFERENCES runs (run_id),
    rule_id TEXT NOT NULL,
    rule_version TEXT NOT NULL,
    rule_sha256 TEXT NOT NULL,
    file TEXT NOT NULL,
    params_json TEXT NOT NULL,
    in_scope INTEGER NOT NULL,
    not_evaluated INTEGER NOT NULL,
    missing_json TEXT NOT NULL,
    late INTEGER NOT NULL,
    alerts INTEGER NOT NULL,
    PRIMARY KEY (run_id, rule_id)
  ) STRICT;

  CREATE TABLE transactions (
    global_id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL,
    source_line INTEGER NOT NULL,
    txn_id TEXT NOT NULL,
    booking_ts TEXT NOT NULL,
    business_date TEXT NOT NULL,
    account_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    amount TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount_usd_cents INTEGER,
    channel TEXT NOT NULL,
    record_json TEXT NOT NULL,
    first_run_id TEXT NOT NULL REFERENCES runs (run_id)
  ) STRICT;

  CREATE TABLE cases (
    case_id INTEGER PRIMARY KEY,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_review', 'escalated', 'closed')),
    severity INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    first_ts TEXT NOT NULL,
    last_ts TEXT NOT NULL,
    total_usd_cents INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX cases_by_subject ON cases (subject_type, subject_id, status);

  CREATE TABLE alerts (
    alert_id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs (run_id),
    case_id INTEGER NOT NULL REFERENCES cases (case_id),
    rule_id TEXT NOT NULL,
    rule_version TEXT NOT NULL,
    rule_sha256 TEXT NOT NULL,
    typology TEXT NOT NULL,
    severity INTEGER NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    partition_json TEXT NOT NULL,
    first_ts TEXT NOT NULL,
    last_ts TEXT NOT NULL,
    figures_json TEXT NOT NULL,
    params_json TEXT NOT NULL,
    narrative TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX alerts_by_case ON alerts (case_id);
  CREATE INDEX alerts_by_rule ON alerts (rule_id);

  CREATE TABLE alert_evidence (
    alert_id TEXT NOT NULL REFERENCES alerts (alert_id),
    global_id TEXT NOT NULL REFERENCES transactions (global_id),
    role TEXT NOT NULL CHECK (role IN ('trigger', 'context')),
    seq INTEGER NOT NULL,
    PRIMARY KEY (alert_id, global_id)
  ) STRICT;

  CREATE TABLE case_events (
    event_id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (case_id),
    at TEXT NOT NULL,
    user_name TEXT,
    kind TEXT NOT NULL,
    data_json TEXT NOT NULL
  ) STRICT;
  CREATE INDEX case_events_by_case ON case_events (case_id);

  CREATE TABLE rejects (
    run_id TEXT NOT NULL REFERENCES runs (run_id),
    source_id TEXT NOT NULL,
    path TEXT NOT NULL,
    line INTEGER,
    pointer TEXT,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    raw TEXT
  ) STRICT;
  CREATE INDEX rejects_by_run ON rejects (run_id);

  CREATE TABLE run_notices (
    run_id TEXT NOT NULL REFERENCES runs (run_id),
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    path TEXT,
    line INTEGER,
    rule_id TEXT
  ) STRICT;
  `,
  // 2: which reference data (lists, tables) judged each run and alert; duplicate legs per rule;
  //    alert times as epoch milliseconds, so that periods order correctly across UTC offsets;
  //    case scores with their breakdown (rule severities, modifiers, typologies)
  `
  CREATE TABLE run_references (
    run_id TEXT NOT NULL REFERENCES runs (run_id),
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    as_of TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    unconfirmed INTEGER NOT NULL,
    PRIMARY KEY (run_id, name)
  ) STRICT;
  ALTER TABLE alerts ADD COLUMN references_json TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE run_rules ADD COLUMN duplicates INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE alerts ADD COLUMN first_ms INTEGER;
  ALTER TABLE alerts ADD COLUMN last_ms INTEGER;
  ALTER TABLE alerts ADD COLUMN modifiers_json TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE cases ADD COLUMN score INTEGER;
  ALTER TABLE cases ADD COLUMN score_json TEXT;
  `,
  // 3: the investigator's workflow. A case's disposition and assignee, and a version that every change
  //    increments (a change made against an older version is refused); links from a case opened after
  //    its subject's case was closed; the event log refuses updates and deletes; each rule file's text
  //    as scanned, so an evidence pack carries the exact definitions that judged its alerts.
  `
  ALTER TABLE cases ADD COLUMN disposition TEXT CHECK (disposition IN ('false_positive', 'no_action', 'sar_filed', 'referred'));
  ALTER TABLE cases ADD COLUMN assignee TEXT;
  ALTER TABLE cases ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE cases ADD COLUMN closed_at TEXT;
  CREATE TABLE case_links (
    case_id INTEGER NOT NULL REFERENCES cases (case_id),
    linked_case_id INTEGER NOT NULL REFERENCES cases (case_id),
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (case_id, linked_case_id)
  ) STRICT;
  CREATE TRIGGER case_events_append_only_update BEFORE UPDATE ON case_events
    BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
  CREATE TRIGGER case_events_append_only_delete BEFORE DELETE ON case_events
    BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
  CREATE TABLE rule_texts (
    sha256 TEXT PRIMARY KEY,
    rule_id TEXT NOT NULL,
    rule_version TEXT NOT NULL,
    text TEXT NOT NULL
  ) STRICT;
  `,
  // 4: related cases found through indexes: the legs of an account (as holder or counterparty), and the
  //    alerts citing a leg. Without them each case's related cases meant reading all the evidence.
  `
  CREATE INDEX transactions_by_account ON transactions (account_id);
  CREATE INDEX transactions_by_cp_account ON transactions (json_extract(record_json, '$.cp_account'))
    WHERE json_extract(record_json, '$.cp_account') IS NOT NULL;
  CREATE INDEX alert_evidence_by_leg ON alert_evidence (global_id);
  `,
  // 5: each case's events chained by hash (see event-log.ts), the events already written included.
  chainExistingEvents,
];
