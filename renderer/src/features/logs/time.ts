// How instants are shown: in the business's time zone by default, or UTC, or this computer's zone,
// always with the zone named in the column header and the offset in tooltips.
import { DateTime } from 'luxon';
import type { TimeDisplay } from '../../../../shared/settings';

export function displayZone(display: TimeDisplay, businessZone: string): string {
  if (display === 'utc') return 'UTC';
  if (display === 'local') return Intl.DateTimeFormat().resolvedOptions().timeZone || 'local';
  return businessZone;
}

const cellFormats = new Map<string, Intl.DateTimeFormat>();
const cellCache = new Map<string, string>();

/**
 * `2026-11-24 09:03:11` in the zone. The table formats thousands of these while scrolling, so this
 * uses a cached Intl formatter (several times faster than building a Luxon DateTime) and remembers
 * recent results.
 */
export function formatCell(instant: string, zone: string): string {
  const key = `${zone}|${instant}`;
  const cached = cellCache.get(key);
  if (cached !== undefined) return cached;
  let format = cellFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    cellFormats.set(zone, format);
  }
  const parts: Record<string, string> = {};
  for (const p of format.formatToParts(new Date(instant))) parts[p.type] = p.value;
  const text = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
  if (cellCache.size > 20_000) cellCache.clear();
  cellCache.set(key, text);
  return text;
}

/** `2026-11-24 09:03:11.123 EST (UTC−05:00)`. */
export function formatFull(instant: string, zone: string): string {
  const at = DateTime.fromISO(instant, { zone });
  return `${at.toFormat('yyyy-MM-dd HH:mm:ss.SSS')} ${at.offsetNameShort ?? ''} (UTC${at.toFormat('ZZ')})`;
}

/** The local calendar day of an instant in the zone (`YYYY-MM-DD`). */
export function localDay(instant: string | number, zone: string): string {
  const at =
    typeof instant === 'number'
      ? DateTime.fromMillis(instant, { zone })
      : DateTime.fromISO(instant, { zone });
  return at.toISODate() ?? '';
}

/** Label of a zone for headers: `America/New_York (EST)`. */
export function zoneLabel(zone: string): string {
  if (zone === 'UTC') return 'UTC';
  const short = DateTime.now().setZone(zone).offsetNameShort;
  return short && short !== zone ? `${zone} (${short})` : zone;
}

export type DatePreset = 'today' | 'last7' | 'last30' | 'quarter';

export const DATE_PRESETS: { id: DatePreset; label: string }[] = [
  { id: 'today', label: 'Today' },
  { id: 'last7', label: 'Last 7 days' },
  { id: 'last30', label: 'Last 30 days' },
  { id: 'quarter', label: 'This quarter' },
];

/** Inclusive local days of a preset in the business zone, relative to `now`. */
export function presetDays(
  preset: DatePreset,
  zone: string,
  now: number = Date.now(),
): { from: string; to: string } {
  const today = DateTime.fromMillis(now, { zone }).startOf('day');
  const iso = (d: DateTime) => d.toISODate() ?? '';
  switch (preset) {
    case 'today':
      return { from: iso(today), to: iso(today) };
    case 'last7':
      return { from: iso(today.minus({ days: 6 })), to: iso(today) };
    case 'last30':
      return { from: iso(today.minus({ days: 29 })), to: iso(today) };
    case 'quarter':
      return { from: iso(today.startOf('quarter')), to: iso(today) };
  }
}

/** Bucket label for the histogram's tooltip. */
export function bucketLabel(start: string, unit: string, zone: string): string {
  const at = DateTime.fromISO(start, { zone });
  if (unit === 'hour') return at.toFormat('yyyy-MM-dd HH:00');
  if (unit === 'month') return at.toFormat('yyyy-MM');
  if (unit === 'week') return `week of ${at.toFormat('yyyy-MM-dd')}`;
  return at.toFormat('yyyy-MM-dd (ccc)');
}
