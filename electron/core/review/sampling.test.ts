// Audit sampling: the sizes (fixed, percent, statistical with the finite population correction),
// the documented fingerprint and draw (re-implemented here from docs/review.md), reproducibility,
// stored batches and their progress.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../../shared/query';
import { buildFixture, type Fixture } from '../../../tests/helpers/search-fixture';
import { annotate } from './annotations';
import { reviewLogRecords } from './review-log';
import {
  computeSample,
  drawAndStoreSample,
  drawSample,
  getSample,
  populationFingerprint,
  redrawSample,
  sampleProgress,
  sampleSize,
} from './sampling';

const DANA = { name: 'Dana Reyes', email: 'dana@example.com' };
let fx: Fixture;
beforeAll(async () => {
  fx = await buildFixture(3, 40);
});
afterAll(() => fx.remove());

const query = (text: string) => {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.query;
};

describe('sample size', () => {
  it('fixed and percent sizes, never above the population', () => {
    expect(sampleSize({ method: 'size', size: 25 }, 1000)).toBe(25);
    expect(sampleSize({ method: 'size', size: 25 }, 10)).toBe(10);
    expect(sampleSize({ method: 'percent', percent: 10 }, 1000)).toBe(100);
    expect(sampleSize({ method: 'percent', percent: 10 }, 1001)).toBe(101);
    expect(sampleSize({ method: 'percent', percent: 100 }, 7)).toBe(7);
    expect(sampleSize({ method: 'percent', percent: 0.5 }, 0)).toBe(0);
  });

  it('statistical: z²·p(1−p)/e² with p = 0.5, then the finite population correction', () => {
    // Textbook values: 95 % ±5 % → 385 for a large population; 370 for 10,000; 278 for 1,000.
    expect(
      sampleSize({ method: 'statistical', confidence: 95, marginPercent: 5 }, 10_000_000),
    ).toBe(385);
    expect(sampleSize({ method: 'statistical', confidence: 95, marginPercent: 5 }, 10_000)).toBe(
      370,
    );
    expect(sampleSize({ method: 'statistical', confidence: 95, marginPercent: 5 }, 1000)).toBe(278);
    expect(
      sampleSize({ method: 'statistical', confidence: 99, marginPercent: 1 }, 100_000_000),
    ).toBe(16_585);
    expect(sampleSize({ method: 'statistical', confidence: 90, marginPercent: 10 }, 100)).toBe(41);
    expect(sampleSize({ method: 'statistical', confidence: 99, marginPercent: 1 }, 50)).toBe(50);
  });
});

describe('the documented draw', () => {
  it('fingerprint = SHA-256 of the canonical JSON array of the ids in UTF-8 byte order', () => {
    const ids = ['b', 'a"\n', '\u00e9', '\u{1F600}', 'Z'];
    const sorted = [...ids].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(sorted).toEqual(['Z', 'a"\n', 'b', '\u00e9', '\u{1F600}']);
    expect(populationFingerprint(sorted)).toBe(
      createHash('sha256').update(JSON.stringify(sorted)).digest('hex'),
    );
    expect(populationFingerprint([])).toBe(createHash('sha256').update('[]').digest('hex'));
  });

  it('draw = the n ids with the smallest SHA-256("audit-desk/sample/v1" NUL seed NUL id)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 60 }),
        fc.string({ minLength: 1, maxLength: 10 }).filter((s) => !s.includes('\u0000')),
        fc.nat({ max: 70 }),
        (ids, seed, n) => {
          const key = (id: string) =>
            createHash('sha256').update(`audit-desk/sample/v1\u0000${seed}\u0000${id}`).digest();
          const expected = [...ids].sort((a, b) => Buffer.compare(key(a), key(b))).slice(0, n);
          expect(drawSample(ids, n, seed)).toEqual(expected);
          // Independent of the population's order.
          expect(drawSample([...ids].reverse(), n, seed)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('on a workspace', () => {
  it('the same seed and population give the same sample; another seed another one', () => {
    const q = query('category:bookings');
    const a = computeSample(fx.ws, q, { method: 'size', size: 10 }, 'audit-2026-Q4');
    const b = computeSample(fx.ws, q, { method: 'size', size: 10 }, 'audit-2026-Q4');
    const c = computeSample(fx.ws, q, { method: 'size', size: 10 }, 'audit-2026-Q4b');
    const population = fx.entries.filter((e) => e.category === 'bookings').map((e) => e.id);
    expect(a).toEqual(b);
    expect(a.population).toBe(population.length);
    expect(a.entryIds).toHaveLength(10);
    expect(new Set(a.entryIds).size).toBe(10);
    a.entryIds.forEach((id) => expect(population).toContain(id));
    expect(c.entryIds).not.toEqual(a.entryIds);
    expect(a.populationFingerprint).toBe(
      populationFingerprint(
        [...population].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))),
      ),
    );
  });

  it('a stored sample is a review batch whose progress follows the annotations', () => {
    const stored = drawAndStoreSample(
      fx.ws,
      query('action:booking.*'),
      { method: 'percent', percent: 20 },
      'seed-1',
      DANA,
      'Q4 bookings',
    );
    expect(getSample(fx.ws, stored.id)).toEqual(stored);
    expect(sampleProgress(fx.ws, stored.id)).toEqual({
      size: stored.entryIds.length,
      reviewed: 0,
      exceptions: 0,
      followUp: 0,
      remaining: stored.entryIds.length,
    });
    annotate(fx.ws, stored.entryIds[0]!, { status: 'reviewed' }, DANA);
    annotate(fx.ws, stored.entryIds[1]!, { status: 'exception' }, DANA);
    annotate(fx.ws, stored.entryIds[2]!, { status: 'follow_up' }, DANA);
    expect(sampleProgress(fx.ws, stored.id)).toEqual({
      size: stored.entryIds.length,
      reviewed: 1,
      exceptions: 1,
      followUp: 1,
      remaining: stored.entryIds.length - 3,
    });
    const log = [...reviewLogRecords(fx.ws)].find((r) => r.action === 'sample.drawn');
    expect(log?.details).toMatchObject({
      sampleId: stored.id,
      seed: 'seed-1',
      populationFingerprint: stored.populationFingerprint,
      size: stored.entryIds.length,
    });
  });

  it('a re-draw proves the population unchanged, and notices when it changed', () => {
    const stored = drawAndStoreSample(
      fx.ws,
      query('category:bookings'),
      { method: 'size', size: 4 },
      'r',
      DANA,
    );
    expect(redrawSample(fx.ws, stored.id)).toMatchObject({
      population: stored.population,
      populationMatches: true,
      sampleMatches: true,
    });
    const victim = fx.entries.find(
      (e) => e.category === 'bookings' && !stored.entryIds.includes(e.id),
    )!;
    const row = fx.ws.db.prepare('SELECT * FROM entries WHERE id = ?').get(victim.id) as Record<
      string,
      unknown
    >;
    fx.ws.db.prepare('DELETE FROM entries WHERE id = ?').run(victim.id);
    try {
      expect(redrawSample(fx.ws, stored.id)).toMatchObject({
        population: stored.population - 1,
        populationMatches: false,
      });
    } finally {
      const columns = Object.keys(row);
      fx.ws.db
        .prepare(
          `INSERT INTO entries (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        )
        .run(...Object.values(row));
    }
    expect(redrawSample(fx.ws, 99_999)).toBeNull();
  });

  it('an empty population gives an empty sample', () => {
    const s = computeSample(fx.ws, query('user:nobody'), { method: 'size', size: 5 }, 'x');
    expect(s).toMatchObject({ population: 0, entryIds: [] });
  });

  it('refuses bad methods and seeds as usage errors', () => {
    const q = query('');
    for (const bad of [
      () => computeSample(fx.ws, q, { method: 'size', size: 0 }, 's'),
      () => computeSample(fx.ws, q, { method: 'percent', percent: 101 }, 's'),
      () =>
        computeSample(
          fx.ws,
          q,
          { method: 'statistical', confidence: 80 as 90, marginPercent: 5 },
          's',
        ),
      () =>
        computeSample(
          fx.ws,
          q,
          { method: 'statistical', confidence: 95, marginPercent: 0.05 },
          's',
        ),
      () => computeSample(fx.ws, q, { method: 'size', size: 3 }, ''),
    ])
      expect(bad).toThrow(expect.objectContaining({ kind: 'usage' }));
  });
});
