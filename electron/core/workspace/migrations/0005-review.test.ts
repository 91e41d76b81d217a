// 0005 on a real SQLite file holding earlier data: the review tables appear with their constraints,
// nothing else changes, and no review table depends on an entries row (annotations outlive them).
import Database, { type Database as Db } from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../tests/helpers/bundles';
import { migrate, schemaVersion } from './index';

let dir: { path: string; remove(): void };
let db: Db;
beforeEach(() => {
  dir = tempDir('audit-desk-migration-0005-');
  db = new Database(join(dir.path, 'workspace.sqlite'));
  db.pragma('foreign_keys = ON');
  migrate(db, 4);
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

const REVIEW_TABLES = [
  'annotation_events',
  'annotation_tags',
  'annotations',
  'finding_decisions',
  'review_log',
  'review_log_head',
  'sample_entries',
  'samples',
];

describe('0005 review', () => {
  it('adds the review tables and keeps every earlier row', () => {
    const before = db.prepare('SELECT * FROM entries').all();
    migrate(db, 5);
    expect(schemaVersion(db)).toBe(5);
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (SELECT value FROM json_each(?)) ORDER BY name",
      )
      .pluck()
      .all(JSON.stringify(REVIEW_TABLES));
    expect(tables).toEqual(REVIEW_TABLES);
    expect(db.prepare('SELECT * FROM entries').all()).toEqual(before);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('constrains statuses and decisions, one current annotation per entry, one log head', () => {
    migrate(db, 5);
    const event = db.prepare(
      `INSERT INTO annotation_events (entry_id, kind, status, author_name, at) VALUES ('e1', 'set', ?, 'r', 'now')`,
    );
    expect(() => event.run('approved')).toThrow(/CHECK constraint/);
    const id = event.run('reviewed').lastInsertRowid;
    const current = db.prepare(
      `INSERT INTO annotations (entry_id, status, author_name, created_at, updated_at, event_id) VALUES ('e1', 'reviewed', 'r', 'now', 'now', ?)`,
    );
    current.run(id);
    expect(() => current.run(id)).toThrow(/UNIQUE/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO finding_decisions (finding_key, rule, decision, reason, entry_ids, author_name, at) VALUES ('k', 'r', 'ignored', 'x', '[]', 'r', 'now')`,
        )
        .run(),
    ).toThrow(/CHECK constraint/);
    expect(() => db.prepare("INSERT INTO review_log_head VALUES (2, 1, 'h')").run()).toThrow(
      /CHECK constraint/,
    );
  });

  it('annotations do not reference entries: deleting and re-inserting entries keeps them', () => {
    migrate(db, 5);
    const id = db
      .prepare(
        `INSERT INTO annotation_events (entry_id, kind, status, author_name, at) VALUES ('e1', 'set', 'exception', 'r', 'now')`,
      )
      .run().lastInsertRowid;
    db.prepare(
      `INSERT INTO annotations (entry_id, status, author_name, created_at, updated_at, event_id) VALUES ('e1', 'exception', 'r', 'now', 'now', ?)`,
    ).run(id);
    db.exec('DELETE FROM entries');
    expect(db.prepare('SELECT status FROM annotations WHERE entry_id = ?').pluck().get('e1')).toBe(
      'exception',
    );
  });
});
