/**
 * docs/rule-catalog.md, generated from the rule files so that it cannot drift from them:
 * `amlscreen rules catalog > docs/rule-catalog.md`; a test checks that the committed file is current.
 */
import type { CompiledRule } from '../rules/compile.js';

export function renderCatalog(rules: readonly CompiledRule[]): string {
  const lines = [
    '# Rule catalogue',
    '',
    'Generated from the rule files by `amlscreen rules catalog`; do not edit by hand. Parameter source tags:',
    '`REG:` set by statute or regulation, `ADV:` an advisory, alert or order, `GTO:` a Geographic Targeting Order,',
    '`DATA:` a public data set, `IP` industry practice (tune it on your own data).',
    '',
    '| id | name | typology | severity | subject | window |',
    '|---|---|---|---|---|---|',
    ...rules.map((r) => `| [${r.id}](#${anchor(r)}) | ${cell(r.name)} | ${r.typology} | ${r.severity} | ${r.subjects.map((s) => s.name).join(', ')} | ${windowText(r)} |`),
  ];
  for (const r of rules) {
    lines.push('', `## ${r.id} · ${r.name}`, '', `Version ${r.version} · typology ${r.typology} · severity ${r.severity}${r.purpose === 'reporting' ? ' · purpose reporting (a filing obligation, not a suspicion)' : ''}${r.enabled ? '' : ' · disabled'} · file \`${packPath(r.file)}\``, '');
    lines.push(r.description, '');
    if (r.params.size > 0) {
      lines.push('| parameter | value | source | meaning |', '|---|---|---|---|');
      for (const [name, p] of r.params) lines.push(`| \`${name}\` | ${cell(JSON.stringify(p.value))} | ${p.source ?? ''} | ${cell(p.description ?? '')} |`);
      lines.push('');
    }
    if (r.referenceFiles.length > 0) lines.push(`Reference data: ${r.referenceFiles.map((f) => `\`${f.name}\` (version ${f.version})`).join(', ')}.`, '');
    if (r.references.length > 0) lines.push('References:', '', ...r.references.map((ref) => `- ${ref}`), '');
    lines.push(`Examples: ${(r.doc.examples ?? []).map((e) => `${e.expect === 'alert' ? 'alerts on' : 'silent on'} ${e.name}`).join('; ') || 'none'}.`);
  }
  return lines.join('\n') + '\n';
}

/** The rule file's path from the pack's `rules/` folder up, whichever checkout or install it was read from. */
function packPath(file: string): string {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf('rules');
  return at < 0 ? `rules/${parts.pop()}` : parts.slice(at).join('/');
}

function formatDuration(ms: number): string {
  return ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : `${ms / 3_600_000}h`;
}

function windowText(r: CompiledRule): string {
  const w = r.doc.window;
  if (r.graph) return `graph: ${r.graph.pattern.replace('_', '-')} within ${formatDuration(r.graph.windowMs)}`;
  if (!w) return 'single transaction';
  // A rule with recur alerts on `count` occasions within its span.
  const recur = r.recur && r.recur.count > 1 ? `, ${r.recur.count} times within ${formatDuration(r.recur.withinMs)}` : '';
  if (w.type === 'calendar') return `one business day${recur}`;
  const duration = String(w.duration).startsWith('$') ? String(r.params.get(String(w.duration).slice(1))?.value) : String(w.duration);
  return `rolling ${duration}${w.clock === 'business_date' ? ' of business dates' : ''}${recur}`;
}

function anchor(r: CompiledRule): string {
  return `${r.id} · ${r.name}`.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
