import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package's root (the folder holding package.json, rules/ and samples/). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_RULES_DIR = join(PACKAGE_ROOT, 'rules');
export const SCHEMA_DIR = join(PACKAGE_ROOT, 'rules', 'schema');
export const MAPPINGS_DIR = join(PACKAGE_ROOT, 'rules', 'mappings');
export const DEFAULT_REFERENCE_DIR = join(PACKAGE_ROOT, 'rules', 'reference');
