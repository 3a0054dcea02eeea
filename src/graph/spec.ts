/** A graph rule's "graph" block, its parameters resolved and checked (pointers into the rule file). */
import { parseDuration } from '../ingest/time.js';
import type { CompileContext } from '../rules/context.js';
import type { GraphPattern, GraphSpec } from './patterns.js';

export interface GraphDef {
  pattern: GraphPattern;
  window: string;
  min_amount?: number | string;
  hub_cap?: number | string;
  min_degree?: number | string;
  share?: number | string;
  max_cv?: number | string;
  hops?: number | string;
  max_decay?: number | string;
  hop_window?: string;
  density?: number | string;
}

/** What each pattern reads besides window, min_amount and hub_cap. */
export const PATTERN_SETTINGS: Record<GraphPattern, ReadonlyArray<keyof GraphDef>> = {
  fan_in: ['min_degree', 'share', 'max_cv'],
  fan_out: ['min_degree', 'share', 'max_cv'],
  cycle: ['hops', 'max_decay'],
  scatter_gather: ['min_degree', 'max_decay'],
  gather_scatter: ['min_degree', 'share'],
  bipartite: ['min_degree', 'density'],
  stack: ['min_degree', 'density'],
  chain: ['hops', 'max_decay', 'hop_window'],
};

export function compileGraph(def: GraphDef, ctx: CompileContext): GraphSpec {
  const needed = new Set(PATTERN_SETTINGS[def.pattern]);
  for (const key of Object.keys(def)) {
    if (key !== 'pattern' && key !== 'window' && key !== 'min_amount' && key !== 'hub_cap' && !needed.has(key as keyof GraphDef)) {
      ctx.error(`/graph/${key}`, `${def.pattern} does not use ${key} (it reads ${[...needed].join(', ')})`);
    }
  }
  const number = (key: keyof GraphDef, fallback: number): number => {
    if (def[key] === undefined) {
      if (needed.has(key)) ctx.error('/graph', `${def.pattern} needs ${key}`);
      return fallback;
    }
    const v = ctx.resolve(def[key], `/graph/${key}`);
    if (typeof v !== 'number' || !(v >= 0)) {
      if (v !== undefined) ctx.error(`/graph/${key}`, `expected a number of at least 0, got ${JSON.stringify(v)}`);
      return fallback;
    }
    return v;
  };
  const duration = (key: 'window' | 'hop_window'): number => {
    if (def[key] === undefined) {
      if (key === 'window' || needed.has(key)) ctx.error('/graph', `${def.pattern} needs ${key}`);
      return 0;
    }
    const text = ctx.resolve(def[key], `/graph/${key}`);
    const ms = typeof text === 'string' ? parseDuration(text) : undefined;
    if (ms === undefined || ms <= 0) {
      if (text !== undefined) ctx.error(`/graph/${key}`, `expected a duration such as 30d or 72h, got ${JSON.stringify(text)}`);
      return 0;
    }
    return ms;
  };
  const spec: GraphSpec = {
    pattern: def.pattern,
    windowMs: duration('window'),
    minAmount: number('min_amount', 0),
    minDegree: number('min_degree', 0),
    share: number('share', 0),
    maxCv: number('max_cv', Infinity),
    hops: number('hops', 0),
    maxDecay: number('max_decay', 0),
    hopMs: needed.has('hop_window') ? duration('hop_window') : 0,
    hubCap: number('hub_cap', 500),
    density: number('density', 0),
  };
  return spec;
}
