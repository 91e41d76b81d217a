// Structured search over a workspace (docs/search.md): query → SQL condition → keyset page.
export {
  compileQuery,
  FREE_TEXT_UNAVAILABLE,
  STATUS_UNAVAILABLE,
  TAG_UNAVAILABLE,
  type SqlCondition,
} from './compile';
export { actorResolver } from './actors';
/** The FTS5 table (rowid = entries.seq) and its columns: see full-text.ts. */
export {
  FTS_COLUMNS,
  FTS_TABLE,
  fullTextColumns,
  ftsString,
  type FullTextColumns,
} from './full-text';
export { foldCase, registerSearchFunctions } from './functions';
export {
  explainSearch,
  searchEntries,
  searchStatements,
  workspaceTimeZone,
  type SearchOptions,
  type SearchPage,
} from './search';
