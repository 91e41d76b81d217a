// Free text (words, "phrases", -exclusions) as one FTS5 MATCH expression. Every typed text becomes
// an FTS5 string (ftsString): whatever the user types is only ever words to look for, never FTS5
// operators, and the expression is bound as a parameter, never spliced into SQL.
import type { Query } from '../../../shared/query';
import { ftsString } from './full-text';

/**
 * Alternatives for a bare word that must match (typo spellings, completions), as whole terms;
 * `isLastWord`: the word ends the query, so it may still be being typed. Exclusions and phrases
 * are never expanded.
 */
export type ExpandWord = (word: string, isLastWord: boolean) => string[];

/**
 * With an expansion, the word being typed also matches as a prefix (`"hof"*`) once its last part
 * has this many characters. There are no prefix indexes (they would more than double the import's
 * cost, docs/search.md), so FTS5 merges the postings of every term that starts with the prefix:
 * bounded for three characters and more, costly for one or two, where the vocabulary's most
 * frequent completions stand in.
 */
export const MIN_PREFIX_CHARS = 3;

/** Word characters of the unicode61 tokenizer (letters, digits, private use); the rest separate. */
const SEPARATORS = /[^\p{L}\p{N}\p{Co}]+/u;

/** The words FTS5 would see in `text` (before case and accent folding). */
export function textTokens(text: string): string[] {
  return text
    .normalize('NFC')
    .split(SEPARATORS)
    .filter((t) => t !== '');
}

export type TextMatch =
  | { kind: 'none' }
  /** Entries must match `match` (which also holds the exclusions). */
  | { kind: 'require'; match: string }
  /** No text is required; entries matching `match` are excluded. */
  | { kind: 'exclude'; match: string };

function wordTerm(word: string, isLastWord: boolean, expandWord: ExpandWord | undefined): string {
  if (expandWord === undefined) return ftsString(word);
  const tokens = textTokens(word);
  const prefix = isLastWord && [...tokens[tokens.length - 1]!].length >= MIN_PREFIX_CHARS;
  const terms = new Set([`${ftsString(word)}${prefix ? '*' : ''}`]);
  for (const alternative of expandWord(word, isLastWord))
    if (textTokens(alternative).length > 0) terms.add(ftsString(alternative));
  return terms.size === 1 ? [...terms][0]! : `(${[...terms].join(' OR ')})`;
}

/**
 * The free text of a query. Texts without any word character (`#`, `--`) are left out: the index
 * holds no such word, and ignoring them is kinder than matching nothing.
 */
export function textMatch(query: Query, expandWord?: ExpandWord): TextMatch {
  const required: string[] = [];
  const excluded: string[] = [];
  const lastIndex = query.clauses.length - 1;
  query.clauses.forEach((clause, i) => {
    if (clause.kind !== 'text' || textTokens(clause.text).length === 0) return;
    if (clause.negated) excluded.push(ftsString(clause.text));
    else if (clause.phrase) required.push(ftsString(clause.text));
    else required.push(wordTerm(clause.text, i === lastIndex, expandWord));
  });
  if (required.length === 0)
    return excluded.length === 0
      ? { kind: 'none' }
      : { kind: 'exclude', match: excluded.join(' OR ') };
  const all = required.length === 1 ? required[0]! : `(${required.join(' AND ')})`;
  return { kind: 'require', match: [all, ...excluded].join(' NOT ') };
}
