// Worker entry for TypeScript worker modules (see spawn-worker.ts).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.moduleHref);
