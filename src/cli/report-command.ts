import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { renderHtml } from '../report/html.js';
import { getCase, listCases, type CaseDetail, type CaseFilter } from '../store/cases.js';
import { openStore } from '../store/store.js';
import { TOOL_VERSION } from '../version.js';
import { storeOption, writingTo } from './output.js';

type ReportFlags = CaseFilter & { store: string; html: string };

export function registerReport(program: Command): void {
  program.command('report')
    .description('write the cases as one self-contained HTML file: a list that filters and sorts; per case a timeline of its evidence, its legs, alerts, figures and, for graph patterns, the flow')
    .requiredOption('--html <file>', 'the HTML file to write')
    .addOption(storeOption())
    .option('--status <status>', 'only cases with this status (new, in_review, escalated, closed)')
    .option('--rule <id>', 'only cases with an alert from this rule')
    .option('--typology <name>', 'only cases with an alert of this typology')
    .option('--subject <id>', 'only cases of this subject (e.g. a customer id)')
    .option('--assignee <name>', 'only cases assigned to this investigator')
    .action((flags: ReportFlags) => {
      const cases = readCases(flags);
      const html = renderHtml(cases, { store: flags.store, generatedAt: new Date().toISOString(), toolVersion: TOOL_VERSION, selection: selection(flags) });
      writingTo(flags.html, () => writeFileSync(flags.html, html));
      process.stdout.write(`Wrote ${flags.html}: ${cases.length} case(s); open it in a browser (it needs no network)\n`);
    });
}

function readCases(filter: CaseFilter & { store: string }): CaseDetail[] {
  const db = openStore(filter.store, { readonly: true });
  try {
    return listCases(db, filter).map((row) => getCase(db, row.case_id)!);
  } finally {
    db.close();
  }
}

/** The filters given, for the report's header: "status new, rule STRUCT-002". */
function selection(filter: CaseFilter): string {
  return (['status', 'rule', 'typology', 'subject', 'assignee'] as const)
    .filter((k) => filter[k] !== undefined).map((k) => `${k} ${filter[k]!}`).join(', ');
}
