/**
 * Detection quality from what is known to be laundering (the truth) and what a run flagged. A
 * transaction is flagged when it is evidence of an alert; an attempt is detected when cases cover at
 * least one of its transactions, and detected at half when they cover at least half of them.
 */

export interface Truth {
  /** Transactions screened (rejected records are not). */
  screened: number;
  /** Screened transactions known to be laundering, by id. */
  positives: ReadonlySet<string>;
  /** Laundering attempts, each with the ids of its screened transactions (none empty). */
  attempts: ReadonlyArray<{ typology: string; rows: readonly string[] }>;
  /** Negatives built to resemble laundering (the generated samples' look-alikes). */
  lookalikes?: ReadonlySet<string>;
  /** Patterns planted for a reporting rule (a CTR is due): not laundering, measured apart. */
  obligations?: ReadonlyArray<{ rule: string; rows: readonly string[] }>;
}

/** One alert: its rule and the ids of the transactions its evidence legs belong to. */
export interface Detection {
  rule: string;
  /** A reporting rule's alert (a CTR is due) claims no laundering: it is listed per rule, not counted as a detection. */
  reporting: boolean;
  rows: readonly string[];
}

export interface TypologyFigures {
  attempts: number;
  detected: number;
  recall: number | null;
  detected_half: number;
  recall_half: number | null;
}

export interface OverallFigures {
  transactions: number;
  positives: number;
  negatives: number;
  flagged: number;
  true_positives: number;
  false_positives: number;
  false_negatives: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  attempts: number;
  attempts_detected: number;
  attempt_recall: number | null;
  attempts_detected_half: number;
  attempt_recall_half: number | null;
  /** Positives that belong to no known attempt (AMLworld labels more rows than its pattern files list). */
  untyped_positives: number;
  untyped_flagged: number;
  alerts: number;
  alerts_per_attempt: number | null;
  /** Alerts none of whose evidence is laundering. */
  alerts_without_positive: number;
  flagged_negatives: number;
  /** Flagged negatives per 100 negatives screened. */
  negative_alert_rate_per_100: number | null;
  lookalikes: number | null;
  flagged_lookalikes: number | null;
}

export interface RuleFigures {
  /** The rule marks a filing obligation: its alerts are not counted in the detection figures. */
  reporting: boolean;
  alerts: number;
  flagged: number;
  true_positives: number;
}

export interface Measures {
  typologies: Record<string, TypologyFigures>;
  overall: OverallFigures;
  rules: Record<string, RuleFigures>;
  /** Per reporting rule, the obligations planted for it and how many of them its alerts raised. */
  obligations: Record<string, { planted: number; raised: number }>;
}

export function measure(truth: Truth, all: readonly Detection[]): Measures {
  const detections = all.filter((d) => !d.reporting);
  const flagged = new Set(detections.flatMap((d) => d.rows));
  const isFlagged = (id: string) => flagged.has(id);
  const typologies = measureTypologies(truth, isFlagged);
  const counts = Object.values(typologies);
  const sum = (pick: (t: TypologyFigures) => number) => counts.reduce((n, t) => n + pick(t), 0);
  const tp = count(truth.positives, isFlagged);
  const fp = flagged.size - tp;
  const fn = truth.positives.size - tp;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const attempts = sum((t) => t.attempts);
  const negatives = truth.screened - truth.positives.size;
  const inAttempts = new Set(truth.attempts.flatMap((a) => a.rows));
  const untyped = [...truth.positives].filter((id) => !inAttempts.has(id));
  const overall: OverallFigures = {
    transactions: truth.screened, positives: truth.positives.size, negatives, flagged: flagged.size,
    true_positives: tp, false_positives: fp, false_negatives: fn, precision, recall,
    f1: ratio(2 * tp, 2 * tp + fp + fn),
    attempts, attempts_detected: sum((t) => t.detected), attempt_recall: ratio(sum((t) => t.detected), attempts),
    attempts_detected_half: sum((t) => t.detected_half), attempt_recall_half: ratio(sum((t) => t.detected_half), attempts),
    untyped_positives: untyped.length, untyped_flagged: count(untyped, isFlagged),
    alerts: detections.length, alerts_per_attempt: ratio(detections.length, attempts),
    alerts_without_positive: detections.filter((d) => !d.rows.some((id) => truth.positives.has(id))).length,
    flagged_negatives: fp, negative_alert_rate_per_100: negatives === 0 ? null : round((100 * fp) / negatives),
    lookalikes: truth.lookalikes?.size ?? null, flagged_lookalikes: truth.lookalikes ? count(truth.lookalikes, isFlagged) : null,
  };
  return { typologies, overall, rules: measureRules(truth, all), obligations: measureObligations(truth, all) };
}

/** A planted obligation is raised when an alert of its own rule cites one of its legs. */
function measureObligations(truth: Truth, all: readonly Detection[]): Measures['obligations'] {
  const out: Measures['obligations'] = {};
  for (const o of truth.obligations ?? []) {
    const cited = new Set(all.filter((d) => d.rule === o.rule).flatMap((d) => d.rows));
    const figures = (out[o.rule] ??= { planted: 0, raised: 0 });
    figures.planted++;
    if (o.rows.some((id) => cited.has(id))) figures.raised++;
  }
  return out;
}

/** Per typology, most attempts first; the figures of each attempt are its share of flagged transactions. */
function measureTypologies(truth: Truth, isFlagged: (id: string) => boolean): Record<string, TypologyFigures> {
  const tally = new Map<string, { attempts: number; detected: number; half: number }>();
  for (const attempt of truth.attempts) {
    const hit = count(attempt.rows, isFlagged);
    const t = tally.get(attempt.typology) ?? { attempts: 0, detected: 0, half: 0 };
    t.attempts++;
    if (hit > 0) t.detected++;
    if (hit > 0 && 2 * hit >= attempt.rows.length) t.half++;
    tally.set(attempt.typology, t);
  }
  const sorted = [...tally].sort(([a, x], [b, y]) => y.attempts - x.attempts || a.localeCompare(b));
  return Object.fromEntries(sorted.map(([typology, t]) => [typology, {
    attempts: t.attempts, detected: t.detected, recall: ratio(t.detected, t.attempts), detected_half: t.half, recall_half: ratio(t.half, t.attempts),
  }]));
}

/** Per rule: its alerts, the transactions they flag, and how many of those are laundering. */
function measureRules(truth: Truth, detections: readonly Detection[]): Record<string, RuleFigures> {
  const byRule = new Map<string, { reporting: boolean; alerts: number; rows: Set<string> }>();
  for (const d of detections) {
    const r = byRule.get(d.rule) ?? { reporting: d.reporting, alerts: 0, rows: new Set<string>() };
    r.alerts++;
    for (const id of d.rows) r.rows.add(id);
    byRule.set(d.rule, r);
  }
  return Object.fromEntries([...byRule].sort(([a], [b]) => a.localeCompare(b)).map(([rule, r]) => [rule, {
    reporting: r.reporting, alerts: r.alerts, flagged: r.rows.size, true_positives: count(r.rows, (id) => truth.positives.has(id)),
  }]));
}

function count(ids: Iterable<string>, test: (id: string) => boolean): number {
  let n = 0;
  for (const id of ids) if (test(id)) n++;
  return n;
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : round(part / whole);
}

/** Four decimals: enough to compare runs, few enough to read. */
function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
