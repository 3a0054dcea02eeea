import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';
import { cli, ndjson } from './cli.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const FX = ['--fx-rates', join(ROOT, 'samples', 'fx_rates.csv')];

/** labels.csv as records keyed by its header (no field of the generator's labels holds a comma). */
function labels(path: string): Array<Record<string, string>> {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, k) => [header!.split(',')[k]!, v])));
}

/** rule → the txn ids of its alerts, from the labels and from a scan. */
function byRule(pairs: Array<[string, string[]]>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [rule, txns] of pairs) out.set(rule, new Set([...(out.get(rule) ?? []), ...txns]));
  return out;
}

function scanned(dir: string, file: string): Map<string, Set<string>> {
  const scan = cli(dir, ['scan', file, '--format', 'ndjson', ...FX]);
  expect(scan.code, scan.stderr).toBe(0);
  return byRule(ndjson(scan.stdout).filter((x) => x.type === 'alert').map((e) => [e.rule_id as string, e.evidence as string[]]));
}

/** The look-alikes GRAPH-002 raises (src/samples/cross-border.ts, flows.ts): four and five foreign beneficiaries. */
const FAN_OUT_LOOKALIKES = ['four-foreign-beneficiaries', 'many-beneficiaries-under-total'];

const planted = (rows: Array<Record<string, string>>) =>
  byRule(rows.filter((r) => r.label === 'alert').map((r) => [r.rule!, [r.txn_id!]]));

describe('amlscreen samples generate', () => {
  it('writes the same bytes for the same seed, and labels that a scan reproduces', () => {
    const dir = tempDir();
    const a = cli(dir, ['samples', 'generate', '--rows', '4000', '--seed', '11', '--out', 'a']);
    const b = cli(dir, ['samples', 'generate', '--rows', '4000', '--seed', '11', '--out', 'b']);
    const c = cli(dir, ['samples', 'generate', '--rows', '4000', '--seed', '12', '--out', 'c']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/wrote a\/export.csv \(4,000 legs\) and a\/labels.csv/);
    expect(sha(join(dir, 'a', 'export.csv'))).toBe(sha(join(dir, 'b', 'export.csv')));
    expect(sha(join(dir, 'a', 'labels.csv'))).toBe(sha(join(dir, 'b', 'labels.csv')));
    expect(b.code).toBe(0);
    expect(sha(join(dir, 'a', 'export.csv'))).not.toBe(sha(join(dir, 'c', 'export.csv')));

    const rows = labels(join(dir, 'a', 'labels.csv'));
    expect(Object.keys(rows[0]!)).toEqual(['txn_id', 'label', 'typology', 'rule', 'pattern', 'customer_id']);
    const found = scanned(dir, join('a', 'export.csv'));
    // GRAPH-002 raises two look-alikes of other rules, as the generator declares: false positives, not planted.
    const fanOuts = rows.filter((r) => FAN_OUT_LOOKALIKES.includes(r.pattern!));
    expect(new Set(fanOuts.map((r) => r.label))).toEqual(new Set(['lookalike']));
    expect(found).toEqual(byRule([...rows.filter((r) => r.label === 'alert').map((r) => [r.rule!, [r.txn_id!]] as [string, string[]]),
      ['GRAPH-002', fanOuts.map((r) => r.txn_id!)]]));
    const lookalike = new Set(rows.filter((r) => r.label === 'lookalike').map((r) => r.txn_id));
    expect([...found.values()].flatMap((s) => [...s]).filter((t) => lookalike.has(t)).sort()).toEqual(fanOuts.map((r) => r.txn_id).sort());
  });

  it('plants only the rules and typologies named by --typologies', () => {
    const dir = tempDir();
    const r = cli(dir, ['samples', 'generate', '--rows', '4000', '--typologies', 'structuring,REMIT-002', '--out', 'o']);
    expect(r.code, r.stderr).toBe(0);
    const rows = labels(join(dir, 'o', 'labels.csv'));
    expect(new Set(rows.map((x) => x.typology))).toEqual(new Set(['structuring', 'remittance']));
    expect(new Set(rows.filter((x) => x.typology === 'remittance').map((x) => x.rule))).toEqual(new Set(['REMIT-002']));
    expect(scanned(dir, join('o', 'export.csv'))).toEqual(planted(rows));
  });

  it('refuses a non-numeric row count, and an unknown typology, with exit 2', () => {
    const r = cli(tempDir(), ['samples', 'generate', '--rows', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--rows expects a whole number/);
    const t = cli(tempDir(), ['samples', 'generate', '--typologies', 'smurfing']);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/typologies must be rule ids .* got 'smurfing'/);
  });
});
