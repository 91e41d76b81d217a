// Facets and the histogram on a real workspace (New York, across the end of DST on 2026-11-01),
// against counts made from the reference's matches, with free text, structured and review filters.
import { DateTime } from 'luxon';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../../shared/entry';
import { parseQuery, REVIEW_STATUSES, type Query } from '../../../shared/query';
import { tempDir } from '../../../tests/helpers/bundles';
import { buildFixture, type Fixture } from '../../../tests/helpers/search-fixture';
import { referenceSearch, type ReferenceOptions } from '../../../tests/helpers/search-reference';
import { annotate } from '../review/annotations';
import { openWorkspace } from '../workspace/database';
import { listEntries } from '../workspace/entries';
import { compileParts } from './compile';
import { facetCounts, matchedRows } from './facets';
import { bucketBoundaries, chooseUnit, histogram } from './histogram';

const ZONE = 'America/New_York';
let fx: Fixture;
let all: Entry[];
const reviews: NonNullable<ReferenceOptions['reviews']> = new Map();

beforeAll(async () => {
  fx = await buildFixture(5, 40, 5);
  all = listEntries(fx.ws, 1_000_000).entries;
  for (const [i, status, tags] of [
    [1, 'reviewed', ['sox']],
    [2, 'exception', []],
    [9, 'follow_up', ['sox']],
    [30, 'reviewed', []],
  ] as const) {
    const id = fx.entries[i]!.id;
    annotate(fx.ws, id, { status, tags: [...tags] }, { name: 'Lee Park', email: null });
    reviews.set(id, { status, tags: [...tags] });
  }
}, 30_000);
afterAll(() => fx.remove());

function q(text: string): Query {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
  return parsed.query;
}

const matches = (text: string) => referenceSearch(all, q(text), ZONE, { reviews });

function countBy(entries: Entry[], key: (e: Entry) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(key(e), (counts.get(key(e)) ?? 0) + 1);
  return counts;
}

/** The most frequent first, ties by value, as facetCounts orders them. */
function topOf(counts: Map<string, number>, limit: number) {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([value, count]) => ({ value, count }));
}

const QUERIES = [
  '',
  'refund',
  'cancelled -iphone',
  'category:bookings',
  'user:usr_1 cancelled',
  'on:2026-11-01',
  'after:2026-11-02 -category:settings',
  '-refund',
  'status:reviewed',
  'tag:sox',
  '-status:unreviewed example',
  'user:nobody',
  'action:auth.*',
];

describe('facetCounts', () => {
  it.each(QUERIES)('%j: counts by category, action, user and status', (text) => {
    const want = matches(text);
    const facets = facetCounts(fx.ws, q(text), { limitPerFacet: 4 });
    const strip = (list: { value: string; count: number }[]) =>
      list.map(({ value, count }) => ({ value, count }));
    expect(strip(facets.category)).toEqual(
      topOf(
        countBy(want, (e) => e.category),
        4,
      ),
    );
    expect(strip(facets.action)).toEqual(
      topOf(
        countBy(want, (e) => e.action),
        4,
      ),
    );
    expect(strip(facets.user)).toEqual(
      topOf(
        countBy(want, (e) => e.actor.id),
        4,
      ),
    );
    const statuses = countBy(want, (e) => reviews.get(e.id)?.status ?? 'unreviewed');
    expect(facets.status).toEqual(
      REVIEW_STATUSES.map((s) => ({ value: s, label: s, count: statuses.get(s) ?? 0 })),
    );
  });

  it('few hits (read one by one) and many hits (from the time index) count alike', () => {
    const rare = String(all[3]!.metadata.requestId); // one entry's request id
    for (const text of [rare, `${rare} -zzz`, 'example', 'iphone']) {
      const want = matches(text);
      const facets = facetCounts(fx.ws, q(text), { limitPerFacet: 50 });
      expect(facets.user.map((u) => [u.value, u.count])).toEqual(
        topOf(
          countBy(want, (e) => e.actor.id),
          50,
        ).map((u) => [u.value, u.count]),
      );
      const h = histogram(fx.ws, q(text), { targetBuckets: 200 });
      expect(h.buckets.reduce((sum, b) => sum + b.total, 0)).toBe(want.length);
    }
    expect(matches(rare)).toHaveLength(1);
    expect(
      matchedRows(
        fx.ws,
        compileParts(q(rare), ZONE, () => []),
      ).from,
    ).toContain('CROSS JOIN');
    expect(
      matchedRows(
        fx.ws,
        compileParts(q('example'), ZONE, () => []),
      ).from,
    ).toContain('INDEXED BY entries_by_time');
  });

  it('labels users by name, other values by themselves; the limit keeps the most frequent', () => {
    const facets = facetCounts(fx.ws, q(''), { limitPerFacet: 200 });
    const names = new Map(all.map((e) => [e.actor.id, e.actor.name]));
    for (const u of facets.user) expect(u.label).toBe(names.get(u.value));
    for (const c of facets.category) expect(c.label).toBe(c.value);
    expect(facets.user.reduce((s, u) => s + u.count, 0)).toBe(all.length);
    expect(facetCounts(fx.ws, q('')).action.length).toBeLessThanOrEqual(10);
  });
});

describe('histogram', () => {
  /** Counts per bucket from the reference, over the range [from, to). */
  function expectedBuckets(text: string, starts: number[], from: number, to: number) {
    const want = matches(text).filter((e) => {
      const t = Date.parse(e.occurredAt);
      return t >= from && t < to;
    });
    return starts.slice(0, -1).map((start, i) => {
      const inside = want.filter((e) => {
        const t = Date.parse(e.occurredAt);
        return t >= start && t < starts[i + 1]!;
      });
      return {
        start: new Date(start).toISOString(),
        end: new Date(starts[i + 1]!).toISOString(),
        total: inside.length,
        byCategory: Object.fromEntries(countBy(inside, (e) => e.category)),
      };
    });
  }

  it.each(QUERIES)('%j: day buckets over the data, counts as the reference', (text) => {
    const h = histogram(fx.ws, q(text));
    const first = Date.parse(all[all.length - 1]!.occurredAt);
    const last = Date.parse(all[0]!.occurredAt);
    const range = text.startsWith('on:')
      ? { from: Date.parse('2026-11-01T04:00:00Z'), to: Date.parse('2026-11-02T05:00:00Z') }
      : text.startsWith('after:')
        ? { from: Date.parse('2026-11-03T05:00:00Z'), to: last + 1 }
        : { from: first, to: last + 1 };
    const starts = [
      ...h.buckets.map((b) => Date.parse(b.start)),
      Date.parse(h.buckets.at(-1)!.end),
    ];
    expect(h.timeZone).toBe(ZONE);
    expect(h.buckets).toEqual(expectedBuckets(text, starts, range.from, range.to));
    expect(h.buckets.reduce((s, b) => s + b.total, 0)).toBe(
      matches(text).filter((e) => {
        const t = Date.parse(e.occurredAt);
        return t >= range.from && t < range.to;
      }).length,
    );
  });

  it('day buckets are local days: the day DST ends in New York lasts 25 hours', () => {
    const h = histogram(fx.ws, q(''));
    expect(h.unit).toBe('day');
    // The fixture's UTC days start in the evening of the local day before: October 31 comes first.
    expect(h.buckets[0]).toMatchObject({
      start: '2026-10-31T04:00:00.000Z',
      end: '2026-11-01T04:00:00.000Z',
    });
    expect(h.buckets[1]).toMatchObject({
      start: '2026-11-01T04:00:00.000Z',
      end: '2026-11-02T05:00:00.000Z',
    });
    for (const b of h.buckets.slice(2))
      expect(Date.parse(b.end) - Date.parse(b.start)).toBe(86_400_000);
  });

  it('hour buckets for one day: 25 of them on 2026-11-01, the repeated 1 a.m. twice', () => {
    const h = histogram(fx.ws, q('on:2026-11-01'));
    expect(h.unit).toBe('hour');
    expect(h.buckets).toHaveLength(25);
    const local = h.buckets.map((b) =>
      DateTime.fromISO(b.start, { zone: ZONE }).toFormat('HH:mm ZZ'),
    );
    expect(local.slice(0, 3)).toEqual(['00:00 -04:00', '01:00 -04:00', '01:00 -05:00']);
    const starts = [
      ...h.buckets.map((b) => Date.parse(b.start)),
      Date.parse(h.buckets.at(-1)!.end),
    ];
    expect(h.buckets).toEqual(
      expectedBuckets('on:2026-11-01', starts, starts[0]!, starts[starts.length - 1]!),
    );
  });

  it('the bucket size follows the range and the target; explicit from/to', () => {
    expect(histogram(fx.ws, q(''), { targetBuckets: 200 }).unit).toBe('hour');
    expect(histogram(fx.ws, q(''), { targetBuckets: 3 }).unit).toBe('week');
    const h = histogram(fx.ws, q('cancelled'), {
      from: '2026-11-02T05:00:00Z',
      to: '2026-11-03T05:00:00Z',
    });
    expect(h.unit).toBe('hour');
    expect(h.buckets).toHaveLength(24);
    const starts = [
      ...h.buckets.map((b) => Date.parse(b.start)),
      Date.parse(h.buckets.at(-1)!.end),
    ];
    expect(h.buckets).toEqual(
      expectedBuckets('cancelled', starts, starts[0]!, starts[starts.length - 1]!),
    );
    expect(chooseUnit(0, 500 * 86_400_000, 60)).toBe('month');
  });

  it('weeks start on Monday and months on the 1st, at local midnight, across DST', () => {
    const from = Date.parse('2026-02-20T12:00:00Z');
    const to = Date.parse('2026-12-01T00:00:00Z');
    for (const [unit, check] of [
      ['week', (d: DateTime) => d.weekday === 1],
      ['month', (d: DateTime) => d.day === 1],
    ] as const) {
      const starts = bucketBoundaries(from, to, unit, ZONE);
      for (const s of starts) {
        const local = DateTime.fromMillis(s, { zone: ZONE });
        expect(check(local), local.toISO()!).toBe(true);
        expect(local.toFormat('HH:mm:ss.SSS')).toBe('00:00:00.000');
      }
      expect(starts[0]!).toBeLessThanOrEqual(from);
      expect(starts.at(-1)!).toBeGreaterThanOrEqual(to);
    }
  });

  it('an empty workspace has no buckets', () => {
    const dir = tempDir('audit-desk-histogram-');
    const ws = openWorkspace(join(dir.path, 'ws'), { create: true });
    try {
      expect(histogram(ws, q('refund'))).toEqual({ unit: 'day', timeZone: 'UTC', buckets: [] });
      expect(facetCounts(ws, q('')).category).toEqual([]);
    } finally {
      ws.close();
      dir.remove();
    }
  });
});
