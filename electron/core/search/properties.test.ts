// Property: for random queries over a small real workspace, structured and with free text (FTS5),
// the SQL answer (total, every page walked with the keyset cursor, with or without the count, and
// countEntries) equals the plain in-memory filter of all entries read back with listEntries
// (reference.ts).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../../shared/entry';
import { parseQuery, type Clause, type Query } from '../../../shared/query';
import { listEntries } from '../workspace/entries';
import { buildFixture, type Fixture } from '../../../tests/helpers/search-fixture';
import { changeCase, structuredQueryText } from '../../../tests/helpers/query-arbitraries';
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

const queryText = structuredQueryText(5);

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
