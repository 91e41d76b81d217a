// 0007 on a real SQLite file holding entries and their full-text rows: it only changes how FTS5
// writes new terms (its config table), so every query answers as before, and so does an import
// after it, also one large enough to fill FTS5's former 1 MiB of pending terms many times over.
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
import { FULL_TEXT_HASH_BYTES } from './0007-full-text-settings';
import { migrate, schemaVersion } from './index';

let fixture: Fixture;
let dir: { path: string; remove(): void };
let old: Db;

const MATCHES = ['"booking"', '"cancelled"', '"emile"', '"203.0.113"', '"bo"*'];
const rowids = (db: Db, match: string) =>
  db
    .prepare(`SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ? ORDER BY rowid DESC`)
    .pluck()
    .all(match) as number[];
const config = (db: Db) =>
  Object.fromEntries(
    (db.prepare(`SELECT k, v FROM ${FTS_TABLE}_config`).raw().all() as [string, unknown][]).map(
      ([k, v]) => [k, v],
    ),
  );

beforeAll(async () => {
  fixture = await buildFixture(3, 30);
  dir = tempDir('audit-desk-migration-0007-');
  // A workspace as Audit Desk left it before 0007, its full-text rows built by 0004's backfill.
  old = copyAtSchemaVersion(fixture, join(dir.path, 'workspace.sqlite'), 3);
  migrate(old, 6);
}, 30_000);
afterAll(() => {
  old.close();
  dir.remove();
  fixture.remove();
});

describe('0007 full-text settings', () => {
  it('sets the size of pending terms and nothing else; every query answers as before', () => {
    const before = MATCHES.map((match) => rowids(old, match));
    expect(config(old)).toEqual({ version: 4 });
    migrate(old, 7);
    expect(schemaVersion(old)).toBe(7);
    expect(config(old)).toEqual({ version: 4, hashsize: FULL_TEXT_HASH_BYTES });
    expect(MATCHES.map((match) => rowids(old, match))).toEqual(before);
    expect(before[0]!.length).toBeGreaterThan(0);
    expect(config(fixture.ws.db)).toEqual({ version: 4, hashsize: FULL_TEXT_HASH_BYTES });
  });

  it('a large insert after it is searched exactly as with FTS5 defaults', () => {
    const insert = `INSERT INTO ${FTS_TABLE} (rowid, action, actor, entity, changes, ip, agent, metadata)
      VALUES (?, 'booking.cancelled', ?, ?, NULL, NULL, NULL, ?)`;
    const fill = (db: Db) => {
      const statement = db.prepare(insert);
      db.transaction(() => {
        // Some 8 MB of distinct terms: several flushes at FTS5's default 1 MiB, none at 16 MiB.
        for (let i = 1; i <= 60_000; i++)
          statement.run(
            1_000_000 + i,
            `Person ${i % 997}`,
            `Booking #${i}`,
            `w${i} x${i * 7} y${i % 13}`,
          );
      })();
    };
    const defaults = new Database(':memory:');
    migrate(defaults, 6);
    const tuned = new Database(':memory:');
    migrate(tuned);
    fill(defaults);
    fill(tuned);
    for (const match of ['"booking"', '"person 5"', '"w59999"', '"y3"', '"x7"*', 'w1 OR w2'])
      expect(rowids(tuned, match), match).toEqual(rowids(defaults, match));
    expect(
      tuned.prepare(`INSERT INTO ${FTS_TABLE} (${FTS_TABLE}) VALUES ('integrity-check')`).run(),
    ).toBeDefined();
    defaults.close();
    tuned.close();
  });

  it('applied twice is a no-op', () => {
    migrate(old);
    const hash = contentHash(old);
    migrate(old);
    expect(contentHash(old)).toBe(hash);
  });
});
