import { describe, expect, it } from 'vitest';
import { compileModifiers } from '../../src/engine/modifiers.js';
import { loadRules } from '../../src/rules/load.js';
import { caseScore } from '../../src/store/score.js';
import { RULES_DIR, legs } from '../helpers.js';

const modifiers = compileModifiers(loadRules([RULES_DIR]).references);
const leg = (extra: Record<string, unknown>, ts = '2026-02-03T10:00:00-06:00') =>
  legs([{ txn_id: 'T', booking_ts: ts, account_id: 'A', direction: 'out', amount: '100.00', currency: 'USD', channel: 'wire', ...extra }]);

describe('case score', () => {
  it('adds FATF, border/GTO and new-account modifiers, each judged on the leg date', () => {
    expect(modifiers.apply(leg({ cp_country: 'IR' })).map((m) => [m.name, m.points])).toEqual([['fatf_black', 25]]);
    expect(modifiers.apply(leg({ cp_bank_country: 'VE' })).map((m) => m.name)).toEqual(['fatf_grey']);
    expect(modifiers.apply(leg({ cp_country: 'MX' }))).toEqual([]);
    // El Paso 79901 was a listed GTO ZIP from April to September 2025 only; later orders list El Paso county.
    expect(modifiers.apply(leg({ branch_zip: '79901' }, '2025-06-02T10:00:00-06:00')).map((m) => m.name)).toEqual(['border_or_gto_area']);
    expect(modifiers.apply(leg({ branch_zip: '79901' }, '2026-02-03T10:00:00-06:00'))).toEqual([]);
    expect(modifiers.apply(leg({ branch_zip: '79901', branch_county_fips: '48141' })).map((m) => m.name)).toEqual(['border_or_gto_area']);
    expect(modifiers.apply(leg({ account_open_date: '2026-01-10' })).map((m) => m.reason)).toEqual(['account opened 2026-01-10, 24 days before 2026-02-03']);
    expect(modifiers.apply(leg({ account_open_date: '2025-01-10' }))).toEqual([]);
  });

  it('is the highest severity, a quarter of the others, each modifier once and 5 per extra typology, at most 100', () => {
    const grey = { name: 'fatf_grey', points: 10, txn_id: 'T', reason: 'x' };
    expect(caseScore([{ severity: 60, typology: 'structuring', modifiers: [] }]).score).toBe(60);
    expect(caseScore([
      { severity: 60, typology: 'structuring', modifiers: [grey] },
      { severity: 40, typology: 'structuring', modifiers: [grey] },
      { severity: 30, typology: 'cross_border', modifiers: [] },
    ])).toEqual({ score: 93, breakdown: expect.objectContaining({ highest_severity: 60, others: 17.5, extra_typologies: 5 }) });
    expect(caseScore([{ severity: 100, typology: 'a', modifiers: [grey] }]).score).toBe(100);
  });
});
