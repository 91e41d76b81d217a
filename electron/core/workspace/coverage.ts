// Completeness from the workspace's own evidence: bundle periods, seq ranges and the digest chain.
// A period is proven complete when every bundle in a run of adjacent periods is stored, each names
// its predecessor's digest and seq numbers continue without a hole (empty bundles prove silence).
import { RETENTION_DAYS } from '../../../shared/bundle';
import type { Coverage, CoverageGap, ChainBreak, ProvenRun } from '../../../shared/coverage';
import type { Workspace } from './database';

export type { Coverage, CoverageGap, ChainBreak, ProvenRun };
import { readTenant } from './tenant';

interface BundleRow {
  bundle_id: string;
  digest: string;
  prev_digest: string | null;
  period_start: number;
  period_end: number;
  first_seq: number | null;
  last_seq: number | null;
  entry_count: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const DAY_MS = 86_400_000;

export function computeCoverage(ws: Workspace, now = Date.now()): Coverage {
  const rows = ws.db
    .prepare(
      `SELECT bundle_id, digest, prev_digest, period_start, period_end, first_seq, last_seq, entry_count
       FROM bundles ORDER BY period_start`,
    )
    .all() as BundleRow[];
  const tenant = readTenant(ws);
  const gaps: CoverageGap[] = [];
  const chainBreaks: ChainBreak[] = [];
  const proven: ProvenRun[] = [];
  let run: ProvenRun | null = null;
  let lastSeq: number | null = null;
  let previous: BundleRow | null = null;
  // A gap right before an empty bundle: which seqs it lacks is known only at the next bundle with entries.
  let pending: CoverageGap | null = null;

  for (const row of rows) {
    let continues = previous !== null;
    if (previous !== null) {
      const periodGap = previous.period_end < row.period_start;
      let seqGap = row.first_seq !== null && lastSeq !== null && row.first_seq !== lastSeq + 1;
      if (pending !== null && row.first_seq !== null && !periodGap) {
        // The seqs missing since the pending gap belong to it: complete it instead of opening another
        // gap between two adjacent bundles.
        if (seqGap && row.first_seq > lastSeq! + 1) {
          pending.kind = 'seq';
          pending.toSeq = row.first_seq - 1;
          seqGap = false;
        } else if (!seqGap) {
          pending.fromSeq = null; // seq continues: only time is missing
        }
      }
      if (row.first_seq !== null) pending = null;
      if (periodGap || seqGap) {
        const missingFrom = lastSeq === null ? null : lastSeq + 1;
        const missingTo = row.first_seq === null ? null : row.first_seq - 1;
        const noneMissing = missingFrom !== null && missingTo !== null && missingTo < missingFrom;
        const gap: CoverageGap = {
          kind: seqGap ? 'seq' : 'period',
          from: iso(previous.period_end),
          to: iso(row.period_start),
          fromSeq: noneMissing ? null : missingFrom,
          toSeq: noneMissing ? null : missingTo,
          afterBundle: previous.bundle_id,
          beforeBundle: row.bundle_id,
        };
        gaps.push(gap);
        if (row.first_seq === null && missingFrom !== null) pending = gap;
        continues = false;
      } else if (row.prev_digest !== previous.digest) {
        chainBreaks.push({
          afterBundle: previous.bundle_id,
          beforeBundle: row.bundle_id,
          expectedPrevDigest: previous.digest,
          foundPrevDigest: row.prev_digest,
        });
        continues = false;
      }
    }
    if (continues && run !== null) {
      run.to = iso(row.period_end);
      run.bundles++;
      run.entries += row.entry_count;
    } else {
      run = {
        from: iso(row.period_start),
        to: iso(row.period_end),
        bundles: 1,
        entries: row.entry_count,
      };
      proven.push(run);
    }
    if (row.last_seq !== null) lastSeq = row.last_seq;
    previous = row;
  }

  const retentionDays = tenant ? (RETENTION_DAYS[tenant.plan] ?? null) : null;
  const archiveBefore = retentionDays === null ? null : now - retentionDays * DAY_MS;
  const archivedRows =
    archiveBefore === null ? [] : rows.filter((r) => r.period_end <= archiveBefore);
  return {
    tenant,
    entries: rows.reduce((sum, r) => sum + r.entry_count, 0),
    bundles: rows.length,
    from: rows.length > 0 ? iso(rows[0]!.period_start) : null,
    to: rows.length > 0 ? iso(rows[rows.length - 1]!.period_end) : null,
    complete: rows.length > 0 && gaps.length === 0 && chainBreaks.length === 0,
    startsMidChain: rows.length > 0 && rows[0]!.prev_digest !== null,
    proven,
    gaps,
    chainBreaks,
    archived: {
      bundles: archivedRows.length,
      entries: archivedRows.reduce((sum, r) => sum + r.entry_count, 0),
      before: archiveBefore === null ? null : iso(archiveBefore),
      retentionDays,
    },
  };
}
