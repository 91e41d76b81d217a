// Retry-After in both RFC 9110 forms, and refusal of anything else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after';

const NOW = Date.parse('2026-11-24T12:00:00.000Z');

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('3', NOW)).toBe(3000);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
  });

  it('reads the three HTTP-date forms relative to now', () => {
    expect(parseRetryAfter('Tue, 24 Nov 2026 12:00:05 GMT', NOW)).toBe(5000);
    expect(parseRetryAfter('Tuesday, 24-Nov-26 12:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfter('Tue Nov 24 12:00:10 2026', NOW)).toBe(10_000);
    expect(parseRetryAfter('Tue Nov  4 12:00:00 2026', Date.parse('2026-11-04T11:59:59Z'))).toBe(
      1000,
    );
  });

  it('a date in the past means retry now', () => {
    expect(parseRetryAfter('Tue, 24 Nov 2026 11:00:00 GMT', NOW)).toBe(0);
  });

  it('refuses what it cannot read (the caller falls back to its backoff)', () => {
    for (const bad of [
      undefined,
      '',
      '-1',
      '1.5',
      'soon',
      '2026-11-24T12:00:05Z',
      'Tue, 24 Nov 2026 12:00:05 PST',
      '12345678901',
    ])
      expect(parseRetryAfter(bad, NOW)).toBeUndefined();
  });

  it('any whole number of seconds is read exactly; any IMF-fixdate round-trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999 }), (s) => {
        expect(parseRetryAfter(String(s), NOW)).toBe(s * 1000);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 86_400 }), (s) => {
        const at = NOW + s * 1000;
        expect(parseRetryAfter(new Date(at).toUTCString(), NOW)).toBe(s * 1000);
      }),
    );
  });

  it('never throws and never returns a negative or non-integer wait', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const ms = parseRetryAfter(text, NOW);
        if (ms !== undefined) expect(Number.isInteger(ms) && ms >= 0).toBe(true);
      }),
    );
  });
});
