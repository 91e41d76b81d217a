import type { Migration } from './types';

// Sync bookkeeping (docs/sync.md). `sync_state` keeps one cursor per API address, so a workspace
// synced from two addresses (say a staging and a production API) never mixes their cursors.
// `sync_runs` records every run, including failed and cancelled ones, with what a "last sync" line
// in the workspace list needs: when, how it ended, what it added, and the one-line error. Runs are
// looked up newest first per API address, hence the index.
export const sync: Migration = {
  version: 3,
  name: 'sync',
  up: `
    CREATE TABLE sync_state (
      api_url TEXT PRIMARY KEY,
      cursor TEXT,
      updated_at TEXT NOT NULL
    );

    CREATE TABLE sync_runs (
      id INTEGER PRIMARY KEY,
      api_url TEXT NOT NULL,
      started_at TEXT NOT NULL,
      finished_at TEXT,
      status TEXT NOT NULL CHECK (status IN
        ('running', 'completed', 'completed_with_problems', 'failed', 'cancelled', 'interrupted')),
      bundles_listed INTEGER NOT NULL DEFAULT 0,
      bundles_added INTEGER NOT NULL DEFAULT 0,
      bundles_present INTEGER NOT NULL DEFAULT 0,
      entries_added INTEGER NOT NULL DEFAULT 0,
      bytes_downloaded INTEGER NOT NULL DEFAULT 0,
      rejected_count INTEGER NOT NULL DEFAULT 0,
      archived_count INTEGER NOT NULL DEFAULT 0,
      missing_count INTEGER NOT NULL DEFAULT 0,
      details TEXT NOT NULL DEFAULT '{}',
      error TEXT,
      error_kind TEXT
    );
    CREATE INDEX sync_runs_by_api ON sync_runs (api_url, id);
  `,
};
