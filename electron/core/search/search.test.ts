// Structured search on a real workspace (fixture.ts): each qualifier against the plain in-memory
// meaning (reference.ts) and hand-checked cases, negation, OR within a qualifier, dates in the
// tenant's zone across the DST change, IP prefixes and CIDR, keyset pages, and the query plans
// SQLite chooses. Free text and review filters: full-text.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../../shared/entry';
import { parseQuery, type Query } from '../../../shared/query';
import { listEntries } from '../workspace/entries';
import { buildFixture, type Fixture } from '../../../tests/helpers/search-fixture';
import { referenceSearch } from '../../../tests/helpers/search-reference';
import { explainSearch, searchEntries } from './search';

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
