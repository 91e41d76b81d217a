// Bulk review: every entry of a query gets the same change. The caller shows the count first and
// asks for confirmation; the change then runs only if the query still matches that many entries,
// so a sync landing between the two never marks entries the reviewer did not confirm.
import { formatQuery, type Query } from '../../../shared/query';
import { rejectedError } from '../errors';
import type { Workspace } from '../workspace/database';
import { annotateMany, type AnnotationChange, type BulkResult } from './annotations';
import type { Reviewer } from './reviewer';
import { populationIds } from './sampling';

/** How many entries a bulk change on `query` would touch (show it, then confirm). */
export function countForBulk(ws: Workspace, query: Query): number {
  return populationIds(ws, query).length;
}

export function annotateQuery(
  ws: Workspace,
  query: Query,
  change: AnnotationChange,
  author: Reviewer,
  confirmedCount: number,
): BulkResult {
  return ws.db
    .transaction(() => {
      const ids = populationIds(ws, query);
      if (ids.length !== confirmedCount)
        throw rejectedError(
          `the query now matches ${ids.length} entries, not the ${confirmedCount} confirmed; review the count and confirm again`,
        );
      return annotateMany(ws, ids, change, author, { query: formatQuery(query) });
    })
    .immediate();
}
