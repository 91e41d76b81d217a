// Reviewer actions recorded in the workspace's hash-chained review log (electron/core/review/
// review-log.ts). What is recorded, and when, is listed in docs/browser-mode.md ("Review log").
// The log view searches on every keystroke, so a search is recorded only once its query text has
// settled (no other search on that workspace for SEARCH_SETTLE_MS), the same text at most once a
// minute, and never for the further pages of a query. A settled search is also written before any
// other action on its workspace, so the log keeps the order in which things happened.
import type { JsonValue } from '../../../shared/entry';
import { appendReviewLog } from '../review/review-log';
import type { Workspace } from '../workspace/database';
import { retryWhileBusy } from './busy';
import type { AppContext } from './context';

export const SEARCH_SETTLE_MS = 2_000;
export const SEARCH_REPEAT_MS = 60_000;

interface PendingSearch {
  ws: Workspace;
  query: string;
  total: number;
  at: string;
  timer: NodeJS.Timeout;
}

export class ActionLog {
  private readonly pending = new Map<string, PendingSearch>();
  private readonly lastRecorded = new Map<string, { query: string; at: number }>();
  private readonly opened = new Set<string>();

  constructor(
    private readonly context: () => AppContext,
    private readonly settleMs = SEARCH_SETTLE_MS,
  ) {}

  /**
   * Appends now, or once the workspace is free when a job holds its write lock (retried on timers,
   * so the caller's answer never waits for it; the record keeps the time of the action).
   */
  record(
    ws: Workspace,
    action: string,
    details: { [key: string]: JsonValue } = {},
    at = new Date().toISOString(),
  ): void {
    const options = { actor: this.context().reviewer(), action, details, at };
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

  /** A search (first page); recorded once its text has settled. */
  search(workspaceId: string, ws: Workspace, query: string, total: number): void {
    const previous = this.pending.get(workspaceId);
    if (previous !== undefined) clearTimeout(previous.timer);
    const timer = setTimeout(() => this.flush(workspaceId), this.settleMs);
    timer.unref();
    this.pending.set(workspaceId, { ws, query, total, at: new Date().toISOString(), timer });
  }

  /** Writes the workspace's settled search now (before another action, or at close). */
  flush(workspaceId: string): void {
    const search = this.pending.get(workspaceId);
    if (search === undefined) return;
    clearTimeout(search.timer);
    this.pending.delete(workspaceId);
    const last = this.lastRecorded.get(workspaceId);
    const at = Date.parse(search.at);
    if (last !== undefined && last.query === search.query && at - last.at < SEARCH_REPEAT_MS)
      return;
    this.lastRecorded.set(workspaceId, { query: search.query, at });
    this.record(search.ws, 'search.run', { query: search.query, total: search.total }, search.at);
  }

  /** Before a workspace closes or the app stops. */
  flushAll(): void {
    for (const workspaceId of [...this.pending.keys()]) this.flush(workspaceId);
  }
}
