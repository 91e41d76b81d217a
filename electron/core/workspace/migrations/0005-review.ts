import type { Migration } from './types';

// Review workflow (issue 6, docs/review.md). Nothing here references `entries` by a foreign key:
// annotations, samples and findings are anchored to the entry id (stable per tenant) and the digest
// of the bundle that held it, so re-importing, re-sorting or rebuilding the entries table never
// moves or loses them.
//
// - annotation_events: the append-only history (every set, edit, clear or merge adds a row).
// - annotations + annotation_tags: the current state per entry, rewritten in the same transaction
//   as the event that produced it (derivable from the history; kept for the status:/tag: filters).
// - samples + sample_entries: drawn audit samples (review batches), with the seed and the
//   population fingerprint that let a third party re-draw them.
// - finding_decisions: dismissals (with a reason) and restorations of unusual-activity findings,
//   append-only, keyed by the finding's stable key.
// - review_log + review_log_head: the hash-chained log of reviewer actions and its last hash.
// Every table keeps its rowid (no WITHOUT ROWID), as the workspace's content-hash tooling expects.
export const review: Migration = {
  version: 5,
  name: 'review',
  up: `
    CREATE TABLE annotation_events (
      id INTEGER PRIMARY KEY,
      entry_id TEXT NOT NULL,
      bundle_digest TEXT,
      kind TEXT NOT NULL CHECK (kind IN ('set', 'clear', 'merge')),
      status TEXT NOT NULL
        CHECK (status IN ('unreviewed', 'reviewed', 'exception', 'follow_up')),
      tags TEXT NOT NULL DEFAULT '[]',
      note TEXT NOT NULL DEFAULT '',
      author_name TEXT NOT NULL,
      author_email TEXT,
      at TEXT NOT NULL,
      source TEXT
    );
    CREATE INDEX annotation_events_by_entry ON annotation_events (entry_id, id);

    CREATE TABLE annotations (
      entry_id TEXT PRIMARY KEY,
      bundle_digest TEXT,
      status TEXT NOT NULL
        CHECK (status IN ('unreviewed', 'reviewed', 'exception', 'follow_up')),
      tags TEXT NOT NULL DEFAULT '[]',
      note TEXT NOT NULL DEFAULT '',
      author_name TEXT NOT NULL,
      author_email TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      event_id INTEGER NOT NULL REFERENCES annotation_events (id)
    );
    CREATE INDEX annotations_by_status ON annotations (status, entry_id);

    CREATE TABLE annotation_tags (
      tag_folded TEXT NOT NULL,
      entry_id TEXT NOT NULL,
      tag TEXT NOT NULL,
      PRIMARY KEY (tag_folded, entry_id)
    );
    CREATE INDEX annotation_tags_by_entry ON annotation_tags (entry_id);

    CREATE TABLE samples (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      created_at TEXT NOT NULL,
      author_name TEXT NOT NULL,
      author_email TEXT,
      query TEXT NOT NULL,
      method TEXT NOT NULL CHECK (method IN ('size', 'percent', 'statistical')),
      parameters TEXT NOT NULL,
      seed TEXT NOT NULL,
      algorithm TEXT NOT NULL,
      population INTEGER NOT NULL,
      population_fingerprint TEXT NOT NULL,
      size INTEGER NOT NULL
    );

    CREATE TABLE sample_entries (
      sample_id INTEGER NOT NULL REFERENCES samples (id),
      position INTEGER NOT NULL,
      entry_id TEXT NOT NULL,
      PRIMARY KEY (sample_id, position)
    );

    CREATE TABLE finding_decisions (
      id INTEGER PRIMARY KEY,
      finding_key TEXT NOT NULL,
      rule TEXT NOT NULL,
      decision TEXT NOT NULL CHECK (decision IN ('dismissed', 'restored')),
      reason TEXT NOT NULL,
      entry_ids TEXT NOT NULL,
      author_name TEXT NOT NULL,
      author_email TEXT,
      at TEXT NOT NULL
    );
    CREATE INDEX finding_decisions_by_key ON finding_decisions (finding_key, id);

    CREATE TABLE review_log (
      seq INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      details TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    );

    CREATE TABLE review_log_head (
      singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
      seq INTEGER NOT NULL,
      hash TEXT NOT NULL
    );
  `,
};
