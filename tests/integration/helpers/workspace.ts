// Helpers for workspace and CLI integration tests: what a database holds (counts, a content hash of
// every table), its invariants after a crash, and a runner for the real `audit-desk` CLI.
import Database, { type Database as Db } from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATABASE_FILE } from '../../../electron/core/workspace/database';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI = join(REPO_ROOT, 'bin', 'audit-desk.mjs');

export interface TableCounts {
  tenant: number;
  bundles: number;
  entries: number;
  actors: number;
  trust_keys: number;
}

export function tableCounts(db: Db): TableCounts {
  const count = (table: string) =>
    (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    tenant: count('tenant'),
    bundles: count('bundles'),
    entries: count('entries'),
    actors: count('actors'),
    trust_keys: count('trust_keys'),
  };
}

export interface HashOptions {
  /** Columns to leave out, as `table.column` (e.g. timestamps of when an import ran). */
  ignore?: readonly string[];
}

/**
 * SHA-256 over the whole logical content of a database: user_version, the schema (tables and
 * indexes) and every row of every table in rowid order. Two databases with the same hash hold the
 * same data, whatever their page layout or WAL state.
 */
export function contentHash(db: Db, { ignore = [] }: HashOptions = {}): string {
  const hash = createHash('sha256');
  hash.update(`user_version=${String(db.pragma('user_version', { simple: true }))}\n`);
  const schema = db
    .prepare(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )
    .all() as { type: string; name: string; sql: string | null }[];
  hash.update(JSON.stringify(schema));
  for (const { name, sql } of schema.filter((s) => s.type === 'table')) {
    // WITHOUT ROWID tables (FTS5's shadow tables) have no rowid: their rows are hashed sorted.
    const withoutRowid = /WITHOUT\s+ROWID/i.test(sql ?? '');
    const columns = (
      db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).all(name) as {
        name: string;
      }[]
    )
      .map((c) => c.name)
      .filter((c) => !ignore.includes(`${name}.${c}`));
    const rows = db
      .prepare(
        `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${name}"${withoutRowid ? '' : ' ORDER BY rowid'}`,
      )
      .raw()
      .all()
      .map((row) => JSON.stringify(row));
    if (withoutRowid) rows.sort();
    hash.update(`\n${name}\n`);
    for (const row of rows) hash.update(`${row}\n`);
  }
  return hash.digest('hex');
}

/** Timestamps an import writes that legitimately differ between two runs of the same import. */
export const IMPORT_TIMESTAMPS = [
  'bundles.imported_at',
  'trust_keys.recorded_at',
  'trust_keys.source',
  'bundles.source_name',
];

/** Opens a workspace database directly (no migrations, no pragmas of the app). */
export function openRaw(workspaceDir: string, options: Database.Options = {}): Db {
  return new Database(join(workspaceDir, DATABASE_FILE), { fileMustExist: true, ...options });
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export interface CrashCheck {
  /** False when the kill came before the database file existed. */
  exists: boolean;
  /** False when the kill came before the first migration committed. */
  migrated: boolean;
  integrity: string;
  bundles: number;
  entries: number;
  /** Bundles whose stored entries do not number their entry_count. */
  partialBundles: { ref: number; entry_count: number; stored: number }[];
  orphanEntries: number;
  /** Entries whose leaf_index is not 0..entry_count-1 consistent with their seq. */
  misplacedEntries: number;
}

/** The invariants a workspace must keep whatever moment a process died at. */
export function checkAfterCrash(workspaceDir: string): CrashCheck {
  const file = join(workspaceDir, DATABASE_FILE);
  const empty = {
    bundles: 0,
    entries: 0,
    partialBundles: [],
    orphanEntries: 0,
    misplacedEntries: 0,
  };
  if (!existsSync(file)) return { exists: false, migrated: false, integrity: 'ok', ...empty };
  // Read-write, as the app opens it: this is what replays or discards the WAL of the dead process.
  const db = new Database(file, { fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ');
    const hasBundles =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'bundles'").get() !==
      undefined;
    if (!hasBundles) return { exists: true, migrated: false, integrity, ...empty };
    const partialBundles = (
      db
        .prepare(
          // One pass over entries (there is no bundle_ref index since migration 0002).
          `SELECT b.ref, b.entry_count, coalesce(s.stored, 0) AS stored FROM bundles b
           LEFT JOIN (SELECT bundle_ref, count(*) AS stored FROM entries GROUP BY bundle_ref) s
           ON s.bundle_ref = b.ref`,
        )
        .all() as CrashCheck['partialBundles']
    ).filter((r) => r.entry_count !== r.stored);
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      exists: true,
      migrated: true,
      integrity,
      bundles: n('SELECT count(*) AS n FROM bundles'),
      entries: n('SELECT count(*) AS n FROM entries'),
      partialBundles,
      orphanEntries: n(
        'SELECT count(*) AS n FROM entries WHERE bundle_ref NOT IN (SELECT ref FROM bundles)',
      ),
      misplacedEntries: n(
        `SELECT count(*) AS n FROM entries e JOIN bundles b ON b.ref = e.bundle_ref
         WHERE e.seq != b.first_seq + e.leaf_index OR e.leaf_index >= b.entry_count`,
      ),
    };
  } finally {
    db.close();
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/audit-desk.mjs ...args` and resolves with its exit code and output. */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: options.cwd ?? REPO_ROOT,
        env: { ...process.env, ...options.env },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}

/** The one JSON document a `--json` run printed. */
export function jsonOf<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(
      `stdout is not one JSON document (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
}
