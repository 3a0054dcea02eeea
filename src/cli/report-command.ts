import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { renderHtml } from '../report/html.js';
import { getCase, listCases, type CaseDetail, type CaseFilter } from '../store/cases.js';
import { openStore } from '../store/store.js';
import { TOOL_VERSION } from '../version.js';
import { storeOption } from './output.js';

export function registerReport(program: Command): void {
  program.command('report')
    .description('write the cases as one self-contained HTML file: a list that filters and sorts; per case its alerts, figures, a timeline and, for graph patterns, the flow')
    .requiredOption('--html <file>', 'the HTML file to write')
    .addOption(storeOption())
    .option('--status <status>', 'only cases with this status')
    .option('--rule <id>', 'only cases with an alert from this rule')
    .option('--typology <name>', 'only cases with an alert of this typology')
    .option('--assignee <name>', 'only cases assigned to this investigator')
    .action((flags: CaseFilter & { store: string; html: string }) => {
      const db = openStore(flags.store, { readonly: true });
      let cases: CaseDetail[];
      try {
        cases = listCases(db, flags).map((row) => getCase(db, row.case_id)!);
      } finally {
        db.close();
      }
      writeFileSync(flags.html, renderHtml(cases, { store: flags.store, generatedAt: new Date().toISOString(), toolVersion: TOOL_VERSION }));
      process.stdout.write(`Wrote ${flags.html}: ${cases.length} case(s); open it in a browser (it needs no network)\n`);
    });
}
