// Structured search over a workspace (docs/search.md): query → SQL condition → keyset page.
export {
  compileQuery,
  FREE_TEXT_UNAVAILABLE,
  STATUS_UNAVAILABLE,
  TAG_UNAVAILABLE,
  type SqlCondition,
} from './compile';
export { actorResolver } from './actors';
export { foldCase, registerSearchFunctions } from './functions';
export {
  explainSearch,
  searchEntries,
  searchStatements,
  workspaceTimeZone,
  type SearchOptions,
  type SearchPage,
} from './search';
