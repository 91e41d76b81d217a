// The tenant's local calendar: days, their UTC bounds and the UTC start of each local hour.
// Bundles cover tenant-local days (docs/simulator.md), so a day is 23, 24 or 25 hours long.
import { DateTime } from 'luxon';

export interface LocalDay {
  /** 0-based position in the trail. */
  index: number;
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weekday: number;
  /** UTC ms of the first instant of the day and of the next day (half-open). */
  startMs: number;
  endMs: number;
  /** UTC ms at which local hour h begins, h = 0..24 (24 = endMs). A skipped hour has zero length. */
  hourStartMs: number[];
}

export function localDay(startDate: string, index: number, timeZone: string): LocalDay {
  const first = DateTime.fromISO(startDate, { zone: timeZone });
  if (!first.isValid) throw new RangeError(`start date "${startDate}" in ${timeZone} is not valid`);
  const day = first.startOf('day').plus({ days: index });
  const next = day.plus({ days: 1 });
  const hourStartMs: number[] = [];
  for (let hour = 0; hour < 24; hour++) {
    // Luxon moves a wall time that DST skips forward, so such an hour starts where the next does.
    const at = DateTime.fromObject(
      { year: day.year, month: day.month, day: day.day, hour },
      { zone: timeZone },
    );
    hourStartMs.push(Math.max(at.toMillis(), hourStartMs[hour - 1] ?? day.toMillis()));
  }
  hourStartMs.push(next.toMillis());
  return {
    index,
    date: day.toISODate()!,
    weekday: day.weekday,
    startMs: day.toMillis(),
    endMs: next.toMillis(),
    hourStartMs,
  };
}

/** The UTC ms of local wall time `hour:minute` on `day` (shifted forward when DST skips it). */
export function localTimeMs(day: LocalDay, hour: number, minute: number, timeZone: string): number {
  const [year, month, date] = day.date.split('-').map(Number) as [number, number, number];
  const at = DateTime.fromObject(
    { year, month, day: date, hour, minute },
    { zone: timeZone },
  ).toMillis();
  return Math.min(Math.max(at, day.startMs), day.endMs - 1);
}

/** Local hour (0-23) of a UTC instant in `timeZone`. */
export function localHour(ms: number, timeZone: string): number {
  return DateTime.fromMillis(ms, { zone: timeZone }).hour;
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}
