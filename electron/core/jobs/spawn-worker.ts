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
