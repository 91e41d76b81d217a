// The typo tolerance of free text: compileQuery's `expandWord` hook. A bare word becomes itself OR
// the vocabulary's words within typo distance (and, for the word being typed, its most frequent
// completions), so FTS5 finds `Hoffmann` for `hofmann`. Capped so the FTS5 query stays a handful of
// terms whatever the vocabulary holds.
import type { Vocabulary } from './vocabulary';

/** At most this many alternatives per word (each one is another term of the FTS5 query). */
export const MAX_ALTERNATIVES = 8;

const WORDS = new Set(['word'] as const);

/**
 * Alternatives for `word` as FTS5 terms (its vocabulary spelling), nearest typos first, never the
 * word itself. `isLastWord`: the word may still be being typed, so completions are added.
 */
export function expandWord(vocabulary: Vocabulary, word: string, isLastWord: boolean): string[] {
  const alternatives = new Set<string>();
  for (const match of vocabulary.typos(word, WORDS, MAX_ALTERNATIVES))
    alternatives.add(match.value);
  if (isLastWord) {
    // The word being typed: its completions, then completions of it with one typo (`brew` → brown).
    for (const match of [
      ...vocabulary.completions(word, WORDS, MAX_ALTERNATIVES + 1),
      ...vocabulary.typoCompletions(word, WORDS, MAX_ALTERNATIVES),
    ]) {
      if (alternatives.size >= MAX_ALTERNATIVES) break;
      if (match.match !== 'exact') alternatives.add(match.value);
    }
  }
  return [...alternatives];
}
