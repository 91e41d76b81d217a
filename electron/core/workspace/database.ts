// A workspace is a folder: `workspace.sqlite` (entries, bundles, trust decisions...) and `index/`
// for search index files. One writer at a time; WAL with synchronous=FULL so a commit survives a
// crash or power loss and a kill at any moment leaves whole bundles or none.
import Database, { type Database as Db } from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runtimeError } from '../errors';
import { checkSchemaVersion, migrate } from './migrations';

export const DATABASE_FILE = 'workspace.sqlite';
export const INDEX_DIR = 'index';
const CACHE_KIB = 32 * 1024;
const WAL_CHECKPOINT_PAGES = 16 * 1024;

export interface Workspace {
  dir: string;
  db: Db;
  close(): void;
}

export interface OpenOptions {
  /** Create the workspace when the folder is missing or empty (import does; readers do not). */
  create?: boolean;
  readonly?: boolean;
}

export function openWorkspace(dir: string, options: OpenOptions = {}): Workspace {
  const root = resolve(dir);
  const file = join(root, DATABASE_FILE);
  if (!existsSync(file)) {
    if (!options.create)
      throw runtimeError(`no workspace at ${dir} (import a bundle into it first)`);
    prepareFolder(root, dir);
  }
  let db: Db;
  try {
    db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: !options.create,
    });
  } catch (error) {
    throw runtimeError(`cannot open workspace ${dir}: ${(error as Error).message}`);
  }
  try {
    checkIsDatabase(db, dir);
    // Refuse before any pragma that writes: a refused database must stay byte for byte as it was.
    if (checkSchemaVersion(db) === 0) checkIsEmpty(db, dir);
    // 32 MiB of page cache (SQLite's default is 2 MiB): index pages stay cached through a large
    // import instead of being spilled and re-read, about 20 % faster at 1M entries for ~35 MB RSS
    // (docs/performance.md). Pages are only allocated as they are used.
    db.pragma(`cache_size = -${CACHE_KIB}`);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      // Checkpoint the WAL into the database every 64 MiB instead of every 4 MiB: a sync commits one
      // day's bundle at a time, and each checkpoint costs an fsync of the database file (~13 %
      // faster on 100 daily bundles, docs/performance.md).
      db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      migrate(db);
      mkdirSync(join(root, INDEX_DIR), { recursive: true });
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return { dir: root, db, close: () => db.close() };
}

function prepareFolder(root: string, shownAs: string): void {
  if (existsSync(root)) {
    if (!statSync(root).isDirectory())
      throw runtimeError(`${shownAs} is a file, not a workspace folder`);
    if (readdirSync(root).length > 0) {
      throw runtimeError(
        `${shownAs} is not an Audit Desk workspace and not empty; choose a new or empty folder`,
      );
    }
  }
  try {
    mkdirSync(root, { recursive: true });
  } catch (error) {
    throw runtimeError(
      `cannot create workspace ${shownAs}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

function checkIsDatabase(db: Db, shownAs: string): void {
  try {
    db.pragma('schema_version');
  } catch {
    throw runtimeError(`${join(shownAs, DATABASE_FILE)} is not an SQLite database`);
  }
}

/** Version 0 is a new database; one that already holds tables belongs to another program. */
function checkIsEmpty(db: Db, shownAs: string): void {
  const tables = db
    .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
    .pluck()
    .get() as number;
  if (tables > 0)
    throw runtimeError(
      `${join(shownAs, DATABASE_FILE)} is an SQLite database of another program, not an Audit Desk workspace`,
    );
}
