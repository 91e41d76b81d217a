import { describe, expect, it } from 'vitest';
import { formatInZone, localDateRangeUtc, localDayStartUtc } from './time';

const iso = (ms: number) => new Date(ms).toISOString();

describe('local days in the business time zone', () => {
  it('starts a New York winter day at 05:00 UTC and a summer day at 04:00 UTC', () => {
    expect(iso(localDayStartUtc('2026-01-15', 'America/New_York'))).toBe(
      '2026-01-15T05:00:00.000Z',
    );
    expect(iso(localDayStartUtc('2026-07-15', 'America/New_York'))).toBe(
      '2026-07-15T04:00:00.000Z',
    );
  });

  it('gives the spring-forward day 23 hours and the fall-back day 25 hours', () => {
    const spring = localDateRangeUtc('2026-03-08', '2026-03-08', 'America/New_York');
    const fall = localDateRangeUtc('2026-11-01', '2026-11-01', 'America/New_York');
    expect((spring.end - spring.start) / 3_600_000).toBe(23);
    expect((fall.end - fall.start) / 3_600_000).toBe(25);
  });

  it('handles half-hour offsets and zones where midnight does not exist on the DST day', () => {
    expect(iso(localDayStartUtc('2026-11-24', 'Asia/Kolkata'))).toBe('2026-11-23T18:30:00.000Z');
    // Santiago springs forward at 24:00 on 2026-09-05: Sept 6 begins at 01:00 local (04:00 UTC).
    expect(iso(localDayStartUtc('2026-09-06', 'America/Santiago'))).toBe(
      '2026-09-06T04:00:00.000Z',
    );
  });

  it('covers consecutive days without overlap or hole across a DST change', () => {
    const zone = 'Europe/Berlin';
    const days = ['2026-03-28', '2026-03-29', '2026-03-30'].map((d) =>
      localDateRangeUtc(d, d, zone),
    );
    expect(days[0]!.end).toBe(days[1]!.start);
    expect(days[1]!.end).toBe(days[2]!.start);
    expect(localDateRangeUtc('2026-03-28', '2026-03-30', zone)).toEqual({
      start: days[0]!.start,
      end: days[2]!.end,
    });
  });

  it('rejects malformed dates, unknown zones and reversed ranges', () => {
    expect(() => localDayStartUtc('2026-13-01', 'UTC')).toThrow(RangeError);
    expect(() => localDayStartUtc('yesterday', 'UTC')).toThrow(RangeError);
    expect(() => localDayStartUtc('2026-01-01', 'Mars/Olympus')).toThrow(RangeError);
    expect(() => localDateRangeUtc('2026-01-02', '2026-01-01', 'UTC')).toThrow(RangeError);
  });

  it('labels displayed times with the zone abbreviation and offset', () => {
    expect(formatInZone('2026-11-24T14:03:11.123Z', 'America/New_York')).toBe(
      '2026-11-24 09:03:11.123 EST (UTC-05:00)',
    );
    expect(formatInZone(Date.parse('2026-07-01T12:00:00.000Z'), 'Europe/Berlin')).toMatch(
      /^2026-07-01 14:00:00\.000 .+ \(UTC\+02:00\)$/,
    );
  });
});
