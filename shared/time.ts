// Instants are stored in UTC; people read and type them in the business's IANA time zone.
// Luxon does the DST arithmetic: a local day can be 23 or 25 hours long, or start at 01:00.
import { DateTime } from 'luxon';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** UTC milliseconds of the first instant of local calendar day `date` (YYYY-MM-DD) in `timeZone`. */
export function localDayStartUtc(date: string, timeZone: string): number {
  if (!DATE.test(date)) throw new RangeError(`"${date}" is not a date like 2026-01-31`);
  const day = DateTime.fromISO(date, { zone: timeZone });
  if (!day.isValid)
    throw new RangeError(
      `"${date}" in ${timeZone}: ${day.invalidExplanation ?? day.invalidReason}`,
    );
  return day.startOf('day').toMillis();
}

/** Half-open UTC range [start, end) covering local days `from` through `to` inclusive. */
export function localDateRangeUtc(
  from: string,
  to: string,
  timeZone: string,
): { start: number; end: number } {
  const start = localDayStartUtc(from, timeZone);
  const end = DateTime.fromMillis(localDayStartUtc(to, timeZone), { zone: timeZone })
    .plus({ days: 1 })
    .startOf('day')
    .toMillis();
  if (end <= start) throw new RangeError(`${to} is before ${from}`);
  return { start, end };
}

/** `2026-11-24 09:03:11.123 EST (UTC−05:00)`: wall time in the zone, always labelled. */
export function formatInZone(instant: string | number, timeZone: string): string {
  const at =
    typeof instant === 'number'
      ? DateTime.fromMillis(instant, { zone: timeZone })
      : DateTime.fromISO(instant, { zone: timeZone });
  return `${at.toFormat('yyyy-MM-dd HH:mm:ss.SSS')} ${at.offsetNameShort ?? ''} (UTC${at.toFormat('ZZ')})`.replace(
    '  ',
    ' ',
  );
}
