// 0006 on a real SQLite file holding entries imported before the counts existed: the migration
// counts them, so the old workspace holds exactly the counts a fresh import of its bundles keeps.
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
import { countsMismatches } from '../../search/counts-check';
import { migrate, schemaVersion } from './index';

let fixture: Fixture;
let dir: { path: string; remove(): void };
let old: Db;

const rows = (db: Db, table: string) =>
  db
    .prepare(`SELECT * FROM ${table}`)
    .raw()
    .all()
    .map((r) => JSON.stringify(r))
    .sort();

beforeAll(async () => {
  fixture = await buildFixture(3, 30);
  dir = tempDir('audit-desk-migration-0006-');
  // A workspace as Audit Desk left it before 0006: the same rows, schema version 5.
  old = copyAtSchemaVersion(fixture, join(dir.path, 'workspace.sqlite'), 5);
}, 30_000);
afterAll(() => {
  old.close();
  dir.remove();
  fixture.remove();
});

describe('0006 entry counts', () => {
  it('counts the entries already stored exactly as the import counts them', () => {
    migrate(old, 6);
    expect(schemaVersion(old)).toBe(6);
    for (const table of ['entry_counts', 'entry_actor_counts']) {
      expect(rows(old, table).length, table).toBeGreaterThan(0);
      expect(rows(old, table), table).toEqual(rows(fixture.ws.db, table));
    }
    expect(countsMismatches(old)).toEqual({ entry_counts: 0, entry_actor_counts: 0 });
    expect(old.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('applied twice is a no-op', () => {
    migrate(old);
    const hash = contentHash(old);
    migrate(old);
    expect(contentHash(old)).toBe(hash);
  });

  it('an empty workspace gets empty counts', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(db.prepare('SELECT count(*) FROM entry_counts').pluck().get()).toBe(0);
    expect(countsMismatches(db)).toEqual({ entry_counts: 0, entry_actor_counts: 0 });
    db.close();
  });
});
