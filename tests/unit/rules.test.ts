import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExamples } from '../../src/engine/examples.js';
import { AmlError, formatDiagnostic } from '../../src/errors.js';
import { renderCatalog } from '../../src/report/catalog.js';
import { loadRules, parseParamOverride } from '../../src/rules/load.js';
import { GRAPH_RULES, RULES_DIR, legs, tempDir } from '../helpers.js';

const VALID = {
  id: 'T-001', version: '1.0.0', name: 'test', typology: 'test', severity: 10, description: 'test rule',
  params: { limit: { value: 9000 } },
  subject: 'customer_id',
  filter: { field: 'amount_usd', op: 'gte', value: '$limit' },
};

function writeRule(rule: unknown, text?: string): string {
  const file = join(tempDir(), 'rule.json');
  writeFileSync(file, text ?? JSON.stringify(rule, null, 2));
  return file;
}

function problems(file: string, overrides: string[] = []): string[] {
  try {
    loadRules([file], overrides.map(parseParamOverride));
  } catch (e) {
    if (e instanceof AmlError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
  return [];
}

describe('loading rules', () => {
  it('loads and compiles the default pack', () => {
    const { rules } = loadRules([RULES_DIR]);
    expect(rules.map((r) => r.id)).toEqual(['CASH-001', 'FUNNEL-001', 'FUNNEL-002', 'GRAPH-001', 'GRAPH-002', 'GRAPH-003', 'GRAPH-004', 'GRAPH-005', 'GRAPH-006', 'GRAPH-007', 'GRAPH-008', 'MXCASH-003', 'MXCASH-005', 'REMIT-001', 'REMIT-002', 'REMIT-003', 'REMIT-004', 'REMIT-005', 'STRUCT-001', 'STRUCT-002', 'STRUCT-003', 'STRUCT-004', 'STRUCT-005', 'TBML-001', 'TBML-002', 'TBML-003', 'TBML-004', 'TBML-005', 'TBML-006', 'TBML-007', 'TBML-014', 'XB-001', 'XB-002', 'XB-004', 'XB-005', 'XB-006', 'XB-007', 'XB-008']);
  });

  it('loads the graph rules and runs their examples', () => {
    const { rules } = loadRules(GRAPH_RULES);
    expect(rules.map((r) => r.id)).toEqual(['GRAPH-001', 'GRAPH-002', 'GRAPH-003', 'GRAPH-004', 'GRAPH-005', 'GRAPH-006', 'GRAPH-007', 'GRAPH-008']);
    const results = runExamples(rules);
    expect(results).toHaveLength(31);
    expect(results.filter((r) => !r.passed)).toEqual([]);
  });

  it('runs every example of the default pack and all pass', () => {
    const results = runExamples(loadRules([RULES_DIR]).rules);
    expect(results.length).toBeGreaterThanOrEqual(12);
    expect(results.filter((r) => !r.passed)).toEqual([]);
  });

  it('reports schema errors with file:line:column and the JSON Pointer', () => {
    const text = JSON.stringify({ ...VALID, window: { type: 'rolling', duration: 'fortnight' }, aggregates: {}, when: { agg: 'x', op: 'gte', value: 1 } }, null, 2);
    const file = writeRule(undefined, text);
    const found = problems(file);
    expect(found).toEqual([`${file}:21:5 /window/duration: error schema: must match pattern "^(\\d+(ms|s|m|h|d|w)|\\$[a-z][a-z0-9_]*)$"`]);
  });

  it('names an unknown property where it stands', () => {
    const file = writeRule({ ...VALID, severty: 5 });
    expect(problems(file)).toEqual([`${file}:19:3 /severty: error schema: unknown property 'severty'`]);
  });

  it('fails at load on an unknown field, before any data is read', () => {
    const file = writeRule({ ...VALID, filter: { field: 'amount_used', op: 'gte', value: 1 } });
    expect(problems(file)).toEqual([expect.stringMatching(/rule.json:\d+:\d+ \/filter\/field: error rule: unknown field 'amount_used'/)]);
  });

  it('rejects an unknown operator through the schema', () => {
    const file = writeRule({ ...VALID, filter: { field: 'amount_usd', op: 'greater', value: 1 } });
    expect(problems(file).join('\n')).toMatch(/\/filter\/op: error schema: must be equal to one of the allowed values/);
  });

  it('refuses numeric comparison on text fields, so "20000" never matches gte 10000', () => {
    const file = writeRule({ ...VALID, filter: { field: 'attrs.score', op: 'gte', value: 10000 } });
    expect(problems(file)).toEqual([expect.stringMatching(/\/filter\/op: error rule: 'gte' compares numbers, dates or times; attrs.score is a string/)]);
  });

  it('checks enum values, parameters and narrative placeholders', () => {
    const file = writeRule({
      ...VALID,
      filter: { all: [{ field: 'channel', op: 'eq', value: 'csh' }, { field: 'amount_usd', op: 'gt', value: '$missing' }] },
      narrative: 'total {nothing}',
    });
    const found = problems(file).join('\n');
    expect(found).toMatch(/\/filter\/all\/0\/value: error rule: channel has no value 'csh'/);
    expect(found).toMatch(/\/filter\/all\/1\/value: error rule: unknown parameter '\$missing'/);
    expect(found).toMatch(/\/narrative: error rule: the narrative names \{nothing\}/);
  });

  it('reports invalid JSON with its line', () => {
    const file = writeRule(undefined, '{\n  "id": "T-001",\n  "version": \n}');
    expect(problems(file)[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:1: error json-syntax`));
  });

  it('applies --param overrides with exact money and keeps the file value on record', () => {
    const file = writeRule(VALID);
    const { rules } = loadRules([file], [parseParamOverride('T-001.limit=9500.50')]);
    const rule = rules[0]!;
    expect(rule.params.get('limit')).toMatchObject({ value: 9500.5, overriddenFrom: 9000 });
    const [below, at] = legs([
      { txn_id: '1', booking_ts: '2026-01-05T10:00:00Z', account_id: 'A', direction: 'in', amount: '9500.49', currency: 'USD', channel: 'cash' },
      { txn_id: '2', booking_ts: '2026-01-05T10:00:00Z', account_id: 'A', direction: 'in', amount: '9500.50', currency: 'USD', channel: 'cash' },
    ]);
    expect(rule.filter(below!)).toBe(0);
    expect(rule.filter(at!)).toBe(1);
  });

  it('refuses overrides of unknown rules or parameters', () => {
    const file = writeRule(VALID);
    expect(() => loadRules([file], [parseParamOverride('T-002.limit=1')])).toThrow(/no rule T-002 is loaded/);
    expect(() => loadRules([file], [parseParamOverride('T-001.lmit=1')])).toThrow(/has no parameter 'lmit' \(it has: limit\)/);
    expect(() => parseParamOverride('limit=1')).toThrow(/RULE.name=value/);
  });

  it('says "unknown" rather than "no hit" when a field the filter reads is absent', () => {
    const rule = loadRules([writeRule(VALID)]).rules[0]!;
    const [eur] = legs([{ txn_id: '1', booking_ts: '2026-01-05T10:00:00Z', account_id: 'A', direction: 'in', amount: '9500', currency: 'EUR', channel: 'cash' }]);
    expect(eur!.amount_usd).toBeUndefined();
    expect(rule.filter(eur!)).toBe(2);
  });

  it('judges a leg against the reference list in force on its date, and not at all before the first one', () => {
    const xb001 = loadRules([RULES_DIR]).rules.find((r) => r.id === 'XB-001')!;
    expect(xb001.referenceFiles).toEqual([expect.objectContaining({ name: 'fatf_lists', version: '2026-06-19', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    const wire = (ts: string, country?: string) => ({ txn_id: ts, booking_ts: ts, account_id: 'A', direction: 'out', amount: '100.00', currency: 'USD', channel: 'wire', ...(country ? { cp_country: country } : {}) });
    const [before, after, domestic, none] = legs([wire('2025-10-23T12:00:00Z', 'IR'), wire('2025-10-24T12:00:00Z', 'IR'), wire('2025-10-24T12:00:00Z', 'US'), wire('2025-10-24T12:00:00Z')]);
    expect([before, after, domestic, none].map((t) => xb001.filter(t!))).toEqual([2, 1, 0, 2]);
  });

  it('locates a reference list that does not exist', () => {
    const file = writeRule({ ...VALID, filter: { field: 'cp_country', op: 'in_ref', value: 'fatf_lists/blacklist' } });
    expect(problems(file)).toEqual([expect.stringMatching(/\/filter\/value: error rule: .*fatf_lists.json has no list 'blacklist' \(lists: black, countermeasures, edd, grey\)/)]);
    const other = writeRule({ ...VALID, filter: { field: 'cp_country', op: 'in_ref', value: 'sanctions/sdn' } });
    expect(problems(other)).toEqual([expect.stringMatching(/\/filter\/value: error rule: no reference file 'sanctions.json'/)]);
  });

  it('docs/rule-catalog.md is current with the rule files (regenerate: amlscreen rules catalog > docs/rule-catalog.md)', () => {
    const committed = readFileSync(join(RULES_DIR, '..', 'docs', 'rule-catalog.md'), 'utf8');
    expect(committed).toBe(renderCatalog(loadRules([RULES_DIR]).rules));
  });
});
