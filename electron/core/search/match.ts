// Free text (words, "phrases", -exclusions) as one FTS5 MATCH expression. Every typed text becomes
// an FTS5 string (ftsString): whatever the user types is only ever words to look for, never FTS5
// operators, and the expression is bound as a parameter, never spliced into SQL.
import type { Query } from '../../../shared/query';
import { ftsString, type FTS_COLUMNS } from './full-text';

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

/** The FTS5 column that holds the entity label (full-text.ts). */
const LABEL_COLUMN: (typeof FTS_COLUMNS)[number] = 'entity';

/**
 * Code points whose case variants the FTS5 tokenizer folds as JavaScript's toLowerCase does, and
 * whose letter-or-separator class it shares with textTokens: Latin, Greek, Cyrillic, punctuation,
 * kana, CJK ideographs, Hangul syllables. Checked over every code point of Unicode by
 * entity-label.test.ts against the real tokenizer. Left out: dotted capital I (U+0130), which
 * lower-cases to `i` plus a combining dot (two words for the tokenizer), and letters whose case
 * pair came in Unicode 7 or later, which SQLite's tables do not fold (ƛ, Greek yot, Cyrillic
 * U+0528–U+052F).
 */
const FOLDS_LIKE_THE_INDEX: readonly (readonly [number, number])[] = [
  [0x0000, 0x012f],
  [0x0131, 0x019a],
  [0x019c, 0x024f],
  [0x0370, 0x037e],
  [0x0380, 0x03f2],
  [0x03f4, 0x0527],
  [0x1e00, 0x1fff],
  [0x2000, 0x206f],
  [0x3040, 0x30ff],
  [0x4e00, 0x9fff],
  [0xac00, 0xd7a3],
];

const MARK = /\p{M}/u;

/** True when the prefilter below is safe for this label (exported for the exhaustive test). */
export function foldsLikeTheIndex(label: string): boolean {
  if (label !== label.normalize('NFC')) return false;
  for (const char of label) {
    const cp = char.codePointAt(0)!;
    if (MARK.test(char) || !FOLDS_LIKE_THE_INDEX.some(([lo, hi]) => cp >= lo && cp <= hi))
      return false;
  }
  return true;
}

/**
 * An FTS5 expression every entry whose label equals `label` ignoring case matches (and a few more:
 * other labels holding the same words in that order, or the same words with other accents): the
 * label's words as a phrase in the label column. Null when no such expression is known to be
 * safe: a label without letters or digits (`#`), or with characters outside FOLDS_LIKE_THE_INDEX,
 * whose case variants the tokenizer might fold differently than toLowerCase (a label the index
 * would then miss). The caller still checks the label exactly on the rows it selects.
 */
export function labelPrefilter(label: string): string | null {
  if (textTokens(label).length === 0 || !foldsLikeTheIndex(label)) return null;
  return `${LABEL_COLUMN} : ${ftsString(label)}`;
}
