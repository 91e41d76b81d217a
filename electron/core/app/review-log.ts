// Reviewer actions recorded in the workspace's hash-chained review log (electron/core/review/
// review-log.ts). What is recorded, and when, is listed in docs/browser-mode.md ("Review log"):
// searches are debounced to one record per workspace and query text per minute, so typing in the
// query bar (a search per keystroke) does not flood the log.
import type { JsonValue } from '../../../shared/entry';
import { appendReviewLog } from '../review/review-log';
import type { Workspace } from '../workspace/database';
import { retryWhileBusy } from './busy';
import type { AppContext } from './context';

export const SEARCH_LOG_INTERVAL_MS = 60_000;

export class ActionLog {
  private readonly searches = new Map<string, number>();
  private readonly opened = new Set<string>();

  constructor(private readonly context: () => AppContext) {}

  /**
   * Appends now, or once the workspace is free when a job holds its write lock (retried on timers,
   * so the caller's answer never waits for it; the record keeps the time of the action).
   */
  record(ws: Workspace, action: string, details: { [key: string]: JsonValue } = {}): void {
    const options = {
      actor: this.context().reviewer(),
      action,
      details,
      at: new Date().toISOString(),
    };
    retryWhileBusy(() => appendReviewLog(ws, options)).catch(() => {
      // Still busy after the wait, or the workspace closed: the action stands without its record.
    });
  }

  /** The first time this run touches a workspace: `workspace.opened`. */
  opening(workspaceId: string, ws: Workspace): void {
    if (this.opened.has(workspaceId)) return;
    this.opened.add(workspaceId);
    this.record(ws, 'workspace.opened', {});
  }

  /** A search, at most once per workspace and query text per minute. */
  search(workspaceId: string, ws: Workspace, query: string, total: number): void {
    const key = `${workspaceId}\u0000${query}`;
    const now = Date.now();
    const last = this.searches.get(key);
    if (last !== undefined && now - last < SEARCH_LOG_INTERVAL_MS) return;
    this.searches.set(key, now);
    if (this.searches.size > 10_000) this.searches.clear();
    this.record(ws, 'search.run', { query, total });
  }
}
