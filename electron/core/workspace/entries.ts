// Reading stored entries back exactly as signed.
import type { Entry } from '../../../shared/entry';
import type { Workspace } from './database';

export interface EntryPage {
  total: number;
  entries: Entry[];
}

/** Every entry, newest first (highest seq first), parsed from the signed line. */
export function listEntries(ws: Workspace, limit: number): EntryPage {
  const total = (ws.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
  const rows = ws.db.prepare('SELECT raw FROM entries ORDER BY seq DESC LIMIT ?').all(limit) as {
    raw: string;
  }[];
  return { total, entries: rows.map((row) => JSON.parse(row.raw) as Entry) };
}
