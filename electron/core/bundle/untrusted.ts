// Text taken from a file before (or without) any signature check must not be able to shape the
// messages we print: a newline could fake a second "VERIFIED" line, escape codes could rewrite the
// terminal, bidi overrides could reorder what a reader sees. Every such value goes through quote().

/** Longest quoted value kept in a message: enough to recognize it, not enough to flood a line. */
const MAX_QUOTED = 120;

// JSON.stringify already escapes U+0000-U+001F, quotes, backslashes and lone surrogates; these are
// the other characters that can break or disguise a line: DEL and C1 controls, line/paragraph
// separators, and bidi marks, embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** `value` as a one-line, printable JSON literal (strings in double quotes), shortened if long. */
export function quote(value: unknown): string {
  const text = (JSON.stringify(value) ?? String(value)).replace(
    UNSAFE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
}

/** A path like `tenant.timeZone`, quoting any segment that is not a plain name or index. */
export function formatPath(path: readonly PropertyKey[]): string {
  const plain = (part: PropertyKey) => typeof part === 'number' || /^[\w$-]+$/.test(String(part));
  return path.map((part) => (plain(part) ? String(part) : quote(String(part)))).join('.');
}
