// Worker thread: verifies bundle files, one job at a time, and streams each one's entries back as
// rows in batches, so verification (this thread) and SQLite inserts (the importing thread) run on
// two cores at once. It stays alive between jobs (verify-stream.ts keeps it idle for the next
// import): a day's bundle verifies faster than a worker starts. A shared counter of batches in
// flight holds the worker back when storage falls behind, keeping memory bounded.
import { parentPort } from 'node:worker_threads';
import { verifyBundleFile } from '../bundle/read-file';
import { TrustStore } from '../bundle/trust-store';
import { RowBatcher, type RowBatch } from './entry-row';
import {
  BATCH_ROWS,
  MAX_BATCHES_IN_FLIGHT,
  type VerifyJob,
  type VerifyMessage,
} from './verify-protocol';

const port = parentPort!;

function verify(job: VerifyJob): void {
  const post = (message: DistributiveOmit<VerifyMessage, 'job'>) =>
    port.postMessage({ ...message, job: job.id });
  const inFlight = new Int32Array(job.control);
  const send = (batch: RowBatch) => {
    post({ type: 'rows', batch });
    Atomics.add(inFlight, 0, 1);
    for (
      let n = Atomics.load(inFlight, 0);
      n >= MAX_BATCHES_IN_FLIGHT;
      n = Atomics.load(inFlight, 0)
    ) {
      Atomics.wait(inFlight, 0, n);
    }
  };
  const batcher = new RowBatcher(send, BATCH_ROWS);
  try {
    const verdict = verifyBundleFile(job.path, {
      trust: new TrustStore(job.trustedKeys),
      onManifest: (manifest, digest, signature) => {
        post({ type: 'manifest', manifest, digest, signature });
        return undefined;
      },
      onEntry: (entry) => batcher.add(entry),
    });
    if (verdict.valid) batcher.finish(); // a rejected bundle is rolled back: its rest is not needed
    post({ type: 'verdict', verdict });
  } catch (error) {
    post({ type: 'error', message: (error as Error).message });
  }
}

port.on('message', verify);

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
