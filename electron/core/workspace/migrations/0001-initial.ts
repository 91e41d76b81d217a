import type { Migration } from './types';

// Entries keep their exact signed line (`raw`) beside typed, indexed columns for filters. `seq` is
// the rowid: Otesse's per-tenant order, so "newest first" needs no sort and annotations (next
// issues) can anchor to entry id + bundle digest, never to a row position.
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up: `
    CREATE TABLE tenant (
      singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
      tenant_id TEXT NOT NULL,
      name TEXT NOT NULL,
      time_zone TEXT NOT NULL,
      plan TEXT NOT NULL
    );

    CREATE TABLE bundles (
      ref INTEGER PRIMARY KEY,
      bundle_id TEXT NOT NULL UNIQUE,
      digest TEXT NOT NULL UNIQUE,
      period_start INTEGER NOT NULL,
      period_end INTEGER NOT NULL,
      first_seq INTEGER,
      last_seq INTEGER,
      entry_count INTEGER NOT NULL,
      prev_digest TEXT,
      key_id TEXT NOT NULL,
      issued_at TEXT NOT NULL,
      manifest TEXT NOT NULL,
      signature TEXT NOT NULL,
      verdict TEXT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('file', 'sync')),
      source_name TEXT,
      imported_at TEXT NOT NULL
    );
    CREATE INDEX bundles_by_period ON bundles (period_start);

    CREATE TABLE entries (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      bundle_ref INTEGER NOT NULL REFERENCES bundles (ref),
      leaf_index INTEGER NOT NULL,
      occurred_at INTEGER NOT NULL,
      category TEXT NOT NULL,
      action TEXT NOT NULL,
      actor_id TEXT NOT NULL,
      actor_type TEXT NOT NULL,
      entity_type TEXT NOT NULL,
      entity_id TEXT NOT NULL,
      ip TEXT,
      raw TEXT NOT NULL
    );
    CREATE INDEX entries_by_time ON entries (occurred_at);
    CREATE INDEX entries_by_category ON entries (category);
    CREATE INDEX entries_by_action ON entries (action);
    CREATE INDEX entries_by_actor ON entries (actor_id);
    CREATE INDEX entries_by_entity ON entries (entity_type, entity_id);
    CREATE INDEX entries_by_ip ON entries (ip);
    CREATE INDEX entries_by_bundle ON entries (bundle_ref);

    CREATE TABLE actors (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      email TEXT,
      type TEXT NOT NULL
    );

    CREATE TABLE trust_keys (
      key_id TEXT PRIMARY KEY,
      public_key TEXT NOT NULL,
      valid_from TEXT,
      valid_to TEXT,
      revoked INTEGER NOT NULL,
      source TEXT NOT NULL,
      recorded_at TEXT NOT NULL
    );
  `,
};
