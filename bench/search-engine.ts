// How the search benchmark calls the search engine (electron/core/search): one place to adapt when
// its signatures move. `expandWord` null = plain FTS5 (no typo tolerance).
import type { Query } from '../shared/query';
import { facetCounts, histogram, searchEntries, type SearchPage } from '../electron/core/search';
import type { Workspace } from '../electron/core/workspace/database';

export type ExpandWord = (word: string, isLastWord: boolean) => string[];

const withExpansion = (expandWord: ExpandWord | null) =>
  expandWord === null ? {} : { expandWord };

export function firstPage(
  ws: Workspace,
  query: Query,
  limit: number,
  expandWord: ExpandWord | null,
): SearchPage {
  return searchEntries(ws, query, { limit, ...withExpansion(expandWord) });
}

/** What the log view shows beside the page: the facet counts and the timeline. */
export function facetsAndHistogram(ws: Workspace, query: Query, expandWord: ExpandWord | null) {
  return {
    facets: facetCounts(ws, query, withExpansion(expandWord)),
    histogram: histogram(ws, query, withExpansion(expandWord)),
  };
}
