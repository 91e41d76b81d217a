// The backoff schedule: full jitter under an exponential, capped ceiling; Retry-After wins, capped.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY_POLICY, retryDelay, type RetryPolicy } from './backoff';
import { seededRandom } from './clock';

const policy: RetryPolicy = {
  ...DEFAULT_RETRY_POLICY,
  baseDelayMs: 100,
  maxDelayMs: 5000,
  maxRetryAfterMs: 20_000,
};

describe('backoff', () => {
  it('ceilings double from the base and stop at the cap', () => {
    const top = (attempt: number) => backoffDelay(attempt, policy, () => 0.999999);
    expect([0, 1, 2, 3, 4, 5, 6, 10, 100].map(top)).toEqual([
      99, 199, 399, 799, 1599, 3199, 4999, 4999, 4999,
    ]);
    expect(backoffDelay(5, policy, () => 0)).toBe(0);
  });

  it('every delay lies in [0, min(cap, base*2^n)) whatever the random source says', () => {
    fc.assert(
      fc.property(
        fc.nat(1000),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, r) => {
          const d = backoffDelay(n, policy, () => r);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThan(
            Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(n, 30)),
          );
          expect(Number.isInteger(d)).toBe(true);
        },
      ),
    );
  });

  it('is reproducible with a seeded random and spreads delays (full jitter)', () => {
    const run = () => {
      const random = seededRandom(42);
      return Array.from({ length: 50 }, () => backoffDelay(6, policy, random));
    };
    expect(run()).toEqual(run());
    const delays = run();
    expect(Math.min(...delays)).toBeLessThan(1000);
    expect(Math.max(...delays)).toBeGreaterThan(4000);
  });

  it('Retry-After replaces the backoff and is capped', () => {
    expect(retryDelay(0, 3000, policy, () => 0.5)).toBe(3000);
    expect(retryDelay(7, 0, policy, () => 0.5)).toBe(0);
    expect(retryDelay(0, 3_600_000, policy, () => 0.5)).toBe(20_000);
    expect(retryDelay(2, undefined, policy, () => 0.5)).toBe(200);
  });
});
