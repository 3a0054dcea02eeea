/**
 * Which planted patterns to generate: `--typologies` takes typology names (the `typology` of the rule
 * files) and rule ids. A pattern or look-alike is planted when its rule, or that rule's typology, is named.
 */

/** The typology of each rule family, as the rule files in rules/ give it. */
export const TYPOLOGIES: Readonly<Record<string, string>> = {
  STRUCT: 'structuring', CASH: 'large_cash', REMIT: 'remittance', FUNNEL: 'funnel_account', MXCASH: 'mexico_cash',
  TBML: 'tbml', XB: 'cross_border',
};

export function typologyOf(rule: string): string {
  return TYPOLOGIES[rule.slice(0, rule.indexOf('-'))] ?? 'other';
}

/** A rule id such as STRUCT-001 or a typology name such as structuring. */
const NAME = new RegExp(`^(?:(?:${Object.keys(TYPOLOGIES).join('|')})-\\d{3}|${Object.values(TYPOLOGIES).join('|')})$`);

export interface Selection {
  wanted: (rule: string) => boolean;
  /** The names that selected no pattern, once every pattern has been offered. */
  unused: () => string[];
}

/** Everything when `names` is undefined; otherwise the rules and typologies named. */
export function select(names?: readonly string[]): Selection {
  if (names === undefined) return { wanted: () => true, unused: () => [] };
  const bad = names.filter((n) => !NAME.test(n));
  if (bad.length > 0 || names.length === 0) {
    throw new RangeError(`typologies must be rule ids (e.g. REMIT-002) or typology names (${Object.values(TYPOLOGIES).join(', ')}), got '${bad.join(',')}'`);
  }
  const used = new Set<string>();
  return {
    wanted: (rule) => {
      const hit = names.filter((n) => n === rule || n === typologyOf(rule));
      for (const n of hit) used.add(n);
      return hit.length > 0;
    },
    unused: () => names.filter((n) => !used.has(n)),
  };
}
