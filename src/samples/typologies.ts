/**
 * Which planted patterns to generate: `--typologies` takes typology names (the `typology` of the rule
 * files) and rule ids. A pattern or look-alike is planted when its rule, or that rule's typology, is named;
 * `graph` names every graph rule (GRAPH-001 to GRAPH-008).
 */

/** The typology of each rule family, as the rule files in rules/ give it. */
export const TYPOLOGIES: Readonly<Record<string, string>> = {
  STRUCT: 'structuring', CASH: 'large_cash', REMIT: 'remittance', FUNNEL: 'funnel_account', MXCASH: 'mexico_cash',
  TBML: 'tbml', XB: 'cross_border',
};

/** The typology of each graph rule, as its rule file gives it. */
export const GRAPH_TYPOLOGIES: Readonly<Record<string, string>> = {
  'GRAPH-001': 'graph_fan_in', 'GRAPH-002': 'graph_fan_out', 'GRAPH-003': 'graph_cycle', 'GRAPH-004': 'graph_scatter_gather',
  'GRAPH-005': 'graph_gather_scatter', 'GRAPH-006': 'graph_bipartite', 'GRAPH-007': 'graph_stack', 'GRAPH-008': 'graph_chain',
};
/** Names every graph typology. */
const GRAPH = 'graph';

/** The names `--typologies` takes besides rule ids. */
export const TYPOLOGY_NAMES: readonly string[] = [...Object.values(TYPOLOGIES), ...Object.values(GRAPH_TYPOLOGIES), GRAPH];

const isGraph = (rule: string): boolean => rule.startsWith('GRAPH-');

export function typologyOf(rule: string): string {
  return GRAPH_TYPOLOGIES[rule] ?? TYPOLOGIES[rule.slice(0, rule.indexOf('-'))] ?? 'other';
}

/** A rule id such as STRUCT-001 or a typology name such as structuring. */
const NAME = new RegExp(`^(?:(?:${[...Object.keys(TYPOLOGIES), 'GRAPH'].join('|')})-\\d{3}|${TYPOLOGY_NAMES.join('|')})$`);

export interface Selection {
  wanted: (rule: string) => boolean;
  /** The names that selected no pattern, once every pattern has been offered. */
  unused: () => string[];
}

/** Every pattern of the default pack when `names` is undefined; otherwise the rules and typologies named. */
export function select(names?: readonly string[]): Selection {
  if (names === undefined) return { wanted: () => true, unused: () => [] };
  const bad = names.filter((n) => !NAME.test(n));
  if (bad.length > 0 || names.length === 0) {
    throw new RangeError(`typologies must be rule ids (e.g. REMIT-002) or typology names (${TYPOLOGY_NAMES.join(', ')}), got '${bad.join(',')}'`);
  }
  const used = new Set<string>();
  return {
    wanted: (rule) => {
      const hit = names.filter((n) => n === rule || n === typologyOf(rule) || (n === GRAPH && isGraph(rule)));
      for (const n of hit) used.add(n);
      return hit.length > 0;
    },
    unused: () => names.filter((n) => !used.has(n)),
  };
}
