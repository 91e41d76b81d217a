// The vocabulary index: the workspace's distinct terms (vocabulary-terms.ts), not its entries.
// Two structures over the same folded tokens:
// - a MiniSearch index (public API) of the tokens without digits, for typo tolerance: names, words,
//   actions and label words can be misspelt, identifiers and numbers are never "corrected";
// - a sorted prefix table of every token, for completions: a binary search gives the range of
//   tokens with a prefix however broad ("b"), and the best of that range is picked by frequency.
//   MiniSearch's own prefix search scores every document under the prefix, which a broad prefix
//   over tens of thousands of labels makes slow (docs/performance.md).
// Entries stay in FTS5: this index only says which terms exist, how often, and of what kind.
import MiniSearch, { type Options, type SearchResult } from 'minisearch';
import {
  TERM_KINDS,
  type DataVersion,
  type TermKind,
  type VocabularyTerm,
} from './vocabulary-terms';

/** Case and accent folding for matching typed text to terms (the FTS5 tokenizer folds alike). */
export function foldTerm(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const hasDigit = (token: string) => /\p{Nd}/u.test(token);

/** A label word shared by more labels than this ("booking" in "Booking #5141") finds no label. */
const LABEL_WORD_MAX_LABELS = 50;
/** Fractional edit distance, as MiniSearch's `fuzzy`: 1 edit from 4 letters, 2 from 8. */
export const FUZZINESS = 0.2;
export const MAX_EDITS = 2;
/** Typo tolerance starts at this many characters: below it almost every word is a typo of another. */
export const FUZZY_MIN_LENGTH = 4;
/** Characters tried when a typed letter may be wrong or missing (the most used ones). */
const ALPHABET_SIZE = 48;

/** The folded tokens that find a term (its own folded value always among them). */
function termTokens(term: VocabularyTerm, labelWordCounts: Map<string, number>): string[] {
  const whole = foldTerm(term.value);
  const tokens = new Set([whole]);
  const words = whole.split(/\s+/u).filter((w) => w.length > 0);
  switch (term.kind) {
    case 'user':
      for (const w of words) tokens.add(w);
      for (const other of term.also ?? []) tokens.add(foldTerm(other));
      break;
    case 'action':
      for (const part of whole.split(/[._]/u)) if (part.length > 0) tokens.add(part);
      break;
    case 'entity':
      for (const w of words) {
        if ((labelWordCounts.get(w) ?? 0) > LABEL_WORD_MAX_LABELS) continue;
        tokens.add(w);
        if (w.startsWith('#') && w.length > 1) tokens.add(w.slice(1));
      }
      break;
    default:
      break;
  }
  return [...tokens];
}

function labelWordCounts(terms: readonly VocabularyTerm[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) {
    if (term.kind !== 'entity') continue;
    for (const w of new Set(foldTerm(term.value).split(/\s+/u)))
      counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return counts;
}

interface FuzzyDocument {
  id: number;
  /** Tokens joined by NUL: MiniSearch's tokenizer splits them back, spaces inside a token stay. */
  tokens: string;
}

const SEPARATOR = '\u0000';
const MINISEARCH_OPTIONS: Options<FuzzyDocument> = {
  fields: ['tokens'],
  storeFields: [],
  tokenize: (text) => text.split(SEPARATOR),
  processTerm: (term) => term,
  searchOptions: { tokenize: (text) => [text], processTerm: (term) => term },
};

export interface VocabularyMatch extends VocabularyTerm {
  /** `exact`: the folded text is the term; `prefix`: a token starts with it; `fuzzy`: within typo distance. */
  match: 'exact' | 'prefix' | 'fuzzy';
}

/**
 * The persisted shape (vocabulary-store.ts writes it with a header that checks it). Columns, not
 * objects: a few long strings and number arrays parse many times faster than hundreds of
 * thousands of small objects, and the load happens on the app's main thread. Strings are
 * concatenated with their lengths beside them (labels are untrusted text: no separator is safe).
 */
export interface VocabularyData {
  version: DataVersion;
  /** One character per term: its kind's index in TERM_KINDS. */
  kinds: string;
  values: string;
  valueLengths: number[];
  counts: number[];
  /** [term index, other texts] for the terms that have them (users). */
  also: [number, string[]][];
  /** Sorted folded tokens (concatenated) and, for each, its term's index. */
  prefixTokens: string;
  prefixTokenLengths: number[];
  prefixTerms: number[];
  /** The fuzzy index as MiniSearch's JSON text (loaded with its public loadJSONAsync). */
  fuzzy: string;
}

function cut(joined: string, lengths: readonly number[]): string[] {
  const out = new Array<string>(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    out[i] = joined.slice(at, at + lengths[i]!);
    at += lengths[i]!;
  }
  return out;
}

/** The terms of persisted data, as objects. */
export function dataTerms(data: VocabularyData): VocabularyTerm[] {
  const values = cut(data.values, data.valueLengths);
  const terms = values.map((value, i): VocabularyTerm => ({
    kind: TERM_KINDS[data.kinds.charCodeAt(i) - 48]!,
    value,
    count: data.counts[i]!,
  }));
  for (const [index, also] of data.also) terms[index]!.also = also;
  return terms;
}

export class Vocabulary {
  private readonly prefixTerms: Int32Array;
  // Per term, for the completion loop (typed arrays: a broad prefix walks tens of thousands).
  private readonly kindCodes: Uint8Array;
  private readonly counts: Float64Array;
  private readonly stamps: Uint32Array;
  private stamp = 0;
  /** The characters tokens without digits use most, for the one-edit variants of typed text. */
  private alphabet: string[] | null = null;

  private constructor(
    readonly version: DataVersion,
    readonly terms: readonly VocabularyTerm[],
    private readonly prefixTokens: readonly string[],
    prefixTerms: ArrayLike<number>,
    private readonly fuzzyIndex: MiniSearch<FuzzyDocument>,
  ) {
    this.prefixTerms = Int32Array.from(prefixTerms);
    this.kindCodes = Uint8Array.from(terms, (t) => TERM_KINDS.indexOf(t.kind));
    this.counts = Float64Array.from(terms, (t) => t.count);
    this.stamps = new Uint32Array(terms.length);
  }

  static build(terms: VocabularyTerm[], version: DataVersion): Vocabulary {
    const labelWords = labelWordCounts(terms);
    const pairs: { token: string; term: number }[] = [];
    const fuzzy = new MiniSearch<FuzzyDocument>(MINISEARCH_OPTIONS);
    const documents: FuzzyDocument[] = [];
    terms.forEach((term, index) => {
      const tokens = termTokens(term, labelWords);
      for (const token of tokens) pairs.push({ token, term: index });
      const words = tokens.filter((t) => !hasDigit(t));
      if (words.length > 0) documents.push({ id: index, tokens: words.join(SEPARATOR) });
    });
    fuzzy.addAll(documents);
    // Code-unit order, the order the binary search compares in (not locale order).
    pairs.sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : a.term - b.term));
    return new Vocabulary(
      version,
      terms,
      pairs.map((p) => p.token),
      pairs.map((p) => p.term),
      fuzzy,
    );
  }

  toData(): VocabularyData {
    return {
      version: this.version,
      kinds: this.terms.map((t) => String.fromCharCode(48 + TERM_KINDS.indexOf(t.kind))).join(''),
      values: this.terms.map((t) => t.value).join(''),
      valueLengths: this.terms.map((t) => t.value.length),
      counts: this.terms.map((t) => t.count),
      also: this.terms.flatMap((t, i): [number, string[]][] => (t.also ? [[i, t.also]] : [])),
      prefixTokens: this.prefixTokens.join(''),
      prefixTokenLengths: this.prefixTokens.map((t) => t.length),
      prefixTerms: [...this.prefixTerms],
      fuzzy: JSON.stringify(this.fuzzyIndex),
    };
  }

  /** Rebuilds from persisted data; MiniSearch is loaded in slices so a main thread stays responsive. */
  static async fromData(data: VocabularyData): Promise<Vocabulary> {
    // Each step is a few tens of milliseconds at a million entries; the event loop is served
    // between them (the app loads this on its main thread while the workspace is already in use).
    const pause = () => new Promise((resolve) => setImmediate(resolve));
    const fuzzy = await MiniSearch.loadJSONAsync<FuzzyDocument>(data.fuzzy, MINISEARCH_OPTIONS);
    await pause();
    const terms = dataTerms(data);
    await pause();
    const tokens = cut(data.prefixTokens, data.prefixTokenLengths);
    await pause();
    return new Vocabulary(data.version, terms, tokens, data.prefixTerms, fuzzy);
  }

  /** The first token position not below `text` (code-unit order, as sorted). */
  private lowerBound(text: string): number {
    let lo = 0;
    let hi = this.prefixTokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.prefixTokens[mid]! < text) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The highest count among terms of the given kinds with a token equal to `text` (folded), or
   * starting with it when `prefix`; 0 when there is none.
   */
  highestCount(text: string, kinds: ReadonlySet<TermKind>, prefix: boolean): number {
    const folded = foldTerm(text);
    const start = this.lowerBound(folded);
    const end = this.lowerBound(prefix ? `${folded}\uffff` : `${folded}\u0000`);
    let highest = 0;
    for (let i = start; i < end; i++) {
      const index = this.prefixTerms[i]!;
      if (kinds.has(TERM_KINDS[this.kindCodes[index]!]!))
        highest = Math.max(highest, this.counts[index]!);
    }
    return highest;
  }

  /**
   * Terms of the given kinds that have a token starting with `text` (folded): the `limit` most
   * frequent, those with a token equal to it first. A broad prefix walks its whole range once, over
   * integers only (two binary searches find the range and its exact start).
   */
  completions(text: string, kinds: ReadonlySet<TermKind>, limit: number): VocabularyMatch[] {
    const folded = foldTerm(text);
    const start = this.lowerBound(folded);
    const exactEnd = this.lowerBound(`${folded}\u0000`);
    const end = this.lowerBound(`${folded}\uffff`);
    const wanted = new Uint8Array(TERM_KINDS.length);
    for (const kind of kinds) wanted[TERM_KINDS.indexOf(kind)] = 1;
    // A new stamp per call marks the terms seen in this call without clearing an array.
    this.stamp = (this.stamp + 1) >>> 0 || 1;
    if (this.stamp === 1) this.stamps.fill(0);
    const stamp = this.stamp;
    const exact = new Set<number>();
    const best: number[] = [];
    const compare = (a: number, b: number) =>
      Number(exact.has(b)) - Number(exact.has(a)) || this.counts[b]! - this.counts[a]! || a - b;
    for (let i = start; i < end; i++) {
      const index = this.prefixTerms[i]!;
      if (this.stamps[index] === stamp) continue;
      this.stamps[index] = stamp;
      if (wanted[this.kindCodes[index]!] === 0) continue;
      // Exact tokens come first in the range, so a term is known exact before it is ranked.
      if (i < exactEnd) exact.add(index);
      insertByRank(best, index, limit, compare);
    }
    return best.map((index) => ({
      ...this.terms[index]!,
      match: exact.has(index) ? 'exact' : 'prefix',
    }));
  }

  /**
   * Completions of text that is being typed with a typo in it (`brew` → `brown`): the completions
   * of every one-edit variant of `text` (a letter dropped, changed, added or two swapped) that
   * starts a token, most frequent first, excluding completions of `text` itself. A few hundred
   * binary searches; nothing for short text or text with digits.
   */
  typoCompletions(text: string, kinds: ReadonlySet<TermKind>, limit: number): VocabularyMatch[] {
    const folded = foldTerm(text);
    if (folded.length < FUZZY_MIN_LENGTH || hasDigit(folded)) return [];
    const variants = new Set<string>();
    const chars = [...folded];
    const alphabet = this.letters();
    for (let i = 0; i <= chars.length; i++) {
      const head = chars.slice(0, i).join('');
      const tail = chars.slice(i).join('');
      for (const c of alphabet) variants.add(head + c + tail);
      if (i < chars.length) {
        const rest = chars.slice(i + 1).join('');
        variants.add(head + rest);
        for (const c of alphabet) variants.add(head + c + rest);
        if (i + 1 < chars.length)
          variants.add(head + chars[i + 1]! + chars[i]! + chars.slice(i + 2).join(''));
      }
    }
    variants.delete(folded);
    const found = new Map<string, VocabularyMatch>();
    for (const variant of variants) {
      if (variant.startsWith(folded)) continue; // completions of the text itself, not typos
      const at = this.lowerBound(variant);
      if (at >= this.prefixTokens.length || !this.prefixTokens[at]!.startsWith(variant)) continue;
      for (const match of this.completions(variant, kinds, limit)) {
        if (foldTerm(match.value).startsWith(folded)) continue;
        found.set(`${match.kind}\u0000${match.value}`, { ...match, match: 'fuzzy' });
      }
    }
    return [...found.values()].sort((a, b) => b.count - a.count).slice(0, limit);
  }

  private letters(): string[] {
    if (this.alphabet !== null) return this.alphabet;
    const counts = new Map<string, number>();
    for (const token of this.prefixTokens) {
      if (hasDigit(token)) continue;
      for (const c of token) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    this.alphabet = [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, ALPHABET_SIZE)
      .map(([c]) => c);
    return this.alphabet;
  }

  /**
   * Terms of the given kinds within typo distance of `text` (one whole token, folded), nearest and
   * most frequent first, the term itself excluded. Nothing for short text or text with digits.
   */
  typos(text: string, kinds: ReadonlySet<TermKind>, limit: number): VocabularyMatch[] {
    const folded = foldTerm(text);
    if (folded.length < FUZZY_MIN_LENGTH || hasDigit(folded)) return [];
    const results: SearchResult[] = this.fuzzyIndex.search(folded, {
      fuzzy: FUZZINESS,
      maxFuzzy: MAX_EDITS,
      prefix: false,
      filter: (result) => kinds.has(this.terms[result.id as number]!.kind),
    });
    const scored = results
      .map((r) => ({
        index: r.id as number,
        edits: Math.min(...r.terms.map((t) => editDistance(t, folded))),
      }))
      .filter((r) => r.edits > 0);
    scored.sort(
      (a, b) => a.edits - b.edits || this.terms[b.index]!.count - this.terms[a.index]!.count,
    );
    return scored.slice(0, limit).map((r) => ({ ...this.terms[r.index]!, match: 'fuzzy' }));
  }
}

/** Keeps `best` sorted by `compare` and at most `limit` long (a small top-k, no full sort). */
function insertByRank(
  best: number[],
  item: number,
  limit: number,
  compare: (a: number, b: number) => number,
): void {
  if (limit <= 0) return;
  if (best.length === limit && compare(item, best[limit - 1]!) >= 0) return;
  let i = best.length;
  while (i > 0 && compare(item, best[i - 1]!) < 0) i--;
  best.splice(i, 0, item);
  if (best.length > limit) best.pop();
}

/** Levenshtein distance (insertions, deletions, substitutions), as MiniSearch counts edits. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
