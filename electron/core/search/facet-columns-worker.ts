// Worker thread: reads one workspace's facet columns (facet-columns.ts) and hands the arrays back
// without copying them.
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerEnvelope } from '../jobs/spawn-worker';
import { openWorkspace } from '../workspace/database';
import { readFacetColumns, transferList } from './facet-columns';
import type { FacetColumnsJob, FacetColumnsWorkerMessage } from './facet-columns-build';

// Started directly (bundled app) the envelope is workerData; through the TypeScript bootstrap too.
const job = (workerData as WorkerEnvelope<FacetColumnsJob>).data;
let message: FacetColumnsWorkerMessage;
let transfer: ArrayBuffer[] = [];
try {
  const started = performance.now();
  // Read-only: never writes the database, and runs beside an import without locking it.
  const ws = openWorkspace(job.workspaceDir, { readonly: true });
  try {
    const read = readFacetColumns(ws.db);
    if (read.status === 'ok') transfer = transferList(read.data);
    message = { type: 'done', result: { read, readMs: performance.now() - started } };
  } finally {
    ws.close();
  }
} catch (error) {
  message = { type: 'error', message: (error as Error).message };
}
parentPort!.postMessage(message, transfer);
