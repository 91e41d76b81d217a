// The retry loop: transient failures are retried with the policy's waits, a Retry-After wins,
// progress restarts the count, permanent errors and cancellation stop at once.
import { describe, expect, it } from 'vitest';
import { AuditDeskError, runtimeError } from '../errors';
import { DEFAULT_RETRY_POLICY } from './backoff';
import { seededRandom, type SyncClock } from './clock';
import { TransientError, withRetries, type RetryInfo } from './retry';

function context(maxAttempts = 4, signal?: AbortSignal) {
  const sleeps: number[] = [];
  const retries: RetryInfo[] = [];
  const clock: SyncClock = {
    now: () => 0,
    random: seededRandom(1),
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  };
  const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts, baseDelayMs: 100, maxDelayMs: 1000 };
  return {
    sleeps,
    retries,
    ctx: { policy, clock, signal, onRetry: (i: RetryInfo) => retries.push(i) },
  };
}

describe('withRetries', () => {
  it('retries transient failures, honouring Retry-After, then succeeds', async () => {
    const { sleeps, retries, ctx } = context();
    const failures = [new TransientError('reset'), new TransientError('429', 2500)];
    const result = await withRetries(
      'GET x',
      async () => {
        const next = failures.shift();
        if (next) throw next;
        return 'ok';
      },
      ctx,
    );
    expect(result).toBe('ok');
    expect(sleeps[1]).toBe(2500);
    expect(sleeps[0]).toBeLessThan(100);
    expect(retries.map((r) => [r.attempt, r.reason])).toEqual([
      [2, 'reset'],
      [3, '429'],
    ]);
  });

  it('gives up after maxAttempts with one line naming what and why', async () => {
    const { ctx } = context(3);
    await expect(
      withRetries(
        'GET /v1/audit/keys',
        () => Promise.reject(new TransientError('server error 503')),
        ctx,
      ),
    ).rejects.toThrow(
      /^GET \/v1\/audit\/keys: server error 503 \(gave up after 3 attempts; run sync again later\)$/,
    );
  });

  it('an attempt that made progress restarts the count', async () => {
    const { ctx } = context(2);
    let calls = 0;
    const result = await withRetries(
      'download',
      async () => {
        calls++;
        if (calls <= 5) throw new TransientError('cut', undefined, true);
        return calls;
      },
      ctx,
    );
    expect(result).toBe(6);
  });

  it('permanent errors are not retried; cancellation stops between attempts', async () => {
    const { sleeps, ctx } = context();
    await expect(
      withRetries('x', () => Promise.reject(runtimeError('token rejected')), ctx),
    ).rejects.toBeInstanceOf(AuditDeskError);
    expect(sleeps).toEqual([]);
    const controller = new AbortController();
    const aborting = context(10, controller.signal);
    await expect(
      withRetries(
        'x',
        () => {
          controller.abort();
          return Promise.reject(new TransientError('reset'));
        },
        aborting.ctx,
      ),
    ).rejects.toThrow(/cancelled|abort/i);
    expect(aborting.sleeps).toEqual([]);
  });
});
