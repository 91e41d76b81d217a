// What the workspace remembers about syncing (migration 0003): the cursor per API address, and a
// record of every run. A run is written when it starts (status `running`) and completed when it
// ends, so a run killed half-way is visible afterwards (marked `interrupted` by the next run).
import type { Database } from 'better-sqlite3';

export type SyncRunStatus =
  'running' | 'completed' | 'completed_with_problems' | 'failed' | 'cancelled' | 'interrupted';

export interface SyncRunTotals {
  bundlesListed: number;
  bundlesAdded: number;
  bundlesPresent: number;
  entriesAdded: number;
  bytesDownloaded: number;
  rejected: number;
  archived: number;
  missing: number;
}

export interface SyncRunRecord extends SyncRunTotals {
  id: number;
  apiUrl: string;
  startedAt: string;
  finishedAt: string | null;
  status: SyncRunStatus;
  /** JSON: rejected/archived/missing bundles and key warnings of the run. */
  details: unknown;
  error: string | null;
  errorKind: string | null;
}

export function readCursor(db: Database, apiUrl: string): string | null {
  const row = db.prepare('SELECT cursor FROM sync_state WHERE api_url = ?').get(apiUrl) as
    { cursor: string | null } | undefined;
  return row?.cursor ?? null;
}

export function saveCursor(db: Database, apiUrl: string, cursor: string | null, at: string): void {
  db.prepare(
    `INSERT INTO sync_state (api_url, cursor, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (api_url) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
  ).run(apiUrl, cursor, at);
}

/** Starts a run; runs of this workspace still `running` were cut off by a crash or a kill. */
export function beginRun(db: Database, apiUrl: string, startedAt: string): number {
  return db.transaction(() => {
    db.prepare("UPDATE sync_runs SET status = 'interrupted' WHERE status = 'running'").run();
    const info = db
      .prepare("INSERT INTO sync_runs (api_url, started_at, status) VALUES (?, ?, 'running')")
      .run(apiUrl, startedAt);
    return Number(info.lastInsertRowid);
  })();
}

/** Counts so far, written as the run goes so that an interrupted run still tells what it did. */
export function recordProgress(db: Database, id: number, totals: SyncRunTotals): void {
  db.prepare(
    `UPDATE sync_runs SET bundles_listed = @bundlesListed, bundles_added = @bundlesAdded,
       bundles_present = @bundlesPresent, entries_added = @entriesAdded,
       bytes_downloaded = @bytesDownloaded, rejected_count = @rejected, archived_count = @archived,
       missing_count = @missing
     WHERE id = @id`,
  ).run({ id, ...totals });
}

export function finishRun(
  db: Database,
  id: number,
  end: {
    finishedAt: string;
    status: Exclude<SyncRunStatus, 'running' | 'interrupted'>;
    totals: SyncRunTotals;
    details: unknown;
    error?: { message: string; kind: string };
  },
): void {
  recordProgress(db, id, end.totals);
  db.prepare(
    `UPDATE sync_runs SET finished_at = ?, status = ?, details = ?, error = ?, error_kind = ?
     WHERE id = ?`,
  ).run(
    end.finishedAt,
    end.status,
    JSON.stringify(end.details),
    end.error?.message ?? null,
    end.error?.kind ?? null,
    id,
  );
}

interface RunRow {
  id: number;
  api_url: string;
  started_at: string;
  finished_at: string | null;
  status: SyncRunStatus;
  bundles_listed: number;
  bundles_added: number;
  bundles_present: number;
  entries_added: number;
  bytes_downloaded: number;
  rejected_count: number;
  archived_count: number;
  missing_count: number;
  details: string;
  error: string | null;
  error_kind: string | null;
}

function toRecord(row: RunRow): SyncRunRecord {
  return {
    id: row.id,
    apiUrl: row.api_url,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status,
    bundlesListed: row.bundles_listed,
    bundlesAdded: row.bundles_added,
    bundlesPresent: row.bundles_present,
    entriesAdded: row.entries_added,
    bytesDownloaded: row.bytes_downloaded,
    rejected: row.rejected_count,
    archived: row.archived_count,
    missing: row.missing_count,
    details: JSON.parse(row.details) as unknown,
    error: row.error,
    errorKind: row.error_kind,
  };
}

/** Newest runs first (all API addresses unless one is given). */
export function listSyncRuns(
  db: Database,
  { apiUrl, limit = 20 }: { apiUrl?: string; limit?: number } = {},
): SyncRunRecord[] {
  const rows = (
    apiUrl === undefined
      ? db.prepare('SELECT * FROM sync_runs ORDER BY id DESC LIMIT ?').all(limit)
      : db
          .prepare('SELECT * FROM sync_runs WHERE api_url = ? ORDER BY id DESC LIMIT ?')
          .all(apiUrl, limit)
  ) as RunRow[];
  return rows.map(toRecord);
}

export interface LastSync {
  /** The most recent run, whatever its outcome (to show "failed 2 h ago: token rejected"). */
  last: SyncRunRecord | undefined;
  /** When the workspace was last brought fully up to date (completed, nothing rejected or missing). */
  lastCompletedAt: string | null;
}

/** What a "last sync" line in the workspace list needs, in two indexed lookups. */
export function lastSync(db: Database): LastSync {
  const [last] = listSyncRuns(db, { limit: 1 });
  const completed = db
    .prepare(
      "SELECT finished_at FROM sync_runs WHERE status = 'completed' ORDER BY id DESC LIMIT 1",
    )
    .pluck()
    .get() as string | undefined;
  return { last, lastCompletedAt: completed ?? null };
}
