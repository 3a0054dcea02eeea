import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { cli, ndjson } from './cli.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

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

    const labels = readFileSync(join(dir, 'a', 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const planted = new Map<string, Set<string>>();
    for (const [txn, label, rule] of labels) if (label === 'alert') planted.set(rule!, new Set([...(planted.get(rule!) ?? []), txn!]));
    const scan = cli(dir, ['scan', join('a', 'export.csv'), '--format', 'ndjson']);
    expect(scan.code, scan.stderr).toBe(0);
    const found = new Map<string, Set<string>>();
    for (const e of ndjson(scan.stdout).filter((x) => x.type === 'alert')) {
      found.set(e.rule_id as string, new Set([...(found.get(e.rule_id as string) ?? []), ...(e.evidence as string[])]));
    }
    expect(found).toEqual(planted);
  });

  it('refuses a non-numeric row count with exit 2', () => {
    const r = cli(tempDir(), ['samples', 'generate', '--rows', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--rows expects a whole number/);
  });
});
