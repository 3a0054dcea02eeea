import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { AmlError } from '../errors.js';
import { plantedCases, toCsvLine, writeBankLayoutCsv, writeCanonicalCsv, type GenerateOptions } from '../samples/generate.js';
import { TYPOLOGY_NAMES } from '../samples/typologies.js';
import { createOutput, writeError, writingTo } from './output.js';

interface GenerateFlags {
  rows: string;
  seed: string;
  start: string;
  days: string;
  out: string;
  layout: 'canonical' | 'teller';
  plant: boolean;
  typologies?: string;
}

export function registerSamples(program: Command): void {
  const samples = program.command('samples').description('generate realistic exports with planted, labelled patterns');
  samples.command('generate')
    .description('write a seeded export (same seed, same bytes) and a labels file: which transactions belong to which planted pattern')
    .option('--rows <n>', 'legs to write', '3000')
    .option('--seed <n>', 'random seed', '7')
    .option('--start <date>', 'first day, YYYY-MM-DD', '2026-01-05')
    .option('--days <n>', 'length of the period in days', '90')
    .option('--out <dir>', 'folder for export.csv and labels.csv', '.')
    .option('--layout <layout>', 'canonical (default) or teller (the bank layout of samples/bank-layout.mapping.json)', 'canonical')
    .option('--no-plant', 'background traffic only, no planted patterns')
    .option('--typologies <list>', 'plant only the patterns (and look-alikes) of these comma-separated rule ids or typologies: '
      + `${TYPOLOGY_NAMES.join(', ')}, or ids such as STRUCT-001, REMIT-002, GRAPH-003 (default: all of the default pack; `
      + 'graph names the eight graph rules)')
    .action(async (flags: GenerateFlags) => {
      const opts: GenerateOptions = {
        rows: whole(flags.rows, '--rows'), seed: whole(flags.seed, '--seed'), start: flags.start, days: whole(flags.days, '--days'), plant: flags.plant,
        ...(flags.typologies === undefined ? {} : { typologies: flags.typologies.split(',').map((t) => t.trim()) }),
      };
      writingTo(flags.out, () => mkdirSync(flags.out, { recursive: true }));
      const exportPath = join(flags.out, 'export.csv');
      const labelsPath = join(flags.out, 'labels.csv');
      try {
        await (flags.layout === 'teller' ? writeBankLayoutCsv : writeCanonicalCsv)(exportPath, opts);
      } catch (e) {
        if (e instanceof RangeError) throw new AmlError('usage', e.message);
        throw writeError(exportPath, e);
      }
      const { alerts, lookalikes } = opts.plant === false ? { alerts: [], lookalikes: [] } : plantedCases(opts);
      // One line per leg and rule: a leg that raises two rules by design (expected_extra) has two alert lines. A
      // look-alike that another rule raises stays a look-alike: that alert is a false positive.
      const lines = [toCsvLine(['txn_id', 'label', 'typology', 'rule', 'pattern', 'customer_id'])];
      for (const [label, list] of [['alert', alerts.filter((a) => !a.lookalike)], ['lookalike', lookalikes]] as const) {
        for (const c of list) c.txn_ids.forEach((id, k) => lines.push(toCsvLine([id, label, c.typology, c.rule, c.pattern, c.customer_ids[k]!])));
      }
      writingTo(labelsPath, () => writeFileSync(labelsPath, lines.join('\n') + '\n'));
      createOutput('text').out(`wrote ${exportPath} (${opts.rows.toLocaleString('en-US')} legs) and ${labelsPath} (${alerts.filter((a) => !a.expected_extra).length} planted patterns, ${lookalikes.length} look-alikes)`);
    });
}

function whole(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw new AmlError('usage', `${flag} expects a whole number, got '${text}'`);
  return Number(text);
}
