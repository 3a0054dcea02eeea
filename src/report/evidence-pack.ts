/**
 * An evidence pack: one folder per case that a reviewer can check without amlscreen. The case and its
 * alerts as JSON, the evidence legs as CSV with the file:line and input sha256 each came from, the exact
 * rule files that judged them, the reference data versions, the event log, and SHA256SUMS over all of it
 * (`sha256sum -c SHA256SUMS`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AmlError } from '../errors.js';
import type { CaseDetail } from '../store/cases.js';
import type { CaseEvidence, EvidenceLeg } from '../store/evidence.js';
import { safeCsv } from './csv.js';

/** The record fields an evidence table shows, in order; the rest stay in case.json. */
export const LEG_COLUMNS = [
  'txn_id', 'booking_ts', 'business_date', 'account_id', 'customer_id', 'direction', 'channel', 'amount', 'currency', 'amount_usd',
  'cp_name', 'cp_account', 'cp_bank_name', 'cp_country', 'branch_id', 'branch_city', 'branch_state', 'conductor_id',
] as const;

export function evidenceRow(leg: EvidenceLeg): unknown[] {
  return [
    leg.alert_id, leg.rule_id, leg.role, ...LEG_COLUMNS.map((c) => leg.record[c]),
    leg.record.source_file_id, leg.record.source_row, leg.input?.path, leg.input?.sha256,
  ];
}

export const EVIDENCE_HEADER = ['alert_id', 'rule_id', 'role', ...LEG_COLUMNS, 'source_file', 'source_row', 'input_path', 'input_sha256'];

export interface PackInfo {
  generatedAt: string;
  toolVersion: string;
  store: string;
}

/** Writes the pack into `dir` (new or empty) and returns the files written with their sha256. */
export function writeEvidencePack(dir: string, c: CaseDetail, ev: CaseEvidence, info: PackInfo): Array<{ file: string; sha256: string }> {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new AmlError('usage', `${dir} is not empty; give a new folder for the evidence pack`);
  mkdirSync(join(dir, 'rules'), { recursive: true });
  const files = new Map<string, string>();
  const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';
  const { events, ...caseOnly } = c;
  files.set('case.json', json({ generated_at: info.generatedAt, tool_version: info.toolVersion, store: info.store, case: caseOnly }));
  files.set('evidence.csv', safeCsv(EVIDENCE_HEADER, ev.legs.map(evidenceRow)));
  files.set('inputs.json', json(ev.inputs));
  files.set('references.json', json(ev.references));
  files.set('history.json', json(events));
  const missing: string[] = [];
  for (const r of ev.rules) {
    if (r.text === undefined) missing.push(`${r.rule_id} ${r.rule_version} (sha256 ${r.sha256})`);
    else files.set(`rules/${r.rule_id}-${r.rule_version}-${r.sha256.slice(0, 12)}.json`, r.text);
  }
  files.set('README.txt', readme(c, ev, info, missing));
  const written = [...files].map(([file, text]) => {
    writeFileSync(join(dir, file), text);
    return { file, sha256: createHash('sha256').update(text).digest('hex') };
  });
  writeFileSync(join(dir, 'SHA256SUMS'), written.map((w) => `${w.sha256}  ${w.file}\n`).join(''));
  return written;
}

function readme(c: CaseDetail, ev: CaseEvidence, info: PackInfo, missing: string[]): string {
  return [
    `Evidence pack for case ${c.case_id} (${c.subject_type} ${c.subject}), status ${c.status}${c.disposition ? ` (${c.disposition})` : ''}, version ${c.version}.`,
    `Written ${info.generatedAt} by amlscreen ${info.toolVersion} from the store ${info.store}.`,
    '',
    'Files',
    '  case.json        the case, its alerts (rule, version, rule sha256, figures, parameters, narrative, reference',
    '                   data versions) and each alert\'s evidence records as stored',
    `  evidence.csv     the ${ev.legs.length} evidence legs, one row per alert and leg: role (trigger or context), the`,
    '                   canonical fields, and the source file, line, input path and input sha256 each came from',
    '  inputs.json      the input files of the runs that raised the alerts, with their sha256',
    '  rules/           the rule files exactly as scanned; each file\'s sha256 is the alert\'s rule_sha256',
    '  references.json  the reference data (lists, tables) the rules read: name, version, as-of date, sha256',
    '  history.json     the case\'s event log: who changed what, when and why, each event with the hash that chains it',
    '                   to the one before',
    '',
    'To verify without amlscreen',
    '  sha256sum -c SHA256SUMS                  every file of this pack is as written',
    '  sha256sum <input file>                   equals input_sha256 in evidence.csv and inputs.json',
    '  sed -n <source_row>p <input file>        shows the evidence leg\'s row (source_row is the line number)',
    '  sha256sum rules/*.json                   each equals a rule_sha256 in case.json',
    '  each event\'s hash in history.json        is the SHA-256 (hex) of the JSON array [previous event\'s hash ("" for the',
    '                                           first), case id, at, user, kind, JSON text of data], as JavaScript\'s',
    '                                           JSON.stringify writes it (no spaces, other than ASCII not escaped) in UTF-8;',
    '                                           in Python: json.dumps(x, separators=(",", ":"), ensure_ascii=False).encode()',
    ...(missing.length > 0 ? ['', 'Rule files not in the store (scanned before it kept rule texts); check them by sha256 against your rule repository:', ...missing.map((m) => `  ${m}`)] : []),
    '',
  ].join('\n');
}
