// 0002 on a real SQLite file holding 0001 data: the bundle_ref index goes, every row stays, and a
// bundle's entries are still read without a scan (by rowid range).
import Database, { type Database as Db } from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../tests/helpers/bundles';
import { contentHash } from '../../../../tests/integration/helpers/workspace';
import { migrate, schemaVersion } from './index';

let dir: { path: string; remove(): void };
let db: Db;
beforeEach(() => {
  dir = tempDir('audit-desk-migration-0002-');
  db = new Database(join(dir.path, 'workspace.sqlite'));
  migrate(db, 1);
  db.exec(`
    INSERT INTO bundles (ref, bundle_id, digest, period_start, period_end, first_seq, last_seq, entry_count,
      key_id, issued_at, manifest, signature, verdict, source, imported_at)
    VALUES (1, 'b1', 'd1', 0, 10, 1, 2, 2, 'k', 'i', '{}', 's', 'valid', 'file', 'now');
    INSERT INTO entries VALUES (1, 'e1', 1, 0, 1, 'bookings', 'booking.created', 'u', 'user', 'booking', '1', NULL, '{"a":1}');
    INSERT INTO entries VALUES (2, 'e2', 1, 1, 2, 'bookings', 'booking.updated', 'u', 'user', 'booking', '1', NULL, '{"a":2}');
  `);
});
afterEach(() => {
  if (db.open) db.close();
  dir.remove();
});

const entryIndexes = () =>
  db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries' AND sql IS NOT NULL ORDER BY name",
    )
    .pluck()
    .all();

describe('0002 drop-entries-by-bundle', () => {
  it('drops only the bundle_ref index and keeps every row', () => {
    const rows = db.prepare('SELECT * FROM entries ORDER BY seq').all();
    expect(entryIndexes()).toContain('entries_by_bundle');
    migrate(db, 2);
    expect(schemaVersion(db)).toBe(2);
    expect(entryIndexes()).toEqual([
      'entries_by_action',
      'entries_by_actor',
      'entries_by_category',
      'entries_by_entity',
      'entries_by_ip',
      'entries_by_time',
    ]);
    expect(db.prepare('SELECT * FROM entries ORDER BY seq').all()).toEqual(rows);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it("a bundle's entries are read by rowid range from its seq range, not by a scan", () => {
    migrate(db, 2);
    const sql =
      'SELECT e.raw FROM bundles b JOIN entries e ON e.seq BETWEEN b.first_seq AND b.last_seq WHERE b.ref = 1';
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map(
      (r) => r.detail,
    );
    expect(plan.join(' | ')).toMatch(
      /SEARCH e USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/,
    );
    expect(db.prepare(sql).pluck().all()).toEqual(['{"a":1}', '{"a":2}']);
  });

  it('applied twice is a no-op', () => {
    migrate(db);
    const before = contentHash(db);
    migrate(db);
    expect(contentHash(db)).toBe(before);
  });
});
