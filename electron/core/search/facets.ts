// Facet counts for the current query: by category, action, user and review status. Every count is
// one GROUP BY over an index (the category, action and actor indexes, or the time index, which
// carries all three since migration 0004); a query with free text groups its FTS5 hits in one pass.
// A query of dates (on whole hours), categories and actions reads the import's counts instead
// (counts.ts); any other query, once the workspace's facet columns are read, is tallied from them
// (facet-columns-query.ts): one pass over its matching seqs instead of a read of each matching row.
import { queryRangeUtc, REVIEW_STATUSES, type Query } from '../../../shared/query';
import type { FacetCount, Facets } from '../../../shared/api/types';
import type { Workspace } from '../workspace/database';
import { actorResolver } from './actors';
import { combine, compileParts, type CompiledQuery, type SqlCondition } from './compile';
import {
  alignedToHour,
  countable,
  countsByActor,
  countsByCategoryAction,
  countsCondition,
} from './counts';
import type { FacetColumnsSource } from './facet-columns-live';
import { FTS_TABLE } from './full-text';
import type { ExpandWord } from './match';
import { workspaceTimeZone } from './search';

export interface FacetOptions {
  /** Values kept per facet, the most frequent first (default 10). Status always lists all four. */
  limitPerFacet?: number;
  expandWord?: ExpandWord;
  /** Read the import's counts where they answer the query (default true; tests compare both). */
  useCounts?: boolean;
  /** The workspace's facet columns (facet-columns-live.ts), used while they cover the data. */
  columns?: FacetColumnsSource | null;
}

export const DEFAULT_FACET_LIMIT = 10;

interface Grouped {
  category: string;
  action: string;
  actor_id: string;
  n: number;
}

/** Above this share of the workspace, the hits are grouped from the time index (see below). */
export const MANY_HITS_SHARE = 0.05;

/**
 * The rows a query keeps, as a FROM clause over `entries` plus a condition. Free text with no other
 * filter: few hits are read one by one by rowid (each a read of the entry's row); many hits (over
 * 5 % of the entries, where reading their rows costs more than scanning an index) are found by
 * scanning the time index, which carries occurred_at, category, action and actor, checking each
 * rowid against the set of hits (SQLite builds it once, with a Bloom filter): 1.0 s against 1.8 s
 * for a word on 57 % of 1M entries, on a loaded machine. Otherwise SQLite picks the index.
 */
export function matchedRows(
  ws: Workspace,
  compiled: CompiledQuery,
): { from: string; where: SqlCondition } {
  if (compiled.match === null || compiled.filters.sql !== '1')
    return { from: 'entries', where: combine(compiled) };
  const hits = ws.db
    .prepare(`SELECT count(*) FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?`)
    .pluck()
    .get(compiled.match) as number;
  const entries = ws.db
    .prepare('SELECT coalesce(sum(entry_count), 0) FROM bundles')
    .pluck()
    .get() as number;
  if (hits > entries * MANY_HITS_SHARE)
    return {
      from: 'entries INDEXED BY entries_by_time',
      where: {
        sql: `+seq IN (SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?)`,
        params: [compiled.match],
      },
    };
  return {
    from: `(SELECT rowid AS hit FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?) AS m CROSS JOIN entries ON entries.seq = m.hit`,
    where: { sql: '1', params: [compiled.match] },
  };
}

function top(counts: Map<string, number>, limit: number, label = (v: string) => v): FacetCount[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([value, count]) => ({ value, label: label(value), count }));
}

function add(counts: Map<string, number>, key: string, n: number): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

interface Counts {
  category: Map<string, number>;
  action: Map<string, number>;
  user: Map<string, number>;
  total: number;
}

/**
 * From the import's counts (counts.ts), when the query has only dates on whole hours, categories and
 * actions: category and action from the hour and day counts, users from the month and day counts
 * and the time index for the hours left. Null when the counts cannot answer.
 */
function countsFromSummary(
  ws: Workspace,
  query: Query,
  compiled: CompiledQuery,
  timeZone: string,
): Counts | null {
  if (compiled.match !== null || !countable(query)) return null;
  const { startMs, endMs } = queryRangeUtc(query, timeZone);
  if ((startMs !== null && !alignedToHour(startMs)) || (endMs !== null && !alignedToHour(endMs)))
    return null;
  const condition = countsCondition(query);
  const counts: Counts = { category: new Map(), action: new Map(), user: new Map(), total: 0 };
  for (const row of countsByCategoryAction(
    ws,
    condition,
    startMs ?? -Infinity,
    endMs ?? Infinity,
  )) {
    add(counts.category, row.category, row.n);
    add(counts.action, row.action, row.n);
    counts.total += row.n;
  }
  counts.user = countsByActor(ws, condition, startMs ?? -Infinity, endMs ?? Infinity);
  return counts;
}

function groupCounts(ws: Workspace, compiled: CompiledQuery): Counts {
  const { from, where } = matchedRows(ws, compiled);
  const counts: Counts = { category: new Map(), action: new Map(), user: new Map(), total: 0 };
  if (compiled.match !== null) {
    // One pass over the hits for the three facets (each hit is a read of its row by rowid).
    const rows = ws.db
      .prepare(
        `SELECT category, action, actor_id, count(*) AS n FROM ${from} WHERE ${where.sql} GROUP BY 1, 2, 3`,
      )
      .all(...where.params) as Grouped[];
    for (const row of rows) {
      add(counts.category, row.category, row.n);
      add(counts.action, row.action, row.n);
      add(counts.user, row.actor_id, row.n);
      counts.total += row.n;
    }
    return counts;
  }
  // Without free text each facet is its own GROUP BY, so that each can be read from one index.
  const by = (column: 'category' | 'action' | 'actor_id', into: Map<string, number>) => {
    const rows = ws.db
      .prepare(
        `SELECT ${column} AS value, count(*) AS n FROM entries WHERE ${where.sql} GROUP BY ${column}`,
      )
      .all(...where.params) as { value: string; n: number }[];
    for (const row of rows) into.set(row.value, row.n);
    return rows.reduce((sum, r) => sum + r.n, 0);
  };
  counts.total = by('category', counts.category);
  by('action', counts.action);
  by('actor_id', counts.user);
  return counts;
}

/** Counts by review status: the annotated entries among the matches, and the rest unreviewed. */
function statusCounts(ws: Workspace, compiled: CompiledQuery, total: number): FacetCount[] {
  const where = combine(compiled);
  // Annotations are few next to entries: each is checked against the query by its entry's id.
  const rows = ws.db
    .prepare(
      `SELECT a.status AS value, count(*) AS n FROM annotations a
       WHERE a.status != 'unreviewed'
         AND EXISTS (SELECT 1 FROM entries WHERE entries.id = a.entry_id AND (${where.sql}))
       GROUP BY a.status`,
    )
    .all(...where.params) as { value: string; n: number }[];
  const counts = new Map(rows.map((r) => [r.value, r.n]));
  const reviewed = rows.reduce((sum, r) => sum + r.n, 0);
  counts.set('unreviewed', total - reviewed);
  return REVIEW_STATUSES.map((s) => ({ value: s, label: s, count: counts.get(s) ?? 0 }));
}

function statusFromColumns(counts: Map<string, number>): FacetCount[] {
  return REVIEW_STATUSES.map((s) => ({ value: s, label: s, count: counts.get(s) ?? 0 }));
}

const EMPTY: Facets = {
  category: [],
  action: [],
  user: [],
  status: REVIEW_STATUSES.map((s) => ({ value: s, label: s, count: 0 })),
};

export function facetCounts(ws: Workspace, query: Query, options: FacetOptions = {}): Facets {
  const limit = options.limitPerFacet ?? DEFAULT_FACET_LIMIT;
  const timeZone = workspaceTimeZone(ws);
  const read = ws.db.transaction((): Facets => {
    const compiled = compileParts(query, timeZone, actorResolver(ws.db), {
      expandWord: options.expandWord,
    });
    if (compiled.filters.sql === '0') return EMPTY;
    const summary =
      options.useCounts === false ? null : countsFromSummary(ws, query, compiled, timeZone);
    // Else the facet columns while they cover the data (one pass over the matching seqs), else SQL.
    const columns = summary === null ? (options.columns?.current() ?? null) : null;
    const matching =
      columns?.matching(ws, query, { timeZone, expandWord: options.expandWord }) ?? null;
    const { category, action, user, total } =
      summary ?? (matching !== null ? columns!.counts(matching) : groupCounts(ws, compiled));
    const users = top(user, limit);
    const names = new Map(
      users.length === 0
        ? []
        : (
            ws.db
              .prepare(
                `SELECT id, name FROM actors WHERE id IN (${users.map(() => '?').join(', ')})`,
              )
              .all(...users.map((u) => u.value)) as { id: string; name: string }[]
          ).map((a) => [a.id, a.name]),
    );
    return {
      category: top(category, limit),
      action: top(action, limit),
      user: users.map((u) => ({ ...u, label: names.get(u.value) ?? u.value })),
      status:
        matching !== null
          ? statusFromColumns(columns!.statusCounts(ws, matching))
          : statusCounts(ws, compiled, total),
    };
  });
  return read();
}
