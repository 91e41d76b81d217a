// Structured search over a workspace (docs/search.md): query → SQL condition → keyset page.
export {
  combine,
  compileParts,
  compileQuery,
  fullTextCondition,
  type CompiledQuery,
  type CompileOptions,
  type SqlCondition,
} from './compile';
export { MIN_PREFIX_CHARS, textMatch, textTokens, type ExpandWord } from './match';
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
  countEntries,
  explainSearch,
  searchPageOnly,
  searchEntries,
  searchStatements,
  workspaceTimeZone,
  type PagePlan,
  type SearchOptions,
  type SearchPage,
} from './search';
export { DEFAULT_FACET_LIMIT, facetCounts, type FacetOptions } from './facets';
export {
  LiveFacetColumns,
  type FacetColumnsSource,
  type FacetColumnsState,
} from './facet-columns-live';
export { countFromColumns } from './facet-columns-query';
export {
  bucketBoundaries,
  chooseUnit,
  DEFAULT_TARGET_BUCKETS,
  histogram,
  type HistogramOptions,
} from './histogram';
