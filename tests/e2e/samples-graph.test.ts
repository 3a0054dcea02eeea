/**
 * `samples generate --typologies graph` end to end: the built CLI plants the graph rules' patterns and
 * look-alikes, and a scan with the default pack flags each pattern by its own rule, covering all its legs, and
 * by the rules it raises by design, while no look-alike leg is the evidence of any alert. Any other alert
 * comes from the background (ordinary customers) and touches no account of a planted pattern or look-alike.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { cli, ndjson } from './cli.js';

/** The rules a planted pattern raises by design besides its own (src/samples/graph.ts). */
const BY_DESIGN: Readonly<Record<string, string[]>> = {
  'graph-005-gather-scatter': ['GRAPH-001', 'GRAPH-002'],
  'graph-007-stack': ['GRAPH-006'],
};

interface Labelled {
  label: string;
  rules: Set<string>;
  typology: string;
  txns: Set<string>;
}

/** labels.csv by pattern (no field of the generator's labels holds a comma). */
function patterns(path: string): Map<string, Labelled> {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  expect(header).toBe('txn_id,label,typology,rule,pattern,customer_id');
  const out = new Map<string, Labelled>();
  for (const line of lines) {
    const [txn, label, typology, rule, pattern] = line.split(',') as [string, string, string, string, string];
    const p = out.get(pattern) ?? { label, rules: new Set(), typology, txns: new Set() };
    out.set(pattern, p);
    p.rules.add(rule);
    p.txns.add(txn);
  }
  return out;
}

/** txn_id → account_id of the canonical export (the third column; no earlier column holds a comma). */
function accounts(path: string): Map<string, string> {
  const [, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  return new Map(lines.map((l) => l.split(',', 3) as [string, string, string]).map(([txn, , account]) => [txn, account]));
}

function generate(dir: string, typologies: string, seed = '7'): Map<string, Labelled> {
  const r = cli(dir, ['samples', 'generate', '--rows', '4000', '--typologies', typologies, '--seed', seed, '--out', 'g']);
  expect(r.code, r.stderr).toBe(0);
  return patterns(join(dir, 'g', 'labels.csv'));
}

/** The alerts of a scan of the generated export, and for each the planted patterns its evidence touches. */
function graphAlerts(dir: string, planted: Map<string, Labelled>): Array<{ rule: string; evidence: Set<string>; touched: Set<string> }> {
  const scan = cli(dir, ['scan', join('g', 'export.csv'), '--format', 'ndjson', '--no-progress']);
  expect(scan.code, scan.stderr).toBe(0);
  const owner = new Map([...planted].flatMap(([pattern, p]) => [...p.txns].map((t) => [t, pattern] as const)));
  return ndjson(scan.stdout).filter((e) => e.type === 'alert').map((e) => {
    const evidence = new Set(e.evidence as string[]);
    return { rule: e.rule_id as string, evidence, touched: new Set([...evidence].flatMap((t) => (owner.has(t) ? [owner.get(t)!] : []))) };
  });
}

/** The rules whose alerts touch each planted pattern are its own and those by design; no look-alike leg is evidence. */
function expectOnlyOwnAndByDesign(planted: Map<string, Labelled>, alerts: ReturnType<typeof graphAlerts>, seed: string): void {
  for (const [pattern, p] of planted) {
    const rules = new Set(alerts.filter((a) => a.touched.has(pattern)).map((a) => a.rule));
    const allowed = p.label === 'alert' ? [...p.rules, ...(BY_DESIGN[pattern] ?? [])] : [];
    expect([...rules].filter((r) => !allowed.includes(r)), `seed ${seed}: ${pattern}`).toEqual([]);
  }
}

describe('samples generate with the graph typologies', () => {
  it('plants each graph typology, flagged by its own rule over all its legs; no look-alike leg is graph evidence', () => {
    const dir = tempDir();
    const planted = generate(dir, 'graph');
    const typologies = ['bipartite', 'chain', 'cycle', 'fan_in', 'fan_out', 'gather_scatter', 'scatter_gather', 'stack'];
    expect(new Set([...planted.values()].map((p) => p.typology))).toEqual(new Set(typologies.map((t) => `graph_${t}`)));
    const alertPatterns = [...planted].filter(([, p]) => p.label === 'alert');
    expect(alertPatterns).toHaveLength(8);
    expect(planted.size).toBe(16);

    const alerts = graphAlerts(dir, planted);
    const owner = new Map([...planted].flatMap(([pattern, p]) => [...p.txns].map((t) => [t, pattern] as const)));

    for (const [pattern, p] of alertPatterns) {
      const extra = BY_DESIGN[pattern] ?? [];
      const own = [...p.rules].filter((r) => !extra.includes(r));
      expect(own, pattern).toHaveLength(1);
      expect([...p.rules].sort(), pattern).toEqual([...own, ...extra].sort());
      const mine = alerts.filter((a) => a.touched.has(pattern));
      // One alert of its own rule, whose evidence is every planted leg; one of each rule it raises by design.
      expect(mine.map((a) => a.rule).sort(), pattern).toEqual([...own, ...extra].sort());
      expect(mine.find((a) => a.rule === own[0])!.evidence, pattern).toEqual(p.txns);
      for (const a of mine) expect([...a.evidence].every((t) => p.txns.has(t)), `${pattern} ${a.rule}`).toBe(true);
    }

    const lookalikeLegs = new Set([...planted.values()].filter((p) => p.label === 'lookalike').flatMap((p) => [...p.txns]));
    expect(alerts.flatMap((a) => [...a.evidence].filter((t) => lookalikeLegs.has(t)))).toEqual([]);

    // The rest come from the background: no leg of theirs is on an account of a planted pattern or look-alike.
    const account = accounts(join(dir, 'g', 'export.csv'));
    const plantedAccounts = new Set([...owner.keys()].map((t) => account.get(t)!));
    const background = alerts.filter((a) => a.touched.size === 0);
    expect(alerts.length - background.length).toBe(11);
    // Ordinary customers' traffic has no graph shape.
    expect(background.filter((a) => a.rule.startsWith('GRAPH-')).map((a) => a.rule)).toEqual([]);
    expect(background.flatMap((a) => [...a.evidence]).filter((t) => plantedAccounts.has(account.get(t)!))).toEqual([]);
  });

  it('holds to that on other seeds: a planted pattern raises its own rule and those by design only, a look-alike none', () => {
    for (const seed of ['1', '2', '3']) {
      const dir = tempDir();
      const planted = generate(dir, 'graph', seed);
      expectOnlyOwnAndByDesign(planted, graphAlerts(dir, planted), seed);
    }
  });

  it('plants only the graph rules and typologies named, and refuses a graph rule with no pattern', () => {
    const dir = tempDir();
    const planted = generate(dir, 'GRAPH-003,graph_chain');
    expect(new Set([...planted.values()].flatMap((p) => [...p.rules]))).toEqual(new Set(['GRAPH-003', 'GRAPH-008']));
    expect([...planted.values()].map((p) => p.label).sort()).toEqual(['alert', 'alert', 'lookalike', 'lookalike']);
    const r = cli(tempDir(), ['samples', 'generate', '--typologies', 'GRAPH-009']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no planted pattern belongs to GRAPH-009/);
  });
});
