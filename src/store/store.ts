/**
 * The case store: one SQLite file, WAL, foreign keys on, schema by migrations. A database written by a
 * newer amlscreen is refused rather than misread.
 */
import Database from 'better-sqlite3';
import { AmlError } from '../errors.js';
import { registerEventHash } from './event-log.js';
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
      // Written by an older amlscreen: upgraded by opening it to write (which says so when it cannot), then read.
      db.close();
      openStore(path).close();
      return openStore(path, opts);
    }
    db.pragma('foreign_keys = ON');
    registerEventHash(db);
    return db;
  } catch (e) {
    db.close();
    throw storeFailure(path, e);
  }
}

/** Why a store could not be opened or upgraded, said as a user can act on it. */
function storeFailure(path: string, e: unknown): AmlError {
  if (e instanceof AmlError) return e;
  const code = String((e as { code?: unknown }).code ?? '');
  const message = (e as Error).message;
  if (code.startsWith('SQLITE_BUSY')) return new AmlError('store', `${path} is busy: another amlscreen has been writing it for over 10 s (${message}); try again when it is done`);
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
    return new AmlError('store', `cannot write ${path}: ${message} (a store written by an older amlscreen is upgraded in place once, by someone who may write the file and its folder)`);
  }
  return new AmlError('store', `${path} is not an amlscreen store: ${message}`);
}

/** Applies the migrations after `from`, each in a write transaction that first checks another process has not applied it. */
function migrate(db: Db, from: number): void {
  for (let v = from; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      if ((db.pragma('user_version', { simple: true }) as number) > v) return;
      const migration = MIGRATIONS[v]!;
      if (typeof migration === 'string') db.exec(migration);
      else migration(db);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
