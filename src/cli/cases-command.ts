import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Option, type Command } from 'commander';
import { AmlError } from '../errors.js';
import { renderCase, renderCaseList, renderHistory, renderUpdates } from '../report/case-text.js';
import { safeCsv } from '../report/csv.js';
import { writeEvidencePack } from '../report/evidence-pack.js';
import { sarDraft } from '../report/sar.js';
import { caseEvents, getCase, listCases, selectCaseIds, type CaseDetail, type CaseFilter, type CaseRow } from '../store/cases.js';
import { verifyEventLog } from '../store/event-log.js';
import { caseEvidence } from '../store/evidence.js';
import { logCaseEvent, parseDisposition, parseStatus, updateCases } from '../store/lifecycle.js';
import { openStore, type Db } from '../store/store.js';
import { TOOL_VERSION } from '../version.js';
import { createOutput, formatOption, storeOption, writingTo, type Format, type Output } from './output.js';
import { safeUser } from './scan-command.js';

interface ListFlags extends CaseFilter {
  store: string;
  format: Format;
}

interface UpdateFlags {
  store: string;
  format: Format;
  status?: string;
  disposition?: string;
  assignee?: string;
  unassign?: boolean;
  note?: string;
  user?: string;
  expectVersion?: string;
  all?: boolean;
  whereStatus?: string;
  whereRule?: string;
  whereTypology?: string;
  whereSubject?: string;
  whereAssignee?: string;
}

const EXPORT_COLUMNS = ['case_id', 'subject_type', 'subject', 'status', 'disposition', 'assignee', 'version', 'score', 'severity', 'rule_ids',
  'typologies', 'alerts', 'first_ts', 'last_ts', 'total_usd', 'created_at', 'updated_at'] as const;

function exportValue(r: CaseRow, k: (typeof EXPORT_COLUMNS)[number]): unknown {
  const v = r[k];
  return Array.isArray(v) ? v.join(';') : v;
}

function caseOrFail(db: Db, id: string, store: string): CaseDetail {
  const detail = getCase(db, caseId(id));
  if (!detail) throw new AmlError('usage', `no case ${id} in ${store}`);
  return detail;
}

function caseId(text: string): number {
  if (!/^\d+$/.test(text)) throw new AmlError('usage', `a case id is a number, got '${text}'`);
  return Number(text);
}

/** A list as NDJSON (one object a line), one JSON array, or text lines. */
function printList<T>(output: Output, items: readonly T[], render: (items: readonly T[]) => string[]): void {
  if (output.format === 'ndjson') items.forEach((x) => output.json(x));
  else if (output.format === 'json') output.json(items);
  else render(items).forEach((l) => output.out(l));
}

/** Opens the store, runs the command's work, closes the store whatever happens. */
function withStore<T>(path: string, readonly: boolean, work: (db: Db) => T): T {
  const db = openStore(path, { readonly });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

export function registerCases(program: Command): void {
  const cases = program.command('cases').description('review the cases in the store');
  cases.command('list')
    .description('list cases, most severe first')
    .addOption(storeOption())
    .option('--status <status>', 'only cases with this status (new, in_review, escalated, closed)')
    .option('--rule <id>', 'only cases with an alert from this rule')
    .option('--typology <name>', 'only cases with an alert of this typology')
    .option('--subject <id>', 'only cases of this subject (e.g. a customer id)')
    .option('--assignee <name>', 'only cases assigned to this investigator')
    .addOption(formatOption())
    .action((flags: ListFlags) => {
      const output = createOutput(flags.format);
      const rows = withStore(flags.store, true, (db) => listCases(db, flags));
      printList(output, rows, renderCaseList);
    });
  cases.command('show')
    .description('show one case: alerts, figures, thresholds, narrative, evidence legs with file:line, history')
    .argument('<case>', 'case id')
    .addOption(storeOption())
    .addOption(formatOption())
    .action((id: string, flags: { store: string; format: Format }) => {
      const output = createOutput(flags.format);
      const detail = withStore(flags.store, true, (db) => getCase(db, caseId(id)));
      if (!detail) throw new AmlError('usage', `no case ${id} in ${flags.store}`);
      if (flags.format === 'text') renderCase(detail).forEach((l) => output.out(l));
      else output.json(detail);
    });
  cases.command('update')
    .description('change cases: status (new → in_review → escalated → closed), disposition, assignee, a note; each change is logged')
    .argument('[cases...]', 'case ids (or select them with --all and --where-* filters)')
    .addOption(storeOption())
    .option('--status <status>', 'new status: in_review, escalated or closed (closed needs --disposition; in_review reopens a closed case, with --note)')
    .option('--disposition <d>', 'when closing: false_positive, no_action (from review or escalation), sar_filed, referred (from escalation)')
    .option('--assignee <name>', 'assign the case to this investigator')
    .option('--unassign', 'remove the assignee')
    .option('--note <text>', 'why: recorded with the change in the case history')
    .option('--user <name>', 'who makes the change, for the audit trail (default: the OS user)')
    .option('--expect-version <n>', 'refuse the change if the case has changed since this version (shown by cases show)')
    .option('--all', 'update every case the --where-* filters select')
    .option('--where-status <status>', 'with --all: only cases with this status')
    .option('--where-rule <id>', 'with --all: only cases with an alert from this rule')
    .option('--where-typology <name>', 'with --all: only cases with an alert of this typology')
    .option('--where-subject <id>', 'with --all: only cases of this subject')
    .option('--where-assignee <name>', 'with --all: only cases assigned to this investigator')
    .addOption(formatOption())
    .action((ids: string[], flags: UpdateFlags) => {
      const output = createOutput(flags.format);
      if (ids.length > 0 === (flags.all === true)) throw new AmlError('usage', 'give case ids, or --all with --where-* filters (not both)');
      if (flags.assignee !== undefined && flags.unassign) throw new AmlError('usage', '--assignee and --unassign contradict each other');
      if (flags.expectVersion !== undefined && !/^\d+$/.test(flags.expectVersion)) throw new AmlError('usage', `--expect-version expects a number, got '${flags.expectVersion}'`);
      const change = {
        status: flags.status === undefined ? undefined : parseStatus(flags.status),
        disposition: flags.disposition === undefined ? undefined : parseDisposition(flags.disposition),
        assignee: flags.unassign ? null : flags.assignee,
        note: flags.note,
      };
      const results = withStore(flags.store, false, (db) => {
        const selected = flags.all ? selectCaseIds(db, {
          status: flags.whereStatus, rule: flags.whereRule, typology: flags.whereTypology, subject: flags.whereSubject, assignee: flags.whereAssignee,
        }) : ids.map(caseId);
        if (selected.length === 0) throw new AmlError('usage', 'no case matches the --where-* filters');
        return updateCases(db, selected, change, flags.user ?? safeUser(), flags.expectVersion === undefined ? undefined : Number(flags.expectVersion));
      });
      printList(output, results, renderUpdates);
    });
  cases.command('export')
    .description('export cases as CSV (safe to open in a spreadsheet), JSON or NDJSON')
    .addOption(storeOption())
    .addOption(new Option('--format <format>', 'csv, json or ndjson').choices(['csv', 'json', 'ndjson']).default('csv'))
    .option('--out <file>', 'write to this file (default: stdout)')
    .option('--status <status>', 'only cases with this status')
    .option('--rule <id>', 'only cases with an alert from this rule')
    .option('--typology <name>', 'only cases with an alert of this typology')
    .option('--subject <id>', 'only cases of this subject')
    .option('--assignee <name>', 'only cases assigned to this investigator')
    .action((flags: CaseFilter & { store: string; format: 'csv' | 'json' | 'ndjson'; out?: string }) => {
      const rows = withStore(flags.store, true, (db) => listCases(db, flags));
      const text = flags.format === 'csv' ? safeCsv(EXPORT_COLUMNS, rows.map((r) => EXPORT_COLUMNS.map((k) => exportValue(r, k))))
        : flags.format === 'json' ? JSON.stringify(rows, null, 2) + '\n' : rows.map((r) => JSON.stringify(r) + '\n').join('');
      if (flags.out === undefined) process.stdout.write(text);
      else writingTo(flags.out, () => writeFileSync(flags.out!, text));
    });
  cases.command('pack')
    .description('write an evidence pack for a case into a new folder: case, alerts, evidence legs with file:line and input sha256, rule files, reference versions, history, SHA256SUMS')
    .argument('<case>', 'case id')
    .requiredOption('--out <dir>', 'a new (or empty) folder')
    .addOption(storeOption())
    .option('--user <name>', 'who exports, for the case history (default: the OS user)')
    .action((id: string, flags: { store: string; out: string; user?: string }) => {
      const files = withStore(flags.store, false, (db) => {
        const detail = caseOrFail(db, id, flags.store);
        const written = writingTo(flags.out, () => writeEvidencePack(flags.out, detail, caseEvidence(db, detail), { generatedAt: new Date().toISOString(), toolVersion: TOOL_VERSION, store: flags.store }));
        logCaseEvent(db, detail.case_id, flags.user ?? safeUser(), 'evidence_pack_written', { out: flags.out, files: written.length + 1 });
        return written;
      });
      process.stdout.write(`Wrote ${files.length + 1} files to ${flags.out} (check them with: cd ${flags.out} && sha256sum -c SHA256SUMS)\n`);
    });
  cases.command('sar')
    .description('write a SAR narrative draft for a case (who, what, when, where, why, how; key terms) and its evidence CSV of at most 1 MB')
    .argument('<case>', 'case id')
    .requiredOption('--out <dir>', 'folder for sar-draft-case-<id>.md and sar-evidence-case-<id>.csv')
    .addOption(storeOption())
    .option('--user <name>', 'who drafts, for the case history (default: the OS user)')
    .action((id: string, flags: { store: string; out: string; user?: string }) => {
      const [md, csv] = [join(flags.out, `sar-draft-case-${id}.md`), join(flags.out, `sar-evidence-case-${id}.csv`)];
      const draft = withStore(flags.store, false, (db) => {
        const detail = caseOrFail(db, id, flags.store);
        const d = sarDraft(detail, caseEvidence(db, detail), new Date().toISOString(), TOOL_VERSION, basename(csv));
        writingTo(flags.out, () => {
          mkdirSync(flags.out, { recursive: true });
          writeFileSync(md, d.markdown);
          writeFileSync(csv, d.csv);
        });
        logCaseEvent(db, detail.case_id, flags.user ?? safeUser(), 'sar_draft_written', { markdown: md, csv, rows: d.rowsWritten, of: d.rowsTotal });
        return d;
      });
      process.stdout.write(`Wrote ${md} (a draft for review) and ${csv} (${draft.rowsWritten} of ${draft.rowsTotal} evidence rows)\n`);
    });
  cases.command('history')
    .description('the append-only log of a case: who changed what, when, and why')
    .argument('<case>', 'case id')
    .addOption(storeOption())
    .addOption(formatOption())
    .action((id: string, flags: { store: string; format: Format }) => {
      const output = createOutput(flags.format);
      const events = withStore(flags.store, true, (db) => {
        if (!db.prepare('SELECT 1 FROM cases WHERE case_id = ?').get(caseId(id))) throw new AmlError('usage', `no case ${id} in ${flags.store}`);
        return caseEvents(db, caseId(id));
      });
      printList(output, events, renderHistory);
    });
  cases.command('verify')
    .description("check every case's event log against its hash chain: an event changed, removed or reordered after it was written no longer follows from the ones before (exit 7)")
    .addOption(storeOption())
    .addOption(formatOption())
    .action((flags: { store: string; format: Format }) => {
      const output = createOutput(flags.format);
      const result = withStore(flags.store, true, verifyEventLog);
      if (output.format !== 'text') output.json(result);
      else {
        output.out(`${result.events.toLocaleString('en-US')} events of ${result.cases.toLocaleString('en-US')} cases checked.`);
        for (const b of result.broken) {
          output.out(b.event_id === null
            ? `Case ${b.case_id}: its log has no events; every case's log begins with the event that created it.`
            : `Case ${b.case_id}: event ${b.event_id} (${b.kind} by ${b.user ?? 'unknown'} at ${b.at}) does not follow from the case's earlier events: the log was changed there or just before it.`);
        }
        if (result.broken.length === 0) output.out("Every case's log follows from its first event.");
      }
      if (result.broken.length > 0) {
        throw new AmlError('tampered', `the event log of ${result.broken.length} case(s) in ${flags.store} was changed after it was written (cases ${result.broken.map((b) => b.case_id).join(', ')})`);
      }
    });
}
