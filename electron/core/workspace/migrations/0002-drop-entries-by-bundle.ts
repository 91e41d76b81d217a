import type { Migration } from './types';

// A bundle's entries are exactly its seq range (bundles.first_seq..last_seq, verified at import), so
// they are read by rowid range. The bundle_ref index duplicated that and cost every insert
// (docs/performance.md).
export const dropEntriesByBundle: Migration = {
  version: 2,
  name: 'drop-entries-by-bundle',
  up: 'DROP INDEX entries_by_bundle;',
};
