import type { Command } from 'commander';
import { AmlError } from '../errors.js';
import { renderCase, renderCaseList } from '../report/case-text.js';
import { getCase, listCases } from '../store/cases.js';
import { openStore } from '../store/store.js';
import { createOutput, formatOption, storeOption, type Format } from './output.js';

interface ListFlags {
  store: string;
  format: Format;
  status?: string;
  rule?: string;
  subject?: string;
}

export function registerCases(program: Command): void {
  const cases = program.command('cases').description('review the cases in the store');
  cases.command('list')
    .description('list cases, most severe first')
    .addOption(storeOption())
    .option('--status <status>', 'only cases with this status (new, in_review, escalated, closed)')
    .option('--rule <id>', 'only cases with an alert from this rule')
    .option('--subject <id>', 'only cases of this subject (e.g. a customer id)')
    .addOption(formatOption())
    .action((flags: ListFlags) => {
      const output = createOutput(flags.format);
      const db = openStore(flags.store, { readonly: true });
      try {
        const rows = listCases(db, flags);
        if (flags.format === 'ndjson') rows.forEach((r) => output.json(r));
        else if (flags.format === 'json') output.json(rows);
        else renderCaseList(rows).forEach((l) => output.out(l));
      } finally {
        db.close();
      }
    });
  cases.command('show')
    .description('show one case: alerts, figures, thresholds, narrative, evidence legs with file:line, history')
    .argument('<case>', 'case id')
    .addOption(storeOption())
    .addOption(formatOption())
    .action((id: string, flags: { store: string; format: Format }) => {
      const output = createOutput(flags.format);
      if (!/^\d+$/.test(id)) throw new AmlError('usage', `a case id is a number, got '${id}'`);
      const db = openStore(flags.store, { readonly: true });
      try {
        const detail = getCase(db, Number(id));
        if (!detail) throw new AmlError('usage', `no case ${id} in ${flags.store}`);
        if (flags.format === 'text') renderCase(detail).forEach((l) => output.out(l));
        else output.json(detail);
      } finally {
        db.close();
      }
    });
}
