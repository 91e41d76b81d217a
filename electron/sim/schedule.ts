// How many background events a local day gets and when they happen: most on weekdays during
// business hours in the tenant's zone, fewer in the evening and on weekends, a trickle at night.
// Times are drawn per local hour, so a DST day (23 or 25 hours) keeps the same wall-clock shape.
import type { LocalDay } from './clock';
import type { Random } from './random';

// Relative activity per local hour, 0..23.
const WEEKDAY = [
  0.4, 0.4, 0.4, 0.4, 0.4, 1, 3, 6, 10, 12, 12, 11, 9, 11, 12, 11, 10, 8, 5, 3, 2.5, 2, 1.2, 0.7,
];
const WEEKEND = [
  0.4, 0.4, 0.4, 0.4, 0.4, 0.5, 1.5, 3, 5, 7, 8, 8, 7, 7, 7, 6, 5, 4, 3, 2.5, 2, 1.5, 1, 0.7,
];

// Saturday and Sunday are quieter; the factors are normalized so that a week averages perDay.
const DAY_FACTOR = [1, 1, 1, 1, 1, 0.45, 0.2]; // ISO weekday 1..7
const WEEK_MEAN = DAY_FACTOR.reduce((a, b) => a + b, 0) / 7;

/** Background events on `day`: perDay scaled by weekday, +/-15% day-to-day noise. */
export function dayVolume(day: LocalDay, perDay: number, random: Random): number {
  if (perDay <= 0) return 0;
  const factor = DAY_FACTOR[day.weekday - 1]! / WEEK_MEAN;
  return Math.max(0, Math.round(perDay * factor * (0.85 + random.next() * 0.3)));
}

/** `count` UTC instants (integer ms) on `day`, sorted ascending. */
export function sampleTimes(day: LocalDay, count: number, random: Random): Float64Array {
  const profile = day.weekday >= 6 ? WEEKEND : WEEKDAY;
  // An hour's share is its activity times its real length: 0 for the hour DST skips, 2 for the repeated one.
  const weights = profile.map(
    (w, h) => (w * (day.hourStartMs[h + 1]! - day.hourStartMs[h]!)) / 3_600_000,
  );
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) cumulative.push((total += w));
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const roll = random.next() * total;
    let hour = 0;
    while (hour < 23 && cumulative[hour]! <= roll) hour++;
    const start = day.hourStartMs[hour]!;
    const length = day.hourStartMs[hour + 1]! - start;
    times[i] = start + Math.floor(random.next() * length);
  }
  return times.sort();
}

/** Local hour bucket of a UTC instant on `day` (hint: the previous answer, since times ascend). */
export function hourAt(day: LocalDay, ms: number, hint = 0): number {
  let hour = hint;
  while (hour < 23 && day.hourStartMs[hour + 1]! <= ms) hour++;
  return hour;
}
