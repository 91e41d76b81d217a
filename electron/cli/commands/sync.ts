// `audit-desk sync`: incremental sync from the Otesse API into a workspace (docs/sync.md). The
// token comes from OTESSE_API_TOKEN only (never a flag: flags end up in shell history and process
// listings) and is never printed. Network failures are runtime errors (exit 3); rejected or
// missing bundles make exit 1 after the rest has been synced.
import { usageError } from '../../core/errors';
import { normalizeApiUrl, syncWorkspace, type SyncEvent } from '../../core/sync';
import { openWorkspace } from '../../core/workspace/database';
import { configuredTrust, withRecordedKeys } from '../../core/workspace/trust';
import { optionalString, requiredString } from '../args';
import type { Command } from '../command';

export const TOKEN_ENV = 'OTESSE_API_TOKEN';

export const sync: Command = {
  name: 'sync',
  usage: 'sync --api URL --workspace DIR [--trust PATH]',
  summary: `downloads, verifies and stores the bundles new since the last sync (token from $${TOKEN_ENV})`,
  positionals: 'none',
  options: { api: { type: 'string' }, workspace: { type: 'string' }, trust: { type: 'string' } },
  async run(args) {
    const apiUrl = normalizeApiUrl(requiredString(args, 'api'));
    const dir = requiredString(args, 'workspace');
    const token = process.env[TOKEN_ENV]?.trim() ?? '';
    if (token === '')
      throw usageError(`${TOKEN_ENV} is not set: export an Otesse API token with the audit scope`);
    // The trust store first: a missing or invalid one must not leave a new, empty workspace behind.
    const configured = configuredTrust(optionalString(args, 'trust'));
    const ws = openWorkspace(dir, { create: true });
    const controller = new AbortController();
    const cancel = () => controller.abort();
    process.once('SIGINT', cancel);
    const progress = args.values.json !== true && process.stderr.isTTY ? ttyProgress() : undefined;
    try {
      const report = await syncWorkspace({
        ws,
        apiUrl,
        token,
        trust: withRecordedKeys(configured, ws),
        signal: controller.signal,
        onProgress: progress?.onEvent,
      });
      progress?.end();
      const problems = report.rejected.length + report.missing.length > 0;
      const lines = [
        ...report.keyWarnings.map((w) => `WARNING   ${w}`),
        ...report.rejected.map((r) => `REJECTED  ${r.bundleId}  ${r.reason}`),
        ...report.missing.map((m) => `MISSING   ${m.bundleId}  ${m.reason}`),
        ...report.archived.map(
          (a) => `ARCHIVED  ${a.bundleId}  ${a.periodStart} – ${a.periodEnd}  ${a.reason}`,
        ),
        `${report.bundlesAdded} bundles added (${report.entriesAdded} entries), ${report.bundlesPresent} already present, from ${report.apiUrl} into ${ws.dir}`,
      ];
      const { runId, status, bundlesListed, bundlesAdded, bundlesPresent, entriesAdded } = report;
      return {
        json: {
          apiUrl: report.apiUrl,
          runId,
          status,
          bundlesListed,
          bundlesAdded,
          bundlesPresent,
          entriesAdded,
          bytesDownloaded: report.bytesDownloaded,
          imported: report.imported,
          rejected: report.rejected,
          archived: report.archived,
          missing: report.missing,
          keyWarnings: report.keyWarnings,
        },
        text: `${lines.join('\n')}\n`,
        exitCode: problems ? 1 : 0,
      };
    } finally {
      progress?.end();
      process.off('SIGINT', cancel);
      ws.close();
    }
  },
};

/** One self-overwriting status line on a terminal's stderr. */
function ttyProgress(): { onEvent: (e: SyncEvent) => void; end: () => void } {
  let shown = false;
  return {
    onEvent(e) {
      const c = e.counts;
      const mib = (n: number) => (n / 1048576).toFixed(1);
      const retry =
        e.type === 'retry' ? `  (retrying in ${Math.ceil(e.delayMs / 1000)} s: ${e.reason})` : '';
      process.stderr.write(
        `\r\u001b[K${c.bundlesDone}/${c.bundlesTotal} bundles, ${c.entriesAdded} entries added, ${mib(c.bytesDone)}/${mib(c.bytesTotal)} MiB${retry}`,
      );
      shown = true;
    },
    end() {
      if (shown) process.stderr.write('\r\u001b[K');
      shown = false;
    },
  };
}
