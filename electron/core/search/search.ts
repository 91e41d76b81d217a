// Runs a parsed query over a workspace: one count and one keyset page, newest first.
import type { Entry } from '../../../shared/entry';
import type { Query } from '../../../shared/query';
import type { Workspace } from '../workspace/database';
import { readTenant } from '../workspace/tenant';
import { actorResolver } from './actors';
import { compileQuery, type SqlCondition } from './compile';

export interface SearchOptions {
  /** Page size (0 gives only the total). */
  limit: number;
  /** Keyset cursor: only entries with a lower seq (the `nextBefore` of the previous page). */
  before?: number | null;
}

export interface SearchPage {
  /** Entries matching the query, whatever the page. */
  total: number;
  /** Newest first (highest seq first), exactly as signed. */
  entries: Entry[];
  /** The cursor for the next page, or null when this page is the last. */
  nextBefore: number | null;
}

export interface SearchStatements {
  count: { sql: string; params: (string | number)[] };
  page: { sql: string; params: (string | number)[] };
}

/** The two statements a search runs (exported so tests can EXPLAIN QUERY PLAN them). */
export function searchStatements(
  condition: SqlCondition,
  { limit, before = null }: SearchOptions,
): SearchStatements {
  const where = before === null ? condition.sql : `(${condition.sql}) AND seq < ?`;
  return {
    count: { sql: `SELECT count(*) FROM entries WHERE ${condition.sql}`, params: condition.params },
    page: {
      sql: `SELECT seq, raw FROM entries WHERE ${where} ORDER BY seq DESC LIMIT ?`,
      params: [...condition.params, ...(before === null ? [] : [before]), limit + 1],
    },
  };
}

/** The tenant's zone, in which query dates are read (UTC for a workspace without entries). */
export function workspaceTimeZone(ws: Workspace): string {
  return readTenant(ws)?.timeZone ?? 'UTC';
}

export function searchEntries(ws: Workspace, query: Query, options: SearchOptions): SearchPage {
  // One read transaction: the actors resolved, the count and the page see the same data even while
  // an import commits.
  const read = ws.db.transaction(() => {
    const condition = compileQuery(query, workspaceTimeZone(ws), actorResolver(ws.db));
    // A filter that can match nothing (a user no actor has) needs no query at all.
    if (condition.sql === '0') return { total: 0, rows: [] };
    const statements = searchStatements(condition, options);
    const total = ws.db
      .prepare(statements.count.sql)
      .pluck()
      .get(...statements.count.params) as number;
    const rows = ws.db.prepare(statements.page.sql).all(...statements.page.params) as {
      seq: number;
      raw: string;
    }[];
    return { total, rows };
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

/** EXPLAIN QUERY PLAN details of both statements, one string per plan step. */
export function explainSearch(
  ws: Workspace,
  query: Query,
  options: SearchOptions,
): { count: string[]; page: string[] } {
  const statements = searchStatements(
    compileQuery(query, workspaceTimeZone(ws), actorResolver(ws.db)),
    options,
  );
  const plan = ({ sql, params }: { sql: string; params: (string | number)[] }) =>
    (
      ws.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as {
        detail: string;
      }[]
    ).map((r) => r.detail);
  return { count: plan(statements.count), page: plan(statements.page) };
}
