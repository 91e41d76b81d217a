// Defence in depth for the token: it only ever goes into the Authorization header, but any text
// that leaves the sync (errors, progress, the recorded run) passes through here, so that a server
// echoing it back or a future bug cannot put it on screen or on disk.
export const REDACTED = '[redacted token]';

export type Redact = (text: string) => string;

export function redactorFor(token: string): Redact {
  if (token.length === 0) return (text) => text;
  return (text) => text.split(token).join(REDACTED);
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
