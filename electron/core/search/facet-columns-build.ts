// Reads the facet columns in a worker thread (facet-columns-worker.ts): about a second of SQLite
// reads at 1M entries that must not block the thread serving the app.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWorkerOnce, type OneShotMessage } from '../jobs/spawn-worker';
import type { FacetColumnsRead } from './facet-columns';

export interface FacetColumnsJob {
  workspaceDir: string;
}

export interface FacetColumnsBuilt {
  read: FacetColumnsRead;
  /** Milliseconds in the worker, open to last row. */
  readMs: number;
}

export type FacetColumnsWorkerMessage = OneShotMessage<FacetColumnsBuilt>;

const WORKER_URL = new URL(
  `./facet-columns-worker${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);

/** One worker per build (builds are rare: at open and after an import or sync). */
export function readFacetColumnsInWorker(job: FacetColumnsJob): Promise<FacetColumnsBuilt> {
  return runWorkerOnce(WORKER_URL, job, 'facet columns');
}
