// Structured search on a real workspace (fixture.ts): each qualifier against the plain in-memory
// meaning (reference.ts) and hand-checked cases, negation, OR within a qualifier, dates in the
// tenant's zone across the DST change, IP prefixes and CIDR, keyset pages, and the query plans
// SQLite chooses; the page plans (page-plan.ts: a walk by seq, date ranges' seqs, the indexes)
// against the plain statement, on a workspace whose seqs are not in time order within a day. Free
// text and review filters: full-text.test.ts.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../../shared/entry';
import { mulberry32 } from '../../../shared/seeded-random';
import { parseQuery, queryRangeUtc, type Query } from '../../../shared/query';
import type { Workspace } from '../workspace/database';
import { listEntries } from '../workspace/entries';
import {
  buildFixture,
  fixtureEntries,
  workspaceOfDays,
  type Fixture,
} from '../../../tests/helpers/search-fixture';
import { referenceSearch } from '../../../tests/helpers/search-reference';
import { actorResolver } from './actors';
import { compileQuery } from './compile';
import {
  countEntries,
  explainSearch,
  searchEntries,
  searchPageOnly,
  type SearchOptions,
  type SearchPage,
} from './search';

const ZONE = 'America/New_York';
let fx: Fixture;
let all: Entry[];
beforeAll(async () => {
  fx = await buildFixture();
  all = listEntries(fx.ws, 1_000_000).entries;
});
afterAll(() => fx.remove());

function q(text: string): Query {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
  return parsed.query;
}
const seqs = (entries: Entry[]) => entries.map((e) => e.seq);
const run = (text: string, limit = 1_000_000) => searchEntries(fx.ws, q(text), { limit });
const expected = (text: string) => referenceSearch(all, q(text), ZONE);

/** Runs the query, checks it against the reference and that it keeps some but not all entries. */
function check(text: string, { some = true } = {}): Entry[] {
  const page = run(text);
  const want = expected(text);
  expect(seqs(page.entries), text).toEqual(seqs(want));
  expect(page.total, text).toBe(want.length);
  if (some) {
    expect(want.length, `${text} keeps something`).toBeGreaterThan(0);
    expect(want.length, `${text} leaves something out`).toBeLessThan(all.length);
  }
  return page.entries;
}

describe('the fixture', () => {
  it('holds every entry as written, newest first', () => {
    expect(all).toEqual([...fx.entries].reverse());
    expect(searchEntries(fx.ws, q(''), { limit: 1_000_000 })).toEqual({
      total: all.length,
      entries: all,
      nextBefore: null,
    });
  });
});

describe('each qualifier', () => {
  it('user: by id exactly, by name or e-mail ignoring case (accents too), never by id ignoring case', () => {
    const byId = check('user:usr_2');
    expect(byId.every((e) => e.actor.id === 'usr_2')).toBe(true);
    expect(seqs(check('user:"émile dupré"'))).toEqual(seqs(byId));
    expect(seqs(check('user:"ÉMILE DUPRÉ"'))).toEqual(seqs(byId));
    expect(seqs(check('user:emile.dupre@example.com'))).toEqual(seqs(byId));
    expect(run('user:USR_2').total).toBe(0);
    expect(run('user:nobody').total).toBe(0);
    expect(run('user:Dana').total).toBe(0); // the full name, not a part of it
    check('user:system');
  });

  it('action: exact, and prefixes in each written form', () => {
    expect(check('action:booking.cancelled').every((e) => e.action === 'booking.cancelled')).toBe(
      true,
    );
    const bookings = check('action:booking.*');
    expect(new Set(bookings.map((e) => e.action))).toEqual(
      new Set(['booking.cancelled', 'booking.rescheduled']),
    );
    expect(seqs(check('action:booking'))).toEqual(seqs(bookings));
    expect(seqs(check('action:booking.'))).toEqual(seqs(bookings));
    expect(new Set(check('action:auth.login*').map((e) => e.action))).toEqual(
      new Set(['auth.login', 'auth.login_failed']),
    );
    expect(run('action:auth.log').total).toBe(0); // exact, not a prefix
  });

  it('category:', () => {
    expect(check('category:zones').every((e) => e.category === 'zones')).toBe(true);
    expect(run('category:customers').total).toBe(0);
  });

  it('entity: by type, by type and id, by label ignoring case', () => {
    expect(check('entity:booking').every((e) => e.entity.type === 'booking')).toBe(true);
    const one = all.find((e) => e.entity.type === 'invoice')!;
    const record = check(`entity:invoice:${one.entity.id}`);
    expect(record.every((e) => e.entity.type === 'invoice' && e.entity.id === one.entity.id)).toBe(
      true,
    );
    expect(run(`entity:booking:${one.entity.id}`).entries.map((e) => e.entity.type)).not.toContain(
      'invoice',
    );
    const labelled = check('entity:"zone élysée"');
    expect(labelled.every((e) => e.entity.label === 'Zone Élysée')).toBe(true);
    check('entity:"BOOKING #1234"');
  });

  it('ip: exact (also its IPv4-mapped form), prefixes, CIDR on and off octet boundaries, IPv6', () => {
    expect(new Set(check('ip:203.0.113.9').map((e) => e.ip))).toEqual(
      new Set(['::ffff:203.0.113.9']),
    );
    expect(new Set(check('ip:203.0.113.*').map((e) => e.ip))).toEqual(
      new Set(['203.0.113.7', '203.0.113.200', '::ffff:203.0.113.9']),
    );
    expect(seqs(check('ip:203.0.113.0/24'))).toEqual(seqs(check('ip:203.0.113.*')));
    expect(new Set(check('ip:10.0.16.0/20').map((e) => e.ip))).toEqual(
      new Set(['10.0.16.5', '10.0.31.255']),
    );
    expect(new Set(check('ip:203.0.112.0/23').map((e) => e.ip))).toEqual(
      new Set(['203.0.113.7', '203.0.113.200', '::ffff:203.0.113.9']),
    );
    expect(new Set(check('ip:192.0.0.0/2').map((e) => e.ip))).toEqual(
      new Set([
        '203.0.113.7',
        '203.0.113.200',
        '203.0.114.9',
        '198.51.100.23',
        '::ffff:203.0.113.9',
      ]),
    );
    expect(new Set(check('ip:2001:db8::/32').map((e) => e.ip))).toEqual(
      new Set(['2001:db8::1', '2001:db8:1::5']),
    );
    expect(new Set(check('ip:2001:db8::/31').map((e) => e.ip))).toEqual(
      new Set(['2001:db8::1', '2001:db8:1::5']),
    );
    expect(new Set(check('ip:fe80::/10').map((e) => e.ip))).toEqual(new Set(['fe80::1']));
    expect(new Set(check('ip:2001:db8::1').map((e) => e.ip))).toEqual(new Set(['2001:db8::1']));
    // Entries without an IP never match, and are kept by a negation.
    expect(check('ip:0.0.0.0/0').some((e) => e.ip === null)).toBe(false);
    expect(check('-ip:0.0.0.0/0').some((e) => e.ip === null)).toBe(true);
  });
});

describe('combining', () => {
  it('negation excludes, whatever else is given', () => {
    const rest = check('-category:bookings');
    expect(rest.some((e) => e.category === 'bookings')).toBe(false);
    expect(rest.length + run('category:bookings').total).toBe(all.length);
    check('-user:"dana reyes"');
    check('-action:auth.*');
    check('-entity:"Zone Élysée"');
    check('-ip:203.0.113.*');
    check('-ip:203.0.113.7');
    check('-user:nobody', { some: false });
    expect(run('-user:nobody').total).toBe(all.length);
    check('user:usr_1 -action:auth.*');
  });

  it('a repeated qualifier is OR, different qualifiers AND', () => {
    const either = check('category:zones category:invoices');
    expect(either.length).toBe(run('category:zones').total + run('category:invoices').total);
    check('user:usr_1 user:"lee park"');
    check('action:booking.* action:auth.login');
    check('entity:booking:1001 entity:zone entity:"acme hq"');
    check('ip:10.0.16.0/20 ip:2001:db8::/32 ip:198.51.100.23');
    check('-category:zones -category:invoices');
    const both = check('category:bookings user:usr_1');
    expect(both.every((e) => e.category === 'bookings' && e.actor.id === 'usr_1')).toBe(true);
    const labelled = all.find((e) => e.entity.label === 'Zone Élysée')!;
    check(`category:${labelled.category} entity:"zone élysée"`);
  });
});

describe('dates in the tenant zone (New York), across the end of DST on 2026-11-01', () => {
  it('on: the 25-hour local day from 04:00Z to 05:00Z the next day', () => {
    const day = check('on:2026-11-01');
    const times = day.map((e) => e.occurredAt).sort();
    expect(times[0]).toBe('2026-11-01T04:00:00.000Z');
    expect(times[times.length - 1]).toBe('2026-11-02T04:59:59.999Z');
    const previous = check('on:2026-10-31');
    expect(previous.map((e) => e.occurredAt)).toContain('2026-11-01T03:59:59.999Z');
    expect(
      check('on:2026-11-02')
        .map((e) => e.occurredAt)
        .sort()[0],
    ).toBe('2026-11-02T05:00:00.000Z');
  });

  it('after:, before:, date ranges, months, and intersections', () => {
    check('after:2026-11-01');
    check('before:2026-11-02');
    check('date:2026-11-01..2026-11-02');
    check('date:2026-11-02..');
    check('date:..2026-10-31');
    check('on:2026-11', { some: false });
    check('after:2026-10-31 before:2026-11-03 category:bookings');
    expect(run('on:2026-12').total).toBe(0);
  });
});

describe('keyset pages', () => {
  it.each(['', 'category:bookings', 'action:auth.*', 'ip:203.0.113.*', 'after:2026-11-01'])(
    '%j: pages of 7 walk the whole result without a duplicate or a gap',
    (text) => {
      const want = seqs(expected(text));
      const got: number[] = [];
      let before: number | null = null;
      for (let i = 0; i < 100; i++) {
        const page = searchEntries(fx.ws, q(text), { limit: 7, before });
        expect(page.total).toBe(want.length);
        got.push(...seqs(page.entries));
        before = page.nextBefore;
        if (before === null) break;
        expect(page.entries).toHaveLength(7);
      }
      expect(got).toEqual(want);
      expect(new Set(got).size).toBe(got.length);
    },
  );

  it('a limit of 0 gives the total only', () => {
    expect(run('category:bookings', 0)).toEqual({
      total: expected('category:bookings').length,
      entries: [],
      nextBefore: null,
    });
  });
});

// The plain statement through the indexes (pagePlan 'entries'): what a page reads when its walk by
// seq does not fill it (page-plan.ts; the plans it chooses are pinned below).
describe('query plans of the read through the indexes (EXPLAIN QUERY PLAN)', () => {
  const plans = (text: string, before: number | null = null) =>
    explainSearch(fx.ws, q(text), { limit: 100, before, pagePlan: 'entries' });
  const scansTable = (steps: string[]) => steps.some((s) => /^SCAN entries\b/.test(s));
  const sorts = (steps: string[]) => steps.some((s) => s.includes('TEMP B-TREE'));

  // Equality on one value: the index holds rowids in order within a key, so the page needs no sort.
  it.each([
    ['user:usr_1', 'entries_by_actor (actor_id=?)'],
    ['user:"Dana Reyes"', 'entries_by_actor (actor_id=?)'],
    ['action:booking.cancelled', 'entries_by_action (action=?)'],
    ['category:bookings', 'entries_by_category (category=?)'],
    ['entity:booking:1001', 'entries_by_entity (entity_type=? AND entity_id=?)'],
  ])('%j: the index answers, the first page needs no sort', (text, index) => {
    const { count, page } = plans(text);
    expect(count.join(' | ')).toContain(`USING COVERING INDEX ${index}`);
    expect(page.join(' | ')).toContain(`USING COVERING INDEX ${index}`);
    expect(sorts(page), page.join(' | ')).toBe(false);
    expect(scansTable(page)).toBe(false);
    const next = plans(text, 50).page.join(' | ');
    expect(next).toContain(`USING COVERING INDEX ${index.slice(0, -1)} AND rowid<?)`);
  });

  // Ranges and several values: the index answers, but rows come out in index order and are sorted.
  it.each([
    ['action:booking.*', 'entries_by_action (action>? AND action<?)'],
    ['category:bookings category:zones', 'entries_by_category (category=?)'],
    ['entity:booking', 'entries_by_entity (entity_type=?)'],
    ['ip:203.0.113.7', 'entries_by_ip (ip=?)'],
    ['ip:203.0.113.*', 'entries_by_ip (ip>? AND ip<?)'],
    ['ip:10.0.16.0/20', 'entries_by_ip (ip>? AND ip<?)'],
    ['ip:2001:db8::/32', 'entries_by_ip (ip>? AND ip<?)'],
    ['on:2026-11-01', 'entries_by_time (occurred_at>? AND occurred_at<?)'],
  ])('%j: the index answers (count and first page), no table scan', (text, index) => {
    const { count, page } = plans(text);
    expect(count.join(' | ')).toContain(`USING COVERING INDEX ${index}`);
    expect(page.join(' | ')).toContain(`USING COVERING INDEX ${index}`);
    expect(scansTable(count)).toBe(false);
    expect(scansTable(page)).toBe(false);
  });

  it('open date ranges: the count uses the time index; the page walks rowids newest first without a sort', () => {
    const { count, page } = plans('after:2026-11-02');
    expect(count.join(' | ')).toContain('USING COVERING INDEX entries_by_time (occurred_at>?)');
    expect(sorts(page)).toBe(false);
  });

  it('no page plan both scans the table and sorts it', () => {
    for (const text of [
      '',
      'after:2026-11-02',
      'before:2026-11-02',
      '-category:bookings',
      'entity:"Zone Élysée"',
      'ip:0.0.0.0/4',
    ])
      for (const before of [null, 50]) {
        const { page } = plans(text, before);
        expect(scansTable(page) && sorts(page), `${text}: ${page.join(' | ')}`).toBe(false);
      }
  });

  it('a label: the FTS5 label column gives the candidate rows (no scan), each read by rowid', () => {
    for (const text of ['entity:"Zone Élysée"', 'category:zones entity:"Zone Élysée"']) {
      const { count, page } = plans(text);
      for (const steps of [count, page]) {
        expect(scansTable(steps), steps.join(' | ')).toBe(false);
        expect(steps.join(' | ')).toContain('SCAN entries_fts VIRTUAL TABLE INDEX');
        expect(sorts(steps), steps.join(' | ')).toBe(false);
      }
    }
  });
});

// A workspace where seq order is not time order: each day's times are dealt to its entries at
// random (a bundle only requires its entries to lie in its period), so a local day's entries are
// interleaved by seq with the days beside it. Twenty UTC days of 30 entries, New York tenant.
async function shuffledWorkspace(): Promise<{ ws: Workspace; all: Entry[]; remove(): void }> {
  const random = mulberry32(11);
  const days = fixtureEntries(20, 30, 5).map((entries) => {
    const times = entries.map((e) => e.occurredAt);
    for (let i = times.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [times[i], times[j]] = [times[j]!, times[i]!];
    }
    return entries.map((e, i) => ({ ...e, occurredAt: times[i]! }));
  });
  const { ws, remove } = await workspaceOfDays(days);
  const all = listEntries(ws, 1_000_000).entries;
  return { ws, all, remove };
}

describe('page plans (page-plan.ts) = the plain statement', () => {
  let shuffled: Awaited<ReturnType<typeof shuffledWorkspace>>;
  beforeAll(async () => {
    shuffled = await shuffledWorkspace();
  });
  afterAll(() => shuffled.remove());

  /** The plain statement, unplanned: every match of compileQuery by seq, newest first. */
  function plain(query: Query): number[] {
    const where = compileQuery(query, ZONE, actorResolver(shuffled.ws.db));
    return shuffled.ws.db
      .prepare(`SELECT seq FROM entries WHERE ${where.sql} ORDER BY seq DESC`)
      .pluck()
      .all(...where.params) as number[];
  }

  it('the workspace holds seqs out of time order, within and across local days', () => {
    const times = shuffled.all.map((e) => e.occurredAt);
    expect(times).not.toEqual([...times].sort().reverse());
    // A local day (New York) takes entries from two UTC-day bundles, interleaved by seq with
    // entries of the days beside it.
    const day = q('on:2026-11-08');
    const { startMs, endMs } = queryRangeUtc(day, ZONE);
    const inDay = (e: Entry) => {
      const t = Date.parse(e.occurredAt);
      return t >= startMs! && t < endMs!;
    };
    const seqsIn = shuffled.all.filter(inDay).map((e) => e.seq);
    const lo = Math.min(...seqsIn);
    const hi = Math.max(...seqsIn);
    expect(shuffled.all.some((e) => e.seq > lo && e.seq < hi && !inDay(e))).toBe(true);
  });

  const day = (n: number) => `2026-11-${String(n).padStart(2, '0')}`;
  const clause = fc.oneof(
    fc.integer({ min: 0, max: 22 }).map((d) => `on:${day(d)}`),
    fc
      .tuple(fc.integer({ min: 0, max: 22 }), fc.integer({ min: 0, max: 6 }))
      .map(([d, n]) => `date:${day(d)}..${day(d + n)}`),
    fc.integer({ min: 0, max: 22 }).map((d) => `after:${day(d)}`),
    fc.integer({ min: 1, max: 22 }).map((d) => `before:${day(d)}`),
    fc.constantFrom(
      'category:bookings',
      'category:invoices',
      'category:zones',
      '-category:bookings',
      'ip:203.0.113.*',
      'ip:198.51.100.0/24',
      'ip:10.0.16.0/20',
      'ip:2001:db8::/32',
      '-ip:203.0.113.*',
      'user:usr_1',
      'user:"Dana Reyes"',
      '-user:system',
      'action:booking.*',
      'action:auth.login',
      'entity:"Zone Élysée"',
      'entity:invoice',
      'cancelled',
      'refund',
      '-refund',
      'hoffmann',
    ),
  );
  const queryText = fc.array(clause, { minLength: 1, maxLength: 3 }).map((c) => c.join(' '));

  it('random queries: every page (first, by the cursor, from any seq), with walks of any length', () => {
    let nonEmpty = 0;
    const plans = new Set<string>();
    fc.assert(
      fc.property(
        queryText,
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(undefined, 1, 2, 5, 20, 60, 300),
        fc.integer({ min: -5, max: 620 }),
        (text, limit, maxWalk, anyBefore) => {
          const parsed = parseQuery(text);
          if (!parsed.ok) return; // a date range that leaves no day
          const query = parsed.query;
          const want = plain(query);
          expect(referenceSearch(shuffled.all, query, ZONE).map((e) => e.seq)).toEqual(want);
          if (want.length > 0) nonEmpty++;
          for (const counted of [false, true]) {
            const got: number[] = [];
            let before: number | null = null;
            do {
              const options: SearchOptions = { limit, before, maxWalk };
              const page: SearchPage<number | null> = counted
                ? searchEntries(shuffled.ws, query, options)
                : searchPageOnly(shuffled.ws, query, options);
              expect(page.total).toBe(counted ? want.length : null);
              const seqs = page.entries.map((e) => e.seq);
              const rest = want.filter((s) => before === null || s < before);
              expect(seqs).toEqual(rest.slice(0, limit));
              expect(page.nextBefore).toBe(rest.length > limit ? seqs[seqs.length - 1] : null);
              got.push(...seqs);
              before = page.nextBefore;
            } while (before !== null);
            expect(got).toEqual(want);
          }
          const from = searchPageOnly(shuffled.ws, query, { limit, before: anyBefore, maxWalk });
          expect(from.entries.map((e) => e.seq)).toEqual(
            want.filter((s) => s < anyBefore).slice(0, limit),
          );
          expect(countEntries(shuffled.ws, query)).toBe(want.length);
          const { plan, window } = explainSearch(shuffled.ws, query, { limit, maxWalk });
          plans.add(`${plan}${window === null ? '' : ' in a date range'}`);
        },
      ),
      { numRuns: 300 },
    );
    expect(nonEmpty).toBeGreaterThan(150);
    // Every way to a page was taken (a walk, the indexes after it, the FTS5 walk; dates or not).
    for (const plan of ['walk', 'entries', 'fts'])
      for (const where of ['', ' in a date range']) expect(plans).toContain(`${plan}${where}`);
  });

  const explain = (text: string, options: Partial<SearchOptions>) =>
    explainSearch(shuffled.ws, q(text), { limit: 100, ...options });
  const joined = (steps: string[]) => steps.join(' | ');
  const walksSeqs = (steps: string[]) =>
    steps.some((s) => s.includes('INTEGER PRIMARY KEY (rowid>? AND rowid<?)'));
  const sorts = (steps: string[]) => steps.some((s) => s.includes('TEMP B-TREE'));

  it('a common filter on a range (an IP prefix): the page walks seqs newest first, no index, no sort', () => {
    // Walks scaled to the workspace: 300 seqs at most, a probe of 15.
    for (const before of [undefined, 400]) {
      const { plan, page } = explain('ip:203.0.113.*', { limit: 10, before, maxWalk: 300 });
      expect(plan).toBe('walk');
      expect(walksSeqs(page), joined(page)).toBe(true);
      expect(joined(page)).not.toContain('entries_by_ip');
      expect(sorts(page)).toBe(false);
    }
    // What it replaces: every match of the prefix read from the IP index, then sorted.
    const forced = explain('ip:203.0.113.*', { pagePlan: 'entries' });
    expect(joined(forced.page)).toContain('entries_by_ip');
  });

  it('a date range with a category: the walk starts at the newest seq of the range, not the newest of all', () => {
    const text = 'date:2026-11-08..2026-11-09 category:invoices';
    const { plan, page, window } = explain(text, { limit: 3, maxWalk: 200 });
    expect(plan).toBe('walk');
    expect(walksSeqs(page), joined(page)).toBe(true);
    expect(joined(page)).not.toContain('entries_by_category');
    // The window: the seqs of the UTC-day bundles the local days meet (Nov 8 04:00Z .. Nov 10 05:00Z
    // meets the bundles of Nov 8, 9 and 10: days 7 to 9), around every entry of the range.
    expect(window).toEqual({ from: 7 * 30 + 1, to: 10 * 30 });
    const { startMs, endMs } = queryRangeUtc(q(text), ZONE);
    for (const e of shuffled.all) {
      const t = Date.parse(e.occurredAt);
      if (t >= startMs! && t < endMs!) expect(e.seq).toBeGreaterThanOrEqual(window!.from);
      if (t >= startMs! && t < endMs!) expect(e.seq).toBeLessThanOrEqual(window!.to);
    }
    // The count reads the time index alone (it holds the category), not every invoice.
    expect(joined(explain(text, {}).count)).toContain('COVERING INDEX entries_by_time');
  });

  it('a rare filter the walk does not fill: the rest through its index, sorted, not a walk of every row', () => {
    const { plan, page } = explain('ip:198.51.100.0/24', { limit: 10, maxWalk: 40 });
    expect(plan).toBe('entries');
    expect(joined(page)).toContain('entries_by_ip');
    expect(walksSeqs(page)).toBe(false);
    expect(page.some((s) => /INTEGER PRIMARY KEY \(rowid<\?\)/.test(s))).toBe(false);
    // An equality keeps seq order in its index: read below the cursor, no sort.
    const zones = explain('category:zones', { limit: 10, before: 500, maxWalk: 20 });
    expect(zones.plan).toBe('entries');
    expect(joined(zones.page)).toContain('entries_by_category (category=? AND rowid<?)');
    expect(sorts(zones.page)).toBe(false);
  });

  it('a word with a filter the FTS5 walk would pass: the filter index, each row checked against the hits', () => {
    for (const before of [undefined, 400]) {
      const { plan, page } = explain('cancelled user:usr_1', { limit: 10, before, maxWalk: 3 });
      expect(plan).toBe('entries');
      expect(joined(page)).toMatch(/entries_by_actor \(actor_id=\?( AND rowid<\?)?\)/);
      // Not each hit looked up in the actor index.
      expect(joined(page)).not.toContain('entries_by_actor (actor_id=? AND rowid=?)');
    }
  });

  it('no chosen plan both scans the table and sorts it', () => {
    const texts = ['', 'after:2026-11-02', '-category:bookings', 'ip:0.0.0.0/4', 'ip:10.*'];
    for (const text of [...texts, 'before:2026-11-05 ip:203.0.113.*', '-refund on:2026-11-03'])
      for (const maxWalk of [undefined, 2])
        for (const before of [undefined, 300]) {
          const { page } = explain(text, { limit: 10, before, maxWalk });
          const scans = page.some((s) => /^SCAN entries\b/.test(s));
          expect(scans && sorts(page), `${text}: ${joined(page)}`).toBe(false);
        }
  });

  it('a label: its FTS5 candidates are read directly, no walk', () => {
    const { plan, page } = explain('entity:"Zone Élysée"', {});
    expect(plan).toBe('entries');
    expect(joined(page)).toContain('VIRTUAL TABLE INDEX');
    expect(page).not.toContain('SCAN entries');
  });

  it('free text in a date range: the FTS5 walk starts at the range, bounded by integers', () => {
    const { plan, page, window } = explain('on:2026-11-08 cancelled', {});
    expect(plan).toBe('fts');
    expect(window).not.toBeNull();
    expect(page[0]).toMatch(/VIRTUAL TABLE INDEX \d+:M\d+<>/);
  });

  it('a date range no bundle meets: nothing, no statement', () => {
    expect(
      searchEntries(shuffled.ws, q('after:2026-12-01 category:invoices'), { limit: 5 }),
    ).toEqual({ total: 0, entries: [], nextBefore: null });
    expect(explain('after:2026-12-01', {}).plan).toBeNull();
  });

  it('a cursor that is not a number gives no rows (as `seq < NULL`), whatever the plan', () => {
    for (const text of ['category:invoices', 'ip:203.0.113.*', 'on:2026-11-08', 'cancelled'])
      expect(
        searchPageOnly(shuffled.ws, q(text), { limit: 5, before: Number.NaN }).entries,
      ).toEqual([]);
  });
});
