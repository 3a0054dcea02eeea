/**
 * Rule examples are data: each lists transactions that must (or must not) raise an alert. They run
 * through the real normalisation and engine, one rule at a time.
 */
import type { Txn } from '../ingest/canonical.js';
import { loadMapping } from '../ingest/mapping.js';
import { compileNormaliser } from '../ingest/normalise.js';
import type { CompiledRule } from '../rules/compile.js';
import { compareTxn } from './alerts.js';
import { Engine } from './engine.js';

export interface ExampleResult {
  rule: string;
  file: string;
  example: string;
  index: number;
  passed: boolean;
  /** Why it failed, in words. */
  problem?: string;
}

export function runExamples(rules: readonly CompiledRule[]): ExampleResult[] {
  const results: ExampleResult[] = [];
  const mapping = loadMapping('canonical');
  for (const rule of rules) {
    (rule.doc.examples ?? []).forEach((example, index) => {
      const base = { rule: rule.id, file: rule.file, example: example.name, index };
      const normalise = compileNormaliser(mapping, undefined, { sourceId: `${rule.id}-example-${index}` });
      const legs: Txn[] = [];
      for (const [i, value] of example.transactions.entries()) {
        const r = normalise({ kind: 'object', line: i + 1, pointer: `/examples/${index}/transactions/${i}`, value });
        if (r.reject) {
          results.push({ ...base, passed: false, problem: `transaction ${i}: ${r.reject.message}` });
          return;
        }
        legs.push(...r.legs);
      }
      legs.sort(compareTxn);
      const engine = new Engine([rule], { maxLatenessMs: 0 });
      for (const leg of legs) engine.push(leg);
      const alerts = engine.finish();
      const problem = check(example, alerts.length, alerts[0] ? [...alerts[0].triggers].map((t) => t.txn_id) : []);
      results.push(problem ? { ...base, passed: false, problem } : { ...base, passed: true });
    });
  }
  return results;
}

function check(example: NonNullable<CompiledRule['doc']['examples']>[number], count: number, evidence: string[]): string | undefined {
  if (example.expect === 'no_alert') return count === 0 ? undefined : `expected no alert, got ${count}`;
  const want = example.alerts ?? 1;
  if (count !== want) return `expected ${want} alert(s), got ${count}`;
  if (example.evidence) {
    const got = [...evidence].sort().join(', ');
    const expected = [...example.evidence].sort().join(', ');
    if (got !== expected) return `expected evidence [${expected}], got [${got}]`;
  }
  return undefined;
}
