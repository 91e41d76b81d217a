// Writes on a workspace's shared connection while a job (import, sync) holds the write lock: the
// shared connection waits without blocking (busy_timeout 0, retried on timers), so the event loop
// keeps serving and the job, which needs it to progress, can finish its transaction.
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiFailure } from './errors';

export const BUSY_WAIT_MS = 30_000;

export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

export async function retryWhileBusy<T>(run: () => T, waitMs = BUSY_WAIT_MS): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
    try {
      return run();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() >= deadline)
        throw new ApiFailure(
          'conflict',
          'the workspace is busy (an import or sync is writing); try again when it has finished',
        );
      await sleep(delay);
    }
  }
}
