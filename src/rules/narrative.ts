/**
 * Narrative templates: plain text with {name} placeholders, checked when the rule is compiled so that a
 * case never shows a hole. Names are the rule's aggregates, its parameters, and the standard figures.
 */
import type { CompileContext } from './context.js';

/** Standard figures every alert has. */
export const STANDARD_FIGURES = {
  subject: 'the subject id (e.g. the customer id)',
  subject_type: 'the subject field (customer_id, account_id, ...)',
  rule_name: "the rule's name",
  trigger_count: 'number of trigger evidence transactions',
  trigger_total_usd: 'their total in USD',
  first_date: 'business date of the first evidence transaction',
  last_date: 'business date of the last evidence transaction',
  places: 'distinct branch cities (and states) of the trigger evidence',
  window: "the rule's window, e.g. 14d",
} as const;

export interface NarrativeInput {
  /** Aggregate and standard figures; money already formatted. */
  values: Record<string, string>;
}

export type Narrative = (input: NarrativeInput) => string;

const PLACEHOLDER = /\{([a-z][a-z0-9_]*)\}/g;

export function compileNarrative(template: string | undefined, ctx: CompileContext, aggregates: readonly string[]): Narrative {
  const text = template ?? '{rule_name}: {trigger_count} transactions totalling ${trigger_total_usd} between {first_date} and {last_date}.';
  const known = new Set<string>([...aggregates, ...Object.keys(STANDARD_FIGURES), ...ctx.params.keys()]);
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (!known.has(m[1]!)) ctx.error('/narrative', `the narrative names {${m[1]}}, which is not an aggregate, a parameter or a standard figure`);
  }
  const params: Record<string, string> = {};
  for (const [name, p] of ctx.params) params[name] = formatParam(p.value);
  return ({ values }) => text.replace(PLACEHOLDER, (_, name: string) => values[name] ?? params[name] ?? `{${name}}`);
}

function formatParam(value: unknown): string {
  if (typeof value === 'number') return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** Formats U.S. cents as 28,300.00. */
export function formatUsd(cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(Math.round(cents));
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${negative ? '-' : ''}${whole}.${String(abs % 100).padStart(2, '0')}`;
}
