// The page of a query without free text to walk (filters over `entries` only), newest first. Left
// to itself, SQLite reads such a page through the filter's index: fast for a rare filter, slow for
// a common one on a range (an IP prefix: every match read, then sorted) or for a date range behind
// a filter whose index ignores dates (a category: every newer match read from the table to check
// its date). So the page first walks the table by seq, newest first, a bounded number of rows:
// a common filter fills the page within a few hundred. A date range bounds the seqs walked (the
// seqs of its bundles, dateRangeSeqs), so the walk starts at the range's newest entry. Only a page
// the walk does not fill is read through the indexes. Every step reads a seq range the previous did
// not, and all of that range's matches, so the rows are those of the plain statement, in order.
import type { Workspace } from '../workspace/database';
import type { SqlCondition } from './compile';

export type PageRow = { seq: number; raw: string };

/** Runs a page statement (explainSearch records the statements it runs). */
export type ReadRows = (statement: SqlCondition) => PageRow[];

/** Seqs walked before the page is read through the indexes instead (20,000 rows: ~1-7 ms). */
export const MAX_WALK = 20_000;

/** The first walk, as a share of the longest: cheap when the filters keep none. */
const PROBE_SHARE = 20;

export interface FilteredPageOptions {
  limit: number;
  /** Only seqs below it: the cursor, or past the date range's last seq (null: open). */
  below: number | null;
  /** Only seqs from it: the date range's first seq (null: open). */
  from: number | null;
  maxWalk?: number;
}

/** How the page was found: by the walk alone, or the rest read through the indexes. */
export type FilteredPagePlan = 'walk' | 'entries';

/** The walk over the seqs [from, below): the table by rowid, newest first, no index. */
export function walkStatement(
  filters: SqlCondition,
  from: number,
  below: number,
  count: number,
): SqlCondition {
  return {
    sql: `SELECT seq, raw FROM entries NOT INDEXED
          WHERE (${filters.sql}) AND seq >= ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
    params: [...filters.params, from, below, count],
  };
}

/**
 * The page through the filters' indexes (as search.ts's plain statement), below `below` and from
 * `from`. `unaryPlus` writes the bounds as `+seq`, which SQLite cannot answer from the rowid: it
 * must then read the filter's index instead of walking the table (indexPage).
 */
export function indexStatement(
  filters: SqlCondition,
  below: number | null,
  from: number | null,
  count: number,
  unaryPlus = false,
): SqlCondition {
  const seq = unaryPlus ? '+seq' : 'seq';
  const bounds = [
    ...(below === null ? [] : [{ sql: ` AND ${seq} < ?`, value: below }]),
    ...(from === null ? [] : [{ sql: ` AND ${seq} >= ?`, value: from }]),
  ];
  // The page's seqs first, then their signed lines: where the rows must be sorted (ranges, several
  // values), only the seqs of the matches are (read from the index that answers), not their
  // ~640-byte lines.
  return {
    sql: `SELECT seq, raw FROM entries WHERE seq IN (
            SELECT seq FROM entries WHERE (${filters.sql})${bounds.map((b) => b.sql).join('')}
            ORDER BY seq DESC LIMIT ?
          ) ORDER BY seq DESC`,
    params: [...filters.params, ...bounds.map((b) => b.value), count],
  };
}

/** EXPLAIN QUERY PLAN of a statement, one detail a step. */
export function planSteps(ws: Workspace, { sql, params }: SqlCondition): string[] {
  return (ws.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
    (row) => row.detail,
  );
}

/** Whether SQLite reads the statement as a walk of a rowid range, newest first. */
const walksTable = (ws: Workspace, statement: SqlCondition) =>
  planSteps(ws, statement).some((s) => /INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/.test(s));

/**
 * The rest of a page the walk did not fill. With a seq bound, SQLite walks the table by rowid
 * whenever no index holds the filter in seq order (a range, several values), which is the walk that
 * just found the matches sparse: then the bound as `+seq`, so the filter's index is read and its
 * matches sorted, unless no index serves the filters at all (then the walk is all there is).
 */
export function indexPage(
  ws: Workspace,
  read: ReadRows,
  filters: SqlCondition,
  below: number | null,
  from: number | null,
  count: number,
): PageRow[] {
  const plain = indexStatement(filters, below, from, count);
  if (!planSteps(ws, plain).some((s) => /INTEGER PRIMARY KEY \(rowid[<>]/.test(s)))
    return read(plain);
  const viaIndex = indexStatement(filters, below, from, count, true);
  const scans = planSteps(ws, viaIndex).some((s) => /^SCAN entries\b/.test(s));
  return read(scans ? plain : viaIndex);
}

/** The seqs a date range's entries can have, first and last (both included). */
export interface SeqWindow {
  from: number;
  to: number;
}

/**
 * The seqs of the bundles whose period meets the date range [startMs, endMs) (null: open): an
 * entry lies in its bundle's period (the verifier refuses a bundle otherwise, and only valid
 * bundles are imported), so no entry of the range has a seq outside them, whatever the order of
 * seqs and times. A few hundred bundle rows a year, not the entries. Null: no entry can be in the
 * range; undefined: the query has no date range.
 */
export function dateRangeSeqs(
  ws: Workspace,
  startMs: number | null,
  endMs: number | null,
): SeqWindow | null | undefined {
  if (startMs === null && endMs === null) return undefined;
  const row = ws.db
    .prepare(
      `SELECT min(first_seq) AS lo, max(last_seq) AS hi FROM bundles
       WHERE period_start < ? AND period_end > ?`,
    )
    .get(endMs ?? Number.MAX_SAFE_INTEGER, startMs ?? Number.MIN_SAFE_INTEGER) as {
    lo: number | null;
    hi: number | null;
  };
  return row.lo === null || row.hi === null ? null : { from: row.lo, to: row.hi };
}

/**
 * The page's rows (up to limit + 1, newest first) and how they were found. The walk is in steps
 * over seq ranges [bottom, top), top falling: first 1/PROBE_SHARE of maxWalk; if they do not fill
 * the page, the share of rows they kept estimates the walk the page needs: within maxWalk it goes
 * on, beyond, the rest is read through the indexes below the walk.
 */
export function filteredPage(
  ws: Workspace,
  read: ReadRows,
  filters: SqlCondition,
  options: FilteredPageOptions,
): { rows: PageRow[]; plan: FilteredPagePlan } {
  const need = options.limit + 1;
  const maxWalk = options.maxWalk ?? MAX_WALK;
  const rows: PageRow[] = [];
  // Two statements: SQLite reads a lone min() or max() of the rowid from one end of the table, but
  // both in one statement from every row.
  const lowest = ws.db.prepare('SELECT min(seq) FROM entries').pluck().get() as number | null;
  const highest = ws.db.prepare('SELECT max(seq) FROM entries').pluck().get() as number | null;
  if (lowest === null || highest === null) return { rows, plan: 'walk' };
  let top = Math.min(options.below ?? Infinity, highest + 1);
  const floor = Math.max(options.from ?? -Infinity, lowest);
  // `!(top > floor)`: a cursor that is not a number (NaN) gives no rows, as `seq < NULL` would.
  if (!(top > floor)) return { rows, plan: 'walk' };
  // A condition SQLite answers from a list of seqs (the FTS5 label candidates) reads that list, not
  // the table, for the walk too: then the index read is the page, without walking first.
  if (!walksTable(ws, walkStatement(filters, floor, top, need)))
    return {
      rows: indexPage(ws, read, filters, options.below, options.from, need),
      plan: 'entries',
    };
  let step = Math.max(1, Math.floor(maxWalk / PROBE_SHARE));
  let walked = 0;
  for (;;) {
    const bottom = Math.max(floor, top - step);
    rows.push(...read(walkStatement(filters, bottom, top, need - rows.length)));
    walked += top - bottom;
    top = bottom;
    if (rows.length >= need || top <= floor) return { rows, plan: 'walk' };
    const expected = walked + ((need - rows.length) * walked) / Math.max(rows.length, 1);
    if (walked >= maxWalk || expected > maxWalk) break;
    step = maxWalk - walked;
  }
  const rest = indexPage(ws, read, filters, top, options.from, need - rows.length);
  return { rows: [...rows, ...rest], plan: 'entries' };
}
