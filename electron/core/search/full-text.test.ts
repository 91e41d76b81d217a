// Free text (FTS5) and review filters on a real workspace: words, phrases and exclusions against the
// in-memory reference and hand-checked cases (accents, `booking.cancelled`, `#1234`, IPs, e-mail
// addresses, changes of every JSON kind, agents), user text that looks like FTS5 syntax, the
// expansion hook, pages, the plans SQLite runs, and status:/tag: wired to the review tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../../shared/entry';
import { parseQuery, type Query } from '../../../shared/query';
import { buildFixture, type Fixture } from '../../../tests/helpers/search-fixture';
import { referenceSearch, type ReferenceOptions } from '../../../tests/helpers/search-reference';
import { annotate } from '../review/annotations';
import { listEntries } from '../workspace/entries';
import { compileQuery } from './compile';
import { fullTextColumns } from './full-text';
import { textMatch, type ExpandWord } from './match';
import { explainSearch, pagePlanFor, searchEntries } from './search';

const ZONE = 'America/New_York';
const REVIEWER = { name: 'Lee Park', email: 'lee@example.com' };
let fx: Fixture;
let all: Entry[];
const reviews: NonNullable<ReferenceOptions['reviews']> = new Map();

beforeAll(async () => {
  fx = await buildFixture(5, 40, 3);
  all = listEntries(fx.ws, 1_000_000).entries;
  // A few review states for status: and tag: (tags typed in several cases).
  const states: [number, { status?: 'reviewed' | 'exception' | 'follow_up'; tags?: string[] }][] = [
    [0, { status: 'reviewed', tags: ['SOX'] }],
    [3, { status: 'exception', tags: ['sox', 'Payroll'] }],
    [7, { status: 'follow_up' }],
    [11, { tags: ['payroll'] }],
    [12, { status: 'reviewed' }],
    [40, { status: 'reviewed', tags: ['Élan'] }],
  ];
  for (const [i, change] of states) {
    const id = fx.entries[i]!.id;
    const a = annotate(fx.ws, id, change, REVIEWER).annotation!;
    reviews.set(id, { status: a.status, tags: a.tags });
  }
}, 30_000);
afterAll(() => fx.remove());

function q(text: string): Query {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
  return parsed.query;
}
const seqs = (entries: Entry[]) => entries.map((e) => e.seq);

function check(
  text: string,
  { some = true, expandWord }: { some?: boolean; expandWord?: ExpandWord } = {},
): Entry[] {
  const page = searchEntries(fx.ws, q(text), { limit: 1_000_000, expandWord });
  const want = referenceSearch(all, q(text), ZONE, { reviews, expandWord });
  expect(seqs(page.entries), text).toEqual(seqs(want));
  expect(page.total, text).toBe(want.length);
  if (some) {
    expect(want.length, `${text} keeps something`).toBeGreaterThan(0);
    expect(want.length, `${text} leaves something out`).toBeLessThan(all.length);
  }
  return page.entries;
}

const texts = (e: Entry) => fullTextColumns(e).join('\n');

describe('words and phrases', () => {
  it('names with accents, in any case, with or without the accents', () => {
    const emile = check('émile');
    expect(emile.every((e) => e.actor.id === 'usr_2')).toBe(true);
    expect(seqs(check('EMILE'))).toEqual(seqs(emile));
    expect(seqs(check('Dupre'))).toEqual(seqs(emile));
    expect(seqs(check('"Émile Dupré"'))).toEqual(seqs(emile));
    expect(check('"approved refund"', { some: false })).toEqual([]); // a phrase keeps its order
    expect(check('élysée').every((e) => e.entity.label === 'Zone Élysée')).toBe(true);
    expect(check('koln').every((e) => texts(e).includes('Köln'))).toBe(true);
    expect(seqs(check('Straße'))).toEqual(seqs(check('köln')));
    // An accent typed as a combining mark folds like the composed letter.
    expect(seqs(check('E\u0301mile'))).toEqual(seqs(emile));
    expect(seqs(check('"Zone E\u0301lyse\u0301e"'))).toEqual(seqs(check('élysée')));
  });

  it('actions, labels, IPs and e-mail addresses as typed', () => {
    const cancelled = check('booking.cancelled');
    expect(cancelled.every((e) => e.action === 'booking.cancelled')).toBe(true);
    // A word matches every field: the action and the status change both say "cancelled".
    expect(check('cancelled').length).toBeGreaterThan(cancelled.length);
    expect(check('#1234').every((e) => /\b1234\b/.test(texts(e)))).toBe(true);
    expect(seqs(check('"Booking #1234"'))).toEqual(
      seqs(all.filter((e) => e.entity.label === 'Booking #1234')),
    );
    expect(check('203.0.113.7').every((e) => e.ip === '203.0.113.7')).toBe(true);
    check('2001:db8::1');
    expect(check('dana@example.com').every((e) => e.actor.id === 'usr_1')).toBe(true);
    expect(check('lee.park@example.org').every((e) => texts(e).includes('lee.park'))).toBe(true);
  });

  it('changes of every kind: text, numbers, booleans, nested objects, instants by their date', () => {
    check('refund');
    check('95.5');
    check('false');
    check('"Rue de l\'Église"');
    check('2026-11-04');
    expect(check('"09:30"', { some: false })).toEqual([]); // an instant's time is not indexed
  });

  it('agents by browser, OS, device and product; metadata values', () => {
    check('iphone');
    check('android');
    check('chrome windows');
    check('curl');
    check('vip');
    check('"refund approved"');
    expect(check('mozilla', { some: false })).toEqual([]); // the agent's boilerplate is not indexed
  });

  it('several words all match (AND), in any field', () => {
    const both = check('refund hoffmann');
    expect(both.every((e) => /refund/i.test(texts(e)) && /hoffmann/i.test(texts(e)))).toBe(true);
    check('cancelled dana');
  });

  it('exclusions: -word and -"phrase", alone or with words', () => {
    check('-refund');
    check('-"asked for"');
    check('refund -hoffmann');
    check('cancelled -booking.cancelled -iphone');
    check('-émile -dana');
  });

  it('text that is FTS5 syntax is only ever words to look for', () => {
    for (const text of [
      'NEAR(cancelled',
      'cancelled*',
      '^booking',
      '"a\\" OR \\"b"',
      'action:booking.* "OR"',
      '"NOT" cancelled',
      '{actor}:dana',
      'a+b',
      '"\\"refund\\""',
      'refund)',
      '(refund',
      'and or not near',
    ])
      check(text, { some: false });
  });

  it('a text without any letter or digit is ignored (the index holds none)', () => {
    expect(searchEntries(fx.ws, q('#'), { limit: 0 }).total).toBe(all.length);
    expect(searchEntries(fx.ws, q('refund "--" -"!!"'), { limit: 0 }).total).toBe(
      check('refund').length,
    );
    expect(textMatch(q('"..." -#'))).toEqual({ kind: 'none' });
  });

  it('free text with structured filters', () => {
    check('refund user:usr_1');
    check('cancelled category:bookings -user:system');
    check('iphone after:2026-11-02');
    check('-refund action:booking.*');
    check('"Booking #1234" ip:203.0.113.0/24');
  });
});

describe('the expansion hook (typo tolerance and completions)', () => {
  const expandWord: ExpandWord = (word) =>
    word.toLowerCase() === 'hofman' ? ['hoffmann', '#'] : word === 'refnd' ? ['refund'] : [];

  it('a word matches itself or its alternatives', () => {
    const hofman = check('hofman', { expandWord });
    expect(seqs(hofman)).toEqual(seqs(check('hoffmann')));
    expect(seqs(check('refnd cancelled', { expandWord }))).toEqual(seqs(check('refund cancelled')));
    expect(textMatch(q('hofman x'), expandWord)).toEqual({
      kind: 'require',
      match: '(("hofman" OR "hoffmann") AND "x")',
    });
  });

  it('the last word is also a prefix from three characters on; phrases and exclusions are exact', () => {
    check('refu', { expandWord });
    expect(seqs(check('cancelled refu', { expandWord }))).toEqual(seqs(check('cancelled refund')));
    expect(textMatch(q('cancelled re'), expandWord)).toEqual({
      kind: 'require',
      match: '("cancelled" AND "re")',
    });
    expect(textMatch(q('"refu"'), expandWord)).toEqual({ kind: 'require', match: '"refu"' });
    expect(textMatch(q('-refu'), expandWord)).toEqual({ kind: 'exclude', match: '"refu"' });
    expect(textMatch(q('refu user:usr_1'), expandWord)).toEqual({
      kind: 'require',
      match: '"refu"',
    });
    // Without the hook words are exact.
    expect(searchEntries(fx.ws, q('refu'), { limit: 0 }).total).toBe(0);
  });

  it('the alternatives of a word are quoted like the word', () => {
    const hostile: ExpandWord = () => ['a" OR "b', 'NEAR(x y)'];
    expect(textMatch(q('word'), hostile)).toEqual({
      kind: 'require',
      match: '("word"* OR "a"" OR ""b" OR "NEAR(x y)")',
    });
    check('cancelled', { expandWord: hostile });
  });
});

describe('pages over free text', () => {
  it.each(['cancelled', 'refund', '-refund', 'cancelled user:usr_2', 'iphone category:bookings'])(
    '%j: pages of 7 walk the whole result without a duplicate or a gap',
    (text) => {
      const want = seqs(referenceSearch(all, q(text), ZONE));
      const got: number[] = [];
      let before: number | null = null;
      for (let i = 0; i < 200; i++) {
        const page = searchEntries(fx.ws, q(text), { limit: 7, before });
        expect(page.total).toBe(want.length);
        got.push(...seqs(page.entries));
        before = page.nextBefore;
        if (before === null) break;
      }
      expect(got).toEqual(want);
    },
  );
});

describe('query plans with free text', () => {
  const plans = (text: string, before: number | null = null) =>
    explainSearch(fx.ws, q(text), { limit: 100, before });
  const sorts = (steps: string[]) => steps.some((s) => s.includes('TEMP B-TREE'));

  it.each(['cancelled', 'refund dana', '"Booking #1234"', 'cancelled category:bookings'])(
    '%j: the page walks the FTS5 index newest first, without a sort, entries by rowid',
    (text) => {
      for (const before of [null, 50]) {
        const { page, plan } = plans(text, before);
        expect(plan).toBe('fts');
        expect(page[0], page.join(' | ')).toMatch(/^SCAN .*VIRTUAL TABLE INDEX/);
        expect(page.join(' | ')).toContain('SEARCH entries USING INTEGER PRIMARY KEY (rowid=?)');
        expect(sorts(page), page.join(' | ')).toBe(false);
      }
    },
  );

  it('words alone are counted in the FTS5 index alone', () => {
    const { count } = plans('cancelled');
    expect(count).toEqual([expect.stringMatching(/^SCAN entries_fts VIRTUAL TABLE INDEX/)]);
  });

  it('a rare filter with a common word reads the filter index instead of walking many hits', () => {
    expect(pagePlanFor(600_000, 5_000_000, 100)).toBe('fts'); // the walk stops after the page
    expect(pagePlanFor(600_000, 50, 100)).toBe('entries'); // it would read every hit
    expect(pagePlanFor(600_000, 3100, 100)).toBe('fts'); // about 19,500 hits
    expect(pagePlanFor(15_000, 0, 100)).toBe('fts'); // few hits: walking them all is cheap
    const text = 'example entity:booking';
    const { page } = explainSearch(fx.ws, q(text), { limit: 100, pagePlan: 'entries' });
    expect(page.join(' | ')).toContain('entries_by_entity');
    const forced = searchEntries(fx.ws, q(text), { limit: 1000, pagePlan: 'entries' });
    expect(seqs(forced.entries)).toEqual(seqs(check(text)));
  });

  it('both page plans give the same pages', () => {
    for (const text of ['cancelled user:usr_2', 'refund -category:bookings', 'iphone tag:sox']) {
      for (const limit of [1, 5, 1000]) {
        const a = searchEntries(fx.ws, q(text), { limit, pagePlan: 'fts' });
        const b = searchEntries(fx.ws, q(text), { limit, pagePlan: 'entries' });
        expect(b, text).toEqual(a);
      }
    }
  });
});

describe('status: and tag: (review tables)', () => {
  it('match the review state, as the reference says', () => {
    check('status:reviewed');
    check('status:exception status:follow_up');
    check('-status:unreviewed');
    check('status:unreviewed');
    check('tag:sox');
    check('tag:SOX tag:payroll');
    check('-tag:payroll');
    check('tag:élan');
    check('status:reviewed -tag:sox');
    check('cancelled -status:unreviewed', { some: false });
  });

  it('are one condition over entries with the rest (counts and facets use it)', () => {
    const condition = compileQuery(q('tag:sox refund'), ZONE, () => []);
    expect(condition.sql).toContain('entries_fts MATCH ?');
    expect(condition.sql).toContain('annotation_tags');
    expect(condition.params).toContain('"refund"');
  });
});
