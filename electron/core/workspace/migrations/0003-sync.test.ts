// 0003 on a real SQLite file holding 0002 data: the sync tables appear, nothing else changes.
import Database, { type Database as Db } from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../tests/helpers/bundles';
import { contentHash } from '../../../../tests/integration/helpers/workspace';
import { migrate, schemaVersion } from './index';

let dir: { path: string; remove(): void };
let db: Db;
beforeEach(() => {
  dir = tempDir('audit-desk-migration-0003-');
  db = new Database(join(dir.path, 'workspace.sqlite'));
  migrate(db, 2);
  db.exec(`
    INSERT INTO bundles (ref, bundle_id, digest, period_start, period_end, first_seq, last_seq, entry_count,
      key_id, issued_at, manifest, signature, verdict, source, imported_at)
    VALUES (1, 'b1', 'd1', 0, 10, 1, 1, 1, 'k', 'i', '{}', 's', 'valid', 'file', 'now');
    INSERT INTO entries VALUES (1, 'e1', 1, 0, 1, 'bookings', 'booking.created', 'u', 'user', 'booking', '1', NULL, '{"a":1}');
  `);
});
afterEach(() => {
  if (db.open) db.close();
  dir.remove();
});

const columns = (table: string) =>
  (
    db
      .prepare('SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid')
      .all(table) as {
      name: string;
      type: string;
      notnull: number;
      pk: number;
    }[]
  ).map((c) => `${c.name} ${c.type}${c.notnull ? ' NOT NULL' : ''}${c.pk ? ' PK' : ''}`);

describe('0003 sync', () => {
  it('adds sync_state and sync_runs and keeps every earlier row', () => {
    const before = db.prepare('SELECT * FROM entries').all();
    migrate(db, 3);
    expect(schemaVersion(db)).toBe(3);
    expect(columns('sync_state')).toEqual([
      'api_url TEXT PK',
      'cursor TEXT',
      'updated_at TEXT NOT NULL',
    ]);
    expect(columns('sync_runs')).toEqual([
      'id INTEGER PK',
      'api_url TEXT NOT NULL',
      'started_at TEXT NOT NULL',
      'finished_at TEXT',
      'status TEXT NOT NULL',
      'bundles_listed INTEGER NOT NULL',
      'bundles_added INTEGER NOT NULL',
      'bundles_present INTEGER NOT NULL',
      'entries_added INTEGER NOT NULL',
      'bytes_downloaded INTEGER NOT NULL',
      'rejected_count INTEGER NOT NULL',
      'archived_count INTEGER NOT NULL',
      'missing_count INTEGER NOT NULL',
      'details TEXT NOT NULL',
      'error TEXT',
      'error_kind TEXT',
    ]);
    expect(db.prepare('SELECT * FROM entries').all()).toEqual(before);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('one cursor per API address; run status is constrained', () => {
    migrate(db, 3);
    db.prepare("INSERT INTO sync_state VALUES ('http://a', 'c1', 'now')").run();
    expect(() =>
      db.prepare("INSERT INTO sync_state VALUES ('http://a', 'c2', 'now')").run(),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db
        .prepare("INSERT INTO sync_runs (api_url, started_at, status) VALUES ('a', 'now', 'weird')")
        .run(),
    ).toThrow(/CHECK/);
  });

  it('the last run of an address is found through the index', () => {
    migrate(db, 3);
    const plan = (
      db
        .prepare(
          "EXPLAIN QUERY PLAN SELECT * FROM sync_runs WHERE api_url = 'a' ORDER BY id DESC LIMIT 1",
        )
        .all() as {
        detail: string;
      }[]
    ).map((r) => r.detail);
    expect(plan.join(' | ')).toMatch(/USING INDEX sync_runs_by_api/);
  });

  it('applied twice is a no-op', () => {
    migrate(db);
    const before = contentHash(db);
    migrate(db);
    expect(contentHash(db)).toBe(before);
  });
});
