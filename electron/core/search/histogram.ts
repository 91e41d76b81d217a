// Entries over time for the current query: buckets of an hour, a day, a week (ISO, from Monday) or a
// month, the smallest that keeps the range within the buckets asked for, aligned in the tenant's
// time zone (a DST day is a bucket of 23 or 25 hours), counts stacked by category.
//
// One GROUP BY counts the entries per slot and category, where a slot is the largest span that
// divides every bucket (a day without DST in the range, else an hour: local midnights are whole
// hours apart), so SQLite returns a few thousand groups at most and buckets are summed from them.
// The time index carries the category (migration 0004): without free text this reads the index
// alone. A query of dates, categories and actions whose buckets and range fall on whole hours reads
// the import's counts instead (counts.ts): a day bucket is ~24 x the actions of an hour in rows.
// Any other query, once the workspace's facet columns are read, is tallied from them
// (facet-columns-query.ts) instead of SQLite reading each matching row.
import { DateTime } from 'luxon';
import { CATEGORIES } from '../../../shared/entry';
import type { Histogram, HistogramBucket, HistogramUnit } from '../../../shared/api/types';
import { queryRangeUtc, type Query } from '../../../shared/query';
import type { Workspace } from '../workspace/database';
import { actorResolver } from './actors';
import { compileParts, type CompiledQuery } from './compile';
import { alignedToHour, countable, countsByCategory, countsCondition } from './counts';
import type { FacetColumnsSource } from './facet-columns-live';
import { matchedRows } from './facets';
import type { ExpandWord } from './match';
import { workspaceTimeZone } from './search';

export interface HistogramOptions {
  /** Start of the range (ISO instant or UTC ms); default: the query's start, else the first entry. */
  from?: string | number | null;
  /** End of the range, exclusive; default: the query's end, else just after the last entry. */
  to?: string | number | null;
  /** At most this many buckets where a unit allows (default 60); months may exceed it. */
  targetBuckets?: number;
  expandWord?: ExpandWord;
  /** Read the import's counts where they answer the query (default true; tests compare both). */
  useCounts?: boolean;
  /** The workspace's facet columns (facet-columns-live.ts), used while they cover the data. */
  columns?: FacetColumnsSource | null;
}

export const DEFAULT_TARGET_BUCKETS = 60;

const UNITS: { unit: HistogramUnit; nominalMs: number }[] = [
  { unit: 'hour', nominalMs: 3_600_000 },
  { unit: 'day', nominalMs: 86_400_000 },
  { unit: 'week', nominalMs: 7 * 86_400_000 },
  { unit: 'month', nominalMs: 30.44 * 86_400_000 },
];

const instant = (value: string | number) =>
  typeof value === 'number' ? value : DateTime.fromISO(value, { setZone: true }).toMillis();

/** The smallest unit whose buckets over [startMs, endMs) number at most `target`. */
export function chooseUnit(startMs: number, endMs: number, target: number): HistogramUnit {
  for (const { unit, nominalMs } of UNITS) {
    // One bucket more for the partial ones at either end.
    if (Math.ceil((endMs - startMs) / nominalMs) + 1 <= target) return unit;
  }
  return 'month';
}

/** Bucket starts from the unit start holding startMs until the first at or after endMs (included). */
export function bucketBoundaries(
  startMs: number,
  endMs: number,
  unit: HistogramUnit,
  timeZone: string,
): number[] {
  let at = DateTime.fromMillis(startMs, { zone: timeZone }).startOf(unit);
  const boundaries = [at.toMillis()];
  while (boundaries[boundaries.length - 1]! < endMs) {
    // Hours are elapsed time (a repeated DST hour is its own bucket); days, weeks and months are
    // calendar steps in the zone.
    at = at.plus({ [`${unit}s`]: 1 });
    boundaries.push(at.toMillis());
  }
  return boundaries;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** `sum(category = ?)` per category: counts stacked by category without a GROUP BY (no sorter). */
const CATEGORY_SUMS = CATEGORIES.map(() => 'sum(category = ?)').join(', ');

/**
 * Counts per bucket and category (in CATEGORIES order). A query of dates alone: one statement per
 * bucket over the time index's range, which carries the category: a plain scan of the index, no
 * sort. Any other filter or free text: one pass over the matching rows (through the index SQLite
 * picks for the whole condition, or the FTS5 hits) grouped by slot: the largest span dividing every
 * bucket (a day without a DST change in the range, else an hour), so few groups are sorted. (Per
 * bucket, SQLite would read a filter's index, `actor_id = ?` say, whole for every bucket.)
 */
function countBuckets(
  ws: Workspace,
  compiled: CompiledQuery,
  /** The query's UTC range when it has no filter but dates, else null. */
  datesOnly: { startMs: number | null; endMs: number | null } | null,
  boundaries: number[],
  startMs: number,
  endMs: number,
): number[][] {
  const counts = boundaries.slice(0, -1).map(() => CATEGORIES.map(() => 0));
  const { from, where } = matchedRows(ws, compiled);
  if (datesOnly !== null) {
    // The query's dates and the bucket as one range: with two ranges on occurred_at SQLite would
    // seek with one of them (the query's, a whole month say) and check the other on every row.
    const statement = ws.db
      .prepare(`SELECT ${CATEGORY_SUMS} FROM entries WHERE occurred_at >= ? AND occurred_at < ?`)
      .raw();
    counts.forEach((row, i) => {
      const lo = Math.max(boundaries[i]!, startMs, datesOnly.startMs ?? -Infinity);
      const hi = Math.min(boundaries[i + 1]!, endMs, datesOnly.endMs ?? Infinity);
      if (lo >= hi) return;
      const sums = statement.get(...CATEGORIES, lo, hi) as (number | null)[];
      sums.forEach((n, k) => (row[k] = n ?? 0));
    });
    return counts;
  }
  const origin = boundaries[0]!;
  const slot = boundaries.slice(1).reduce((g, b) => gcd(g, b - origin), 0);
  // The match parameter (in `from` or `where`) comes after the slot arithmetic's and the sums'.
  const rows = ws.db
    .prepare(
      `SELECT CAST((occurred_at - ?) / ? AS INTEGER) AS slot, ${CATEGORY_SUMS} FROM ${from}
       WHERE (${where.sql}) AND occurred_at >= ? AND occurred_at < ?
       GROUP BY slot ORDER BY slot`,
    )
    .raw()
    .all(origin, slot, ...CATEGORIES, ...where.params, startMs, endMs) as number[][];
  let i = 0;
  for (const [n, ...sums] of rows) {
    const at = origin + n! * slot;
    while (boundaries[i + 1]! <= at) i++;
    sums.forEach((c, k) => (counts[i]![k]! += c));
  }
  return counts;
}

/**
 * Counts per bucket and category from the import's counts, or null when they cannot answer: free
 * text, a filter other than dates, categories and actions, or a bucket or range edge that is not a
 * whole UTC hour (hour buckets in a zone whose offset has minutes). `from`/`to` bound the counted
 * time (±Infinity where the range only comes from the data, which has nothing beyond it).
 */
function countBucketsFromSummary(
  ws: Workspace,
  query: Query,
  compiled: CompiledQuery,
  boundaries: number[],
  from: number,
  to: number,
): number[][] | null {
  if (compiled.match !== null || !countable(query)) return null;
  const edges = [...boundaries, from, to].filter((ms) => Number.isFinite(ms));
  if (!edges.every(alignedToHour)) return null;
  const condition = countsCondition(query);
  return boundaries.slice(0, -1).map((b, i) => {
    const byCategory = countsByCategory(
      ws,
      condition,
      Math.max(b, from),
      Math.min(boundaries[i + 1]!, to),
    );
    return CATEGORIES.map((category) => byCategory.get(category) ?? 0);
  });
}

function emptyBucket(start: number, end: number): HistogramBucket {
  return {
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    total: 0,
    byCategory: {},
  };
}

export function histogram(ws: Workspace, query: Query, options: HistogramOptions = {}): Histogram {
  const timeZone = workspaceTimeZone(ws);
  const read = ws.db.transaction((): Histogram => {
    const compiled = compileParts(query, timeZone, actorResolver(ws.db), {
      expandWord: options.expandWord,
    });
    const range = queryRangeUtc(query, timeZone);
    // Two index lookups (min and max in one SELECT would scan the whole index).
    const data = ws.db
      .prepare(
        `SELECT (SELECT min(occurred_at) FROM entries) AS first,
                (SELECT max(occurred_at) FROM entries) AS last`,
      )
      .get() as { first: number | null; last: number | null };
    const startMs =
      options.from != null ? instant(options.from) : (range.startMs ?? data.first ?? null);
    const endMs =
      options.to != null
        ? instant(options.to)
        : (range.endMs ?? (data.last === null ? null : data.last + 1));
    if (startMs === null || endMs === null || !(startMs < endMs))
      return { unit: 'day', timeZone, buckets: [] };
    const unit = chooseUnit(startMs, endMs, options.targetBuckets ?? DEFAULT_TARGET_BUCKETS);
    const boundaries = bucketBoundaries(startMs, endMs, unit, timeZone);
    const buckets = boundaries.slice(0, -1).map((b, i) => emptyBucket(b, boundaries[i + 1]!));
    if (compiled.filters.sql === '0') return { unit, timeZone, buckets };
    // The time counted: the range asked for and the query's dates; an end that only comes from the
    // data (its first entry, just after its last) bounds nothing.
    const countFrom = Math.max(
      options.from != null ? startMs : -Infinity,
      range.startMs ?? -Infinity,
    );
    const countTo = Math.min(options.to != null ? endMs : Infinity, range.endMs ?? Infinity);
    const summary =
      options.useCounts === false
        ? null
        : countBucketsFromSummary(ws, query, compiled, boundaries, countFrom, countTo);
    // Else the facet columns while they cover the data (one pass over the matching seqs), else SQL.
    const columns = summary === null ? (options.columns?.current() ?? null) : null;
    const matching =
      columns?.matching(ws, query, { timeZone, expandWord: options.expandWord }) ?? null;
    const counted =
      summary ??
      (matching !== null
        ? columns!.buckets(matching, boundaries, Math.max(startMs, boundaries[0]!), endMs)
        : null) ??
      countBuckets(
        ws,
        compiled,
        query.clauses.every((c) => c.kind === 'date') ? range : null,
        boundaries,
        Math.max(startMs, boundaries[0]!),
        endMs,
      );
    counted.forEach((counts, i) => {
      const bucket = buckets[i]!;
      CATEGORIES.forEach((category, k) => {
        if (counts[k]! > 0) {
          bucket.byCategory[category] = counts[k]!;
          bucket.total += counts[k]!;
        }
      });
    });
    return { unit, timeZone, buckets };
  });
  return read();
}
