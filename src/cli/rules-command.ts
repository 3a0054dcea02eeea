import type { Command } from 'commander';
import { runExamples } from '../engine/examples.js';
import { formatDiagnostic } from '../errors.js';
import { AmlError } from '../errors.js';
import { DEFAULT_RULES_DIR } from '../paths.js';
import { renderCatalog } from '../report/catalog.js';
import { renderTable } from '../report/table.js';
import { loadRules } from '../rules/load.js';
import { ExitCode } from './exit-codes.js';
import { createOutput, formatOption, type Format } from './output.js';

export function registerRules(program: Command): void {
  const rules = program.command('rules').description('check, list and test rule files');
  rules.command('validate')
    .description('validate rule files against the JSON Schema and compile them; print located errors')
    .argument('[paths...]', 'rule files or folders (default: the bundled rule pack)')
    .addOption(formatOption())
    .action((paths: string[], flags: { format: Format }) => {
      const output = createOutput(flags.format);
      const result = validate(paths);
      if (flags.format !== 'text') output.json(result);
      else if (result.valid) output.out(`${result.rules.length} rule(s) valid: ${result.rules.join(', ')}`);
      else for (const d of result.diagnostics) output.out(formatDiagnostic(d));
      process.exitCode = result.valid ? ExitCode.ok : ExitCode.config;
    });
  rules.command('list')
    .description('list the rules with id, version, typology, severity and parameters')
    .argument('[paths...]', 'rule files or folders (default: the bundled rule pack)')
    .addOption(formatOption())
    .action((paths: string[], flags: { format: Format }) => {
      const output = createOutput(flags.format);
      const { rules: list } = loadRules(orDefault(paths));
      const rows = list.map((r) => ({
        id: r.id, version: r.version, name: r.name, typology: r.typology, severity: r.severity, enabled: r.enabled,
        subject: r.subjects.map((s) => s.name), window: r.doc.window ?? null, params: Object.fromEntries([...r.params].map(([k, v]) => [k, v.value])), file: r.file,
      }));
      if (flags.format === 'ndjson') rows.forEach((r) => output.json(r));
      else if (flags.format === 'json') output.json(rows);
      else renderTable(['ID', 'VERSION', 'SEVERITY', 'TYPOLOGY', 'NAME'], rows.map((r) => [r.id, r.version, String(r.severity), r.typology, r.name + (r.enabled ? '' : ' (disabled)')]), new Set([2]))
        .forEach((l) => output.out(l));
    });
  rules.command('catalog')
    .description('print the rule catalogue (Markdown) generated from the rule files, as in docs/rule-catalog.md')
    .argument('[paths...]', 'rule files or folders (default: the bundled rule pack)')
    .action((paths: string[]) => {
      createOutput('text').out(renderCatalog(loadRules(orDefault(paths)).rules).trimEnd());
    });
  rules.command('test')
    .description("run every rule's examples (transactions that must and must not raise an alert)")
    .argument('[paths...]', 'rule files or folders (default: the bundled rule pack)')
    .addOption(formatOption())
    .action((paths: string[], flags: { format: Format }) => {
      const output = createOutput(flags.format);
      const { rules: list } = loadRules(orDefault(paths));
      const results = runExamples(list);
      const failed = results.filter((r) => !r.passed);
      if (flags.format === 'ndjson') results.forEach((r) => output.json({ type: 'example', ...r }));
      if (flags.format === 'json') output.json({ results, passed: results.length - failed.length, failed: failed.length });
      if (flags.format === 'text') {
        const c = output.color;
        for (const r of results) {
          output.out(r.passed ? `${c.green('pass')} ${r.rule} ${r.example}` : `${c.red('FAIL')} ${r.rule} ${r.example}\n     ${r.file} /examples/${r.index}: ${r.problem}`);
        }
        output.out(`${results.length - failed.length} passed, ${failed.length} failed`);
      }
      if (flags.format === 'ndjson') output.json({ type: 'summary', passed: results.length - failed.length, failed: failed.length });
      process.exitCode = failed.length === 0 ? ExitCode.ok : ExitCode.config;
    });
}

function orDefault(paths: string[]): string[] {
  return paths.length > 0 ? paths : [DEFAULT_RULES_DIR];
}

function validate(paths: string[]) {
  try {
    const { rules } = loadRules(orDefault(paths));
    return { valid: true, rules: rules.map((r) => r.id), diagnostics: [] };
  } catch (e) {
    if (e instanceof AmlError && e.kind === 'config') return { valid: false, rules: [] as string[], diagnostics: e.diagnostics };
    throw e;
  }
}
