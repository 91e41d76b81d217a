// Jobs: import bundle files, sync from the Otesse API, list and cancel.
import { statSync } from 'node:fs';
import type { ImportResult, SyncResult } from '../../../../shared/api';
import type { VerdictCause } from '../../../../shared/bundle';
import { normalizeApiUrl, syncWorkspace, type SyncEvent } from '../../sync';
import { importBundleFile } from '../../workspace/import';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';
import { ApiFailure } from '../errors';
import type { ActionLog } from '../review-log';
import { trustFor } from '../trust';

type JobHandlers = Pick<Handlers, 'importBundles' | 'startSync' | 'cancelJob' | 'listJobs'>;

/** Called after a job added entries (the vocabulary index is rebuilt, when that module exists). */
export type AfterChange = (workspaceId: string) => void;

export function jobHandlers(
  ctx: AppContext,
  log: ActionLog,
  afterChange: AfterChange,
): JobHandlers {
  return {
    importBundles: ({ workspaceId, files }) => {
      ctx.registry.get(workspaceId);
      log.flush(workspaceId);
      const known = files.map((ref) => {
        const file = ctx.files.resolve(ref);
        return { ref, ...file, size: sizeOf(file.path) };
      });
      const bytesTotal = known.reduce((sum, f) => sum + f.size, 0);
      return ctx.jobs.start<ImportResult>({
        kind: 'import',
        workspaceId,
        unit: 'bundles',
        run: async ({ signal, progress }) => {
          const ws = ctx.registry.jobConnection(workspaceId);
          const result: ImportResult = { imported: [], rejected: [], entriesAdded: 0 };
          try {
            const { trust, source } = trustFor(ctx, ws);
            let bytes = 0;
            progress({
              done: 0,
              total: known.length,
              counters: { entries: 0, rejected: 0, bytes, bytesTotal },
            });
            for (const [index, file] of known.entries()) {
              if (signal.aborted) break;
              progress({ message: `verifying ${file.name}` });
              const outcome = await importBundleFile(ws, file.path, {
                trust,
                trustSource: source,
                source: 'file',
                sourceName: file.name,
                next: known[index + 1]?.path, // verified ahead while this one is stored
              });
              if (outcome.status === 'rejected') {
                result.rejected.push({
                  name: file.name,
                  reason: describeRejection(outcome.cause, outcome.message),
                });
              } else {
                result.imported.push({
                  name: file.name,
                  bundleId: outcome.bundleId,
                  entries: outcome.entryCount,
                });
                if (outcome.status === 'imported') result.entriesAdded += outcome.entryCount;
              }
              progress({
                done: index + 1,
                counters: {
                  entries: result.entriesAdded,
                  rejected: result.rejected.length,
                  bytes: (bytes += file.size),
                },
                message: `${index + 1} of ${known.length} files`,
              });
            }
            if (result.imported.length + result.rejected.length > 0)
              log.record(ws, 'bundles.imported', {
                imported: result.imported.map((i) => ({
                  name: i.name,
                  bundleId: i.bundleId,
                  entries: i.entries,
                })),
                rejected: result.rejected.map((r) => ({ name: r.name, reason: r.reason })),
                entriesAdded: result.entriesAdded,
              });
          } finally {
            ws.close();
            for (const file of known) ctx.files.releaseUpload(file.ref);
          }
          if (result.entriesAdded > 0) afterChange(workspaceId);
          if (signal.aborted) throw new ApiFailure('cancelled', 'cancelled by the user');
          // Nothing stored and something refused: the job failed, and says why.
          if (result.imported.length === 0 && result.rejected.length > 0)
            throw new ApiFailure(
              'rejected',
              result.rejected.map((r) => `${r.name}: ${r.reason}`).join('; '),
            );
          return result;
        },
      });
    },

    startSync: ({ workspaceId }) => {
      ctx.registry.get(workspaceId);
      log.flush(workspaceId);
      const apiUrlSetting = ctx.settings.get().apiUrl.trim();
      if (apiUrlSetting === '')
        throw new ApiFailure('invalid_request', 'no Otesse API address: set it in Settings first');
      const apiUrl = normalizeApiUrl(apiUrlSetting);
      const token = ctx.tokens.get();
      if (token === null)
        throw new ApiFailure('invalid_request', 'no Otesse API token: add one in Settings first');
      return ctx.jobs.start<SyncResult>({
        kind: 'sync',
        workspaceId,
        unit: 'bundles',
        run: async ({ signal, progress }) => {
          const ws = ctx.registry.jobConnection(workspaceId);
          try {
            const report = await syncWorkspace({
              ws,
              apiUrl,
              token,
              trust: trustFor(ctx, ws),
              signal,
              onProgress: (event) => progress(syncProgress(event)),
            });
            log.record(ws, 'sync.run', {
              apiUrl: report.apiUrl,
              status: report.status,
              bundlesAdded: report.bundlesAdded,
              entriesAdded: report.entriesAdded,
              rejected: report.rejected.length,
              missing: report.missing.length,
            });
            if (report.entriesAdded > 0) afterChange(workspaceId);
            return {
              bundlesAdded: report.bundlesAdded,
              entriesAdded: report.entriesAdded,
              rejected: [
                ...report.rejected.map((r) => ({ bundle: r.bundleId, reason: r.reason })),
                ...report.missing.map((m) => ({
                  bundle: m.bundleId,
                  reason: `missing: ${m.reason}`,
                })),
              ],
              archived: report.archived.length,
            };
          } finally {
            ws.close();
          }
        },
      });
    },

    cancelJob: ({ jobId }) => ({ cancelled: ctx.jobs.cancel(jobId) }),
    listJobs: () => ctx.jobs.list(),
  };
}

function syncProgress(event: SyncEvent) {
  const c = event.counts;
  const message =
    event.type === 'retry'
      ? `retrying in ${Math.ceil(event.delayMs / 1000)} s: ${event.reason}`
      : event.type === 'listed'
        ? `listed ${event.bundles} bundles`
        : event.type === 'keys'
          ? 'checked the signing keys'
          : `${c.bundlesDone} of ${c.bundlesTotal} bundles`;
  return {
    done: c.bundlesDone,
    total: c.bundlesTotal,
    counters: {
      bundlesAdded: c.bundlesAdded,
      entries: c.entriesAdded,
      bytes: c.bytesDone,
      bytesTotal: c.bytesTotal,
    },
    message,
  };
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The cause code first (as the CLI prints it), then the verifier's words. */
function describeRejection(cause: VerdictCause, message: string): string {
  return `${cause}: ${message}`;
}
