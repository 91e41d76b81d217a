// Verifies a bundle file while handing its entries on in batches of rows. Small files are verified
// in this thread; larger ones in a worker thread (verify-worker.ts), kept between imports, so that
// verifying and storing overlap on two cores. Either way the same BundleVerifier decides.
import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest, Verdict } from '../../../shared/bundle';
import { verifyBundleFile } from '../bundle/read-file';
import type { TrustStore } from '../bundle/trust-store';
import { spawnWorker } from '../jobs/spawn-worker';
import { RowBatcher, type RowBatch } from './entry-row';
import { BATCH_ROWS, type VerifyJob, type VerifyMessage } from './verify-protocol';

export interface StreamHandlers {
  /** As VerifierOptions.onManifest: return a verdict to stop. */
  onManifest(manifest: Manifest, digest: string, signature: string): Verdict | undefined;
  onRows(batch: RowBatch): void;
}

/** Files from this size on (a few hundred entries) are verified in a worker; below it, handing rows
 * across threads costs more than the overlap gains. The worker is started once and reused. */
export const WORKER_MIN_BYTES = 256 * 1024;

const WORKER_URL = new URL(
  `./verify-worker${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);

export function verifyStreaming(
  path: string,
  trust: TrustStore,
  handlers: StreamHandlers,
  workerMinBytes = WORKER_MIN_BYTES,
): Promise<Verdict> {
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    // verifyBundleFile turns the same problem into an `unreadable` verdict
  }
  return size >= workerMinBytes
    ? verifyInWorker(path, trust, handlers)
    : Promise.resolve(verifyHere(path, trust, handlers));
}

function verifyHere(path: string, trust: TrustStore, handlers: StreamHandlers): Verdict {
  const batcher = new RowBatcher(handlers.onRows, BATCH_ROWS);
  const verdict = verifyBundleFile(path, {
    trust,
    onManifest: handlers.onManifest,
    onEntry: (entry) => batcher.add(entry),
  });
  if (verdict.valid) batcher.finish();
  return verdict;
}

function verifyInWorker(
  path: string,
  trust: TrustStore,
  handlers: StreamHandlers,
): Promise<Verdict> {
  return new Promise((resolve, reject) => {
    const control = new SharedArrayBuffer(4);
    const inFlight = new Int32Array(control);
    const worker = acquireWorker();
    let settled = false;
    /** `reusable`: the worker finished this job and waits for the next; otherwise it is stopped. */
    const settle = (reusable: boolean, done: () => void) => {
      if (settled) return;
      settled = true;
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (reusable) releaseWorker(worker);
      else void worker.terminate();
      done();
    };
    const onMessage = (message: VerifyMessage) => {
      if (settled) return;
      try {
        if (message.type === 'manifest') {
          const stop = handlers.onManifest(message.manifest, message.digest, message.signature);
          if (stop !== undefined) settle(false, () => resolve(stop));
        } else if (message.type === 'rows') {
          handlers.onRows(message.batch);
          Atomics.sub(inFlight, 0, 1);
          Atomics.notify(inFlight, 0);
        } else if (message.type === 'verdict') {
          settle(true, () => resolve(message.verdict));
        } else {
          settle(true, () => reject(new Error(message.message)));
        }
      } catch (error) {
        settle(false, () => reject(error));
      }
    };
    const onError = (error: Error) => settle(false, () => reject(error));
    const onExit = (code: number) =>
      settle(false, () => reject(new Error(`verify worker stopped with code ${code}`)));
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    const job: VerifyJob = { path, trustedKeys: trust.list(), control };
    worker.postMessage(job);
  });
}

/** Workers that finished a job and wait for the next, unreferenced so they never keep a process alive. */
const idleWorkers: Worker[] = [];
const MAX_IDLE_WORKERS = 1;

function acquireWorker(): Worker {
  const worker = idleWorkers.pop() ?? spawnVerifyWorker();
  worker.ref();
  return worker;
}

function spawnVerifyWorker(): Worker {
  const worker = spawnWorker(WORKER_URL, null);
  // An idle worker that dies (it should not) is simply forgotten; the next import starts another.
  worker.on('exit', () => {
    const index = idleWorkers.indexOf(worker);
    if (index !== -1) idleWorkers.splice(index, 1);
  });
  return worker;
}

function releaseWorker(worker: Worker): void {
  if (idleWorkers.length >= MAX_IDLE_WORKERS) {
    void worker.terminate();
    return;
  }
  worker.unref();
  idleWorkers.push(worker);
}
