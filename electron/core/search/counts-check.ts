// Whether the import's counts (migration 0006) equal a recount of the stored entries: the crash and
// migration tests check it after every kill and backfill.
import type { Database } from 'better-sqlite3';
import {
  DAY_MS,
  HOUR_MS,
  monthOf,
  MONTH_SPAN,
  slotOf,
} from '../workspace/migrations/0006-entry-counts';

const RECOUNTS: { table: string; stored: string; recount: string }[] = [
  {
    table: 'entry_counts',
    stored: 'SELECT span, slot_start, category, action, n FROM entry_counts',
    recount: [HOUR_MS, DAY_MS]
      .map(
        (span) =>
          `SELECT ${span}, ${slotOf(span)} AS slot, category, action, count(*) FROM entries GROUP BY slot, category, action`,
      )
      .join(' UNION ALL '),
  },
  {
    table: 'entry_actor_counts',
    stored: 'SELECT span, slot_start, category, action, actor_id, n FROM entry_actor_counts',
    recount: [
      [DAY_MS, slotOf(DAY_MS)],
      [MONTH_SPAN, monthOf],
    ]
      .map(
        ([span, slot]) =>
          `SELECT ${span}, ${slot} AS slot, category, action, actor_id, count(*) FROM entries GROUP BY slot, category, action, actor_id`,
      )
      .join(' UNION ALL '),
  },
];

/** Rows that differ between the stored counts and a recount (0 when they agree), per table. */
export function countsMismatches(db: Database): Record<string, number> {
  return Object.fromEntries(
    RECOUNTS.map(({ table, stored, recount }) => [
      table,
      db
        .prepare(
          // Each side in its own subquery: compound SELECTs chain left to right.
          `SELECT (SELECT count(*) FROM (SELECT * FROM (${stored}) EXCEPT SELECT * FROM (${recount})))
                + (SELECT count(*) FROM (SELECT * FROM (${recount}) EXCEPT SELECT * FROM (${stored})))`,
        )
        .pluck()
        .get() as number,
    ]),
  );
}
