// One request, tried again on failures that are worth another try (429, 5xx, dropped or stalled
// connections), with the waits of backoff.ts. Everything else fails at once: a bad token or a
// missing endpoint will not fix itself by waiting.
import { runtimeError } from '../errors';
import { retryDelay, type RetryPolicy } from './backoff';
import { abortReason, type SyncClock } from './clock';

/** A failure another attempt may cure; `retryAfterMs` is the server's Retry-After, when given. */
export class TransientError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    /**
     * True when the failed attempt moved the work forward: the bytes held for the bundle now exceed
     * the most it ever held (download.ts decides). Bytes received again are not progress.
     */
    readonly progressed = false,
  ) {
    super(message);
    this.name = 'TransientError';
  }
}

export interface RetryInfo {
  what: string;
  /** The attempt about to be made (2 for the first retry). */
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface RetryContext {
  policy: RetryPolicy;
  clock: SyncClock;
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the attempts run out. An attempt that made
 * progress (a download that kept some bytes) starts the count again: a large bundle over a flaky
 * link still finishes, while a server that fails outright is given up on after maxAttempts. In all,
 * at most maxTotalAttempts are made, progress or not.
 */
export async function withRetries<T>(
  what: string,
  attempt: () => Promise<T>,
  ctx: RetryContext,
): Promise<T> {
  let failures = 0;
  let total = 0;
  for (;;) {
    if (ctx.signal?.aborted) throw abortReason(ctx.signal);
    try {
      return await attempt();
    } catch (error) {
      if (ctx.signal?.aborted) throw abortReason(ctx.signal);
      if (!(error instanceof TransientError)) throw error;
      failures = error.progressed ? 1 : failures + 1;
      total++;
      if (failures >= ctx.policy.maxAttempts || total >= ctx.policy.maxTotalAttempts) {
        const attempts = failures >= ctx.policy.maxAttempts ? failures : total;
        throw runtimeError(
          `${what}: ${error.message} (gave up after ${attempts} attempts; run sync again later)`,
        );
      }
      const delayMs = retryDelay(failures - 1, error.retryAfterMs, ctx.policy, ctx.clock.random);
      ctx.onRetry?.({ what, attempt: failures + 1, delayMs, reason: error.message });
      await ctx.clock.sleep(delayMs, ctx.signal);
    }
  }
}
