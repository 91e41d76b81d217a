// Starts a worker thread from a module URL. Under tsx (CLI, tests, bench) the module is TypeScript:
// a small bootstrap registers tsx inside the worker first, as bin/audit-desk.mjs does for the CLI.
import { Worker } from 'node:worker_threads';

const TS_BOOTSTRAP = new URL('./ts-worker-bootstrap.mjs', import.meta.url);

export interface WorkerEnvelope<T> {
  moduleHref: string;
  data: T;
}

export function spawnWorker<T>(moduleUrl: URL, data: T): Worker {
  const envelope: WorkerEnvelope<T> = { moduleHref: moduleUrl.href, data };
  const entry = moduleUrl.pathname.endsWith('.ts') ? TS_BOOTSTRAP : moduleUrl;
  return new Worker(entry, { workerData: envelope });
}

/** A one-shot worker's answer: its result, or its error message (workers post one or the other). */
export type OneShotMessage<R> = { type: 'done'; result: R } | { type: 'error'; message: string };

/**
 * Runs a worker that posts one message and is then stopped: its result, or a rejection with its
 * error, its crash or its exit without an answer (`what` names it in that message).
 */
export function runWorkerOnce<T, R>(moduleUrl: URL, data: T, what: string): Promise<R> {
  return new Promise((resolve, reject) => {
    const worker = spawnWorker(moduleUrl, data);
    let settled = false;
    worker.on('message', (message: OneShotMessage<R>) => {
      settled = true;
      if (message.type === 'done') resolve(message.result);
      else reject(new Error(message.message));
      void worker.terminate();
    });
    worker.on('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`${what} worker stopped with code ${code}`));
      settled = true;
    });
  });
}
