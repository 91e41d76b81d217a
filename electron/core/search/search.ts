// Runs a parsed query over a workspace: one count and one keyset page, newest first (or the page
// alone, and the count apart: countEntries). Free text
// walks the FTS5 index in rowid (= seq) order, so the first page needs no sort.
import type { Entry } from '../../../shared/entry';
import type { Query } from '../../../shared/query';
import type { Workspace } from '../workspace/database';
import { readTenant } from '../workspace/tenant';
import { actorResolver } from './actors';
import { combine, compileParts, type CompiledQuery, type SqlCondition } from './compile';
import { FTS_TABLE } from './full-text';
import type { ExpandWord } from './match';

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
  /** Tests: the hits searchPageOnly walks before it reads through the filters instead. */
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
 */
export type PagePlan = 'fts' | 'entries';

/** The walk is chosen while it is expected to read at most this many index hits. */
const MAX_EXPECTED_WALK = 20_000;

const FTS_COUNT = `SELECT count(*) FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?`;

/** The two statements a search runs (exported so tests can EXPLAIN QUERY PLAN them). */
export function searchStatements(
  compiled: CompiledQuery,
  { limit, before = null }: Pick<SearchOptions, 'limit' | 'before'>,
  plan: PagePlan = 'fts',
  /** The walk (`fts`) reads at most this many index hits (uncountedPage). */
  maxHits: number | null = null,
): SearchStatements {
  const { match, filters } = compiled;
  const cursor = before === null ? [] : [before];
  if (match === null || plan === 'entries') {
    const where = combine(compiled);
    const paged = before === null ? where.sql : `(${where.sql}) AND seq < ?`;
    return {
      count: { sql: `SELECT count(*) FROM entries WHERE ${where.sql}`, params: where.params },
      // The page's seqs first, then their signed lines: where the rows must be sorted (ranges,
      // several values), only the seqs of the matches are (read from the index that answers),
      // not their ~640-byte lines.
      page: {
        sql: `SELECT seq, raw FROM entries WHERE seq IN (
                SELECT seq FROM entries WHERE ${paged} ORDER BY seq DESC LIMIT ?
              ) ORDER BY seq DESC`,
        params: [...where.params, ...cursor, limit + 1],
      },
    };
  }
  const unfiltered = filters.sql === '1';
  // The FTS5 table is read in a subquery that names only `hit`, so the filters' column names
  // (action, ip, ...) mean the entries' columns, not the FTS5 columns of the same names. CROSS JOIN
  // keeps the index walk outside: its rowid order is the page's order.
  return {
    count: unfiltered
      ? { sql: FTS_COUNT, params: [match] }
      : {
          sql: `SELECT count(*) FROM entries WHERE ${combine(compiled).sql}`,
          params: combine(compiled).params,
        },
    page: {
      sql: `SELECT seq, raw FROM (
              SELECT rowid AS hit FROM ${FTS_TABLE}
              WHERE ${FTS_TABLE} MATCH ?${before === null ? '' : ' AND rowid < ?'}
              ORDER BY rowid DESC${maxHits === null ? '' : ' LIMIT ?'}
            ) AS m CROSS JOIN entries ON entries.seq = m.hit
            WHERE ${filters.sql} ORDER BY m.hit DESC LIMIT ?`,
      params: [
        match,
        ...cursor,
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

function compileFor(ws: Workspace, query: Query, options: Pick<SearchOptions, 'expandWord'>) {
  return compileParts(query, workspaceTimeZone(ws), actorResolver(ws.db), {
    expandWord: options.expandWord,
  });
}

/**
 * The page plan from the full-text hits and the entries kept of them: the walk reads about
 * `hits / total` hits per entry kept (they are spread over time alike, as a first guess).
 */
export function pagePlanFor(hits: number, total: number, limit: number): PagePlan {
  const expectedWalk = Math.min(hits, ((limit + 1) * hits) / Math.max(total, 1));
  return expectedWalk <= MAX_EXPECTED_WALK ? 'fts' : 'entries';
}

function choosePlan(
  ws: Workspace,
  compiled: CompiledQuery,
  total: number,
  options: SearchOptions,
): PagePlan {
  if (options.pagePlan !== undefined) return options.pagePlan;
  if (compiled.match === null || compiled.filters.sql === '1') return 'fts';
  const hits = ws.db.prepare(FTS_COUNT).pluck().get(compiled.match) as number;
  return pagePlanFor(hits, total, options.limit);
}

type PageRow = { seq: number; raw: string };

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
function uncountedPage(ws: Workspace, compiled: CompiledQuery, options: SearchOptions): PageRow[] {
  if (options.pagePlan !== undefined || compiled.match === null || compiled.filters.sql === '1')
    return readRows(ws, searchStatements(compiled, options, options.pagePlan ?? 'fts').page);
  const match = compiled.match;
  const cursor = options.before ?? null;
  const maxWalk = options.maxWalk ?? MAX_EXPECTED_WALK;
  /** The hits, counted up to `cap` + 1: whether a walk of `cap` hits saw them all. */
  const hitsUpTo = (cap: number) =>
    ws.db
      .prepare(
        `SELECT count(*) FROM (SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?${
          cursor === null ? '' : ' AND rowid < ?'
        } LIMIT ?)`,
      )
      .pluck()
      .get(match, ...(cursor === null ? [] : [cursor]), cap + 1) as number;
  const probe = Math.max(1, Math.floor(maxWalk / PROBE_SHARE));
  for (const cap of [probe, maxWalk]) {
    const rows = readRows(ws, searchStatements(compiled, options, 'fts', cap).page);
    if (rows.length > options.limit || hitsUpTo(cap) <= cap) return rows;
    const expectedWalk = ((options.limit + 1) * cap) / Math.max(rows.length, 1);
    if (cap === maxWalk || expectedWalk > maxWalk) break;
  }
  return readRows(ws, searchStatements(compiled, options, 'entries').page);
}

/** Entries matching the query (the total of a search), in one read transaction. */
export function countEntries(
  ws: Workspace,
  query: Query,
  options: Pick<SearchOptions, 'expandWord'> = {},
): number {
  return ws.db.transaction(() => {
    const compiled = compileFor(ws, query, options);
    if (compiled.filters.sql === '0') return 0;
    const { count } = searchStatements(compiled, { limit: 0 });
    return ws.db
      .prepare(count.sql)
      .pluck()
      .get(...count.params) as number;
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
    const compiled = compileFor(ws, query, options);
    // A filter that can match nothing (a user no actor has) needs no query at all.
    if (compiled.filters.sql === '0') return { total: counted ? 0 : null, rows: [] };
    if (!counted)
      return { total: null, rows: options.limit === 0 ? [] : uncountedPage(ws, compiled, options) };
    const counting = searchStatements(compiled, options);
    const total = ws.db
      .prepare(counting.count.sql)
      .pluck()
      .get(...counting.count.params) as number;
    if (total === 0 || options.limit === 0) return { total, rows: [] };
    const { page } = searchStatements(compiled, options, choosePlan(ws, compiled, total, options));
    return { total, rows: readRows(ws, page) };
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

/** EXPLAIN QUERY PLAN details of both statements, one string per plan step, and the page plan. */
export function explainSearch(
  ws: Workspace,
  query: Query,
  options: SearchOptions,
): { count: string[]; page: string[]; plan: PagePlan } {
  const compiled = compileFor(ws, query, options);
  const counting = searchStatements(compiled, options);
  const total = ws.db
    .prepare(counting.count.sql)
    .pluck()
    .get(...counting.count.params) as number;
  const plan = choosePlan(ws, compiled, total, options);
  const statements = searchStatements(compiled, options, plan);
  const steps = ({ sql, params }: SqlCondition) =>
    (
      ws.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as {
        detail: string;
      }[]
    ).map((r) => r.detail);
  return { count: steps(statements.count), page: steps(statements.page), plan };
}
