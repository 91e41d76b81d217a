// When to try again: capped exponential backoff with full jitter (a uniform wait in
// [0, min(cap, base * 2^attempt))), which spreads many clients apart after a shared outage better
// than a fixed or "equal" jitter. A server's Retry-After overrides the backoff, capped so that a
// hostile or mistaken header cannot park the sync for hours.

export interface RetryPolicy {
  /** Tries per request, the first included; an attempt that made progress starts the count again. */
  maxAttempts: number;
  /** Tries per request in all, progress or not: a server that creeps forward cannot loop for ever. */
  maxTotalAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After honoured; a longer one is waited only this long. */
  maxRetryAfterMs: number;
  /** A request (or a body) idle this long is abandoned and retried. */
  timeoutMs: number;
  /** A JSON request (listing, keys) taking longer than this in all is abandoned and retried. */
  requestDeadlineMs: number;
  /**
   * Slowest transfer accepted for a bundle: an attempt may take timeoutMs plus the bytes it asks
   * for at this rate, then it is cut off and retried (resuming what it got).
   */
  minBytesPerSecond: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  maxTotalAttempts: 50,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  timeoutMs: 60_000,
  requestDeadlineMs: 120_000,
  minBytesPerSecond: 32 * 1024,
};

/** Wait before retry number `attempt` (0 for the first retry). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** The wait chosen for a retry: the server's Retry-After when given (capped), else the backoff. */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  return backoffDelay(attempt, policy, random);
}
