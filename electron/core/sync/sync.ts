// One sync run (docs/sync.md): check the server's keys against the trust store, list every new
// bundle from the stored cursor, then for each one in order skip it (digest already held), note it
// (archived), or download, check and import it. The cursor moves past a page only once every
// bundle on it is settled for good, so an interrupted or partly failed run is completed by the
// next one; rejected and missing bundles are reported and tried again by every later run.
import type { BundleDescriptor } from '../../../shared/otesse-api';
import { AuditDeskError, runtimeError, usageError } from '../errors';
import type { Workspace } from '../workspace/database';
import { importBundleFile } from '../workspace/import';
import type { ResolvedTrust } from '../workspace/trust';
import { normalizeApiUrl } from './api-url';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff';
import { OtesseClient } from './client';
import { systemClock, type SyncClock } from './clock';
import { downloadBundle } from './download';
import { checkServerKeys } from './keys';
import { acquireSyncLock } from './lock';
import { removePartial, removeStalePartials } from './partial';
import {
  BYTES_EVENT_STEP,
  type BundleOutcome,
  type ProgressListener,
  type SyncCounts,
  type SyncEventBody,
} from './progress';
import { cleanLine, redactError, redactorFor, type Redact } from './redact';
import {
  beginRun,
  finishRun,
  readCursor,
  recordProgress,
  saveCursor,
  type SyncRunStatus,
  type SyncRunTotals,
} from './state';

export const DEFAULT_PAGE_LIMIT = 500;
/**
 * Most bundles one run lists (every page is held in memory before the first download): years of
 * day bundles, far below what would strain memory. A listing beyond it is a server bug or worse.
 */
export const MAX_LISTED_BUNDLES = 200_000;
/** Largest bundle downloaded (a day of one tenant's audit trail is far smaller); bigger: rejected. */
export const MAX_BUNDLE_BYTES = 2 * 1024 ** 3;

export interface SyncOptions {
  ws: Workspace;
  /** The API base address as the user gave it (normalized here). */
  apiUrl: string;
  /** Bearer token; only ever sent in the Authorization header. */
  token: string;
  /** The trust store bundles are verified with (workspace/trust.ts resolveTrust). */
  trust: ResolvedTrust;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  retry?: Partial<RetryPolicy>;
  clock?: SyncClock;
  pageLimit?: number;
  /** Bound on the bundles listed in one run (MAX_LISTED_BUNDLES). */
  maxListedBundles?: number;
}

export interface SyncReport {
  runId: number;
  apiUrl: string;
  status: Extract<SyncRunStatus, 'completed' | 'completed_with_problems'>;
  bundlesListed: number;
  bundlesAdded: number;
  bundlesPresent: number;
  entriesAdded: number;
  bytesDownloaded: number;
  imported: { bundleId: string; digest: string; entryCount: number }[];
  rejected: { bundleId: string; cause: string; reason: string }[];
  archived: {
    bundleId: string;
    periodStart: string;
    periodEnd: string;
    entryCount: number;
    reason: string;
  }[];
  missing: { bundleId: string; reason: string }[];
  keyWarnings: string[];
  /** The stored cursor after the run (null: the next run lists from the beginning). */
  cursor: string | null;
}

/** Longest error message recorded in sync_runs.error (and thrown). */
const MAX_ERROR = 1000;

const ARCHIVED_REASON =
  "beyond the plan's retention: ask Otesse support for the bundle file, then open it";

export async function syncWorkspace(options: SyncOptions): Promise<SyncReport> {
  const apiUrl = normalizeApiUrl(options.apiUrl);
  if (options.token === '') throw usageError('no API token given');
  const redact = redactorFor(options.token);
  const clock = options.clock ?? systemClock;
  const { ws, signal } = options;
  const release = acquireSyncLock(ws.dir);
  try {
    const run = new Run(options, apiUrl, clock, redact);
    try {
      return await run.execute();
    } catch (error) {
      throw run.fail(error, signal?.aborted === true);
    } finally {
      run.close();
    }
  } finally {
    release();
  }
}

class Run {
  private readonly runId: number;
  private readonly client: OtesseClient;
  private readonly counts: SyncCounts = {
    bundlesDone: 0,
    bundlesTotal: 0,
    bundlesAdded: 0,
    entriesAdded: 0,
    bytesDone: 0,
    bytesTotal: 0,
  };
  private readonly report: Omit<SyncReport, 'runId' | 'status' | 'cursor'>;
  private cursor: string | null;

  constructor(
    private readonly options: SyncOptions,
    private readonly apiUrl: string,
    private readonly clock: SyncClock,
    private readonly redact: Redact,
  ) {
    const { db } = options.ws;
    this.runId = beginRun(db, apiUrl, new Date(clock.now()).toISOString());
    this.cursor = readCursor(db, apiUrl);
    this.report = {
      apiUrl,
      bundlesListed: 0,
      bundlesAdded: 0,
      bundlesPresent: 0,
      entriesAdded: 0,
      bytesDownloaded: 0,
      imported: [],
      rejected: [],
      archived: [],
      missing: [],
      keyWarnings: [],
    };
    this.client = new OtesseClient({
      apiUrl,
      token: options.token,
      redact,
      retry: {
        policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
        clock,
        signal: options.signal,
        onRetry: (info) => this.emit({ type: 'retry', ...info, reason: this.redact(info.reason) }),
      },
    });
  }

  async execute(): Promise<SyncReport> {
    const { ws, trust } = this.options;
    const keys = checkServerKeys(await this.client.keys(), trust.trust, this.redact);
    this.report.keyWarnings = keys.warnings;
    this.emit({ type: 'keys', trusted: keys.trusted, warnings: keys.warnings });

    const pages = await this.listPages();
    const has = ws.db.prepare('SELECT 1 FROM bundles WHERE digest = ?').pluck();
    const pending = pages
      .flatMap((p) => p.bundles)
      .filter((d) => !d.archived && d.size <= MAX_BUNDLE_BYTES && has.get(d.digest) === undefined);
    this.counts.bytesTotal = pending.reduce((sum, d) => sum + d.size, 0);
    // Partial files of bundles this run will not fetch (imported from a file meanwhile, or no
    // longer listed) would otherwise stay in the workspace folder for good.
    removeStalePartials(ws.dir, new Set(pending.map((d) => d.id)));

    let holding = false;
    for (const page of pages) {
      for (const descriptor of page.bundles) {
        this.checkAborted();
        const outcome = await this.settle(descriptor, has.get(descriptor.digest) !== undefined);
        if (outcome === 'rejected' || outcome === 'missing') holding = true;
      }
      if (!holding && page.nextCursor !== null) {
        this.cursor = page.nextCursor;
        saveCursor(ws.db, this.apiUrl, this.cursor, this.isoNow());
      }
      recordProgress(ws.db, this.runId, this.totals());
    }
    const problems = this.report.rejected.length + this.report.missing.length > 0;
    const status = problems ? 'completed_with_problems' : 'completed';
    finishRun(ws.db, this.runId, {
      finishedAt: this.isoNow(),
      status,
      totals: this.totals(),
      details: this.details(),
    });
    return { runId: this.runId, status, cursor: this.cursor, ...this.report };
  }

  /** Every page from the cursor on, before any download: the progress total is then known. */
  private async listPages(): Promise<{ bundles: BundleDescriptor[]; nextCursor: string | null }[]> {
    const pages = [];
    const seen = new Set<string>();
    let after = this.cursor;
    const limit = this.options.pageLimit ?? DEFAULT_PAGE_LIMIT;
    const maxListed = this.options.maxListedBundles ?? MAX_LISTED_BUNDLES;
    for (;;) {
      this.checkAborted();
      const page = await this.client.listPage(after, limit);
      if (page === 'cursor_rejected') {
        // The server no longer knows the stored cursor (reset, or a cursor from another tenant):
        // list from the start once. Cheap, as bundles the workspace holds are skipped by digest.
        if (after !== this.cursor || pages.length > 0) {
          throw runtimeError('the API refused its own page cursor; listing stopped');
        }
        this.emit({ type: 'cursor-reset' });
        this.cursor = after = null;
        continue;
      }
      // A hostile or broken server must not make the listing endless or unbounded: every page
      // but the last brings at least one bundle and at most `limit`, and one run lists at most
      // maxListed bundles.
      if (page.bundles.length > limit)
        throw runtimeError(
          `the API returned ${page.bundles.length} bundles for a page of at most ${limit}; listing stopped`,
        );
      if (page.bundles.length === 0 && page.nextCursor !== null)
        throw runtimeError('the API returned an empty page with a next cursor; listing stopped');
      if (this.report.bundlesListed + page.bundles.length > maxListed)
        throw runtimeError(
          `the API listed more than ${maxListed} bundles in one run; listing stopped`,
        );
      pages.push(page);
      this.counts.bundlesTotal += page.bundles.length;
      this.report.bundlesListed += page.bundles.length;
      this.emit({ type: 'listed', pages: pages.length, bundles: this.counts.bundlesTotal });
      if (page.nextCursor === null) return pages;
      // The cursor is stored in the workspace as it is: one holding the token is refused.
      if (page.nextCursor.includes(this.options.token))
        throw runtimeError(
          'the API returned a page cursor containing the API token; listing stopped',
        );
      if (seen.has(page.nextCursor))
        throw runtimeError(
          'the API repeats a page cursor; listing stopped to avoid an endless loop',
        );
      seen.add(page.nextCursor);
      after = page.nextCursor;
    }
  }

  private async settle(d: BundleDescriptor, held: boolean): Promise<BundleOutcome> {
    if (held) {
      this.report.bundlesPresent++;
      return this.finished(d, 'already_present', d.entryCount);
    }
    if (d.archived) return this.archived(d, ARCHIVED_REASON);
    if (d.size > MAX_BUNDLE_BYTES)
      return this.rejected(
        d,
        'too_large',
        `listed as ${d.size} bytes, more than the ${MAX_BUNDLE_BYTES} bytes a bundle may have; not downloaded`,
      );
    this.emit({ type: 'bundle-started', bundleId: d.id, size: d.size });
    let sinceEvent = 0;
    const download = await downloadBundle(this.client, this.options.ws.dir, d, {
      onBytes: (have, added) => {
        this.counts.bytesDone += added;
        this.report.bytesDownloaded += added;
        sinceEvent += added;
        if (sinceEvent >= BYTES_EVENT_STEP || have === d.size) {
          sinceEvent = 0;
          this.emit({ type: 'bytes', bundleId: d.id, have, size: d.size });
        }
      },
    });
    if (download.kind === 'archived')
      return this.archived(
        d,
        download.message === '' ? ARCHIVED_REASON : this.redact(download.message),
      );
    if (download.kind === 'missing') {
      const reason = 'listed by the API but not served (404); run sync again later';
      this.report.missing.push({ bundleId: d.id, reason });
      return this.finished(d, 'missing', 0, reason);
    }
    if (download.kind === 'mismatch')
      return this.rejected(d, 'download_mismatch', download.message);
    try {
      const { trust, source } = this.options.trust;
      const outcome = await importBundleFile(this.options.ws, download.path, {
        trust,
        trustSource: source,
        source: 'sync',
        sourceName: this.apiUrl,
      });
      if (outcome.status === 'rejected') return this.rejected(d, outcome.cause, outcome.message);
      // A valid bundle, but not the one listed: the listed one is still missing, so the cursor
      // must not move past it. (The bundle served verified, so it stays stored.)
      if (outcome.digest !== d.digest || outcome.bundleId !== d.id)
        return this.rejected(
          d,
          'listing_mismatch',
          `the API listed digest ${d.digest} but served bundle ${outcome.bundleId} (digest ${outcome.digest}, ${outcome.status === 'imported' ? 'stored: it verifies' : 'already held'})`,
        );
      if (outcome.status === 'already_present') {
        this.report.bundlesPresent++;
        return this.finished(d, 'already_present', outcome.entryCount);
      }
      this.report.imported.push({
        bundleId: outcome.bundleId,
        digest: outcome.digest,
        entryCount: outcome.entryCount,
      });
      this.report.bundlesAdded++;
      this.report.entriesAdded += outcome.entryCount;
      this.counts.bundlesAdded++;
      this.counts.entriesAdded += outcome.entryCount;
      return this.finished(d, 'imported', outcome.entryCount);
    } finally {
      removePartial(download.files);
    }
  }

  private archived(d: BundleDescriptor, reason: string): BundleOutcome {
    this.report.archived.push({
      bundleId: d.id,
      periodStart: d.periodStart,
      periodEnd: d.periodEnd,
      entryCount: d.entryCount,
      reason,
    });
    return this.finished(d, 'archived', 0, reason);
  }

  private rejected(d: BundleDescriptor, cause: string, message: string): BundleOutcome {
    const reason = `${cause}: ${this.redact(message)}`;
    this.report.rejected.push({ bundleId: d.id, cause, reason });
    return this.finished(d, 'rejected', 0, reason);
  }

  private finished(
    d: BundleDescriptor,
    outcome: BundleOutcome,
    entryCount: number,
    reason?: string,
  ): BundleOutcome {
    this.counts.bundlesDone++;
    this.emit({
      type: 'bundle-finished',
      bundleId: d.id,
      outcome,
      entryCount,
      ...(reason === undefined ? {} : { reason }),
    });
    return outcome;
  }

  /** Records the failed or cancelled run and returns the error to throw, token scrubbed. */
  fail(error: unknown, cancelled: boolean): unknown {
    const clean = redactError(
      cancelled
        ? runtimeError('sync cancelled; run sync again to continue where it stopped')
        : error,
      this.redact,
    );
    // One clean line of bounded length, whatever text went into the error.
    const message = cleanLine(
      clean instanceof Error ? clean.message : String(clean),
      MAX_ERROR,
      this.redact,
    );
    if (clean instanceof Error) clean.message = message;
    const kind = clean instanceof AuditDeskError ? clean.kind : 'runtime';
    try {
      finishRun(this.options.ws.db, this.runId, {
        finishedAt: this.isoNow(),
        status: cancelled ? 'cancelled' : 'failed',
        totals: this.totals(),
        details: this.details(),
        error: { message, kind },
      });
    } catch {
      // The workspace itself failed (disk full...): the original error says more than this one.
    }
    return clean;
  }

  close(): void {
    this.client.close();
  }

  private checkAborted(): void {
    if (this.options.signal?.aborted) throw runtimeError('sync cancelled');
  }

  private emit(event: SyncEventBody): void {
    this.options.onProgress?.({ ...event, counts: { ...this.counts } });
  }

  private totals(): SyncRunTotals {
    const r = this.report;
    return {
      bundlesListed: r.bundlesListed,
      bundlesAdded: r.bundlesAdded,
      bundlesPresent: r.bundlesPresent,
      entriesAdded: r.entriesAdded,
      bytesDownloaded: r.bytesDownloaded,
      rejected: r.rejected.length,
      archived: r.archived.length,
      missing: r.missing.length,
    };
  }

  private details(): unknown {
    const { rejected, archived, missing, keyWarnings } = this.report;
    return JSON.parse(
      this.redact(JSON.stringify({ rejected, archived, missing, keyWarnings })),
    ) as unknown;
  }

  private isoNow(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
