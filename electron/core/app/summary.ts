// A workspace as the workspace list shows it: tenant, counts, period, last sync, verification.
import type { WorkspaceSummary } from '../../../shared/api';
import { lastSync } from '../sync';
import { computeCoverage } from '../workspace/coverage';
import type { Workspace } from '../workspace/database';
import { readTenant } from '../workspace/tenant';
import type { RegistryEntry } from './registry';

export function summarize(entry: RegistryEntry, ws: Workspace): WorkspaceSummary {
  const totals = ws.db
    .prepare(
      `SELECT count(*) AS bundles, coalesce(sum(entry_count), 0) AS entries,
              min(period_start) AS first, max(period_end) AS last FROM bundles`,
    )
    .get() as { bundles: number; entries: number; first: number | null; last: number | null };
  const coverage = totals.bundles > 0 ? computeCoverage(ws) : null;
  const sync = lastSync(ws.db).last;
  return {
    id: entry.id,
    name: entry.name,
    isDemo: entry.isDemo,
    tenant: readTenant(ws),
    entryCount: totals.entries,
    bundleCount: totals.bundles,
    period:
      totals.first === null || totals.last === null
        ? null
        : { from: new Date(totals.first).toISOString(), to: new Date(totals.last).toISOString() },
    lastSync:
      sync === undefined
        ? null
        : { at: sync.finishedAt ?? sync.startedAt, status: sync.status, error: sync.error },
    verification:
      coverage === null
        ? 'empty'
        : coverage.gaps.length > 0 || coverage.chainBreaks.length > 0
          ? 'problems'
          : 'verified',
  };
}

/** A workspace that cannot be opened (newer app, damaged file) still appears, marked with problems. */
export function unreadableSummary(entry: RegistryEntry): WorkspaceSummary {
  return {
    id: entry.id,
    name: entry.name,
    isDemo: entry.isDemo,
    tenant: null,
    entryCount: 0,
    bundleCount: 0,
    period: null,
    lastSync: null,
    verification: 'problems',
  };
}
