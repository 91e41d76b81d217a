// The import's counts (migration 0006) against the entries: they equal a recount after import, and
// facets and histograms read from them equal those read from the entries, on random queries over
// the search fixture (New York, across the end of DST) and in a zone with a half-hour offset, where
// hour buckets are not whole UTC hours and the entries are read instead.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery, type Query } from '../../../shared/query';
import { TENANT } from '../../../tests/helpers/bundles';
import {
  buildFixture,
  fixtureEntries,
  workspaceOfDays,
  type Fixture,
} from '../../../tests/helpers/search-fixture';
import type { Workspace } from '../workspace/database';
import { countsMismatches } from './counts-check';
import { pieces, DAY_MS, HOUR_MS } from './counts';
import { facetCounts } from './facets';
import { histogram } from './histogram';

let fx: Fixture;
/** 33 days: across the end of November, so whole UTC months and days are read for users. */
let long: Fixture;
let kolkata: { ws: Workspace; remove(): void };

/** The fixture's entries in a workspace whose tenant lives in Asia/Kolkata (UTC+05:30). */
async function halfHourWorkspace(): Promise<{ ws: Workspace; remove(): void }> {
  return workspaceOfDays(fixtureEntries(3, 30, 11), { ...TENANT, timeZone: 'Asia/Kolkata' });
}

beforeAll(async () => {
  fx = await buildFixture(5, 40, 5);
  long = await buildFixture(33, 8, 9);
  kolkata = await halfHourWorkspace();
}, 60_000);
afterAll(() => {
  fx.remove();
  long.remove();
  kolkata.remove();
});

function q(text: string): Query {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
  return parsed.query;
}

/** Both paths of facetCounts and histogram agree on the query (and options). */
function expectSamePaths(
  ws: Workspace,
  text: string,
  options: { targetBuckets?: number; from?: number; to?: number } = {},
) {
  const query = q(text);
  expect(facetCounts(ws, query, { limitPerFacet: 50 }), text).toEqual(
    facetCounts(ws, query, { limitPerFacet: 50, useCounts: false }),
  );
  expect(histogram(ws, query, options), `${text} ${JSON.stringify(options)}`).toEqual(
    histogram(ws, query, { ...options, useCounts: false }),
  );
}

const DAYS = [
  '2026-10-31',
  '2026-11-01',
  '2026-11-02',
  '2026-11-03',
  '2026-11-05',
  '2026-11-29',
  '2026-11-30',
  '2026-12-01',
  '2026-11',
  '2026-12',
];
const clause = fc.oneof(
  fc.constantFrom(...DAYS).map((d) => `on:${d}`),
  fc.constantFrom(...DAYS).map((d) => `after:${d}`),
  fc.constantFrom(...DAYS).map((d) => `before:${d}`),
  fc.tuple(fc.constantFrom(...DAYS), fc.constantFrom(...DAYS)).map(([a, b]) => `date:${a}..${b}`),
  fc
    .tuple(
      fc.boolean(),
      fc.constantFrom('bookings', 'authentication', 'invoices', 'zones', 'users'),
    )
    .map(([neg, c]) => `${neg ? '-' : ''}category:${c}`),
  fc
    .tuple(
      fc.boolean(),
      fc.constantFrom('auth.*', 'auth.login', 'booking.cancelled', 'zone', 'invoice.voided', 'x'),
    )
    .map(([neg, a]) => `${neg ? '-' : ''}action:${a}`),
  // Not countable: these take the entries' path on both sides.
  fc.constantFrom('user:usr_1', 'refund', '-refund', 'ip:203.0.113.*', 'entity:booking'),
);

/** Queries whose dates leave at least one day (an empty intersection is a parse-time error). */
const queryText = fc
  .array(clause, { maxLength: 4 })
  .map((clauses) => clauses.join(' '))
  .filter((text) => parseQuery(text).ok);

const rangeOption = fc.option(
  fc.record({
    from: fc
      .integer({ min: -30, max: 150 })
      .map((h) => Date.parse('2026-10-31T00:00:00Z') + h * HOUR_MS),
    hours: fc.integer({ min: 1, max: 140 }),
    ragged: fc.boolean(),
  }),
);

describe('entry counts', () => {
  it('equal a recount of the entries after import', () => {
    expect(countsMismatches(fx.ws.db)).toEqual({ entry_counts: 0, entry_actor_counts: 0 });
    expect(countsMismatches(kolkata.ws.db)).toEqual({ entry_counts: 0, entry_actor_counts: 0 });
    const rows = fx.ws.db.prepare('SELECT count(*) FROM entry_counts').pluck().get() as number;
    expect(rows).toBeGreaterThan(0);
  });

  it('split a range into whole UTC days and hours', () => {
    const d = Date.parse('2026-11-01T00:00:00Z');
    expect(pieces(d + 4 * HOUR_MS, d + 2 * DAY_MS + 5 * HOUR_MS)).toEqual([
      { span: HOUR_MS, from: d + 4 * HOUR_MS, to: d + DAY_MS },
      { span: DAY_MS, from: d + DAY_MS, to: d + 2 * DAY_MS },
      { span: HOUR_MS, from: d + 2 * DAY_MS, to: d + 2 * DAY_MS + 5 * HOUR_MS },
    ]);
    expect(pieces(d + 4 * HOUR_MS, d + 28 * HOUR_MS)).toEqual([
      { span: HOUR_MS, from: d + 4 * HOUR_MS, to: d + 28 * HOUR_MS },
    ]);
    expect(pieces(-Infinity, Infinity)).toEqual([{ span: DAY_MS, from: -Infinity, to: Infinity }]);
    expect(pieces(d, d)).toEqual([]);
  });

  it('facets and histograms from the counts = from the entries (random queries, New York, DST)', () => {
    fc.assert(
      fc.property(
        queryText,
        fc.constantFrom(1, 3, 8, 30, 60, 200),
        rangeOption,
        (text, targetBuckets, range) => {
          const options: { targetBuckets: number; from?: number; to?: number } = { targetBuckets };
          if (range !== null) {
            options.from = range.from + (range.ragged ? 17 * 60_000 : 0);
            options.to = range.from + range.hours * HOUR_MS;
          }
          expectSamePaths(fx.ws, text, options);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the same across a month end (users from whole months, days and hours)', () => {
    expect(countsMismatches(long.ws.db)).toEqual({ entry_counts: 0, entry_actor_counts: 0 });
    fc.assert(
      fc.property(queryText, fc.constantFrom(3, 30, 60, 200), (text, targetBuckets) =>
        expectSamePaths(long.ws, text, { targetBuckets }),
      ),
      { numRuns: 200 },
    );
  });

  it.each([
    '',
    'on:2026-11-01',
    'date:2026-10-31..2026-11-02 category:bookings',
    'after:2026-11-01 -action:auth.*',
    'before:2026-11-03 action:booking',
    'date:2026-11',
  ])('%j: same answer both ways, DST day and week/month buckets', (text) => {
    for (const targetBuckets of [1, 3, 8, 60, 200]) expectSamePaths(fx.ws, text, { targetBuckets });
    // The DST day's hours, the repeated 1 a.m. included.
    expectSamePaths(fx.ws, text, {
      from: Date.parse('2026-11-01T04:00:00Z'),
      to: Date.parse('2026-11-02T05:00:00Z'),
    });
  });

  it('a half-hour zone: local midnights are not whole UTC hours, so dated queries read the entries; same answers', () => {
    for (const text of ['', 'on:2026-11-01', 'date:2026-11-01..2026-11-02 -category:zones'])
      for (const targetBuckets of [1, 3, 60, 200])
        expectSamePaths(kolkata.ws, text, { targetBuckets });
  });

  it('are what facets and histograms read for countable queries, not for others', () => {
    const db = fx.ws.db;
    db.exec('SAVEPOINT skew');
    try {
      // Skewed counts change the countable answers only.
      db.exec('UPDATE entry_counts SET n = n + 1; UPDATE entry_actor_counts SET n = n + 1');
      for (const text of ['', 'category:bookings', 'date:2026-11-01..2026-11-02']) {
        const query = q(text);
        expect(facetCounts(fx.ws, query).category, text).not.toEqual(
          facetCounts(fx.ws, query, { useCounts: false }).category,
        );
        expect(histogram(fx.ws, query), text).not.toEqual(
          histogram(fx.ws, query, { useCounts: false }),
        );
      }
      for (const text of ['refund', 'user:usr_1', 'ip:203.0.113.*'])
        expect(facetCounts(fx.ws, q(text)), text).toEqual(
          facetCounts(fx.ws, q(text), { useCounts: false }),
        );
    } finally {
      db.exec('ROLLBACK TO skew; RELEASE skew');
    }
  });
});
