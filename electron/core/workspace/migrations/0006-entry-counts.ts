import type { Migration } from './types';

// Counts kept by the import (docs/search.md "Facets and timeline"): entries per UTC hour and per UTC
// day by category and action, and per UTC day and per UTC month by category, action and actor.
// Facets and the histogram of a query of dates, categories and actions read a few thousand of these
// rows instead of the entries' index entries. The import upserts them in each bundle's own transaction; this
// migration counts the entries a workspace already holds, in the same transaction as the CREATE.
//
// Why hours and days, and no actor per slot: at 1M entries of the bench tenant (1,235 actors) the
// rows per (slot, category, action, actor) are 822,000 for 15-minute slots, 732,000 for hours and
// 436,000 for days, hardly fewer than the entries; without the actor, 110,000 for hours and 10,200
// for days. Actors are counted per UTC day (about 436,000 rows) and per UTC month (57,000): a range's
// users are its whole months, then its whole days, then its remaining hours from the time index.
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** The span code of a UTC calendar month in entry_actor_counts (months have no fixed length). */
export const MONTH_SPAN = 0;

const CREATE = `
  CREATE TABLE entry_counts (
    span INTEGER NOT NULL,        -- ${HOUR_MS} (a UTC hour) or ${DAY_MS} (a UTC day)
    slot_start INTEGER NOT NULL,  -- UTC ms, a multiple of span
    category TEXT NOT NULL,
    action TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (span, slot_start, category, action)
  ) WITHOUT ROWID;
  CREATE TABLE entry_actor_counts (
    span INTEGER NOT NULL,        -- ${DAY_MS} (a UTC day) or ${MONTH_SPAN} (a UTC calendar month)
    slot_start INTEGER NOT NULL,  -- UTC ms of the day's or month's start
    category TEXT NOT NULL,
    action TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (span, slot_start, category, action, actor_id)
  ) WITHOUT ROWID;
`;

/** The slot of `occurred_at` (floor, also before 1970). */
export const slotOf = (span: number) =>
  `occurred_at - (((occurred_at % ${span}) + ${span}) % ${span})`;
/** The UTC month start of `occurred_at`, from its whole second (floored, also before 1970). */
export const monthOf = `CAST(strftime('%s', datetime((${slotOf(1000)}) / 1000, 'unixepoch', 'start of month')) AS INTEGER) * 1000`;

const BACKFILL = `
  INSERT INTO entry_counts (span, slot_start, category, action, n)
    SELECT ${HOUR_MS}, ${slotOf(HOUR_MS)}, category, action, count(*) FROM entries GROUP BY 2, 3, 4;
  INSERT INTO entry_counts (span, slot_start, category, action, n)
    SELECT ${DAY_MS}, ${slotOf(DAY_MS)}, category, action, count(*) FROM entries GROUP BY 2, 3, 4;
  INSERT INTO entry_actor_counts (span, slot_start, category, action, actor_id, n)
    SELECT ${DAY_MS}, ${slotOf(DAY_MS)}, category, action, actor_id, count(*) FROM entries GROUP BY 2, 3, 4, 5;
  INSERT INTO entry_actor_counts (span, slot_start, category, action, actor_id, n)
    SELECT ${MONTH_SPAN}, ${monthOf}, category, action, actor_id, count(*) FROM entries GROUP BY 2, 3, 4, 5;
`;

export const entryCounts: Migration = {
  version: 6,
  name: 'entry-counts',
  up: CREATE + BACKFILL,
};
