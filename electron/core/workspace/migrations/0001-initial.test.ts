// Migrations on real SQLite files: the list is numbered without gaps, each migration brings
// user_version to its number, 0001 creates exactly the schema the import, coverage and search rely
// on (tables, typed columns, keys, constraints, indexes), and migrating again changes nothing.
import Database, { type Database as Db } from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../tests/helpers/bundles';
import { contentHash } from '../../../../tests/integration/helpers/workspace';
import { initial } from './0001-initial';
import { migrate, MIGRATIONS, SCHEMA_VERSION, schemaVersion } from './index';

let dir: { path: string; remove(): void };
let db: Db;
beforeEach(() => {
  dir = tempDir('audit-desk-migrations-');
  db = new Database(join(dir.path, 'workspace.sqlite'));
});
afterEach(() => {
  if (db.open) db.close();
  dir.remove();
});

interface Column {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

const columns = (table: string) =>
  db
    .prepare('SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid')
    .all(table) as Column[];
const tables = () =>
  (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((t) => t.name);
/** Explicitly created indexes (not the automatic ones behind UNIQUE), with their columns. */
function indexes(): Record<string, { table: string; columns: string[] }> {
  const rows = db
    .prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    .all() as {
    name: string;
    tbl_name: string;
  }[];
  return Object.fromEntries(
    rows.map((r) => [
      r.name,
      {
        table: r.tbl_name,
        columns: (
          db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(r.name) as {
            name: string;
          }[]
        ).map((c) => c.name),
      },
    ]),
  );
}
/** Columns that carry a UNIQUE constraint of their own. */
function uniqueColumns(table: string): string[] {
  const list = db.prepare('SELECT name, "unique", origin FROM pragma_index_list(?)').all(table) as {
    name: string;
    unique: number;
    origin: string;
  }[];
  return list
    .filter((i) => i.unique === 1 && i.origin === 'u')
    .flatMap((i) =>
      (db.prepare('SELECT name FROM pragma_index_info(?)').all(i.name) as { name: string }[]).map(
        (c) => c.name,
      ),
    )
    .sort();
}

describe('the migration list', () => {
  it('is numbered 1, 2, 3... in order, with unique names, and SCHEMA_VERSION is the last number', () => {
    expect(MIGRATIONS.length).toBeGreaterThanOrEqual(1);
    MIGRATIONS.forEach((m, i) => expect(m.version).toBe(i + 1));
    expect(new Set(MIGRATIONS.map((m) => m.name)).size).toBe(MIGRATIONS.length);
    expect(SCHEMA_VERSION).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
    expect(MIGRATIONS[0]).toBe(initial);
  });

  // One case per migration: applied alone on top of its predecessors, it records its own number.
  it.each(MIGRATIONS.map((m) => [m.version, m.name] as const))(
    'migration %i (%s) brings user_version to its number',
    (version) => {
      migrate(db, version - 1);
      expect(schemaVersion(db)).toBe(version - 1);
      const before = tables();
      migrate(db, version);
      expect(schemaVersion(db)).toBe(version);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      if (version === 1) expect(before).toEqual([]);
    },
  );

  it('a fresh database starts at user_version 0 and migrate() brings it to SCHEMA_VERSION', () => {
    expect(schemaVersion(db)).toBe(0);
    migrate(db);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('the recorded version survives closing and reopening the file', () => {
    migrate(db);
    db.close();
    db = new Database(join(dir.path, 'workspace.sqlite'), { readonly: true });
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
  });

  it('migrating twice is a no-op: same version, same schema, same rows', () => {
    migrate(db);
    db.prepare("INSERT INTO tenant VALUES (1, 'ten_acme', 'Acme', 'UTC', 'standard')").run();
    const before = contentHash(db);
    migrate(db);
    migrate(db, SCHEMA_VERSION);
    expect(contentHash(db)).toBe(before);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
  });

  it('migrating to a lower target than the current version changes nothing (no down-migrations)', () => {
    migrate(db);
    const before = contentHash(db);
    migrate(db, 0);
    expect(contentHash(db)).toBe(before);
  });

  it('refuses a database whose user_version is above SCHEMA_VERSION, in one line, without touching it', () => {
    db.exec('CREATE TABLE from_the_future (x)');
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    const before = contentHash(db);
    let error: unknown;
    try {
      migrate(db);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      name: 'AuditDeskError',
      kind: 'runtime',
      message: `workspace schema version ${SCHEMA_VERSION + 1} is newer than this Audit Desk understands (${SCHEMA_VERSION}); update Audit Desk to open it`,
    });
    expect((error as Error).message).not.toContain('\n');
    expect(contentHash(db)).toBe(before);
  });
});

describe('0001 initial', () => {
  beforeEach(() => migrate(db, 1));

  it('creates the five tables and nothing else', () => {
    expect(tables()).toEqual(['actors', 'bundles', 'entries', 'tenant', 'trust_keys']);
  });

  it('tenant: one row at most (singleton = 1), with the IANA zone and plan', () => {
    expect(columns('tenant').map((c) => [c.name, c.type, c.notnull, c.pk])).toEqual([
      ['singleton', 'INTEGER', 0, 1],
      ['tenant_id', 'TEXT', 1, 0],
      ['name', 'TEXT', 1, 0],
      ['time_zone', 'TEXT', 1, 0],
      ['plan', 'TEXT', 1, 0],
    ]);
    db.prepare("INSERT INTO tenant VALUES (1, 't', 'n', 'UTC', 'standard')").run();
    expect(() =>
      db.prepare("INSERT INTO tenant VALUES (2, 't', 'n', 'UTC', 'standard')").run(),
    ).toThrow(/CHECK constraint/);
  });

  it('bundles: manifest, verdict, source and import time; unique bundle id and digest; indexed by period', () => {
    expect(columns('bundles').map((c) => [c.name, c.type, c.notnull])).toEqual([
      ['ref', 'INTEGER', 0],
      ['bundle_id', 'TEXT', 1],
      ['digest', 'TEXT', 1],
      ['period_start', 'INTEGER', 1],
      ['period_end', 'INTEGER', 1],
      ['first_seq', 'INTEGER', 0],
      ['last_seq', 'INTEGER', 0],
      ['entry_count', 'INTEGER', 1],
      ['prev_digest', 'TEXT', 0],
      ['key_id', 'TEXT', 1],
      ['issued_at', 'TEXT', 1],
      ['manifest', 'TEXT', 1],
      ['signature', 'TEXT', 1],
      ['verdict', 'TEXT', 1],
      ['source', 'TEXT', 1],
      ['source_name', 'TEXT', 0],
      ['imported_at', 'TEXT', 1],
    ]);
    expect(columns('bundles').find((c) => c.pk === 1)?.name).toBe('ref');
    expect(uniqueColumns('bundles')).toEqual(['bundle_id', 'digest']);
    const insert = db.prepare(
      `INSERT INTO bundles (bundle_id, digest, period_start, period_end, entry_count, key_id, issued_at, manifest, signature, verdict, source, imported_at)
       VALUES (?, ?, 0, 1, 0, 'k', 'i', '{}', 's', 'valid', ?, 'now')`,
    );
    insert.run('b1', 'd1', 'file');
    insert.run('b2', 'd2', 'sync');
    expect(() => insert.run('b3', 'd3', 'email')).toThrow(/CHECK constraint/);
    expect(() => insert.run('b1', 'd4', 'file')).toThrow(
      /UNIQUE constraint failed: bundles.bundle_id/,
    );
    expect(() => insert.run('b5', 'd1', 'file')).toThrow(
      /UNIQUE constraint failed: bundles.digest/,
    );
  });

  it('entries: seq is the rowid, id is unique, every entry points at its bundle, the signed line is kept', () => {
    expect(columns('entries').map((c) => [c.name, c.type, c.notnull])).toEqual([
      ['seq', 'INTEGER', 0],
      ['id', 'TEXT', 1],
      ['bundle_ref', 'INTEGER', 1],
      ['leaf_index', 'INTEGER', 1],
      ['occurred_at', 'INTEGER', 1],
      ['category', 'TEXT', 1],
      ['action', 'TEXT', 1],
      ['actor_id', 'TEXT', 1],
      ['actor_type', 'TEXT', 1],
      ['entity_type', 'TEXT', 1],
      ['entity_id', 'TEXT', 1],
      ['ip', 'TEXT', 0],
      ['raw', 'TEXT', 1],
    ]);
    // INTEGER PRIMARY KEY makes seq an alias of the rowid (newest first = rowid order, no sort).
    expect(columns('entries').find((c) => c.pk === 1)).toMatchObject({
      name: 'seq',
      type: 'INTEGER',
    });
    db.exec(
      `INSERT INTO bundles (ref, bundle_id, digest, period_start, period_end, entry_count, key_id, issued_at, manifest, signature, verdict, source, imported_at)
       VALUES (1, 'b', 'd', 0, 1, 1, 'k', 'i', '{}', 's', 'valid', 'file', 'now')`,
    );
    db.exec(
      `INSERT INTO entries VALUES (42, 'e', 1, 0, 0, 'c', 'a.b', 'u', 'user', 't', 'i', NULL, '{}')`,
    );
    expect(db.prepare('SELECT rowid AS r FROM entries WHERE seq = 42').get()).toEqual({ r: 42 });
    expect(uniqueColumns('entries')).toEqual(['id']);
    expect(
      db.prepare('SELECT "table", "from", "to" FROM pragma_foreign_key_list(?)').all('entries'),
    ).toEqual([{ table: 'bundles', from: 'bundle_ref', to: 'ref' }]);
    // The foreign key holds when the connection enforces it (workspaces open with foreign_keys=ON).
    db.pragma('foreign_keys = ON');
    expect(() =>
      db.exec(
        `INSERT INTO entries VALUES (43, 'f', 999, 0, 0, 'c', 'a.b', 'u', 'user', 't', 'i', NULL, '{}')`,
      ),
    ).toThrow(/FOREIGN KEY constraint failed/);
  });

  it('indexes every column filters need', () => {
    expect(indexes()).toEqual({
      bundles_by_period: { table: 'bundles', columns: ['period_start'] },
      entries_by_time: { table: 'entries', columns: ['occurred_at'] },
      entries_by_category: { table: 'entries', columns: ['category'] },
      entries_by_action: { table: 'entries', columns: ['action'] },
      entries_by_actor: { table: 'entries', columns: ['actor_id'] },
      entries_by_entity: { table: 'entries', columns: ['entity_type', 'entity_id'] },
      entries_by_ip: { table: 'entries', columns: ['ip'] },
      entries_by_bundle: { table: 'entries', columns: ['bundle_ref'] },
    });
  });

  it('actors and trust_keys: keyed by their ids', () => {
    expect(columns('actors').map((c) => [c.name, c.notnull, c.pk])).toEqual([
      ['id', 0, 1],
      ['name', 1, 0],
      ['email', 0, 0],
      ['type', 1, 0],
    ]);
    expect(columns('trust_keys').map((c) => [c.name, c.notnull, c.pk])).toEqual([
      ['key_id', 0, 1],
      ['public_key', 1, 0],
      ['valid_from', 0, 0],
      ['valid_to', 0, 0],
      ['revoked', 1, 0],
      ['source', 1, 0],
      ['recorded_at', 1, 0],
    ]);
  });

  it('the query plans of the common reads use the indexes', () => {
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    expect(plan('SELECT raw FROM entries ORDER BY seq DESC LIMIT 10')).not.toMatch(/TEMP B-TREE/);
    expect(plan('SELECT raw FROM entries WHERE occurred_at BETWEEN 1 AND 2')).toMatch(
      /entries_by_time/,
    );
    expect(plan("SELECT raw FROM entries WHERE action = 'a.b'")).toMatch(/entries_by_action/);
    expect(plan('SELECT count(*) FROM entries WHERE bundle_ref = 1')).toMatch(/entries_by_bundle/);
    expect(plan('SELECT * FROM bundles ORDER BY period_start')).toMatch(/bundles_by_period/);
  });
});
