// Worker thread: builds one workspace's vocabulary file (vocabulary-build.ts) and reports.
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerEnvelope } from '../jobs/spawn-worker';
import {
  buildVocabularyFile,
  type VocabularyBuildJob,
  type VocabularyWorkerMessage,
} from './vocabulary-build';

// Started directly (bundled app) the envelope is workerData; through the TypeScript bootstrap too.
const job = (workerData as WorkerEnvelope<VocabularyBuildJob>).data;
let message: VocabularyWorkerMessage;
try {
  message = { type: 'done', result: buildVocabularyFile(job) };
} catch (error) {
  message = { type: 'error', message: (error as Error).message };
}
parentPort!.postMessage(message);
