// Time and chance behind the sync's waits, injectable so tests run retries instantly and
// reproducibly (a seeded random for the jitter, a fake sleep that only records its delays).
import { mulberry32 } from '../../../shared/seeded-random';

export interface SyncClock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason once `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Uniform in [0, 1): the jitter of the backoff. */
  random(): number;
}

export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('sync cancelled', 'AbortError');
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemClock: SyncClock = { now: () => Date.now(), sleep, random: Math.random };

/** A seeded random source for reproducible jitter in tests. */
export const seededRandom = mulberry32;
