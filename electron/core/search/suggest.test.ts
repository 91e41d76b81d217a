// Filter-bar suggestions over a vocabulary built from known terms: qualifiers pick the kind, the
// insert text parses back as the filter it names, completions come before typo corrections.
import { describe, expect, it } from 'vitest';
import { parseQuery, queryFilters } from '../../../shared/query';
import { expandWord, MAX_ALTERNATIVES, MEANT_COUNT } from './expand';
import { suggest } from './suggest';
import { Vocabulary } from './vocabulary';
import type { DataVersion, VocabularyTerm } from './vocabulary-terms';

const VERSION: DataVersion = { schema: 5, bundles: 1, maxBundleRef: 1, entries: 10, maxSeq: 10 };
const TERMS: VocabularyTerm[] = [
  { kind: 'user', value: 'Dana Hoffmann', count: 40, also: ['usr_70', 'dana.h@example.com'] },
  { kind: 'user', value: 'Dana Reyes', count: 90, also: ['usr_1', 'dana@example.com'] },
  { kind: 'user', value: 'Émile Dupré', count: 5, also: ['usr_2'] },
  { kind: 'action', value: 'booking.cancelled', count: 30 },
  { kind: 'action', value: 'booking.created', count: 300 },
  { kind: 'action', value: 'auth.login_failed', count: 7 },
  { kind: 'entity', value: 'Booking #5141', count: 3 },
  { kind: 'entity', value: 'Customer "Big" Co', count: 2 },
  { kind: 'ip', value: '203.0.113.10', count: 500 },
  { kind: 'ip', value: '203.0.113.7', count: 20 },
  { kind: 'word', value: 'hoffmann', count: 41 },
  { kind: 'word', value: 'hofmann', count: 2 },
  { kind: 'word', value: 'cancelled', count: 30 },
  { kind: 'word', value: 'oven', count: 12 },
  { kind: 'word', value: 'sven', count: 300 },
];
const vocabulary = Vocabulary.build(TERMS, VERSION);

describe('suggest', () => {
  it('a bare prefix looks among every kind, most frequent first', () => {
    const found = suggest(vocabulary, 'da');
    expect(found.map((s) => s.insert)).toEqual(['user:"Dana Reyes"', 'user:"Dana Hoffmann"']);
    expect(found[0]).toEqual({
      kind: 'user',
      insert: 'user:"Dana Reyes"',
      label: 'Dana Reyes',
      count: 90,
    });
  });

  it('a qualifier picks its kind; the insert parses back as that filter', () => {
    expect(suggest(vocabulary, 'action:book').map((s) => s.insert)).toEqual([
      'action:booking.created',
      'action:booking.cancelled',
    ]);
    expect(suggest(vocabulary, 'ip:203.0.113.').map((s) => s.insert)).toEqual([
      'ip:203.0.113.10',
      'ip:203.0.113.7',
    ]);
    expect(suggest(vocabulary, 'user:usr_7').map((s) => s.label)).toEqual(['Dana Hoffmann']);
    const entity = suggest(vocabulary, 'entity:"customer')[0]!;
    expect(entity.insert).toBe('entity:"Customer \\"Big\\" Co"');
    for (const s of [
      ...suggest(vocabulary, 'user:'),
      ...suggest(vocabulary, 'entity:'),
      ...suggest(vocabulary, ''),
    ]) {
      const parsed = parseQuery(s.insert);
      expect(parsed.ok, s.insert).toBe(true);
      if (!parsed.ok) continue;
      const f = queryFilters(parsed.query);
      if (s.kind === 'user') expect(f.user.anyOf).toEqual([s.label]);
      if (s.kind === 'entity') expect(f.entity.anyOf).toEqual([{ by: 'label', label: s.label }]);
      if (s.kind === 'word') expect(f.text.include.map((t) => t.text)).toEqual([s.label]);
    }
  });

  it('keeps a leading minus; qualifiers without suggestions and unwanted kinds give nothing', () => {
    expect(suggest(vocabulary, '-user:dana r')[0]?.insert).toBe('-user:"Dana Reyes"');
    expect(suggest(vocabulary, 'category:bo')).toEqual([]);
    expect(suggest(vocabulary, 'user:da', { kinds: ['action'] })).toEqual([]);
    expect(suggest(vocabulary, 'b', { kinds: ['entity'] }).map((s) => s.kind)).toEqual(['entity']);
  });

  it('fills up with typo corrections when completions run short, and honours the limit', () => {
    expect(suggest(vocabulary, 'hofmann', { kinds: ['word'] }).map((s) => s.label)).toEqual([
      'hofmann',
      'hoffmann',
    ]);
    expect(suggest(vocabulary, 'dupre')[0]?.label).toBe('Émile Dupré');
    expect(suggest(vocabulary, 'canceled', { kinds: ['word'] }).map((s) => s.label)).toEqual([
      'cancelled',
    ]);
    expect(suggest(vocabulary, '', { limit: 3 })).toHaveLength(3);
  });
});

describe('expandWord', () => {
  it('gives the words within typo distance, never the word itself', () => {
    expect(expandWord(vocabulary, 'hofmann', false)).toEqual(['hoffmann']);
    // A word the workspace holds often (MEANT_COUNT) is taken as meant: `oven` is not `sven`.
    expect(expandWord(vocabulary, 'Hoffmann', false)).toEqual([]);
    expect(expandWord(vocabulary, 'oven', true)).toEqual([]);
    expect(expandWord(vocabulary, 'ovem', false)).toEqual(['oven']);
    expect(expandWord(vocabulary, 'canceled', false)).toEqual(['cancelled']);
    expect(expandWord(vocabulary, 'oven', false)).toEqual([]);
  });

  it('adds completions only for the last word and below the prefix length; numbers are not corrected', () => {
    expect(expandWord(vocabulary, 'ho', false)).toEqual([]);
    // Below MIN_PREFIX_CHARS the search adds no prefix: the most frequent completions stand in.
    expect(expandWord(vocabulary, 'ho', true)).toEqual(['hoffmann', 'hofmann']);
    expect(expandWord(vocabulary, 'ov', true)).toEqual(['oven']);
    // From MIN_PREFIX_CHARS on the search's own prefix ("hof"*) finds them.
    expect(expandWord(vocabulary, 'hof', true)).toEqual([]);
    // A word FTS5 splits in two is searched as typed.
    expect(expandWord(vocabulary, 'hofmann.x', false)).toEqual([]);
    expect(expandWord(vocabulary, '5141', true)).toEqual([]);
  });

  it('never more than MAX_ALTERNATIVES, nearest first', () => {
    expect(MEANT_COUNT).toBeGreaterThan(1);
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const many: VocabularyTerm[] = [...letters].map((c, i) => ({
      kind: 'word',
      value: `mart${c}n`,
      count: i,
    }));
    many.push({ kind: 'word', value: 'martinez', count: 1 });
    const v = Vocabulary.build(many, VERSION);
    const found = expandWord(v, 'martin', false);
    expect(found).toHaveLength(MAX_ALTERNATIVES);
    expect(found).not.toContain('martin');
    expect(found.every((w) => /^mart.n$/.test(w))).toBe(true);
    // Only words: a user named like the word is not an FTS5 term.
    const named = Vocabulary.build([{ kind: 'user', value: 'Hoffmann', count: 1 }], VERSION);
    expect(expandWord(named, 'hofmann', true)).toEqual([]);
  });
});

describe('typos in the word being typed', () => {
  it('completes text with one typo in it (a letter changed, dropped, added or swapped)', () => {
    const v = Vocabulary.build(
      [
        { kind: 'word', value: 'brown', count: 9 },
        { kind: 'word', value: 'browser', count: 3 },
        { kind: 'word', value: 'hoffmann', count: 5 },
      ],
      VERSION,
    );
    const words = new Set(['word'] as const);
    expect(v.typoCompletions('brew', words, 8).map((m) => m.value)).toEqual(['brown', 'browser']);
    expect(v.typoCompletions('hofm', words, 8).map((m) => m.value)).toEqual(['hoffmann']);
    expect(v.typoCompletions('hfofm', words, 8).map((m) => m.value)).toEqual(['hoffmann']);
    expect(v.typoCompletions('bro', words, 8)).toEqual([]); // too short to correct
    expect(v.typoCompletions('brow', words, 8).map((m) => m.value)).not.toContain('brown');
    expect(expandWord(v, 'brew', true)).toEqual(['brown', 'browser']);
    expect(expandWord(v, 'brew', false)).toEqual([]);
  });
});
