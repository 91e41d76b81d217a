// Properties of the pure parts of the server: Range/If-Range against a direct reading of RFC 9110,
// and cursors that round-trip and never accept anything the server did not issue.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor';
import { evaluateRange, noneMatch } from './range';

const V = { etag: '"abc"', lastModified: 'Sat, 07 Mar 2026 13:05:00 GMT' };

describe('evaluateRange', () => {
  it('agrees with a model of single byte ranges', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.option(fc.nat(20_000), { nil: undefined }),
        fc.option(fc.nat(20_000), { nil: undefined }),
        (size, first, last) => {
          if (first === undefined && last === undefined) return;
          const header = `bytes=${first ?? ''}-${last ?? ''}`;
          const got = evaluateRange(size, V, header, undefined);
          if (first === undefined) {
            const n = last!;
            if (n === 0) expect(got).toEqual({ kind: 'unsatisfiable' });
            else
              expect(got).toEqual({ kind: 'partial', start: Math.max(0, size - n), end: size - 1 });
          } else if (last !== undefined && last < first) {
            expect(got).toEqual({ kind: 'full' });
          } else if (first >= size) {
            expect(got).toEqual({ kind: 'unsatisfiable' });
          } else {
            expect(got).toEqual({
              kind: 'partial',
              start: first,
              end: Math.min(last ?? size - 1, size - 1),
            });
          }
        },
      ),
    );
  });

  it('never throws and never answers a range outside the file', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.string(),
        fc.option(fc.string(), { nil: undefined }),
        (size, range, ifRange) => {
          const got = evaluateRange(size, V, range, ifRange);
          if (got.kind === 'partial') {
            expect(got.start).toBeGreaterThanOrEqual(0);
            expect(got.end).toBeLessThan(size);
            expect(got.start).toBeLessThanOrEqual(got.end);
          }
        },
      ),
    );
  });

  it('applies If-Range by strong ETag or exact date', () => {
    expect(evaluateRange(100, V, 'bytes=5-', '"abc"')).toEqual({
      kind: 'partial',
      start: 5,
      end: 99,
    });
    expect(evaluateRange(100, V, 'bytes=5-', V.lastModified)).toEqual({
      kind: 'partial',
      start: 5,
      end: 99,
    });
    for (const other of ['W/"abc"', '"abd"', 'abc', 'Sun, 08 Mar 2026 13:05:00 GMT', '']) {
      expect(evaluateRange(100, V, 'bytes=5-', other)).toEqual({ kind: 'full' });
    }
    expect(evaluateRange(100, V, undefined, '"abc"')).toEqual({ kind: 'full' });
  });

  it('If-None-Match compares weakly and accepts lists and *', () => {
    expect(noneMatch('"abc"', V.etag)).toBe(true);
    expect(noneMatch('W/"abc"', V.etag)).toBe(true);
    expect(noneMatch('"x", "abc"', V.etag)).toBe(true);
    expect(noneMatch('*', V.etag)).toBe(true);
    expect(noneMatch('"x"', V.etag)).toBe(false);
    expect(noneMatch(undefined, V.etag)).toBe(false);
  });
});

describe('cursors', () => {
  const ids = Array.from(
    { length: 50 },
    (_, i) => `202603${String(i).padStart(2, '0')}T130000Z-${'0123456789ab'}`,
  );

  it('round-trip for every position', () => {
    for (const [i, id] of ids.entries()) expect(decodeCursor(encodeCursor(i, id), ids)).toBe(i);
  });

  it('refuse anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const decoded = decodeCursor(s, ids);
        if (decoded !== null) expect(s).toBe(encodeCursor(decoded, ids[decoded]!));
      }),
    );
    const good = encodeCursor(3, ids[3]!);
    expect(decodeCursor(encodeCursor(3, ids[4]!), ids)).toBeNull();
    expect(decodeCursor(good, ids.slice(0, 3))).toBeNull();
    expect(decodeCursor(`${good}A`, ids)).toBeNull();
    expect(decodeCursor('', ids)).toBeNull();
  });
});
