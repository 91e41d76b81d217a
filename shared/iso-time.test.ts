// The one timestamp shape bundles and entries use: UTC, ISO 8601, milliseconds, `Z`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIsoInstant } from './iso-time';

describe('isIsoInstant', () => {
  it('accepts real UTC instants with milliseconds', () => {
    for (const value of [
      '2026-11-24T14:03:11.123Z',
      '2026-01-01T00:00:00.000Z',
      '2026-12-31T23:59:59.999Z',
      '2028-02-29T12:00:00.000Z', // leap year
      '2000-02-29T00:00:00.000Z', // divisible by 400: leap
      '2026-04-30T00:00:00.000Z',
      '1970-01-01T00:00:00.000Z',
    ]) {
      expect(isIsoInstant(value), value).toBe(true);
    }
  });

  it('rejects days that do not exist', () => {
    for (const value of [
      '2026-02-29T00:00:00.000Z', // not a leap year
      '2100-02-29T00:00:00.000Z', // divisible by 100, not by 400
      '2026-02-30T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-06-31T00:00:00.000Z',
      '2026-09-31T00:00:00.000Z',
      '2026-11-31T00:00:00.000Z',
      '2026-01-32T00:00:00.000Z',
      '2026-00-10T00:00:00.000Z',
      '2026-13-10T00:00:00.000Z',
      '2026-01-00T00:00:00.000Z',
    ]) {
      expect(isIsoInstant(value), value).toBe(false);
    }
  });

  it('rejects times that do not exist and every other shape', () => {
    for (const value of [
      '2026-11-24T24:00:00.000Z',
      '2026-11-24T23:60:00.000Z',
      '2026-11-24T23:59:60.000Z', // no leap seconds
      '2026-11-24T14:03:11Z', // milliseconds are required
      '2026-11-24T14:03:11.1Z',
      '2026-11-24T14:03:11.1234Z',
      '2026-11-24T14:03:11.123', // no zone
      '2026-11-24T14:03:11.123+00:00', // offsets are not UTC `Z`
      '2026-11-24T14:03:11.123z',
      '2026-11-24 14:03:11.123Z',
      '2026-11-24',
      ' 2026-11-24T14:03:11.123Z',
      '2026-11-24T14:03:11.123Z ',
      '2026-11-24T14:03:11.123Z\n',
      '+02026-11-24T14:03:11.123Z',
      '２０２６-11-24T14:03:11.123Z', // full-width digits
      '',
    ]) {
      expect(isIsoInstant(value), JSON.stringify(value)).toBe(false);
    }
  });

  it('rejects values that are not strings', () => {
    for (const value of [
      null,
      undefined,
      0,
      Date.parse('2026-11-24T14:03:11.123Z'),
      new Date(),
      {},
      [],
    ]) {
      expect(isIsoInstant(value)).toBe(false);
    }
  });

  it('accepts exactly what Date#toISOString produces for years 0000-9999', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0000-01-01T00:00:00.000Z'),
          max: new Date('9999-12-31T23:59:59.999Z'),
          noInvalidDate: true,
        }),
        (date) => {
          expect(isIsoInstant(date.toISOString())).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('accepts a string of the right shape exactly when Date reads it back as the same instant', () => {
    // Arbitrary digits in every field: impossible days and times must be refused, not rolled over.
    const field = (max: number, width = 2) =>
      fc.integer({ min: 0, max }).map((n) => String(n).padStart(width, '0'));
    const shaped = fc
      .tuple(
        fc.constantFrom('1900', '2000', '2024', '2026', '2100', '0000', '9999'),
        field(13),
        field(32),
        field(25),
        field(61),
        field(61),
        field(999, 3),
      )
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    fc.assert(
      fc.property(shaped, (text) => {
        const time = Date.parse(text);
        const roundTrips = !Number.isNaN(time) && new Date(time).toISOString() === text;
        expect(isIsoInstant(text)).toBe(roundTrips);
      }),
      { numRuns: 3000 },
    );
  });
});
