// The query language's review filters (`status:`, `tag:`) as conditions over `entries`, and the
// facet counts by review status. Conditions name only the `entries.id` column and the review tables
// (migration 0005), and bind every value, so compile.ts can AND, OR and NOT them like its own.
import type { ReviewStatus } from '../../../shared/query';
import { REVIEW_STATUSES } from '../../../shared/query';
import type { SqlCondition } from '../search/compile';
import type { Workspace } from '../workspace/database';
import { foldTag } from './tags';

/**
 * Entries whose current review status is `status`. `unreviewed` also holds every entry nobody has
 * annotated (no row in `annotations`), so it is written as "not one of the other statuses".
 */
export function statusCondition(status: ReviewStatus): SqlCondition {
  if (status === 'unreviewed')
    return {
      sql: "id NOT IN (SELECT entry_id FROM annotations WHERE status != 'unreviewed')",
      params: [],
    };
  return { sql: 'id IN (SELECT entry_id FROM annotations WHERE status = ?)', params: [status] };
}

/** Entries carrying `tag` now, ignoring case (tags are stored folded as well as typed). */
export function tagCondition(tag: string): SqlCondition {
  return {
    sql: 'id IN (SELECT entry_id FROM annotation_tags WHERE tag_folded = ?)',
    params: [foldTag(tag)],
  };
}

/**
 * One statement counting the entries matching `condition` by current review status: rows of
 * `{ status, n }`. The condition runs in a subquery over `entries` alone, so its column names
 * cannot collide with the review tables'.
 */
export function statusFacetSql(condition: SqlCondition): SqlCondition {
  return {
    sql: `SELECT coalesce((SELECT a.status FROM annotations a WHERE a.entry_id = m.id), 'unreviewed') AS status,
                 count(*) AS n
          FROM (SELECT id FROM entries WHERE ${condition.sql}) m
          GROUP BY 1`,
    params: condition.params,
  };
}

/** Counts by review status of the entries matching `condition` (every status present, 0 or more). */
export function statusFacet(ws: Workspace, condition: SqlCondition): Record<ReviewStatus, number> {
  const counts = Object.fromEntries(REVIEW_STATUSES.map((s) => [s, 0])) as Record<
    ReviewStatus,
    number
  >;
  if (condition.sql === '0') return counts;
  const { sql, params } = statusFacetSql(condition);
  for (const row of ws.db.prepare(sql).all(...params) as { status: ReviewStatus; n: number }[])
    counts[row.status] = row.n;
  return counts;
}
