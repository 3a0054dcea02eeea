/**
 * JSON files that users write (rules, mappings): parsed with a source map so that every schema error
 * carries file:line:column and the JSON Pointer ajv reports.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import * as sourceMap from 'json-source-map';
import { AmlError, pointerJoin, type Diagnostic, type Location } from './errors.js';
import { SCHEMA_DIR } from './paths.js';

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;

export interface JsonDocument {
  file: string;
  data: unknown;
  text: string;
  /** file:line:column of the value at a JSON Pointer (or of the nearest parent that exists). */
  locate(pointer: string): Location;
}

export function readJsonDocument(file: string, text = readFile(file)): JsonDocument {
  let parsed: { data: unknown; pointers: Record<string, sourceMap.Mapping> };
  try {
    parsed = sourceMap.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new AmlError('config', `${file}: not valid JSON`, [syntaxDiagnostic(file, text, e)]);
  }
  const { pointers } = parsed;
  return {
    file,
    data: parsed.data,
    text,
    locate(pointer) {
      let p = pointer;
      while (!(p in pointers) && p !== '') p = p.slice(0, p.lastIndexOf('/'));
      const at = pointers[p]?.key ?? pointers[p]?.value;
      return at ? { file, line: at.line + 1, column: at.column + 1, pointer } : { file, pointer };
    },
  };
}

function readFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new AmlError('config', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function syntaxDiagnostic(file: string, text: string, e: unknown): Diagnostic {
  const message = (e as Error).message;
  const pos = /position (\d+)/.exec(message);
  const location: Location = { file };
  if (pos) {
    const before = text.slice(0, Number(pos[1]));
    location.line = before.split('\n').length;
    location.column = before.length - before.lastIndexOf('\n');
  }
  return { code: 'json-syntax', severity: 'error', message, location };
}

let ajv: InstanceType<typeof Ajv2020> | undefined;
const validators = new Map<string, ValidateFunction>();

/** The published schema `rules/schema/<name>`, compiled once. */
export function schemaValidator(name: string): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    ajv ??= new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false, allowUnionTypes: true });
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8')) as object;
    validate = ajv.compile(schema);
    validators.set(name, validate);
  }
  return validate;
}

/** Validates a document against a schema; returns located diagnostics, empty when valid. */
export function validateDocument(doc: JsonDocument, schemaName: string): Diagnostic[] {
  const validate = schemaValidator(schemaName);
  if (validate(doc.data)) return [];
  return usefulErrors(validate.errors ?? []).map((err) => ({
    code: 'schema',
    severity: 'error',
    message: describeError(err),
    location: doc.locate(errorPointer(err)),
  }));
}

/** An unknown property is shown where it stands, not at its parent object. */
function errorPointer(err: ErrorObject): string {
  if (err.keyword !== 'additionalProperties') return err.instancePath;
  return pointerJoin(err.instancePath, String((err.params as { additionalProperty: string }).additionalProperty));
}

/** if/then schemas report a failing "if" next to the real error; keep only the real ones. */
function usefulErrors(errors: ErrorObject[]): ErrorObject[] {
  const real = errors.filter((e) => e.keyword !== 'if');
  const seen = new Set<string>();
  return real.filter((e) => {
    const key = e.instancePath + ' ' + describeError(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describeError(err: ErrorObject): string {
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'additionalProperties':
      return `unknown property '${String(p.additionalProperty)}'`;
    case 'required':
      return `missing required property '${String(p.missingProperty)}'`;
    case 'enum':
      return `${err.message}: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return err.message ?? err.keyword;
  }
}
