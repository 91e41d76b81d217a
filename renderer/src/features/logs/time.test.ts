import { describe, expect, it } from 'vitest';
import { formatCell, localDay, presetDays } from './time';

describe('time display', () => {
  it('shows instants in the business zone', () => {
    expect(formatCell('2026-03-08T07:30:00.000Z', 'America/New_York')).toBe('2026-03-08 03:30:00');
    expect(localDay('2026-03-08T04:30:00.000Z', 'America/New_York')).toBe('2026-03-07');
  });
  it('computes presets in the business zone', () => {
    const now = Date.parse('2026-05-15T02:00:00Z'); // still May 14 in New York
    expect(presetDays('today', 'America/New_York', now)).toEqual({
      from: '2026-05-14',
      to: '2026-05-14',
    });
    expect(presetDays('last7', 'America/New_York', now).from).toBe('2026-05-08');
    expect(presetDays('quarter', 'America/New_York', now).from).toBe('2026-04-01');
  });
});

describe('formatCell', () => {
  it('agrees with Luxon across DST changes and midnight', async () => {
    const { DateTime } = await import('luxon');
    const zones = ['America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'UTC', 'Asia/Kolkata'];
    for (
      let ms = Date.parse('2026-01-01T00:00:00Z');
      ms < Date.parse('2027-01-01T00:00:00Z');
      ms += 3_600_000 * 7 + 59_001
    ) {
      const iso = new Date(ms).toISOString();
      for (const zone of zones)
        expect(formatCell(iso, zone)).toBe(
          DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM-dd HH:mm:ss'),
        );
    }
  });
});
