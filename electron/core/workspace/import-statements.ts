// Named statements of the import path, prepared once per connection.
import type { Database, Statement } from 'better-sqlite3';
import type { StoredLink } from './chain';

export interface ImportStatements {
  tenant: Statement<[], { tenant_id: string } | undefined>;
  bundleByDigest: Statement<[string], { ref: number } | undefined>;
  bundleOverlapping: Statement<
    [{ start: number; end: number; firstSeq: number | null; lastSeq: number | null }],
    { bundle_id: string } | undefined
  >;
  bundlesEndingAt: Statement<[number], StoredLink>;
  bundlesStartingAt: Statement<[number], StoredLink>;
  bundleEndingBy: Statement<[number], StoredLink | undefined>;
  bundleWithPrev: Statement<[string | null, string], StoredLink | undefined>;
  entryHolderById: Statement<[string], EntryHolder | undefined>;
  entryHolderBySeq: Statement<[number], EntryHolder | undefined>;
  insertBundle: Statement<[Record<string, unknown>]>;
  insertEntry: Statement<unknown[]>;
  /** The entry's row of the full-text index (rowid = seq, then FTS_COLUMNS). */
  insertFullText: Statement<unknown[]>;
  upsertActor: Statement<[string, string, string | null, string]>;
  /** Adds to the counts per slot (migration 0006): span, slot start, category, action, n. */
  addSlotCount: Statement<[number, number, string, string, number]>;
  /** Adds to the counts per actor: span (day or month code), slot start, category, action, actor id, n. */
  addActorCount: Statement<[number, number, string, string, string, number]>;
  upsertTenant: Statement<
    [{ id: string; name: string; timeZone: string; plan: string; periodStart: number }]
  >;
  upsertTrustKey: Statement<[string, string, string | null, string | null, number, string, string]>;
}

/** The stored entry that already holds an id or seq, and its bundle. */
export interface EntryHolder {
  bundle_ref: number;
  leaf_index: number;
  bundle_id: string;
}

const cache = new WeakMap<Database, ImportStatements>();

export function prepareImportStatements(db: Database): ImportStatements {
  let statements = cache.get(db);
  if (statements === undefined) {
    statements = prepare(db);
    cache.set(db, statements);
  }
  return statements;
}

const LINK = 'SELECT bundle_id, digest, prev_digest FROM bundles';
const HOLDER =
  'SELECT e.bundle_ref, e.leaf_index, b.bundle_id FROM entries e JOIN bundles b ON b.ref = e.bundle_ref';

function prepare(db: Database): ImportStatements {
  return {
    tenant: db.prepare('SELECT tenant_id FROM tenant WHERE singleton = 1'),
    bundleByDigest: db.prepare('SELECT ref FROM bundles WHERE digest = ?'),
    // An empty bundle (null seqs) can overlap by period only.
    bundleOverlapping: db.prepare(
      `SELECT bundle_id FROM bundles
       WHERE (period_start < @end AND period_end > @start)
          OR (first_seq <= @lastSeq AND last_seq >= @firstSeq)
       LIMIT 1`,
    ),
    // Up to two: a second one means the chain is ambiguous there (chain.ts reports a conflict).
    bundlesEndingAt: db.prepare(`${LINK} WHERE period_end = ? LIMIT 2`),
    bundlesStartingAt: db.prepare(`${LINK} WHERE period_start = ? LIMIT 2`),
    bundleEndingBy: db.prepare(`${LINK} WHERE period_end <= ? LIMIT 1`),
    // No index on prev_digest: a workspace holds one bundle per period, a few thousand rows.
    bundleWithPrev: db.prepare(`${LINK} WHERE prev_digest IS ? AND digest != ? LIMIT 1`),
    entryHolderById: db.prepare(`${HOLDER} WHERE e.id = ?`),
    entryHolderBySeq: db.prepare(`${HOLDER} WHERE e.seq = ?`),
    insertBundle: db.prepare(
      `INSERT INTO bundles (bundle_id, digest, period_start, period_end, first_seq, last_seq, entry_count,
         prev_digest, key_id, issued_at, manifest, signature, verdict, source, source_name, imported_at)
       VALUES (@bundle_id, @digest, @period_start, @period_end, @first_seq, @last_seq, @entry_count,
         @prev_digest, @key_id, @issued_at, @manifest, @signature, @verdict, @source, @source_name, @imported_at)`,
    ),
    insertEntry: db.prepare(
      `INSERT INTO entries (seq, id, bundle_ref, leaf_index, occurred_at, category, action, actor_id,
         actor_type, entity_type, entity_id, ip, raw)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertFullText: db.prepare(
      `INSERT INTO entries_fts (rowid, action, actor, entity, changes, ip, agent, metadata)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    upsertActor: db.prepare(
      `INSERT INTO actors (id, name, email, type) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, type = excluded.type`,
    ),
    addSlotCount: db.prepare(
      `INSERT INTO entry_counts (span, slot_start, category, action, n) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (span, slot_start, category, action) DO UPDATE SET n = n + excluded.n`,
    ),
    addActorCount: db.prepare(
      `INSERT INTO entry_actor_counts (span, slot_start, category, action, actor_id, n)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (span, slot_start, category, action, actor_id) DO UPDATE SET n = n + excluded.n`,
    ),
    upsertTenant: db.prepare(
      // Name, zone and plan follow the newest period imported, whatever order bundles arrive in.
      `INSERT INTO tenant (singleton, tenant_id, name, time_zone, plan) VALUES (1, @id, @name, @timeZone, @plan)
       ON CONFLICT (singleton) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone, plan = excluded.plan
       WHERE NOT EXISTS (SELECT 1 FROM bundles WHERE period_start > @periodStart)`,
    ),
    upsertTrustKey: db.prepare(
      `INSERT INTO trust_keys (key_id, public_key, valid_from, valid_to, revoked, source, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key_id) DO UPDATE SET public_key = excluded.public_key, valid_from = excluded.valid_from,
         valid_to = excluded.valid_to, revoked = excluded.revoked, source = excluded.source,
         recorded_at = excluded.recorded_at`,
    ),
  };
}
