/**
 * The case store: one SQLite file, WAL, foreign keys on, schema by migrations. A database written by a
 * newer amlscreen is refused rather than misread.
 */
import Database from 'better-sqlite3';
import { AmlError } from '../errors.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export const SCHEMA_VERSION = MIGRATIONS.length;

export interface OpenOptions {
  readonly?: boolean;
}

export function openStore(path: string, opts: OpenOptions = {}): Db {
  let db: Db;
  try {
    db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  } catch (e) {
    const reason = (e as Error).message;
    throw new AmlError('store', opts.readonly ? `cannot open the store ${path}: ${reason} (run a scan first?)` : `cannot open the store ${path}: ${reason}`);
  }
  try {
    db.pragma('busy_timeout = 10000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new AmlError('store', `${path} has store schema version ${version}, newer than this amlscreen understands (${SCHEMA_VERSION}); upgrade amlscreen`);
    }
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      migrate(db, version);
    } else if (version === 0) {
      throw new AmlError('store', `${path} is not an amlscreen store (no schema): run a scan first`);
    } else if (version < SCHEMA_VERSION) {
      db.close();
      upgrade(path, version);
      return openStore(path, opts);
    }
    db.pragma('foreign_keys = ON');
    return db;
  } catch (e) {
    db.close();
    if (e instanceof AmlError) throw e;
    throw new AmlError('store', `${path} is not an amlscreen store: ${(e as Error).message}`);
  }
}

/** A store written by an older amlscreen, opened to be read: upgraded first, when its file can be written. */
function upgrade(path: string, version: number): void {
  let db: Db;
  try {
    db = new Database(path, { fileMustExist: true });
  } catch (e) {
    throw new AmlError('store', `${path} has store schema version ${version} and needs upgrading to ${SCHEMA_VERSION}, but cannot be opened for writing: ${(e as Error).message}`);
  }
  try {
    db.pragma('busy_timeout = 10000');
    db.pragma('journal_mode = WAL');
    migrate(db, db.pragma('user_version', { simple: true }) as number);
  } finally {
    db.close();
  }
}

function migrate(db: Db, from: number): void {
  for (let v = from; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
