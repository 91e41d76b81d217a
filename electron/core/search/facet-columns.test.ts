// Facets and the histogram from the facet columns equal the SQL answers exactly: for random
// queries mixing free text (with typo expansion), dates, users, actions, categories, entities, IPs,
// review statuses and tags over a small real workspace (New York, across the end of DST), and the
// matching seqs equal the search's own. The columns as the app holds them: read in a real worker,
// never used once an import has changed the data, read again on refresh.
import fc from 'fast-check';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery, type Clause, type Query } from '../../../shared/query';
import {
  dayEntries,
  makeKey,
  tempDir,
  trustOf,
  writeDayBundle,
} from '../../../tests/helpers/bundles';
import { reviewTerm, structuredQueryText } from '../../../tests/helpers/query-arbitraries';
import { buildFixture, type Fixture } from '../../../tests/helpers/search-fixture';
import type { WrittenBundle } from '../bundle/writer';
import { annotate } from '../review/annotations';
import { openWorkspace } from '../workspace/database';
import { importBundleFile } from '../workspace/import';
import { MAX_SEQ_PER_ENTRY, readFacetColumns, type FacetColumnsData } from './facet-columns';
import { readFacetColumnsInWorker } from './facet-columns-build';
import { LiveFacetColumns } from './facet-columns-live';
import { matchingSeqs } from './facet-columns-match';
import { countFromColumns, FacetColumns } from './facet-columns-query';
import { facetCounts } from './facets';
import { histogram } from './histogram';
import type { ExpandWord } from './match';
import { searchEntries } from './search';

const ZONE = 'America/New_York';
let fx: Fixture;
let columns: FacetColumns;
const source = { current: () => columns };

function dataOf(read: ReturnType<typeof readFacetColumns>): FacetColumnsData {
  if (read.status !== 'ok') throw new Error(read.reason);
  return read.data;
}

beforeAll(async () => {
  fx = await buildFixture(5, 40, 5);
  const reviewer = { name: 'Lee Park', email: null };
  for (const [i, status, tags] of [
    [1, 'reviewed', ['sox']],
    [2, 'exception', []],
    [9, 'follow_up', ['sox', 'q3']],
    [30, 'reviewed', ['q3']],
    [31, 'unreviewed', ['sox']],
    [77, 'exception', ['Q3']],
  ] as const)
    annotate(fx.ws, fx.entries[i]!.id, { status, tags: [...tags] }, reviewer);
  columns = new FacetColumns(dataOf(readFacetColumns(fx.ws.db)));
}, 30_000);
afterAll(() => fx.remove());

// The generators of properties.test.ts, plus review filters.
const queryText = structuredQueryText(4, [reviewTerm]);
const textClause = fc
  .tuple(
    fc.boolean(),
    fc.boolean(),
    fc.constantFrom('cancelled', 'refund', 'example', 'iphone', 'dupre', 'ref', 'can', '#', 'zone'),
  )
  .map(([negated, phrase, text]): Clause => ({ kind: 'text', negated, text, phrase }));

/** A stand-in for the vocabulary: a fixed typo and a completion. */
const expandWord: ExpandWord = (word, isLastWord) => {
  const w = word.toLowerCase();
  const out: string[] = [];
  if (w === 'ref') out.push('refund');
  if (isLastWord && w === 'can') out.push('cancelled');
  return out;
};

function q(text: string): Query {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
  return parsed.query;
}

/** SQL and columns, forced (the import's counts left out), must agree exactly. */
function expectSameAnswers(query: Query, hook: ExpandWord | undefined, targetBuckets = 60) {
  const base = { useCounts: false, expandWord: hook };
  const want = searchEntries(fx.ws, query, { limit: 1_000_000, expandWord: hook })
    .entries.map((e) => e.seq)
    .sort((a, b) => a - b);
  expect([
    ...matchingSeqs(fx.ws, columns.data, query, { timeZone: ZONE, expandWord: hook })!,
  ]).toEqual(want);
  expect(countFromColumns(fx.ws, query, { columns: source, expandWord: hook })).toBe(want.length);
  expect(facetCounts(fx.ws, query, { ...base, limitPerFacet: 100, columns: source })).toEqual(
    facetCounts(fx.ws, query, { ...base, limitPerFacet: 100 }),
  );
  expect(histogram(fx.ws, query, { ...base, targetBuckets, columns: source })).toEqual(
    histogram(fx.ws, query, { ...base, targetBuckets }),
  );
  return want.length;
}

describe('facets and histogram from the facet columns', () => {
  it('random queries: the same matches, facets and histogram as SQL', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(
        fc.array(textClause, { maxLength: 2 }),
        queryText,
        fc.boolean(),
        fc.constantFrom(3, 10, 60, 200),
        (texts, structured, expand, targetBuckets) => {
          const parsed = parseQuery(structured);
          if (!parsed.ok) return;
          const query: Query = {
            clauses: [...texts.slice(0, 1), ...parsed.query.clauses, ...texts.slice(1)],
          };
          if (expectSameAnswers(query, expand ? expandWord : undefined, targetBuckets) > 0)
            nonEmpty++;
        },
      ),
      { numRuns: 300 },
    );
    expect(nonEmpty).toBeGreaterThan(60);
  });

  it.each([
    '',
    'refund',
    'cancelled -iphone',
    '-refund category:bookings',
    'status:reviewed',
    '-status:unreviewed',
    'tag:sox -tag:q3',
    '-tag:sox -tag:q3 example',
    'user:nobody',
    '-user:nobody',
    'ip:203.0.113.* -ip:203.0.113.7',
    '-entity:booking action:auth.*',
    'on:2026-11-01',
  ])('%j: as SQL', (text) => {
    expectSameAnswers(q(text), undefined);
  });

  it('DST: 25 hour buckets on 2026-11-01 in New York, hours and days, as SQL', () => {
    for (const text of ['on:2026-11-01', 'on:2026-11-01 cancelled', 'on:2026-11-01 -ip:10.*']) {
      const h = histogram(fx.ws, q(text), { useCounts: false, columns: source });
      expect(h.unit).toBe('hour');
      expect(h.buckets).toHaveLength(25);
      expectSameAnswers(q(text), undefined);
    }
    for (const target of [3, 10, 200])
      expectSameAnswers(q('-action:auth.login'), undefined, target);
  });

  it('a clause kind it does not know leaves the query to SQL', () => {
    const query = { clauses: [...q('refund').clauses, { kind: 'mood', negated: false }] };
    const odd = query as unknown as Query;
    expect(matchingSeqs(fx.ws, columns.data, odd, { timeZone: ZONE })).toBeNull();
    expect(countFromColumns(fx.ws, odd, { columns: source })).toBeNull();
    const sql = { useCounts: false };
    expect(facetCounts(fx.ws, odd, { ...sql, columns: source })).toEqual(
      facetCounts(fx.ws, odd, sql),
    );
    expect(histogram(fx.ws, odd, { ...sql, columns: source })).toEqual(histogram(fx.ws, odd, sql));
  });

  it('explicit from/to as SQL', () => {
    const range = { from: '2026-11-02T05:00:00Z', to: '2026-11-03T05:00:00Z', useCounts: false };
    expect(histogram(fx.ws, q('cancelled'), { ...range, columns: source })).toEqual(
      histogram(fx.ws, q('cancelled'), range),
    );
  });

  it('annotations changed after the matches were kept: status facet and review filters follow', () => {
    const plain = q('category:bookings');
    const review = q('category:bookings tag:late status:follow_up');
    const followUps = (query: Query) =>
      facetCounts(fx.ws, query, { useCounts: false, columns: source }).status.find(
        (st) => st.value === 'follow_up',
      )!.count;
    const before = followUps(plain);
    expect(followUps(review)).toBe(0);
    const id = fx.entries.find((e) => e.category === 'bookings')!.id;
    annotate(fx.ws, id, { status: 'follow_up', tags: ['late'] }, { name: 'A', email: null });
    // Each kept set is for the query just asked: the review query's must be read again.
    expect(followUps(review)).toBe(1);
    expect(followUps(plain)).toBe(before + 1);
    expectSameAnswers(plain, undefined);
    expectSameAnswers(review, undefined);
  });
});

describe('reading the columns', () => {
  it('dictionary codes as narrow as the values allow; every entry once', () => {
    const { data } = columns;
    expect(data.entries).toBe(fx.entries.length);
    expect(data.action).toBeInstanceOf(Uint8Array);
    expect(new Set(data.categories)).toEqual(new Set(fx.entries.map((e) => e.category)));
    expect(data.category.filter((c) => c > 0)).toHaveLength(fx.entries.length);
  });

  it('sparse seqs are not put in arrays (SQL answers)', () => {
    const dir = tempDir('audit-desk-columns-');
    const ws = openWorkspace(join(dir.path, 'ws'), { create: true });
    try {
      ws.db.exec(`ATTACH DATABASE '${join(fx.ws.dir, 'workspace.sqlite')}' AS fx`);
      ws.db.exec('INSERT INTO bundles SELECT * FROM fx.bundles');
      ws.db.exec('INSERT INTO entries SELECT * FROM fx.entries');
      ws.db.exec('DETACH DATABASE fx');
      const entries = fx.entries.length;
      ws.db
        .prepare('UPDATE bundles SET last_seq = ? WHERE ref = (SELECT max(ref) FROM bundles)')
        .run(entries * MAX_SEQ_PER_ENTRY + 1);
      expect(readFacetColumns(ws.db)).toMatchObject({ status: 'unsuitable' });
    } finally {
      ws.close();
      dir.remove();
    }
  });
});

describe('LiveFacetColumns', () => {
  it('read in a worker; stale from an import until refreshed; facets stay right throughout', async () => {
    const dir = tempDir('audit-desk-columns-live-');
    const key = makeKey('otesse-columns');
    const bundles: WrittenBundle[] = [];
    [dayEntries(0, 1, 30), dayEntries(1, 31, 30)].forEach((entries, d) =>
      bundles.push(
        writeDayBundle({
          key,
          out: join(dir.path, `day-${d}.otbundle`),
          entries,
          day: d,
          prevDigest: bundles[d - 1]?.digest ?? null,
        }),
      ),
    );
    const ws = openWorkspace(join(dir.path, 'ws'), { create: true });
    const importDay = async (d: number) => {
      const outcome = await importBundleFile(ws, bundles[d]!.out, {
        trust: trustOf(key),
        trustSource: 'test',
        source: 'file',
      });
      expect(outcome.status).toBe('imported');
    };
    try {
      await importDay(0);
      const live = new LiveFacetColumns(ws);
      expect(live.current()).toBeNull();
      await live.open();
      expect(live.state).toBe('ready');
      expect(live.current()!.data.entries).toBe(30);
      const facets = () =>
        facetCounts(ws, q('-nothing'), { useCounts: false, columns: live }).category;
      expect(facets().reduce((s, c) => s + c.count, 0)).toBe(30);
      await importDay(1);
      expect(live.current()).toBeNull();
      // SQL answers meanwhile: the new day is counted.
      expect(facets().reduce((s, c) => s + c.count, 0)).toBe(60);
      await Promise.all([live.refresh(), live.refresh()]);
      expect(live.current()!.data.entries).toBe(60);
      expect(facets().reduce((s, c) => s + c.count, 0)).toBe(60);
      const built = await readFacetColumnsInWorker({ workspaceDir: ws.dir });
      expect(built.read.status).toBe('ok');
    } finally {
      ws.close();
      dir.remove();
    }
  }, 30_000);
});
