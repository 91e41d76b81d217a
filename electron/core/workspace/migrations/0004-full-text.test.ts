// 0004 on a real SQLite file holding entries imported before full text existed: the migration fills
// the FTS5 index from the stored lines, so the old workspace finds exactly what a fresh import of
// the same bundles finds.
import Database, { type Database as Db } from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../tests/helpers/bundles';
import {
  buildFixture,
  copyAtSchemaVersion,
  type Fixture,
} from '../../../../tests/helpers/search-fixture';
import { contentHash } from '../../../../tests/integration/helpers/workspace';
import { FTS_TABLE } from '../../search/full-text';
import { migrate, schemaVersion } from './index';

let fixture: Fixture;
let dir: { path: string; remove(): void };
let old: Db;

const MATCHES = [
  '"booking"',
  '"booking.cancelled"',
  '"emile"',
  '"Émile Dupré"',
  '"dana@example.com"',
  '"203.0.113"',
  '"1234"',
  '"élysée"',
  '"cancelled"',
  '"confirmed"',
  '"zone" NOT "elysee"',
  '"bo"*',
];

const rowids = (db: Db, match: string) =>
  db
    .prepare(`SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ? ORDER BY rowid DESC`)
    .pluck()
    .all(match) as number[];

beforeAll(async () => {
  fixture = await buildFixture(3, 30);
  dir = tempDir('audit-desk-migration-0004-');
  // A workspace as Audit Desk left it before 0004: the same rows, schema version 3.
  old = copyAtSchemaVersion(fixture, join(dir.path, 'workspace.sqlite'), 3);
}, 30_000);
afterAll(() => {
  old.close();
  dir.remove();
  fixture.remove();
});

describe('0004 full-text', () => {
  it('indexes the entries already stored: every query finds what a fresh import finds', () => {
    const before = old.prepare('SELECT * FROM entries ORDER BY seq').all();
    migrate(old, 4);
    expect(schemaVersion(old)).toBe(4);
    expect(old.prepare('SELECT * FROM entries ORDER BY seq').all()).toEqual(before);
    for (const match of MATCHES) {
      const expected = rowids(fixture.ws.db, match);
      expect(rowids(old, match), match).toEqual(expected);
    }
    // Not vacuous: the queries find something, and not everything.
    expect(rowids(old, '"booking"').length).toBeGreaterThan(0);
    expect(rowids(old, '"booking"').length).toBeLessThan(fixture.entries.length);
    expect(rowids(old, '"emile"').length).toBeGreaterThan(0);
    expect(old.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(
      old.prepare(`INSERT INTO ${FTS_TABLE} (${FTS_TABLE}) VALUES ('integrity-check')`).run(),
    ).toBeDefined();
  });

  it('is contentless and without prefix indexes (the layout docs/search.md describes)', () => {
    const sql = old
      .prepare("SELECT sql FROM sqlite_master WHERE name = 'entries_fts'")
      .pluck()
      .get() as string;
    expect(sql).toMatch(/content = ''/);
    expect(sql).toMatch(/remove_diacritics 2/);
    expect(sql).not.toMatch(/prefix/);
  });

  it('widens the time index to carry category, action and actor (histograms and facets)', () => {
    expect(
      old
        .prepare("SELECT name FROM pragma_index_info('entries_by_time') ORDER BY seqno")
        .pluck()
        .all(),
    ).toEqual(['occurred_at', 'category', 'action', 'actor_id']);
  });

  it('applied twice is a no-op', () => {
    migrate(old);
    const hash = contentHash(old);
    migrate(old);
    expect(contentHash(old)).toBe(hash);
  });
});

describe('0004 on lines that are not entries', () => {
  it('skips them rather than failing (a database made by hand)', () => {
    const db = new Database(':memory:');
    migrate(db, 3);
    db.exec(`
      INSERT INTO bundles (ref, bundle_id, digest, period_start, period_end, first_seq, last_seq, entry_count,
        key_id, issued_at, manifest, signature, verdict, source, imported_at)
      VALUES (1, 'b1', 'd1', 0, 10, 1, 2, 2, 'k', 'i', '{}', 's', 'valid', 'file', 'now');
      INSERT INTO entries VALUES (1, 'e1', 1, 0, 1, 'bookings', 'booking.created', 'u', 'user', 'booking', '1', NULL, '{"a":1}');
      INSERT INTO entries VALUES (2, 'e2', 1, 1, 2, 'bookings', 'booking.updated', 'u', 'user', 'booking', '1', NULL, 'not json');
    `);
    migrate(db, 4);
    expect(db.prepare(`SELECT count(*) FROM ${FTS_TABLE}`).pluck().get()).toBe(0);
    db.close();
  });
});
