// Numbered migrations, applied in one transaction and tracked with PRAGMA user_version.
import type { Database } from 'better-sqlite3';
import { runtimeError } from '../../errors';
import { initial } from './0001-initial';
import { dropEntriesByBundle } from './0002-drop-entries-by-bundle';
import { sync } from './0003-sync';
import { fullText } from './0004-full-text';
import { review } from './0005-review';
import { entryCounts } from './0006-entry-counts';
import { fullTextSettings } from './0007-full-text-settings';
import type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [
  initial,
  dropEntriesByBundle,
  sync,
  fullText,
  review,
  entryCounts,
  fullTextSettings,
];
export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Returns the database's schema version; refuses one written by a newer Audit Desk. */
export function checkSchemaVersion(db: Database): number {
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) {
    throw runtimeError(
      `workspace schema version ${current} is newer than this Audit Desk understands (${SCHEMA_VERSION}); update Audit Desk to open it`,
    );
  }
  return current;
}

/** Brings the database to `target` (default: latest); refuses a database from a newer app. */
export function migrate(db: Database, target = SCHEMA_VERSION): void {
  const current = checkSchemaVersion(db);
  if (current >= target) return;
  db.transaction(() => {
    for (const migration of MIGRATIONS.slice(current, target)) {
      if (typeof migration.up === 'string') db.exec(migration.up);
      else migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
}
