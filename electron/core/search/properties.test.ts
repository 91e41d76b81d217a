// Property: for random queries over a small real workspace, structured and with free text (FTS5),
// the SQL answer (total, every page walked with the keyset cursor, with or without the count, and
// countEntries) equals the plain in-memory filter of all entries read back with listEntries
// (reference.ts).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES, type Entry } from '../../../shared/entry';
import { parseQuery, quote, type Clause, type Query } from '../../../shared/query';
import { listEntries } from '../workspace/entries';
import {
  ACTORS,
  IPS,
  KINDS,
  LABELS,
  buildFixture,
  type Fixture,
} from '../../../tests/helpers/search-fixture';
import { referenceSearch } from '../../../tests/helpers/search-reference';
import type { ExpandWord } from './match';
import { countEntries, searchEntries, searchPageOnly, type PagePlan } from './search';

const ZONE = 'America/New_York';
let fx: Fixture;
let all: Entry[];
beforeAll(async () => {
  fx = await buildFixture(5, 24, 11);
  all = listEntries(fx.ws, 1_000_000).entries;
});
afterAll(() => fx.remove());

const changeCase = (text: string) => fc.constantFrom(text, text.toUpperCase(), text.toLowerCase());

const userValue = fc.oneof(
  fc.constantFrom(...ACTORS.map((a) => a.id), 'USR_1', 'nobody', 'Dana'),
  fc.constantFrom(...ACTORS.map((a) => a.name)).chain(changeCase),
  fc.constantFrom(...ACTORS.flatMap((a) => (a.email === null ? [] : [a.email]))).chain(changeCase),
);
const actions = KINDS.map((k) => k.action);
const actionValue = fc.oneof(
  fc.constantFrom(...actions, 'foo.bar'),
  fc
    .constantFrom(...actions)
    .chain((a) => fc.integer({ min: 1, max: a.length }).map((n) => `${a.slice(0, n)}*`))
    .filter((a) => !/\.\*$/.test(a.slice(0, -1)) && !a.startsWith('.') && !a.includes('.*.')),
  fc.constantFrom('booking', 'auth.', 'auth.*', 'zone'),
);
const types = [...new Set(KINDS.map((k) => k.entity))];
const entityValue = fc.oneof(
  fc.constantFrom(...types, 'ghost'),
  fc
    .tuple(fc.constantFrom(...types), fc.integer({ min: 1000, max: 1041 }))
    .map(([t, id]) => `${t}:${id}`),
  fc
    .constantFrom(...LABELS, 'Booking #1001', 'Zone #1010')
    .chain(changeCase)
    .map(quote),
  // Labels the FTS5 phrase of the label column finds but the exact test refuses.
  fc.constantFrom('Acme', 'Zone Elysee', 'Booking 1234', '"booking #1234!"', 'Élysée').map(quote),
);
const v4 = (ip: string, bits: number) => {
  const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const masked = bits === 0 ? 0 : Math.floor(n / 2 ** (32 - bits)) * 2 ** (32 - bits);
  return `${[24, 16, 8, 0].map((s) => Math.floor(masked / 2 ** s) % 256).join('.')}/${bits}`;
};
const plainV4 = IPS.filter((ip): ip is string => ip !== null && !ip.includes(':'));
const ipValue = fc.oneof(
  fc.constantFrom(...IPS.filter((ip): ip is string => ip !== null), '203.0.113.9', '192.0.2.1'),
  fc
    .tuple(fc.constantFrom(...plainV4), fc.integer({ min: 0, max: 32 }))
    .map(([ip, b]) => v4(ip, b)),
  fc.constantFrom('203.0.113.*', '10.*', '10.0.*', '203.0.*'),
  fc.constantFrom(
    '2001:db8::/32',
    '2001:db8::/31',
    '2001:db8:1::/48',
    '2001::/16',
    'fe80::/10',
    '::/0',
    '::ffff:0:0/96',
    '::ffff:203.0.113.0/120',
  ),
);
const day = fc.integer({ min: 29, max: 37 }).map((d) => {
  const date = new Date(Date.UTC(2026, 9, d));
  return date.toISOString().slice(0, 10);
});
const dateTerm = fc.oneof(
  day.map((d) => `on:${d}`),
  day.map((d) => `after:${d}`),
  day.map((d) => `before:${d}`),
  fc.tuple(day, day).map(([a, b]) => `date:${a < b ? a : b}..${a < b ? b : a}`),
  day.map((d) => `date:${d}..`),
  day.map((d) => `date:..${d}`),
  fc.constantFrom('on:2026-11', 'on:2026-10', 'on:2026'),
);
const negatable = fc
  .tuple(
    fc.boolean(),
    fc.oneof(
      userValue.map((v) => `user:${quote(v)}`),
      actionValue.map((v) => `action:${v}`),
      fc.constantFrom(...CATEGORIES).map((c) => `category:${c}`),
      entityValue.map((v) => `entity:${v}`),
      ipValue.map((v) => `ip:${v}`),
    ),
  )
  .map(([negated, term]) => `${negated ? '-' : ''}${term}`);
const queryText = fc
  .array(fc.oneof({ weight: 4, arbitrary: negatable }, { weight: 1, arbitrary: dateTerm }), {
    maxLength: 5,
  })
  .map((terms) => terms.join(' '));

/** Words that occur in the fixture's texts, in several spellings, and text that is FTS5 syntax. */
const knownWord = fc
  .constantFrom(
    'cancelled',
    'booking.cancelled',
    'refund',
    'Émile',
    'dupre',
    'dana@example.com',
    'example',
    '203.0.113',
    '203.0.113.7',
    '#1234',
    'Köln',
    'strasse',
    'Straße',
    'iphone',
    'chrome',
    'curl',
    'vip',
    '2026-11-04',
    '95.5',
    'false',
    'hoffmann',
    'zone',
    'auth.login_failed',
    'asked for a refund',
    'Rue de',
    'ref',
    'can',
    'bo',
  )
  .chain(changeCase);
const oddText = fc.string({
  // \u0301: an accent as a combining mark (composed before tokenizing).
  unit: fc.constantFrom(...'abcé1*^():+-{}#.@"\\ NEAROT\u0301'.split('')),
  minLength: 1,
  maxLength: 8,
});
const textClause = fc
  .tuple(fc.boolean(), fc.boolean(), fc.oneof({ weight: 4, arbitrary: knownWord }, oddText))
  .map(([negated, phrase, text]): Clause => ({
    kind: 'text',
    negated,
    text,
    // A bare word holds no space or quote; anything else is typed as a phrase.
    phrase: phrase || /[\s"]/.test(text) || text.startsWith('-'),
  }));

/** A stand-in for the vocabulary: a few fixed typos and a completion. */
const expandWord: ExpandWord = (word, isLastWord) => {
  const w = word.toLowerCase();
  const out: string[] = [];
  if (w === 'refnd' || w === 'ref') out.push('refund');
  if (w === 'hofman') out.push('hoffmann');
  if (isLastWord && w === 'can') out.push('cancelled');
  if (w === 'example') out.push('#', 'a" OR "b');
  return out;
};

describe('SQL search = in-memory filter', () => {
  it('random queries with free text: same total, same entries, pages without gaps, both page plans', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(
        fc.array(textClause, { minLength: 1, maxLength: 3 }),
        queryText,
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom<PagePlan | undefined>(undefined, 'fts', 'entries'),
        (texts, structured, expand, pageSize, pagePlan) => {
          const parsed = parseQuery(structured);
          if (!parsed.ok) return;
          // Text clauses before and after the structured ones: the last clause may be a word.
          const query: Query = {
            clauses: [...texts.slice(0, 1), ...parsed.query.clauses, ...texts.slice(1)],
          };
          const hook = expand ? expandWord : undefined;
          const want = referenceSearch(all, query, ZONE, { expandWord: hook }).map((e) => e.seq);
          if (want.length > 0) nonEmpty++;
          const options = { expandWord: hook, pagePlan };
          const whole = searchEntries(fx.ws, query, { limit: 1_000_000, ...options });
          expect(whole.total).toBe(want.length);
          expect(whole.entries.map((e) => e.seq)).toEqual(want);
          const walked: number[] = [];
          let before: number | null = null;
          do {
            const page = searchEntries(fx.ws, query, { limit: pageSize, before, ...options });
            expect(page.total).toBe(want.length);
            walked.push(...page.entries.map((e) => e.seq));
            before = page.nextBefore;
          } while (before !== null);
          expect(walked).toEqual(want);
          // The page alone (no count), its walk bounded to a few hits or not, and the count apart.
          expect(countEntries(fx.ws, query, { expandWord: hook })).toBe(want.length);
          for (const maxWalk of [undefined, 3, 60]) {
            const uncounted: number[] = [];
            before = null;
            do {
              const page = searchPageOnly(fx.ws, query, {
                limit: pageSize,
                before,
                ...options,
                maxWalk,
              });
              expect(page.total).toBeNull();
              uncounted.push(...page.entries.map((e) => e.seq));
              before = page.nextBefore;
            } while (before !== null);
            expect(uncounted).toEqual(want);
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(nonEmpty).toBeGreaterThan(60);
  });

  it('random structured queries: same total, same entries in the same order, pages without gaps', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(queryText, fc.integer({ min: 1, max: 40 }), (text, pageSize) => {
        const parsed = parseQuery(text);
        // Date filters that leave no day are refused by the parser; anything else must parse.
        if (!parsed.ok) {
          expect(parsed.error.message).toMatch(/no day is left/);
          return;
        }
        const want = referenceSearch(all, parsed.query, ZONE).map((e) => e.seq);
        if (want.length > 0) nonEmpty++;
        const whole = searchEntries(fx.ws, parsed.query, { limit: 1_000_000 });
        expect(whole.total).toBe(want.length);
        expect(whole.entries.map((e) => e.seq)).toEqual(want);
        const walked: number[] = [];
        let before: number | null = null;
        do {
          const page = searchEntries(fx.ws, parsed.query, { limit: pageSize, before });
          expect(page.total).toBe(want.length);
          walked.push(...page.entries.map((e) => e.seq));
          before = page.nextBefore;
        } while (before !== null);
        expect(walked).toEqual(want);
        expect(countEntries(fx.ws, parsed.query)).toBe(want.length);
        const first = searchPageOnly(fx.ws, parsed.query, { limit: pageSize });
        expect(first.total).toBeNull();
        expect(first.entries.map((e) => e.seq)).toEqual(want.slice(0, pageSize));
      }),
      { numRuns: 400 },
    );
    expect(nonEmpty).toBeGreaterThan(100);
  });
});
