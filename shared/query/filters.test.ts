import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Query } from './ast';
import { dayAfter, firstDay, parseCalendarDate } from './dates';
import { describeQuery } from './describe';
import { queryDays, queryFilters, queryRangeUtc } from './filters';
import { parseQuery } from './parse';

function q(text: string): Query {
  const r = parseQuery(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.query;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('calendar dates', () => {
  it('knows month lengths and leap years', () => {
    expect(parseCalendarDate('2024-02-29').ok).toBe(true);
    expect(parseCalendarDate('2000-02-29').ok).toBe(true);
    expect(parseCalendarDate('1900-02-29').ok).toBe(false);
    expect(parseCalendarDate('2026-04-31').ok).toBe(false);
    expect(dayAfter('2024-02-28')).toBe('2024-02-29');
    expect(dayAfter('2024-02-29')).toBe('2024-03-01');
    expect(dayAfter('2026-12-31')).toBe('2027-01-01');
    expect(dayAfter('2026-12')).toBe('2027-01-01');
    expect(dayAfter('2026')).toBe('2027-01-01');
    expect(dayAfter('9999-12-31')).toBeNull();
    expect(firstDay('2026-07')).toBe('2026-07-01');
  });

  it('agrees with luxon on the next day (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0100-01-01'), max: new Date('9999-12-30'), noInvalidDate: true }),
        (d) => {
          const day = d.toISOString().slice(0, 10);
          expect(dayAfter(day)).toBe(
            DateTime.fromISO(day, { zone: 'UTC' }).plus({ days: 1 }).toISODate(),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('grouping clauses', () => {
  it('ORs repeats of a single-valued qualifier, ANDs tags and text, collects exclusions', () => {
    const f = queryFilters(
      q('refund -"test" user:a user:b -user:c action:booking.* tag:x tag:y -tag:z status:reviewed'),
    );
    expect(f.text).toEqual({
      include: [{ text: 'refund', phrase: false }],
      exclude: [{ text: 'test', phrase: true }],
    });
    expect(f.user).toEqual({ anyOf: ['a', 'b'], noneOf: ['c'] });
    expect(f.action).toEqual({ anyOf: [{ value: 'booking.', prefix: true }], noneOf: [] });
    expect(f.tag).toEqual({ allOf: ['x', 'y'], noneOf: ['z'] });
    expect(f.status).toEqual({ anyOf: ['reviewed'], noneOf: [] });
    expect(f.category).toEqual({ anyOf: [], noneOf: [] });
    expect(f.days).toEqual({ from: null, to: null });
  });

  it('intersects date filters into local days, end exclusive', () => {
    expect(queryDays(q('on:2026-01-15'))).toEqual({ from: '2026-01-15', to: '2026-01-16' });
    expect(queryDays(q('on:2026-02'))).toEqual({ from: '2026-02-01', to: '2026-03-01' });
    expect(queryDays(q('after:2026-01-31'))).toEqual({ from: '2026-02-01', to: null });
    expect(queryDays(q('before:2026-02-01'))).toEqual({ from: null, to: '2026-02-01' });
    expect(queryDays(q('date:2026-01-01..2026-01-31'))).toEqual({
      from: '2026-01-01',
      to: '2026-02-01',
    });
    expect(queryDays(q('date:2026..2026-03 after:2026-01-31 before:2026-03-15'))).toEqual({
      from: '2026-02-01',
      to: '2026-03-15',
    });
  });
});

describe('date filters as UTC instants in the tenant zone', () => {
  it('has open ends when there is no bound, and checks the zone anyway', () => {
    expect(queryRangeUtc(q('refund'), 'Europe/Berlin')).toEqual({ startMs: null, endMs: null });
    expect(() => queryRangeUtc(q('refund'), 'Mars/Olympus')).toThrow(RangeError);
    const r = queryRangeUtc(q('after:2026-06-30'), 'UTC');
    expect([iso(r.startMs), r.endMs]).toEqual(['2026-07-01T00:00:00.000Z', null]);
  });

  it('gives a New York January and the DST days the right hours', () => {
    const jan = queryRangeUtc(q('date:2026-01-01..2026-01-31'), 'America/New_York');
    expect([iso(jan.startMs), iso(jan.endMs)]).toEqual([
      '2026-01-01T05:00:00.000Z',
      '2026-02-01T05:00:00.000Z',
    ]);
    const hours = (text: string, zone: string) => {
      const r = queryRangeUtc(q(text), zone);
      return (r.endMs! - r.startMs!) / 3_600_000;
    };
    expect(hours('on:2026-03-08', 'America/New_York')).toBe(23);
    expect(hours('on:2026-11-01', 'America/New_York')).toBe(25);
    expect(hours('on:2026-03-29', 'Europe/Berlin')).toBe(23);
    expect(hours('on:2026-10-25', 'Europe/Berlin')).toBe(25);
    expect(hours('on:2026-04-05', 'Australia/Sydney')).toBe(25);
    expect(hours('on:2026-03', 'America/New_York')).toBe(31 * 24 - 1);
    // Santiago skips midnight on 2026-09-06: the day starts at 01:00 local.
    const santiago = queryRangeUtc(q('on:2026-09-06'), 'America/Santiago');
    expect(iso(santiago.startMs)).toBe('2026-09-06T04:00:00.000Z');
  });

  const zones = [
    'America/New_York',
    'Europe/Berlin',
    'Australia/Sydney',
    'America/Santiago',
    'Asia/Kolkata',
  ];
  const day = fc
    .date({ min: new Date('2000-01-01'), max: new Date('2090-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

  it('tiles local days without gap or overlap and starts each at its first local instant (property)', () => {
    fc.assert(
      fc.property(day, fc.constantFrom(...zones), (d, zone) => {
        const today = queryRangeUtc(q(`on:${d}`), zone);
        const tomorrow = queryRangeUtc(q(`on:${dayAfter(d)}`), zone);
        expect(today.endMs).toBe(tomorrow.startMs);
        const hours = (today.endMs! - today.startMs!) / 3_600_000;
        expect([23, 23.5, 24, 24.5, 25]).toContain(hours);
        const start = DateTime.fromMillis(today.startMs!, { zone });
        expect(start.toISODate()).toBe(d);
        // Local midnight, or the first instant after a skipped midnight.
        expect(start.minus({ milliseconds: 1 }).toISODate()).not.toBe(d);
        // after:D starts where on:D ends; before:D ends where on:D starts.
        expect(queryRangeUtc(q(`after:${d}`), zone).startMs).toBe(today.endMs);
        expect(queryRangeUtc(q(`before:${d}`), zone).endMs).toBe(today.startMs);
      }),
      { numRuns: 1000 },
    );
  });

  it('makes a range from its first day start to its last day end (property)', () => {
    fc.assert(
      fc.property(day, day, fc.constantFrom(...zones), (a, b, zone) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const r = queryRangeUtc(q(`date:${from}..${to}`), zone);
        expect(r.startMs).toBe(queryRangeUtc(q(`on:${from}`), zone).startMs);
        expect(r.endMs).toBe(queryRangeUtc(q(`on:${to}`), zone).endMs);
      }),
      { numRuns: 500 },
    );
  });
});

describe('describeQuery', () => {
  it('summarises in one line', () => {
    expect(describeQuery(q(''))).toBe('all entries');
    expect(
      describeQuery(
        q('refund user:a user:b action:booking.* -category:settings date:2026-01-01..2026-01-31'),
      ),
    ).toBe(
      'entries with "refund", user "a" or user "b", an action starting with booking., from 2026-01-01 to 2026-01-31 (tenant\'s time zone), but not category settings',
    );
    expect(describeQuery(q('on:2026-01-05'))).toBe(
      "all entries on 2026-01-05 (tenant's time zone)",
    );
    // Typed values are escaped: the summary stays on one line.
    expect(describeQuery(q('"two\nlines" -tag:"x\u2028y"'))).toBe(
      'entries with the phrase "two\\nlines", but not tag "x\\u2028y"',
    );
  });
});
