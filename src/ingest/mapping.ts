/**
 * Mappings: how a bank's export columns and codes become canonical fields. A mapping is JSON, validated
 * against rules/schema/mapping.schema.json; presets ship in rules/mappings/.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AmlError, pointerJoin, type Diagnostic } from '../errors.js';
import { readJsonDocument, validateDocument, type JsonDocument } from '../json-document.js';
import { MAPPINGS_DIR } from '../paths.js';
import { CANONICAL_FIELDS } from './canonical.js';
import { isValidTimeZone, patternProblem } from './time.js';

export type ValueSpec =
  | string
  | { column: string; codes?: Record<string, string>; default?: string; integer?: boolean }
  | { const: string }
  | { concat: ValueSpec[] }
  | { line: true };

export type FieldMap = Record<string, ValueSpec>;

export interface MappingSpec {
  name: string;
  description?: string;
  timestamp?: { format?: string; timezone?: string; business_day_cutoff?: string };
  fields?: FieldMap;
  legs?: Array<{ fields: FieldMap }>;
  keep_unmapped?: boolean;
}

export interface Mapping {
  spec: MappingSpec;
  /** Where it came from: a preset name or a file path. */
  origin: string;
  /** True for the canonical preset: columns are canonical field names. */
  identity: boolean;
}

export function listPresets(): string[] {
  return readdirSync(MAPPINGS_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

/** Loads a mapping by preset name (`canonical`, `ibm-amlworld`) or file path, validated. */
export function loadMapping(nameOrPath = 'canonical'): Mapping {
  const preset = join(MAPPINGS_DIR, `${nameOrPath}.json`);
  const isPreset = !nameOrPath.includes('/') && !nameOrPath.endsWith('.json') && existsSync(preset);
  if (!isPreset && !existsSync(nameOrPath)) {
    throw new AmlError('usage', `no mapping file '${nameOrPath}' and no preset of that name (presets: ${listPresets().join(', ')})`);
  }
  const doc = readJsonDocument(isPreset ? preset : nameOrPath);
  const problems = [...validateDocument(doc, 'mapping.schema.json')];
  if (problems.length === 0) problems.push(...checkMapping(doc));
  if (problems.length > 0) throw new AmlError('config', `invalid mapping ${doc.file}`, problems);
  const spec = doc.data as MappingSpec;
  const identity = spec.fields === undefined && spec.legs === undefined;
  return { spec, origin: isPreset ? nameOrPath : nameOrPath, identity };
}

/** What the schema cannot say: field names must be canonical, time settings must be real. */
function checkMapping(doc: JsonDocument): Diagnostic[] {
  const spec = doc.data as MappingSpec;
  const out: Diagnostic[] = [];
  const error = (pointer: string, message: string) =>
    out.push({ code: 'mapping', severity: 'error', message, location: doc.locate(pointer) });
  const checkFields = (fields: FieldMap | undefined, base: string) => {
    for (const name of Object.keys(fields ?? {})) {
      const spec = CANONICAL_FIELDS.get(name);
      if (!spec) error(pointerJoin(base, name), `'${name}' is not a canonical field (see docs/mapping.md)`);
      else if (spec.level === 'D') error(pointerJoin(base, name), `'${name}' is derived by amlscreen and cannot be mapped`);
    }
  };
  checkFields(spec.fields, '/fields');
  spec.legs?.forEach((leg, i) => checkFields(leg.fields, `/legs/${i}/fields`));
  const ts = spec.timestamp;
  if (ts?.timezone !== undefined && !isValidTimeZone(ts.timezone)) {
    error('/timestamp/timezone', `'${ts.timezone}' is not an IANA time zone (e.g. America/Chicago)`);
  }
  const formatProblem = ts?.format === undefined ? undefined : patternProblem(ts.format);
  if (formatProblem) error('/timestamp/format', formatProblem);
  return out;
}
