// Tokenizer: splits a query into terms (`-`? then a word, a "phrase" or name:value) with their
// positions, and undoes the escapes inside quotes. One pass, no backtracking, so it stays linear
// on any input. Values are interpreted later, in parse.ts.
import { isIPv6 } from './ip';
import type { QueryError } from './ast';
import { show } from './messages';

export interface RawTerm {
  /** Offset of the term (its `-` if negated) and just past its end. */
  start: number;
  end: number;
  negated: boolean;
  /** Qualifier name as typed (no colon), or null for free text. */
  name: string | null;
  nameStart: number;
  /** The word, the phrase or the qualifier value, with the escapes of quotes undone. */
  value: string;
  /** The value as typed: its quotes included when `quoted`. */
  valueStart: number;
  valueEnd: number;
  quoted: boolean;
}

export type ScanResult = { ok: true; terms: RawTerm[] } | { ok: false; error: QueryError };

/** Whitespace separates terms: anything JavaScript's `\s` matches (spaces, tabs, NBSP, newlines). */
export const SPACE = /\s/;
const NAME = /^[A-Za-z]+$/;
const HEX_NAME = /^[A-Fa-f]+$/;

/**
 * Where the qualifier's colon is in a bare word, or -1 if the word is free text. A qualifier is
 * ASCII letters then `:`; a whole word that is an IPv6 address (`fe:1::2`) stays free text.
 */
export function qualifierColon(word: string): number {
  const colon = word.indexOf(':');
  if (colon <= 0) return -1;
  const name = word.slice(0, colon);
  if (!NAME.test(name)) return -1;
  if (HEX_NAME.test(name) && isIPv6(word)) return -1;
  return colon;
}

class ScanError extends Error {
  constructor(readonly error: QueryError) {
    super(error.message);
  }
}

export function scan(text: string): ScanResult {
  try {
    return { ok: true, terms: scanTerms(text) };
  } catch (e) {
    if (e instanceof ScanError) return { ok: false, error: e.error };
    throw e;
  }
}

function fail(message: string, position: number, length: number): never {
  throw new ScanError({ message, position, length });
}

function scanTerms(text: string): RawTerm[] {
  const n = text.length;
  const isSpace = (i: number) => SPACE.test(text[i]!);
  const terms: RawTerm[] = [];

  // A quoted string from the `"` at q: its unescaped text and the offset past the closing quote.
  const readQuoted = (q: number): { value: string; end: number } => {
    let value = '';
    let chunk = q + 1;
    for (let i = q + 1; i < n; i++) {
      const c = text[i];
      if (c === '"') {
        value += text.slice(chunk, i);
        if (i + 1 < n && !isSpace(i + 1))
          fail('expected a space after the closing quote', i + 1, 1);
        return { value, end: i + 1 };
      }
      if (c === '\\') {
        const next = text[i + 1];
        if (next === undefined) break;
        if (next !== '"' && next !== '\\') {
          // The whole code point, so an emoji after a backslash is shown and underlined whole.
          const shown = String.fromCodePoint(text.codePointAt(i + 1)!);
          fail(
            `invalid escape ${show(`\\${shown}`)} inside quotes (only \\" and \\\\ are escapes)`,
            i,
            1 + shown.length,
          );
        }
        value += text.slice(chunk, i) + next;
        i++;
        chunk = i + 1;
      }
    }
    return fail('unterminated quote', q, n - q);
  };

  let pos = 0;
  for (;;) {
    while (pos < n && isSpace(pos)) pos++;
    if (pos >= n) return terms;
    const start = pos;
    const negated = text[pos] === '-';
    if (negated) {
      pos++;
      if (pos >= n || isSpace(pos))
        fail('"-" must be followed by a word, "phrase" or qualifier to exclude', start, 1);
      if (text[pos] === '-') {
        let end = pos;
        while (end < n && !isSpace(end)) end++;
        fail('a term cannot start with "--" (quote it to search for the text)', start, end - start);
      }
    }
    const body = pos;
    if (text[pos] === '"') {
      const q = readQuoted(pos);
      terms.push({
        start,
        end: q.end,
        negated,
        name: null,
        nameStart: body,
        value: q.value,
        valueStart: body,
        valueEnd: q.end,
        quoted: true,
      });
      pos = q.end;
      continue;
    }
    while (pos < n && !isSpace(pos) && text[pos] !== '"') pos++;
    const word = text.slice(body, pos);
    const colon = qualifierColon(word);
    if (pos < n && text[pos] === '"') {
      if (colon < 0 || colon !== word.length - 1)
        fail(
          'unexpected quote inside a word (put a space before it, or quote the whole term)',
          pos,
          1,
        );
      const q = readQuoted(pos);
      terms.push({
        start,
        end: q.end,
        negated,
        name: word.slice(0, colon),
        nameStart: body,
        value: q.value,
        valueStart: pos,
        valueEnd: q.end,
        quoted: true,
      });
      pos = q.end;
      continue;
    }
    if (colon < 0) {
      terms.push({
        start,
        end: pos,
        negated,
        name: null,
        nameStart: body,
        value: word,
        valueStart: body,
        valueEnd: pos,
        quoted: false,
      });
      continue;
    }
    terms.push({
      start,
      end: pos,
      negated,
      name: word.slice(0, colon),
      nameStart: body,
      value: word.slice(colon + 1),
      valueStart: body + colon + 1,
      valueEnd: pos,
      quoted: false,
    });
  }
}
