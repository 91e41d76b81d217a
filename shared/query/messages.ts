// Helpers for one-line error messages: quoting what the user typed and "did you mean" hints.

/** A problem inside a qualifier's value, at `offset`/`length` relative to the value text. */
export interface ValueError {
  message: string;
  offset: number;
  length: number;
}
export type ValueResult<T> = { ok: true; value: T } | { ok: false; error: ValueError };

const SHOWN_MAX = 40;

/**
 * `"value"` for a message: control characters and line breaks are escaped so the message stays on
 * one line, and long values are cut (the error position already points at the whole thing).
 */
export function show(value: string): string {
  const cut = value.length > SHOWN_MAX ? `${value.slice(0, SHOWN_MAX)}…` : value;
  // eslint-disable-next-line no-control-regex
  const escaped = cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `"${escaped}"`;
}

/** Levenshtein distance, cut short past `max` (names are short; this stays cheap on long input). */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      row.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The closest of `choices` to what was typed (lower-cased): a choice it starts, or one within
 * two edits (one for very short input), else undefined.
 */
export function closest(typed: string, choices: readonly string[]): string | undefined {
  const t = typed.toLowerCase();
  if (t.length === 0 || t.length > 40) return undefined;
  const max = t.length <= 3 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = max + 1;
  for (const c of choices) {
    const d = editDistance(t, c, max);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== undefined) return best;
  if (t.length >= 2) return choices.find((c) => c.startsWith(t));
  return undefined;
}
