// Facets and histogram counts read from the counts the import keeps (migration 0006) instead of
// from the entries: for a query of dates, categories and actions only, whose range starts and ends
// on whole UTC hours (local midnights are, in every zone whose offset is whole hours). A range is
// read as its whole UTC days from the day rows and its ragged ends from the hour rows, so the
// whole workspace is ~10,000 rows and a local day ~24 x the actions of an hour. Users: whole UTC
// months from the month rows, whole days from the day rows, the hours left from the time index.
import type { Query } from '../../../shared/query';
import type { Workspace } from '../workspace/database';
import { DAY_MS, HOUR_MS, MONTH_SPAN } from '../workspace/migrations/0006-entry-counts';
import { monthStart } from './counts-tally';
import { compileParts, type SqlCondition } from './compile';

export { DAY_MS, HOUR_MS };

/** Clause kinds the counts can answer: the counts hold category and action per time slot. */
const COUNTED = new Set(['date', 'category', 'action']);

/** Whether the query's non-date filters can be read from the counts. */
export function countable(query: Query): boolean {
  return query.clauses.every((c) => COUNTED.has(c.kind));
}

/** The query's category and action filters over the counts' columns (dates are ranges here). */
export function countsCondition(query: Query): SqlCondition {
  const rest = { ...query, clauses: query.clauses.filter((c) => c.kind !== 'date') };
  return compileParts(rest, 'UTC', () => {
    throw new Error('user filters are not countable');
  }).filters;
}

export const alignedToHour = (ms: number) => Number.isFinite(ms) && ms % HOUR_MS === 0;

interface Piece {
  span: number;
  from: number;
  to: number;
}

const floorTo = (ms: number, span: number) => ms - (((ms % span) + span) % span);
const ceilTo = (ms: number, span: number) => floorTo(ms + span - 1, span);

/** [from, to) (whole hours, or ±Infinity) as day rows for its whole UTC days, hour rows for the rest. */
export function pieces(from: number, to: number): Piece[] {
  if (!(from < to)) return [];
  const dayFrom = Number.isFinite(from) ? ceilTo(from, DAY_MS) : from;
  const dayTo = Number.isFinite(to) ? floorTo(to, DAY_MS) : to;
  if (!(dayFrom < dayTo)) return [{ span: HOUR_MS, from, to }];
  const out: Piece[] = [];
  if (from < dayFrom) out.push({ span: HOUR_MS, from, to: dayFrom });
  out.push({ span: DAY_MS, from: dayFrom, to: dayTo });
  if (dayTo < to) out.push({ span: HOUR_MS, from: dayTo, to });
  return out;
}

/** SQLite takes no infinities as bounds: the widest integers stand in. */
const bound = (ms: number) =>
  ms === -Infinity ? Number.MIN_SAFE_INTEGER : ms === Infinity ? Number.MAX_SAFE_INTEGER : ms;

export interface CategoryActionCount {
  category: string;
  action: string;
  n: number;
}

/** Counts by category and action of the entries in [from, to) that the condition keeps. */
export function countsByCategoryAction(
  ws: Workspace,
  condition: SqlCondition,
  from: number,
  to: number,
): CategoryActionCount[] {
  const statement = ws.db.prepare(
    `SELECT category, action, sum(n) AS n FROM entry_counts
     WHERE span = ? AND slot_start >= ? AND slot_start < ? AND (${condition.sql})
     GROUP BY category, action`,
  );
  return pieces(from, to).flatMap(
    (p) =>
      statement.all(
        p.span,
        bound(p.from),
        bound(p.to),
        ...condition.params,
      ) as CategoryActionCount[],
  );
}

/** Counts by category of the entries in [from, to) that the condition keeps. */
export function countsByCategory(
  ws: Workspace,
  condition: SqlCondition,
  from: number,
  to: number,
): Map<string, number> {
  const statement = ws.db
    .prepare(
      `SELECT category, sum(n) FROM entry_counts
       WHERE span = ? AND slot_start >= ? AND slot_start < ? AND (${condition.sql})
       GROUP BY category`,
    )
    .raw();
  const out = new Map<string, number>();
  for (const p of pieces(from, to))
    for (const [category, n] of statement.all(
      p.span,
      bound(p.from),
      bound(p.to),
      ...condition.params,
    ) as [string, number][])
      out.set(category, (out.get(category) ?? 0) + n);
  return out;
}

const nextMonth = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};
const ceilMonth = (ms: number) => (monthStart(ms) === ms ? ms : nextMonth(ms));

/**
 * [from, to) as its inner part between the first `ceil` and the last `floor` (null if empty) and
 * the outer parts left on either side. Infinite ends stay infinite.
 */
function split(
  from: number,
  to: number,
  floor: (ms: number) => number,
  ceil: (ms: number) => number,
): { inner: [number, number] | null; outer: [number, number][] } {
  const a = Number.isFinite(from) ? ceil(from) : from;
  const b = Number.isFinite(to) ? floor(to) : to;
  if (!(a < b)) return { inner: null, outer: from < to ? [[from, to]] : [] };
  return {
    inner: [a, b],
    outer: [
      [from, a],
      [b, to],
    ].filter(([x, y]) => x! < y!) as [number, number][],
  };
}

/** Counts by actor of the entries in [from, to) that the condition keeps. */
export function countsByActor(
  ws: Workspace,
  condition: SqlCondition,
  from: number,
  to: number,
): Map<string, number> {
  const out = new Map<string, number>();
  const add = (rows: [string, number][]) => {
    for (const [actor, n] of rows) out.set(actor, (out.get(actor) ?? 0) + n);
  };
  const fromCounts = ws.db
    .prepare(
      `SELECT actor_id, sum(n) FROM entry_actor_counts
       WHERE span = ? AND slot_start >= ? AND slot_start < ? AND (${condition.sql})
       GROUP BY actor_id`,
    )
    .raw();
  // The time index carries category, action and actor: hours are read from it alone.
  const fromEntries = ws.db
    .prepare(
      `SELECT actor_id, count(*) FROM entries INDEXED BY entries_by_time
       WHERE occurred_at >= ? AND occurred_at < ? AND (${condition.sql})
       GROUP BY actor_id`,
    )
    .raw();
  const months = split(from, to, monthStart, ceilMonth);
  if (months.inner !== null)
    add(
      fromCounts.all(
        MONTH_SPAN,
        bound(months.inner[0]),
        bound(months.inner[1]),
        ...condition.params,
      ) as [string, number][],
    );
  for (const [f, t] of months.outer) {
    const days = split(
      f,
      t,
      (ms) => floorTo(ms, DAY_MS),
      (ms) => ceilTo(ms, DAY_MS),
    );
    if (days.inner !== null)
      add(
        fromCounts.all(DAY_MS, bound(days.inner[0]), bound(days.inner[1]), ...condition.params) as [
          string,
          number,
        ][],
      );
    for (const [hf, ht] of days.outer)
      add(fromEntries.all(bound(hf), bound(ht), ...condition.params) as [string, number][]);
  }
  return out;
}
