// Reads the facet columns in a worker thread (facet-columns-worker.ts): about a second of SQLite
// reads at 1M entries that must not block the thread serving the app.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnWorker } from '../jobs/spawn-worker';
import type { FacetColumnsRead } from './facet-columns';

export interface FacetColumnsJob {
  workspaceDir: string;
}

export interface FacetColumnsBuilt {
  read: FacetColumnsRead;
  /** Milliseconds in the worker, open to last row. */
  readMs: number;
}

export type FacetColumnsWorkerMessage =
  ({ type: 'done' } & FacetColumnsBuilt) | { type: 'error'; message: string };

const WORKER_URL = new URL(
  `./facet-columns-worker${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);

/** One worker per build (builds are rare: at open and after an import or sync). */
export function readFacetColumnsInWorker(job: FacetColumnsJob): Promise<FacetColumnsBuilt> {
  return new Promise((resolve, reject) => {
    const worker = spawnWorker(WORKER_URL, job);
    let settled = false;
    worker.on('message', (message: FacetColumnsWorkerMessage) => {
      settled = true;
      if (message.type === 'done') resolve({ read: message.read, readMs: message.readMs });
      else reject(new Error(message.message));
      void worker.terminate();
    });
    worker.on('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`facet columns worker stopped with code ${code}`));
      settled = true;
    });
  });
}
