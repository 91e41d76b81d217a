// The typo tolerance of free text: the `expandWord` hook of the search (match.ts). A bare word
// the workspace hardly knows becomes itself OR the vocabulary's words within typo distance, so
// FTS5 finds `Hoffmann` for `hofmann`. For the word being typed (the last one) the search already
// adds a prefix (`"hof"*`) from MIN_PREFIX_CHARS characters on; below that the vocabulary's most
// frequent completions stand in, and when nothing frequent starts with it, completions of the word
// with one typo in it are added (`brew` → `brown`). Capped, so the FTS5 query stays a handful of
// terms whatever the vocabulary holds.
import { MIN_PREFIX_CHARS, textTokens } from './match';
import { foldTerm, type Vocabulary } from './vocabulary';

/** At most this many alternatives per word (each one is another term of the FTS5 query). */
export const MAX_ALTERNATIVES = 8;

/**
 * A word in at least this many entries is taken as meant, not as a typo: `oven` is not widened to
 * `Sven`, nor `booking` to `bookings`. Below it (unknown or rare words) typo spellings are added.
 */
export const MEANT_COUNT = 10;

const WORDS = new Set(['word'] as const);

/**
 * Alternatives for `word` as FTS5 terms (their vocabulary spelling), nearest typos first, never
 * the word itself. A word FTS5 splits in several (`booking.cancelled`) is searched as typed.
 */
export function expandWord(vocabulary: Vocabulary, word: string, isLastWord: boolean): string[] {
  if (textTokens(word).length !== 1) return [];
  const folded = foldTerm(word);
  const alternatives = new Set<string>();
  const add = (matches: { value: string; match: string }[]) => {
    for (const match of matches) {
      if (alternatives.size >= MAX_ALTERNATIVES) return;
      // Completions of the word being typed are the search's own prefix: not added twice.
      if (isLastWord && foldTerm(match.value).startsWith(folded)) continue;
      if (match.match !== 'exact') alternatives.add(match.value);
    }
  };
  if (vocabulary.highestCount(word, WORDS, false) < MEANT_COUNT)
    add(vocabulary.typos(word, WORDS, MAX_ALTERNATIVES));
  if (isLastWord) {
    if ([...folded].length < MIN_PREFIX_CHARS)
      for (const match of vocabulary.completions(word, WORDS, MAX_ALTERNATIVES + 1))
        if (alternatives.size < MAX_ALTERNATIVES && match.match !== 'exact')
          alternatives.add(match.value);
    if (vocabulary.highestCount(word, WORDS, true) < MEANT_COUNT)
      add(vocabulary.typoCompletions(word, WORDS, MAX_ALTERNATIVES));
  }
  return [...alternatives];
}
