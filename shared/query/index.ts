// The query language (docs/search.md): one parser for the CLI and the UI.
export * from './ast';
export { parseQuery, MAX_QUERY_LENGTH } from './parse';
export { formatQuery, formatClause, isBareWord, quote } from './format';
export { describeQuery } from './describe';
export { queryFilters, queryDays, queryRangeUtc, type QueryFilters, type AnyOf } from './filters';
export { matchesIp } from './ip';
export type { LocalDays } from './dates';
