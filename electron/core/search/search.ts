// Runs a parsed query over a workspace: one count and one keyset page, newest first (or the page
// alone, and the count apart: countEntries). Free text walks the FTS5 index in rowid (= seq)
// order, so the first page needs no sort; filters alone are walked by seq or read through their
// indexes (page-plan.ts). A date range bounds the page and the count to the seqs of its bundles.
import type { Entry } from '../../../shared/entry';
import { queryRangeUtc, type Query } from '../../../shared/query';
import type { Workspace } from '../workspace/database';
import { readTenant } from '../workspace/tenant';
import { actorResolver } from './actors';
import { compileParts, type CompiledQuery, type SqlCondition } from './compile';
import { FTS_TABLE } from './full-text';
import type { ExpandWord } from './match';
import {
  dateRangeSeqs,
  filteredPage,
  indexPage,
  indexStatement,
  planSteps,
  type FilteredPagePlan,
  type PageRow,
  type ReadRows,
  type SeqWindow,
} from './page-plan';

export interface SearchPage<Total extends number | null = number> {
  /** Entries matching the query, whatever the page; null from searchPageOnly. */
  total: Total;
  /** Newest first (highest seq first), exactly as signed. */
  entries: Entry[];
  /** The cursor for the next page, or null when this page is the last. */
  nextBefore: number | null;
}

export interface SearchOptions {
  /** Page size (0 gives only the total). */
  limit: number;
  /** Keyset cursor: only entries with a lower seq (the `nextBefore` of the previous page). */
  before?: number | null;
  /** Typo tolerance and completions for free-text words (compile.ts). */
  expandWord?: ExpandWord;
  /** Forces the page plan (tests, benchmarks); by default it is chosen per query (pagePlanFor). */
  pagePlan?: PagePlan;
  /**
   * Tests: the hits searchPageOnly walks before it reads through the filters instead; without free
   * text, the rows the page walks by seq before it reads through the indexes (page-plan.ts).
   */
  maxWalk?: number;
}

export interface SearchStatements {
  count: SqlCondition;
  page: SqlCondition;
}

/**
 * How the page finds its rows when the query has free text: by walking the FTS5 index newest first
 * and checking the other filters on each hit (`fts`: stops after the page, no sort), or by reading
 * the entries the other filters select and checking membership in the full-text matches
 * (`entries`: for rare filters on common words, where the walk would pass many hits to keep few).
 * Without free text, page-plan.ts chooses (a walk by seq, or the indexes: `entries`).
 */
export type PagePlan = 'fts' | 'entries';

/** The walk is chosen while it is expected to read at most this many index hits. */
const MAX_EXPECTED_WALK = 20_000;

/** The seqs a page can come from: below the cursor, within the date range's seqs. */
interface PageBounds {
  below: number | null;
  from: number | null;
}

function pageBounds(before: number | null, window: SeqWindow | null): PageBounds {
  if (window === null) return { below: before, from: null };
  return { below: Math.min(before ?? Infinity, window.to + 1), from: window.from };
}

/**
 * `seq < ? AND seq >= ?` as far as the bounds go. On the FTS5 table (`rowid`) each bound is cast to
 * an integer: better-sqlite3 binds a number as a REAL, and FTS5 ignores a rowid bound that is not
 * an INTEGER (it then reads every hit from the newest down to the bound; 25 ms at 1M for a bound in
 * June). Rowids are integers, so the bounds are rounded up first: the same rows either way.
 */
function boundsCondition(
  { below, from }: PageBounds,
  column: 'seq' | 'rowid' = 'seq',
): SqlCondition {
  const mark = column === 'rowid' ? 'CAST(? AS INTEGER)' : '?';
  const parts = [
    ...(below === null ? [] : [{ sql: `${column} < ${mark}`, value: Math.ceil(below) }]),
    ...(from === null ? [] : [{ sql: `${column} >= ${mark}`, value: Math.ceil(from) }]),
  ];
  return { sql: parts.map((p) => ` AND ${p.sql}`).join(''), params: parts.map((p) => p.value) };
}

/**
 * The whole query as one condition over `entries` (as combine), its full-text hits read within the
 * bounds: the hit set SQLite builds for `seq IN (...)` is then the range's, not every hit.
 */
function whereWithin(
  { match, filters }: CompiledQuery,
  bounds: PageBounds,
  seq: 'seq' | '+seq' = 'seq',
): SqlCondition {
  if (match === null) return filters;
  const within = boundsCondition(bounds, 'rowid');
  const hits = {
    sql: `${seq} IN (SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?${within.sql})`,
    params: [match, ...within.params],
  };
  if (filters.sql === '1') return hits;
  return { sql: `(${hits.sql}) AND (${filters.sql})`, params: [...hits.params, ...filters.params] };
}

/** The full-text hits within the date range's seqs. */
function ftsCount(match: string, window: SeqWindow | null): SqlCondition {
  const within = boundsCondition(pageBounds(null, window), 'rowid');
  return {
    sql: `SELECT count(*) FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?${within.sql}`,
    params: [match, ...within.params],
  };
}

/**
 * The two statements a search runs (exported so tests can EXPLAIN QUERY PLAN them): the plain
 * statements, whose page page-plan.ts and uncountedPage improve on. `window`: the seqs of the
 * query's date range (dateRangeSeqs), a bound on the count and the page that changes no row.
 */
export function searchStatements(
  compiled: CompiledQuery,
  {
    limit,
    before = null,
    window = null,
  }: Pick<SearchOptions, 'limit' | 'before'> & { window?: SeqWindow | null },
  plan: PagePlan = 'fts',
  /** The walk (`fts`) reads at most this many index hits (uncountedPage). */
  maxHits: number | null = null,
): SearchStatements {
  const { match, filters } = compiled;
  const bounds = pageBounds(before, window);
  const where = whereWithin(compiled, pageBounds(null, window));
  const count =
    match !== null && filters.sql === '1'
      ? ftsCount(match, null)
      : { sql: `SELECT count(*) FROM entries WHERE ${where.sql}`, params: where.params };
  if (match === null || plan === 'entries')
    return { count, page: indexStatement(where, bounds.below, bounds.from, limit + 1) };
  // The FTS5 table is read in a subquery that names only `hit`, so the filters' column names
  // (action, ip, ...) mean the entries' columns, not the FTS5 columns of the same names. CROSS JOIN
  // keeps the index walk outside: its rowid order is the page's order.
  const hits = boundsCondition(bounds, 'rowid');
  return {
    count,
    page: {
      sql: `SELECT seq, raw FROM (
              SELECT rowid AS hit FROM ${FTS_TABLE}
              WHERE ${FTS_TABLE} MATCH ?${hits.sql}
              ORDER BY rowid DESC${maxHits === null ? '' : ' LIMIT ?'}
            ) AS m CROSS JOIN entries ON entries.seq = m.hit
            WHERE ${filters.sql} ORDER BY m.hit DESC LIMIT ?`,
      params: [
        match,
        ...hits.params,
        ...(maxHits === null ? [] : [maxHits]),
        ...filters.params,
        limit + 1,
      ],
    },
  };
}

/** The tenant's zone, in which query dates are read (UTC for a workspace without entries). */
export function workspaceTimeZone(ws: Workspace): string {
  return readTenant(ws)?.timeZone ?? 'UTC';
}

interface Prepared {
  compiled: CompiledQuery;
  /** The seqs of the query's date range (null: no date range). */
  window: SeqWindow | null;
}

/** The query compiled, and its date range's seqs; null when nothing can match. */
function prepare(
  ws: Workspace,
  query: Query,
  options: Pick<SearchOptions, 'expandWord'>,
): Prepared | null {
  const zone = workspaceTimeZone(ws);
  const compiled = compileParts(query, zone, actorResolver(ws.db), {
    expandWord: options.expandWord,
  });
  // A filter that can match nothing (a user no actor has) needs no query at all.
  if (compiled.filters.sql === '0') return null;
  const { startMs, endMs } = queryRangeUtc(query, zone);
  const window = dateRangeSeqs(ws, startMs, endMs);
  return window === null ? null : { compiled, window: window ?? null };
}

/**
 * The page plan from the full-text hits and the entries kept of them: the walk reads about
 * `hits / total` hits per entry kept (they are spread over time alike, as a first guess).
 */
export function pagePlanFor(
  hits: number,
  total: number,
  limit: number,
  maxWalk = MAX_EXPECTED_WALK,
): PagePlan {
  const expectedWalk = Math.min(hits, ((limit + 1) * hits) / Math.max(total, 1));
  return expectedWalk <= maxWalk ? 'fts' : 'entries';
}

function readRows(ws: Workspace, { sql, params }: SqlCondition): PageRow[] {
  return ws.db.prepare(sql).all(...params) as PageRow[];
}

/** The first walk without a count, as a share of the longest: cheap when the filters keep none. */
const PROBE_SHARE = 20;

/**
 * The page without a count to choose its plan: the FTS5 walk newest first, bounded to a number of
 * hits (the hits nearest the cursor, so a full page from them is the page). First 1/PROBE_SHARE of
 * MAX_EXPECTED_WALK (1,000 hits);
 * if they fill the page, or are all the hits there are, that is the page. Otherwise the share of
 * hits they kept estimates the walk a page needs (as pagePlanFor does from the count): within
 * MAX_EXPECTED_WALK, the walk again bounded to that; beyond, or if that walk does not settle it
 * either, the page through the filters with the hit set as a condition.
 */
function uncountedPage(
  ws: Workspace,
  { compiled, window }: Prepared,
  options: SearchOptions,
  read: ReadRows,
): { rows: PageRow[]; plan: PagePlan } {
  const match = compiled.match!;
  const bounds = pageBounds(options.before ?? null, window);
  const maxWalk = options.maxWalk ?? MAX_EXPECTED_WALK;
  const hits = boundsCondition(bounds, 'rowid');
  /** The hits, counted up to `cap` + 1: whether a walk of `cap` hits saw them all. */
  const hitsUpTo = (cap: number) =>
    ws.db
      .prepare(
        `SELECT count(*) FROM (SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?${hits.sql} LIMIT ?)`,
      )
      .pluck()
      .get(match, ...hits.params, cap + 1) as number;
  const probe = Math.max(1, Math.floor(maxWalk / PROBE_SHARE));
  for (const cap of [probe, maxWalk]) {
    const rows = read(searchStatements(compiled, { ...options, window }, 'fts', cap).page);
    if (rows.length > options.limit || hitsUpTo(cap) <= cap) return { rows, plan: 'fts' };
    const expectedWalk = ((options.limit + 1) * cap) / Math.max(rows.length, 1);
    if (cap === maxWalk || expectedWalk > maxWalk) break;
  }
  return { rows: throughIndexes(ws, compiled, bounds, options, read), plan: 'entries' };
}

/**
 * The `entries` plan of a query with free text: the other filters' index read, the hits a set each
 * of its rows is checked against (`+seq IN (...)`, which SQLite cannot read as a list of rowids to
 * look up). As `seq IN (...)`, SQLite would rather look up each hit in the filter's index (a user
 * with a word of 32,000 hits at 1M: 19 ms against 4 ms), unless no index serves the filters (a
 * negation): then the hits are the list to read.
 */
function throughIndexes(
  ws: Workspace,
  compiled: CompiledQuery,
  bounds: PageBounds,
  options: SearchOptions,
  read: ReadRows,
): PageRow[] {
  const page = (where: SqlCondition) =>
    indexStatement(where, bounds.below, bounds.from, options.limit + 1);
  const viaFilters = whereWithin(compiled, bounds, '+seq');
  const scans = planSteps(ws, page(viaFilters)).some((s) => /^SCAN entries\b/.test(s));
  const where = scans ? whereWithin(compiled, bounds) : viaFilters;
  return indexPage(ws, read, where, bounds.below, bounds.from, options.limit + 1);
}

/**
 * The page's rows (up to limit + 1) and the plan that found them: a forced plan as the plain
 * statement (not bounded to the date range's seqs, which changes no row but may the plan); without
 * free text, page-plan.ts; with it, the FTS5 walk or the indexes, chosen from the count when there
 * is one (pagePlanFor), else by walking a little first (uncountedPage).
 */
function pageRows(
  ws: Workspace,
  prepared: Prepared,
  options: SearchOptions,
  total: number | null,
  read: ReadRows = (statement) => readRows(ws, statement),
): { rows: PageRow[]; plan: PagePlan | FilteredPagePlan } {
  const { compiled, window } = prepared;
  const forced = options.pagePlan;
  if (forced !== undefined)
    return {
      rows: read(searchStatements(compiled, options, forced).page),
      plan: forced,
    };
  const bounds = pageBounds(options.before ?? null, window);
  if (compiled.match === null)
    return filteredPage(ws, read, compiled.filters, {
      limit: options.limit,
      ...bounds,
      maxWalk: options.maxWalk,
    });
  if (compiled.filters.sql === '1')
    return { rows: read(searchStatements(compiled, options).page), plan: 'fts' };
  if (total === null) return uncountedPage(ws, prepared, options, read);
  const hits = ftsCount(compiled.match, window);
  const plan = pagePlanFor(
    ws.db
      .prepare(hits.sql)
      .pluck()
      .get(...hits.params) as number,
    total,
    options.limit,
    options.maxWalk,
  );
  return plan === 'fts'
    ? { rows: read(searchStatements(compiled, { ...options, window }).page), plan }
    : { rows: throughIndexes(ws, compiled, bounds, options, read), plan };
}

const planUses = (ws: Workspace, { sql, params }: SqlCondition, index: RegExp) =>
  (ws.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).some((row) =>
    index.test(row.detail),
  );

/**
 * A date range of at most this many seqs is counted through the time index when that holds the
 * filters: an index-only read of ~40 ns an entry (8 ms). Seqs have no gaps within a tenant's log,
 * so the range's seqs are about its entries.
 */
const MAX_TIME_INDEX_COUNT = 200_000;

/**
 * The count statement. With a date range, SQLite (without ANALYZE statistics) prefers any equality
 * index to the time index, and then reads every match of the category, say, from the table to
 * check its date (a month of invoices at 1M: 560 ms). So, unless it reads the time index already:
 * through the time index when the range is short and the index holds every column the filters
 * need (category, action, actor); otherwise bounded to the range's seqs, so that the index SQLite
 * chooses is read within them (for a wide range, as before: a rare filter stays cheap). Not for a
 * date-only count: a bound on the rowid would make SQLite read the rows of the range instead.
 */
function countStatement(ws: Workspace, { compiled, window }: Prepared): SqlCondition {
  const plain = searchStatements(compiled, { limit: 0, window }).count;
  if (window === null || planUses(ws, plain, /\bentries_by_time\b/)) return plain;
  const where = whereWithin(compiled, pageBounds(null, window));
  const byTime = {
    sql: `SELECT count(*) FROM entries INDEXED BY entries_by_time WHERE ${where.sql}`,
    params: where.params,
  };
  const short = window.to - window.from < MAX_TIME_INDEX_COUNT;
  if (short && planUses(ws, byTime, /COVERING INDEX entries_by_time\b/)) return byTime;
  const within = boundsCondition(pageBounds(null, window));
  return {
    sql: `SELECT count(*) FROM entries WHERE (${where.sql})${within.sql}`,
    params: [...where.params, ...within.params],
  };
}

function countOf(ws: Workspace, prepared: Prepared): number {
  const count = countStatement(ws, prepared);
  return ws.db
    .prepare(count.sql)
    .pluck()
    .get(...count.params) as number;
}

/** Entries matching the query (the total of a search), in one read transaction. */
export function countEntries(
  ws: Workspace,
  query: Query,
  options: Pick<SearchOptions, 'expandWord'> = {},
): number {
  return ws.db.transaction(() => {
    const prepared = prepare(ws, query, options);
    return prepared === null ? 0 : countOf(ws, prepared);
  })();
}

function search(
  ws: Workspace,
  query: Query,
  options: SearchOptions,
  counted: boolean,
): SearchPage<number | null> {
  // One read transaction: the actors resolved, the count and the page see the same data even while
  // an import commits.
  const read = ws.db.transaction((): { total: number | null; rows: PageRow[] } => {
    const prepared = prepare(ws, query, options);
    if (prepared === null) return { total: counted ? 0 : null, rows: [] };
    const total = counted ? countOf(ws, prepared) : null;
    if (total === 0 || options.limit === 0) return { total, rows: [] };
    return { total, rows: pageRows(ws, prepared, options, total).rows };
  });
  const { total, rows } = read();
  const more = rows.length > options.limit;
  const page = more ? rows.slice(0, options.limit) : rows;
  return {
    total,
    entries: page.map((row) => JSON.parse(row.raw) as Entry),
    nextBefore: more && page.length > 0 ? page[page.length - 1]!.seq : null,
  };
}

/** A page and the total of the query (the CLI, the app's search service). */
export function searchEntries(ws: Workspace, query: Query, options: SearchOptions): SearchPage {
  return search(ws, query, options, true) as SearchPage;
}

/**
 * The page alone, total null: what a view shows first while it counts apart (countEntries), since
 * a count may read every match where the page stops after a hundred.
 */
export function searchPageOnly(
  ws: Workspace,
  query: Query,
  options: SearchOptions,
): SearchPage<null> {
  return search(ws, query, options, false) as SearchPage<null>;
}

/**
 * EXPLAIN QUERY PLAN details of the count and of the statement that completed the page (as
 * searchEntries runs it, the count included), one string per plan step; the page plan; the seqs
 * of the date range the statements are bounded to. Null plan: nothing can match (no statement).
 */
export function explainSearch(
  ws: Workspace,
  query: Query,
  options: SearchOptions,
): {
  count: string[];
  page: string[];
  plan: PagePlan | FilteredPagePlan | null;
  window: SeqWindow | null;
} {
  const steps = ({ sql, params }: SqlCondition) =>
    (
      ws.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as {
        detail: string;
      }[]
    ).map((r) => r.detail);
  const prepared = prepare(ws, query, options);
  if (prepared === null) return { count: [], page: [], plan: null, window: null };
  const { compiled, window } = prepared;
  let last: SqlCondition = searchStatements(compiled, { ...options, window }).page;
  const { plan } = pageRows(ws, prepared, options, countOf(ws, prepared), (statement) => {
    last = statement;
    return readRows(ws, statement);
  });
  return { count: steps(countStatement(ws, prepared)), page: steps(last), plan, window };
}
