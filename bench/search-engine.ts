// How the search benchmark calls the search engine (electron/core/search): one place to adapt when
// its signatures move. `expandWord` null = plain FTS5 (no typo tolerance).
import type { Query } from '../shared/query';
import { searchEntries, type SearchPage } from '../electron/core/search';
import type { Workspace } from '../electron/core/workspace/database';

export type ExpandWord = (word: string, isLastWord: boolean) => string[];

export function firstPage(
  ws: Workspace,
  query: Query,
  limit: number,
  expandWord: ExpandWord | null,
): SearchPage {
  return searchEntries(ws, query, { limit, ...(expandWord === null ? {} : { expandWord }) });
}

/** Facets and histogram of a query, when the engine has them (null: not measured). */
export function facetsAndHistogram(_ws: Workspace, _query: Query): unknown {
  return null;
}
