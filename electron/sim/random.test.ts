import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryId } from './ids';
import { Random } from './random';

describe('Random', () => {
  it('repeats for the same seed and label, and differs across seeds and labels', () => {
    const draw = (seed: string | number, label: string) => {
      const r = Random.derive(seed, label);
      return Array.from({ length: 8 }, () => r.next());
    };
    expect(draw(1, 'a')).toEqual(draw(1, 'a'));
    expect(draw(1, 'a')).not.toEqual(draw(2, 'a'));
    expect(draw(1, 'a')).not.toEqual(draw(1, 'b'));
  });

  it('stays in range', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -1000, max: 1000 }),
        fc.nat(1000),
        (seed, min, span) => {
          const r = Random.derive(seed, 'range');
          for (let i = 0; i < 50; i++) {
            const x = r.next();
            expect(x >= 0 && x < 1).toBe(true);
            const n = r.int(min, min + span);
            expect(n >= min && n <= min + span && Number.isInteger(n)).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('never picks a zero weight', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.array(fc.constantFrom(0, 0.01, 1, 5), { minLength: 1, maxLength: 12 }),
        (seed, weights) => {
          fc.pre(weights.some((w) => w > 0));
          const r = Random.derive(seed, 'weights');
          for (let i = 0; i < 50; i++) expect(weights[r.weighted(weights)]).toBeGreaterThan(0);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('entryId', () => {
  it('is 26 Crockford characters and sorts like (time, seq)', () => {
    const r = Random.derive('ids', 'test');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 44 }),
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.integer({ min: 0, max: 2 ** 44 }),
        fc.integer({ min: 0, max: 10 ** 9 }),
        (t1, s1, t2, s2) => {
          const a = entryId(t1, s1, r);
          const b = entryId(t2, s2, r);
          expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
          const expected = t1 !== t2 ? Math.sign(t1 - t2) : Math.sign(s1 - s2);
          if (expected !== 0) expect(Math.sign(a < b ? -1 : a > b ? 1 : 0)).toBe(expected);
        },
      ),
    );
  });
});
