import type { Migration } from './types';

// FTS5 settings of the full-text index (migration 0004), kept in its config table
// (entries_fts_config) so that every connection uses them. What the index holds and how it
// tokenizes do not change, so search answers stay identical; only how its terms are written does:
// - hashsize 16 MiB (FTS5's default is 1 MiB): the terms of the entries an import stores are
//   gathered in memory up to this size before being written out as one segment, so a large import
//   writes 16 times fewer, larger segments and FTS5 has fewer to merge. Inserting 1M entries into
//   the index alone took 6.9-7.2 s instead of 8.0-8.9 s (-15 %), queries as fast; the cost is at
//   most 16 MiB more memory while a large bundle is imported. A day's bundle is written at its
//   commit either way.
// (automerge 8 or 16 and crisismerge 32 gave nothing measurable; a larger pgsz made queries slower.)
export const FULL_TEXT_HASH_BYTES = 16 * 1024 * 1024;

export const fullTextSettings: Migration = {
  version: 7,
  name: 'full-text-settings',
  up: `INSERT INTO entries_fts (entries_fts, rank) VALUES ('hashsize', ${FULL_TEXT_HASH_BYTES});`,
};
