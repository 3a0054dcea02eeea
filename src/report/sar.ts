/**
 * A SAR narrative draft for one case, in the order FinCEN's SAR instructions and FFIEC Appendix L ask
 * for (who, what, when, where, why, how), with the advisory key terms the fired rules point to, and the
 * evidence as the single CSV attachment of at most 1 MB. Facts come from the case; what only the
 * institution knows is left in [brackets]. It is a draft: an alert is not by itself a reason to file.
 */
import { parseMinorUnits } from '../ingest/decimal.js';
import { formatUsd } from '../rules/narrative.js';
import type { CaseDetail } from '../store/cases.js';
import { usdCents, type CaseEvidence, type EvidenceLeg } from '../store/evidence.js';
import { EVIDENCE_HEADER, evidenceRow } from './evidence-pack.js';
import { relatedShown } from './case-text.js';
import { safeCsv } from './csv.js';

/** FinCEN's attachment limit. */
export const SAR_CSV_MAX_BYTES = 1_000_000;

/** Key terms per advisory (domain reference §7), found in the references of the rules that fired. */
const KEY_TERMS: Array<{ cites: RegExp; term: (legs: readonly EvidenceLeg[]) => string; note: string }> = [
  { cites: /FIN-2023-Alert001/, term: () => '"FIN-2023-HUMANSMUGGLING"', note: 'Field 2 and narrative; checkbox 38(g), if the activity fits the human-smuggling alert' },
  { cites: /FIN-2025-A003/, term: () => '"CMLN-2025-A003"', note: 'Field 2; 36(l), 38(n) or 38(s) as applicable, if the activity fits the CMLN advisory' },
  { cites: /FIN-2024-A002/, term: () => '"FENTANYL FIN-2024-A002"', note: 'Field 2' },
  { cites: /Section 2313a/, term: institution2313a, note: 'Field 2, for the institution actually named in the transfer' },
  { cites: /FIN-2010-A007/, term: () => '"MX Restriction"', note: 'reported by a secondary source; check the wording against the advisory' },
  { cites: /FIN-2014-A005/, term: () => '"FIN-2014-A005" and "funnel account"', note: 'key-term wording not confirmed; check the advisory' },
];

const INSTITUTIONS_2313A: Array<[RegExp, string]> = [[/cibanco/i, '"CIBanco2313a FIN-2025"'], [/intercam/i, '"Intercam2313a FIN-2025"'], [/vector/i, '"Vector2313a FIN-2025"']];

function institution2313a(legs: readonly EvidenceLeg[]): string {
  const text = legs.filter((l) => l.role === 'trigger').map((l) => [l.record.cp_name, l.record.cp_bank_name, l.record.cp_bic].join(' ')).join(' ');
  const found = INSTITUTIONS_2313A.filter(([re]) => re.test(text)).map(([, term]) => term);
  return found.length > 0 ? found.join(', ') : INSTITUTIONS_2313A.map(([, term]) => term).join(' or ');
}

const CHECKBOXES: Record<string, string> = {
  structuring: 'Item 32 Structuring (choose the subtype)',
  tbml: 'Item 36(l) Trade-based money laundering / Black Market Peso Exchange',
  funnel_account: 'Item 36 Money laundering (funnel account)',
};

export interface SarDraft {
  markdown: string;
  csv: string;
  rowsWritten: number;
  rowsTotal: number;
}

export function sarDraft(c: CaseDetail, ev: CaseEvidence, generatedAt: string, toolVersion: string, csvName: string): SarDraft {
  // One row per leg (a leg in several alerts is listed once), triggers first, in time order.
  const unique = new Map<string, EvidenceLeg>();
  const ordered = [...ev.legs].sort((a, b) => (a.role === b.role ? 0 : a.role === 'trigger' ? -1 : 1) || String(a.record.booking_ts).localeCompare(String(b.record.booking_ts)));
  for (const leg of ordered) {
    const key = `${String(leg.record.source_file_id)}:${String(leg.record.source_row)}:${String(leg.record.account_id)}`;
    if (!unique.has(key)) unique.set(key, leg);
  }
  const legs = [...unique.values()];
  const { csv, rows } = boundedCsv(legs);
  const triggers = legs.filter((l) => l.role === 'trigger');
  const references = c.alert_details.flatMap((a) => ruleReferences(a.narrative, a.rule_id, ev));
  const keyTerms = KEY_TERMS.filter((k) => references.some((r) => k.cites.test(r))).map((k) => `- ${k.term(triggers)} — ${k.note}`);
  const checkboxes = [...new Set(c.typologies.map((t) => CHECKBOXES[t] ?? `Item 36 Money laundering or Item 38 Other (${t}): choose the field that fits`))];
  const md = [
    `# SAR narrative — DRAFT FOR REVIEW — case ${c.case_id}`,
    '',
    `> Draft written ${generatedAt} by amlscreen ${toolVersion} from case ${c.case_id} (version ${c.version}, status ${c.status}). It is not a filing.`,
    '> An alert is not by itself a reason to file: decide whether the institution knows, suspects or has reason to suspect',
    '> a SAR criterion, verify every fact below against the records, and complete or delete each [bracketed] part.',
    '> Describe facts; say "appears", "is consistent with" or "may indicate"; do not state legal conclusions.',
    '',
    '## Summary',
    '',
    `[Institution] is filing this SAR to report activity that appears consistent with ${words(c.typologies)} involving ${c.subject_type} ${c.subject}. ` +
      `Between ${c.first_ts.slice(0, 10)} and ${c.last_ts.slice(0, 10)}, ${triggers.length} transaction(s) totalling $${formatUsd(Number(parseMinorUnits(c.total_usd, 2)))} matched ${c.alert_details.length} monitoring rule(s): ` +
      `${[...new Set(c.alert_details.map((a) => a.rule_id))].join(', ')}. [State in one sentence why the institution suspects the activity.]`,
    '',
    '## Who',
    '',
    `- Subject: ${c.subject_type} ${c.subject} [name, TIN, date of birth, identification, address, occupation, customer since].`,
    `- Accounts: ${list(triggers.map((l) => l.record.account_id))}.`,
    `- Conductors (people who made the transactions): ${list(triggers.map((l) => l.record.conductor_id)) || 'none recorded'}.`,
    `- Counterparties: ${list(triggers.map((l) => [l.record.cp_name, l.record.cp_account && `account ${String(l.record.cp_account)}`, l.record.cp_country].filter(Boolean).join(', ') || undefined)) || 'none recorded'}.`,
    ...related(c),
    '',
    '## What',
    '',
    ...byInstrument(triggers),
    '',
    '## When',
    '',
    `- Activity from ${c.first_ts} to ${c.last_ts}; first detected ${c.created_at.slice(0, 10)} by automated monitoring; [date determined suspicious].`,
    '- Key transactions (all of them are in the attached CSV):',
    ...triggers.slice(0, 25).map((l) => `  - ${String(l.record.booking_ts)} ${String(l.record.direction)} ${String(l.record.channel)} ${String(l.record.amount)} ${String(l.record.currency)}` +
      `${l.record.amount_usd !== null && l.record.currency !== 'USD' ? ` (USD ${String(l.record.amount_usd)})` : ''} — txn ${String(l.record.txn_id)}`),
    ...(triggers.length > 25 ? [`  - … and ${triggers.length - 25} more in the CSV.`] : []),
    '',
    '## Where',
    '',
    `- Branches: ${list(triggers.map((l) => [l.record.branch_city, l.record.branch_state].filter(Boolean).join(', ') || undefined)) || 'none recorded'}.`,
    `- Counterparty countries: ${list(triggers.map((l) => l.record.cp_country)) || 'none recorded'}; counterparty banks: ${list(triggers.map((l) => l.record.cp_bank_name)) || 'none recorded'}.`,
    '',
    '## Why it is suspicious',
    '',
    ...c.alert_details.map((a) => `- ${a.rule_id} (${a.typology}): ${a.narrative}`),
    '- [Why the activity is unusual for this customer: expected against actual activity, KYC, peers.]',
    '',
    '## How',
    '',
    `- Flow of funds: ${flow(triggers)}. [Describe source → intermediaries → destination in plain words.]`,
    '',
    '## Key terms and checkboxes (suggested)',
    '',
    ...(keyTerms.length > 0 ? ['The rules that fired cite these advisories; use a key term only if the activity fits the advisory:', ...keyTerms] : ['- No advisory key term applies to the rules that fired.']),
    ...checkboxes.map((b) => `- Checkbox: ${b}`),
    '',
    '## Actions taken, documentation, contact',
    '',
    '[Actions taken: account closed, monitored, 314(b) request, …]. Supporting documentation is retained for five years and is available on request. [Contact.]',
    '',
    '## Attachment',
    '',
    `${csvName}: ${rows} of ${legs.length} evidence transaction(s)${rows < legs.length ? `, cut to stay under ${SAR_CSV_MAX_BYTES.toLocaleString('en-US')} bytes (the evidence pack has them all)` : ''}.`,
    '',
  ].join('\n');
  return { markdown: md, csv, rowsWritten: rows, rowsTotal: legs.length };
}

/** The rows that fit in one attachment of at most SAR_CSV_MAX_BYTES, triggers first. */
function boundedCsv(legs: readonly EvidenceLeg[]): { csv: string; rows: number } {
  let csv = safeCsv(EVIDENCE_HEADER, []);
  let rows = 0;
  for (const leg of legs) {
    const line = safeCsv([], [evidenceRow(leg)]).replace(/^\r\n/, '');
    if (Buffer.byteLength(csv) + Buffer.byteLength(line) > SAR_CSV_MAX_BYTES) break;
    csv += line;
    rows++;
  }
  return { csv, rows };
}

/** The advisory citations of a fired rule: its references, and what its narrative cites. */
function ruleReferences(narrative: string, ruleId: string, ev: CaseEvidence): string[] {
  const rule = ev.rules.find((r) => r.rule_id === ruleId && r.text !== undefined);
  const refs = rule ? ((JSON.parse(rule.text!) as { references?: string[] }).references ?? []) : [];
  return [...refs, narrative];
}

function byInstrument(legs: readonly EvidenceLeg[]): string[] {
  const groups = new Map<string, { n: number; cents: number; unconverted: number }>();
  for (const l of legs) {
    const key = `${String(l.record.direction) === 'in' ? 'incoming' : 'outgoing'} ${String(l.record.channel)}`;
    const g = groups.get(key) ?? { n: 0, cents: 0, unconverted: 0 };
    g.n++;
    const cents = usdCents(l.record);
    if (cents !== undefined) g.cents += cents;
    else g.unconverted++;
    groups.set(key, g);
  }
  return [...groups].map(([k, g]) => `- ${g.n} ${k} transaction(s), $${formatUsd(g.cents)}` +
    `${g.unconverted > 0 ? ` (${g.unconverted} without a USD amount, not included)` : ''}.`);
}

function flow(legs: readonly EvidenceLeg[]): string {
  const ins = legs.filter((l) => l.record.direction === 'in');
  const outs = legs.filter((l) => l.record.direction === 'out');
  const side = (xs: readonly EvidenceLeg[], word: string) => (xs.length === 0 ? undefined : `${word} ${list(xs.map((l) => l.record.channel))} (${xs.length})`);
  return [side(ins, 'in through'), side(outs, 'out through')].filter(Boolean).join(', then ') || 'no money movement recorded';
}

function list(values: readonly unknown[]): string {
  return [...new Set(values.filter((v) => v !== undefined && v !== null && v !== '').map(String))].join(', ');
}

function words(typologies: readonly string[]): string {
  return typologies.map((t) => t.replaceAll('_', ' ')).join(' and ');
}

function related(c: CaseDetail): string[] {
  const { shown, more } = relatedShown(c);
  const lines = shown.map((r) => `- Related case ${r.case_id} (${r.subject}, ${r.status}) shares ${r.accounts.join(', ')}.`);
  return more > 0 ? [...lines, `- ${more} more related case(s), none sharing more accounts (see cases show --format json).`] : lines;
}
