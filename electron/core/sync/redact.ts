// Defence in depth for the token: it only ever goes into the Authorization header, but any text
// that leaves the sync (errors, progress, the recorded run) passes through here, so that a server
// echoing it back or a future bug cannot put it on screen or on disk.
export const REDACTED = '[redacted token]';

export type Redact = (text: string) => string;

/** Shortest start of the token recognized at a cut (the end of a text, or before `…`). */
const MIN_CUT_PREFIX = 6;

/**
 * Replaces the token, and the start of it left where a text was cut (at its end, or just before
 * `…`): texts are redacted before they are shortened, but one shortened earlier must not keep
 * half the token either.
 */
export function redactorFor(token: string): Redact {
  if (token.length === 0) return (text) => text;
  const shortest = Math.min(MIN_CUT_PREFIX, token.length);
  return (text) => {
    let out = text.split(token).join(REDACTED);
    for (let k = token.length - 1; k >= shortest; k--) {
      const prefix = token.slice(0, k);
      if (out.includes(`${prefix}…`)) out = out.split(`${prefix}…`).join(`${REDACTED}…`);
      if (out.endsWith(prefix)) out = `${out.slice(0, -k)}${REDACTED}`;
    }
    return out;
  };
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** `text` redacted, then made one line (control characters → space) and cut to `max` characters. */
export function cleanLine(text: string, max: number, redact: Redact = (t) => t): string {
  const line = redact(text).replace(CONTROL, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** An error with the token scrubbed from its message (same class and kind when possible). */
export function redactError(error: unknown, redact: Redact): unknown {
  if (!(error instanceof Error)) return new Error(redact(String(error)));
  const clean = redact(error.message);
  if (clean !== error.message) {
    error.message = clean;
    if (error.stack !== undefined) error.stack = redact(error.stack);
  }
  return error;
}
