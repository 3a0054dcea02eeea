/**
 * The labels file `amlscreen samples generate` writes beside its export: one line per leg and planted
 * pattern (`txn_id, label, typology, rule, pattern, customer_id`), label `alert` for a planted pattern's
 * leg and `lookalike` for a benign look-alike's. A planted pattern is one laundering attempt.
 */
import { AmlError, type Diagnostic } from '../errors.js';
import { openInput } from '../ingest/input.js';

export interface LabelledAttempt {
  id: string;
  typology: string;
  /** The rule the pattern was planted for ('' when the file has no rule column). */
  rule: string;
  txnIds: string[];
}

export interface Labels {
  path: string;
  attempts: LabelledAttempt[];
  /** Legs of look-alikes that belong to no planted pattern: negatives built to resemble positives. */
  lookalikes: Set<string>;
}

const COLUMNS = ['txn_id', 'label', 'typology', 'pattern'] as const;

export async function readLabels(path: string): Promise<Labels> {
  const input = await openInput({ path, format: 'csv' });
  const header = input.header ?? [];
  const missing = COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new AmlError('input', `${path}:1: a labels file needs the columns ${COLUMNS.join(', ')}; missing ${missing.join(', ')}`);
  }
  const [txnAt, labelAt, typologyAt, patternAt] = COLUMNS.map((c) => header.indexOf(c)) as [number, number, number, number];
  const ruleAt = header.indexOf('rule');
  const attempts = new Map<string, LabelledAttempt>();
  const lookalikes = new Set<string>();
  const problems: Diagnostic[] = [];
  for await (const batch of input.items) {
    for (const item of batch) {
      const problem = (message: string) => problems.push({ code: 'bad-label', severity: 'error', message, location: { file: path, line: item.line } });
      if (item.kind !== 'cells') {
        problem(item.kind === 'error' ? item.message : 'not a CSV row');
        continue;
      }
      const [txnId, label, typology, pattern] = [txnAt, labelAt, typologyAt, patternAt].map((i) => item.cells[i]?.trim() ?? '');
      if (!txnId) problem('txn_id is empty');
      else if (label === 'lookalike') lookalikes.add(txnId);
      else if (label !== 'alert') problem(`label '${label}' is neither alert nor lookalike`);
      else if (!pattern) problem('a leg labelled alert needs its pattern id');
      else {
        const attempt = attempts.get(pattern) ?? { id: pattern, typology: typology || 'untyped', rule: item.cells[ruleAt]?.trim() ?? '', txnIds: [] };
        attempts.set(pattern, attempt);
        // A leg that raises two rules by design has a line per rule: it is still one leg of its pattern.
        if (!attempt.txnIds.includes(txnId)) attempt.txnIds.push(txnId);
      }
    }
  }
  if (problems.length > 0) throw new AmlError('input', `${path}: bad labels (${problems.length} problem${problems.length === 1 ? '' : 's'})`, problems);
  const positives = new Set([...attempts.values()].flatMap((a) => a.txnIds));
  for (const id of positives) lookalikes.delete(id);
  return { path, attempts: [...attempts.values()], lookalikes };
}
