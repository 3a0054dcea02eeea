/**
 * What is known to be laundering, gathered while the scan streams its input: each source opens the
 * scanned file itself (through scan's `open` hook), notes what it needs of every record, and after the
 * scan turns that into the Truth the metrics read. Transactions are identified by a row id: the line
 * of the AMLworld row both its legs came from, or the leg's txn_id for the generated samples.
 */
import { createHash } from 'node:crypto';
import { AmlError } from '../errors.js';
import { openInput, type Input, type InputSpec, type RawItem } from '../ingest/input.js';
import type { Mapping } from '../ingest/mapping.js';
import { compileNormaliser } from '../ingest/normalise.js';
import type { Labels } from './labels.js';
import type { Truth } from './metrics.js';
import { AMLWORLD_HEADER, rowKey, type PatternFile } from './patterns.js';

export interface Coverage {
  /** Attempts none of whose transactions were screened (a pattern file beside a partial transaction file). */
  attempts_absent: number;
  /** Pattern-file rows found in no row of the transaction file. */
  pattern_rows_absent: number;
  /** Labelled legs that the export does not contain. */
  labelled_absent: number;
}

export interface TruthSource {
  open(spec: InputSpec): Promise<Input>;
  /** The row an evidence leg belongs to. */
  rowOf(txnId: string): string;
  /** After the scan: `screened` counts records (AMLworld) or legs (samples) not rejected. */
  truth(screened: { records: number; legs: number }, rejected: ReadonlySet<string>): { truth: Truth; coverage: Coverage };
}

const NO_COVERAGE: Coverage = { attempts_absent: 0, pattern_rows_absent: 0, labelled_absent: 0 };
const amlworldRow = (txnId: string) => txnId.replace(/-(?:out|in)$/, '');

/** A pattern file screened on its own: its rows are the transactions, all of them laundering. */
export function patternSource(file: PatternFile): TruthSource {
  return {
    open: async (spec) => patternInput(file, spec),
    rowOf: amlworldRow,
    truth(screened, rejected) {
      const keep = (ids: string[]) => ids.filter((id) => !rejected.has(id));
      const attempts = file.attempts.map((a) => ({ typology: a.typology, rows: keep(a.rows.map((r) => String(r.line))) }));
      const positives = new Set(attempts.flatMap((a) => a.rows));
      return { truth: { screened: screened.records - rejected.size, positives, attempts: attempts.filter((a) => a.rows.length > 0) }, coverage: NO_COVERAGE };
    },
  };
}

/**
 * An AMLworld transaction file: `Is Laundering` marks the positives; with a pattern file beside it,
 * the attempts' rows are found in it by content and marked too.
 */
export function transactionSource(patterns: PatternFile | undefined): TruthSource {
  const wanted = new Map<string, number[]>();
  for (const row of patterns?.rows ?? []) {
    const key = rowKey(row.cells);
    wanted.set(key, [...(wanted.get(key) ?? []), row.line]);
  }
  const positives = new Set<string>();
  const matched = new Map<number, string>();
  const note = (item: RawItem, launderingAt: number) => {
    if (item.kind !== 'cells') return;
    if (launderingAt >= 0 && item.cells[launderingAt]?.trim() === '1') positives.add(String(item.line));
    if (wanted.size === 0) return;
    const key = rowKey(item.cells);
    const lines = wanted.get(key);
    if (lines === undefined) return;
    matched.set(lines.shift()!, String(item.line));
    if (lines.length === 0) wanted.delete(key);
  };
  return {
    async open(spec) {
      const input = await openInput(spec);
      const header = pandasHeader(input.header ?? []);
      const launderingAt = header.indexOf('Is Laundering');
      if (launderingAt < 0 && patterns === undefined) {
        throw new AmlError('input', `${spec.path}:1: no 'Is Laundering' column and no pattern file: nothing says which transactions are laundering`);
      }
      return { ...input, header, items: tap(input.items, (item) => note(item, launderingAt)) };
    },
    rowOf: amlworldRow,
    truth(screened, rejected) {
      for (const id of matched.values()) positives.add(id);
      for (const id of rejected) positives.delete(id);
      const attempts = (patterns?.attempts ?? []).map((a) => ({
        typology: a.typology,
        rows: a.rows.map((r) => matched.get(r.line)).filter((id): id is string => id !== undefined && !rejected.has(id)),
      }));
      const present = attempts.filter((a) => a.rows.length > 0);
      const coverage = { ...NO_COVERAGE, attempts_absent: attempts.length - present.length, pattern_rows_absent: (patterns?.rows.length ?? 0) - matched.size };
      return { truth: { screened: screened.records - rejected.size, positives, attempts: present }, coverage };
    },
  };
}

/**
 * A generated export and its labels: legs are matched by txn_id, read through the scan's own mapping. A pattern planted for a reporting rule (CASH-001: a CTR is due) is a
 * filing obligation, not laundering: its legs are not positives, and it is measured apart.
 */
export function labelSource(labels: Labels, mapping: Mapping, reportingRules: ReadonlySet<string>): TruthSource {
  const labelled = new Set([...labels.lookalikes, ...labels.attempts.flatMap((a) => a.txnIds)]);
  const seen = new Set<string>();
  return {
    async open(spec) {
      const input = await openInput(spec);
      const normalise = compileNormaliser(mapping, input.header, { sourceId: 'labels' });
      return {
        ...input,
        items: tap(input.items, (item) => {
          for (const leg of normalise(item).legs) if (labelled.has(leg.txn_id)) seen.add(leg.txn_id);
        }),
      };
    },
    rowOf: (txnId) => txnId,
    truth(screened) {
      const attempts = labels.attempts.map((a) => ({ typology: a.typology, rule: a.rule, rows: a.txnIds.filter((id) => seen.has(id)) }));
      const present = attempts.filter((a) => a.rows.length > 0);
      const laundering = present.filter((a) => !reportingRules.has(a.rule));
      const obligations = present.filter((a) => reportingRules.has(a.rule)).map((a) => ({ rule: a.rule, rows: a.rows }));
      const lookalikes = new Set([...labels.lookalikes].filter((id) => seen.has(id)));
      const coverage = { ...NO_COVERAGE, attempts_absent: attempts.length - present.length, labelled_absent: labelled.size - seen.size };
      return { truth: { screened: screened.legs, positives: new Set(laundering.flatMap((a) => a.rows)), attempts: laundering, lookalikes, obligations }, coverage };
    },
  };
}

/** The rows of a pattern file as a CSV input with the transaction files' header, at their own lines. */
function patternInput(file: PatternFile, spec: InputSpec): Input {
  const items: RawItem[] = file.rows.map((r) => ({ kind: 'cells', line: r.line, cells: r.cells }));
  async function* batches(): AsyncGenerator<RawItem[]> {
    for (let i = 0; i < items.length; i += 1000) yield items.slice(i, i + 1000);
  }
  const digest = { sha256: createHash('sha256').update(file.bytes).digest('hex'), bytes: file.bytes.length };
  return { path: spec.path, format: 'csv', gzip: false, header: [...AMLWORLD_HEADER], items: batches(), digest: () => digest };
}

/** IBM's own files name both account columns "Account"; pandas copies call the second "Account.1". */
function pandasHeader(header: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((name) => {
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    return n === 0 ? name : `${name}.${n}`;
  });
}

async function* tap(batches: AsyncIterable<RawItem[]>, note: (item: RawItem) => void): AsyncGenerator<RawItem[]> {
  for await (const batch of batches) {
    for (const item of batch) note(item);
    yield batch;
  }
}
