import type { Command } from 'commander';
import { renderStats } from '../report/stats-text.js';
import { storeStats } from '../store/stats.js';
import { openStore } from '../store/store.js';
import { createOutput, formatOption, storeOption, type Format } from './output.js';

export function registerStats(program: Command): void {
  program.command('stats')
    .description('figures for a supervisor: cases by status, rule, typology and age; alerts per run; disposition and false-positive rates per rule')
    .addOption(storeOption())
    .addOption(formatOption())
    .action((flags: { store: string; format: Format }) => {
      const output = createOutput(flags.format);
      const db = openStore(flags.store, { readonly: true });
      try {
        const stats = storeStats(db);
        if (flags.format === 'text') renderStats(stats).forEach((l) => output.out(l));
        else output.json(stats);
      } finally {
        db.close();
      }
    });
}
