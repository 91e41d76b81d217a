import type { Database } from 'better-sqlite3';
import type { Entry } from '../../../../shared/entry';
import { fullTextColumns, type FullTextColumns } from '../../search/full-text';
import type { Migration } from './types';

// Full-text search (docs/search.md "Full-text index"): an FTS5 index over the words of each entry,
// rowid = entries.seq so that `ORDER BY rowid DESC LIMIT n` walks it newest first without a sort.
// Contentless (the text stays in the signed line), with positions (phrases need them) and without
// prefix indexes, which would more than double the cost of each import (docs/search.md). FTS5's
// small per-row size record is kept: without it the table cannot list its rowids, and it costs no
// measurable time.
// The import fills it in each bundle's own transaction; this migration fills it for the entries a
// workspace already holds, in the same transaction as the CREATE, so an old workspace searches
// exactly as a fresh import of its bundles would.
const CREATE = `
  CREATE VIRTUAL TABLE entries_fts USING fts5(
    action, actor, entity, changes, ip, agent, metadata,
    content = '',
    tokenize = 'unicode61 remove_diacritics 2'
  );
`;

// The time index also carries category, action and actor: the histogram (time × category) and the
// facets of a date range are then read from the index alone instead of from the 1 GB table (55 ms
// instead of 270 ms for a year's histogram at 1M entries). One B-tree as before, appended to in time
// order by the import; same name, so date filters use it as they did.
const WIDEN_TIME_INDEX = `
  DROP INDEX entries_by_time;
  CREATE INDEX entries_by_time ON entries (occurred_at, category, action, actor_id);
`;

const BATCH = 2000;

/** Every stored line was checked against the entry schema on import; a line that is no entry (a
 * database made by hand) gets no full-text row rather than failing the migration. */
function columnsOf(raw: string): FullTextColumns | null {
  try {
    return fullTextColumns(JSON.parse(raw) as Entry);
  } catch {
    return null;
  }
}

function backfill(db: Database): void {
  const read = db.prepare('SELECT seq, raw FROM entries WHERE seq > ? ORDER BY seq LIMIT ?');
  const insert = db.prepare(
    `INSERT INTO entries_fts (rowid, action, actor, entity, changes, ip, agent, metadata)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (let after = Number.MIN_SAFE_INTEGER; ;) {
    const rows = read.all(after, BATCH) as { seq: number; raw: string }[];
    for (const { seq, raw } of rows) {
      const columns = columnsOf(raw);
      if (columns !== null) insert.run(seq, ...columns);
    }
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!.seq;
  }
}

export const fullText: Migration = {
  version: 4,
  name: 'full-text',
  up: (db) => {
    db.exec(CREATE);
    backfill(db);
    db.exec(WIDEN_TIME_INDEX);
  },
};
