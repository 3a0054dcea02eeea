/**
 * Loading a rule pack: find the JSON files, validate each against rules/schema/rule.schema.json,
 * apply --param overrides, compile. Every problem is collected and reported with its location
 * before any data is read.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AmlError, type Diagnostic } from '../errors.js';
import { readJsonDocument, validateDocument } from '../json-document.js';
import { compileRule, type CompiledRule, type RuleDocument } from './compile.js';
import type { ParamValue } from './context.js';
import { ReferenceRegistry } from './reference.js';
import { DEFAULT_REFERENCE_DIR } from '../paths.js';

export interface ParamOverride {
  rule: string;
  name: string;
  value: unknown;
  /** The argument as given, for messages and the run record. */
  text: string;
}

/** Parses `RULE.name=value`; the value is JSON when it parses as JSON (8500, true, ["MX"]), else text. */
export function parseParamOverride(text: string): ParamOverride {
  const m = /^([A-Z][A-Z0-9]*-[A-Za-z0-9-]+)\.([a-z][a-z0-9_]*)=(.*)$/s.exec(text);
  if (!m) throw new AmlError('usage', `--param expects RULE.name=value (e.g. STRUCT-001.band_low=8500), got '${text}'`);
  let value: unknown = m[3];
  try {
    value = JSON.parse(m[3]!);
  } catch {
    // plain text such as 21d or MX stays a string
  }
  return { rule: m[1]!, name: m[2]!, value, text };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function findRuleFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new AmlError('usage', `no rule file or folder '${path}'`);
    }
    if (!isDir) files.push(path);
    else files.push(...readdirSync(path).filter((f) => f.endsWith('.json')).sort().map((f) => join(path, f)));
  }
  return files;
}

export interface LoadedRules {
  rules: CompiledRule[];
  files: string[];
  /** Where the rules' reference files were found; other readers of reference data use the same. */
  references: ReferenceRegistry;
}

/**
 * Loads rule files. A rule's reference files are looked up in the `reference/` folder beside the rule
 * files given, then in the bundled pack's; the first match wins.
 */
export function loadRules(paths: readonly string[], overrides: readonly ParamOverride[] = []): LoadedRules {
  const own = paths.map((p) => join(isDirectory(p) ? p : dirname(p), 'reference'));
  const references = new ReferenceRegistry([...new Set([...own, DEFAULT_REFERENCE_DIR])]);
  const files = findRuleFiles(paths);
  const diagnostics: Diagnostic[] = [];
  const rules: CompiledRule[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    let doc;
    try {
      doc = readJsonDocument(file);
    } catch (e) {
      if (e instanceof AmlError) diagnostics.push(...e.diagnostics);
      continue;
    }
    const schemaProblems = validateDocument(doc, 'rule.schema.json');
    if (schemaProblems.length > 0) {
      diagnostics.push(...schemaProblems);
      continue;
    }
    const data = doc.data as RuleDocument;
    if (seen.has(data.id)) {
      diagnostics.push({ code: 'rule', severity: 'error', message: `rule id ${data.id} is also defined in ${seen.get(data.id)}`, location: doc.locate('/id') });
      continue;
    }
    seen.set(data.id, file);
    let compiled;
    try {
      compiled = compileRule(doc, paramsOf(data, overrides), references);
    } catch (e) {
      if (!(e instanceof AmlError)) throw e;
      diagnostics.push(...(e.diagnostics.length > 0 ? e.diagnostics : [{ code: 'reference', severity: 'error' as const, message: e.message, location: doc.locate('') }]));
      continue;
    }
    const { rule, diagnostics: problems } = compiled;
    const given = overrides.filter((o) => o.rule === data.id).map((o) => `--param ${o.text}`);
    diagnostics.push(...(given.length === 0 ? problems : problems.map((p) => ({ ...p, message: `${p.message} (with ${given.join(', ')})` }))));
    if (rule) rules.push(rule);
  }
  for (const o of overrides) {
    if (!seen.has(o.rule)) throw new AmlError('usage', `--param ${o.text}: no rule ${o.rule} is loaded`);
    const data = rules.find((r) => r.id === o.rule)?.doc;
    if (data && !(o.name in (data.params ?? {}))) {
      throw new AmlError('usage', `--param ${o.text}: rule ${o.rule} has no parameter '${o.name}' (it has: ${Object.keys(data.params ?? {}).join(', ') || 'none'})`);
    }
  }
  if (diagnostics.length > 0) throw new AmlError('config', `${diagnostics.length} problem(s) in the rules`, diagnostics);
  if (files.length === 0) throw new AmlError('usage', `no rule files (*.json) in ${paths.join(', ')}`);
  rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { rules, files, references };
}

function paramsOf(data: RuleDocument, overrides: readonly ParamOverride[]): Map<string, ParamValue> {
  const params = new Map<string, ParamValue>();
  for (const [name, p] of Object.entries(data.params ?? {})) params.set(name, { ...p });
  for (const o of overrides) {
    const p = params.get(o.name);
    if (o.rule === data.id && p) params.set(o.name, { ...p, value: o.value, overriddenFrom: p.value });
  }
  return params;
}
