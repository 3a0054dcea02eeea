/**
 * What a rule is compiled with: its document (for locations), its parameters after overrides, and a
 * sink for located errors.
 */
import type { Diagnostic, Location } from '../errors.js';
import type { JsonDocument } from '../json-document.js';
import type { Test } from './conditions.js';
import { resolveField, type FieldRef } from './fields.js';
import type { Reference, ReferenceRegistry } from './reference.js';

export interface ParamValue {
  value: unknown;
  source?: string;
  description?: string;
  /** Set when --param replaced the file's value; the file's value is kept for the record. */
  overriddenFrom?: unknown;
}

export interface CompileContext {
  doc: JsonDocument;
  params: Map<string, ParamValue>;
  diagnostics: Diagnostic[];
  error(pointer: string, message: string): undefined;
  /** Resolves "$name" to the parameter's value ("$$x" is the literal "$x"); undefined after an error. */
  resolve(value: unknown, pointer: string): unknown;
  /** Records that the rule reads a field. */
  reads(field: string): void;
  fieldsRead: Set<string>;
  locate(pointer: string): Location;
  /** Reference files the rule reads, by name. */
  referencesUsed: Map<string, Reference>;
  reference(name: string): Reference | undefined;
  /** Fields the rule derives from reference data ("derive"), by name. */
  derived: Map<string, FieldRef>;
  /** A canonical, attribute or derived field by name; undefined when there is none. */
  field(name: string): FieldRef | undefined;
  /** Compiled conditions by what they test, shared by the rules loaded together (see compileCondition). */
  conditions: Map<string, Test>;
}

const CONDITIONS = new WeakMap<ReferenceRegistry, Map<string, Test>>();

export function createContext(doc: JsonDocument, params: Map<string, ParamValue>, references: ReferenceRegistry): CompileContext {
  const diagnostics: Diagnostic[] = [];
  const fieldsRead = new Set<string>();
  const referencesUsed = new Map<string, Reference>();
  let conditions = CONDITIONS.get(references);
  if (!conditions) CONDITIONS.set(references, (conditions = new Map()));
  const ctx: CompileContext = {
    doc,
    params,
    diagnostics,
    fieldsRead,
    referencesUsed,
    derived: new Map(),
    conditions,
    field: (name) => ctx.derived.get(name) ?? resolveField(name),
    reference(name) {
      const ref = references.get(name);
      if (ref) referencesUsed.set(name, ref);
      return ref;
    },
    locate: (pointer) => doc.locate(pointer),
    error(pointer, message) {
      diagnostics.push({ code: 'rule', severity: 'error', message, location: doc.locate(pointer) });
      return undefined;
    },
    resolve(value, pointer) {
      if (Array.isArray(value)) {
        const items = value.map((v, i) => ctx.resolve(v, `${pointer}/${i}`));
        return items.some((v) => v === undefined) ? undefined : items;
      }
      if (typeof value !== 'string' || !value.startsWith('$')) return value;
      if (value.startsWith('$$')) return value.slice(1);
      const param = params.get(value.slice(1));
      if (!param) return ctx.error(pointer, `unknown parameter '${value}' (declare it under "params")`);
      return param.value;
    },
    reads(field) {
      fieldsRead.add(field);
    },
  };
  return ctx;
}
