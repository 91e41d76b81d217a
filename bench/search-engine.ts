// How the search benchmark calls the search engine (electron/core/search): one place to adapt when
// its signatures move. `expandWord` null = plain FTS5 (no typo tolerance).
import type { Query } from '../shared/query';
import {
  countFromColumns,
  facetCounts,
  histogram,
  type FacetColumnsSource,
  type SearchPage,
} from '../electron/core/search';
import { countEntries, searchPageOnly } from '../electron/core/search/search';
import type { Workspace } from '../electron/core/workspace/database';

export type ExpandWord = (word: string, isLastWord: boolean) => string[];

const withExpansion = (expandWord: ExpandWord | null) =>
  expandWord === null ? {} : { expandWord };

/** The first page alone, as the log view shows it first (it says "at least N" while counting). */
export function firstPage(
  ws: Workspace,
  query: Query,
  limit: number,
  expandWord: ExpandWord | null,
): SearchPage<null> {
  return searchPageOnly(ws, query, { limit, ...withExpansion(expandWord) });
}

/**
 * The total the log view shows once counted: from the facet columns when given and current, as
 * the app does once they are read (the matching set a previous round kept is dropped first, so
 * each round counts as a newly typed query), else in SQL.
 */
export function total(
  ws: Workspace,
  query: Query,
  expandWord: ExpandWord | null,
  columns: FacetColumnsSource | null = null,
): number {
  columns?.current()?.forgetMatches();
  return (
    countFromColumns(ws, query, { columns, ...withExpansion(expandWord) }) ??
    countEntries(ws, query, withExpansion(expandWord))
  );
}

/**
 * What the log view shows beside the page: the facet counts and the timeline (from the facet
 * columns when given and current, as the app does once they are read).
 */
export function facetsAndHistogram(
  ws: Workspace,
  query: Query,
  expandWord: ExpandWord | null,
  columns: FacetColumnsSource | null = null,
) {
  const options = { ...withExpansion(expandWord), columns };
  return {
    facets: facetCounts(ws, query, options),
    histogram: histogram(ws, query, options),
  };
}
