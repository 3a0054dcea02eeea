/**
 * A case's priority score (domain/typologies.md §3.0), from its alerts: the highest rule severity, a
 * quarter of the others, each modifier once, and 5 points per typology beyond the first; at most 100.
 */

export interface Modifier {
  name: string;
  points: number;
  /** The leg that earned it, and why. */
  txn_id: string;
  reason: string;
}

export function caseScore(alerts: ReadonlyArray<{ severity: number; typology: string; modifiers: readonly Modifier[] }>): { score: number; breakdown: Record<string, unknown> } {
  const severities = alerts.map((a) => a.severity).sort((a, b) => b - a);
  const base = severities[0] ?? 0;
  const others = severities.slice(1).reduce((s, v) => s + v, 0) * 0.25;
  const modifiers = new Map<string, Modifier>();
  for (const a of alerts) for (const m of a.modifiers) if (!modifiers.has(m.name)) modifiers.set(m.name, m);
  const modifierPoints = [...modifiers.values()].reduce((s, m) => s + m.points, 0);
  const typologies = new Set(alerts.map((a) => a.typology)).size;
  const typologyPoints = 5 * Math.max(0, typologies - 1);
  const score = Math.min(100, Math.round(base + others + modifierPoints + typologyPoints));
  return { score, breakdown: { highest_severity: base, others: others, modifiers: [...modifiers.values()], extra_typologies: typologyPoints } };
}
