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
  next?: string,
): Promise<Verdict> {
  const inWorker = sizeOf(path) >= workerMinBytes;
  const ahead = next !== undefined && sizeOf(next) >= workerMinBytes ? next : undefined;
  return inWorker
    ? verifyInWorker(path, trust, handlers, ahead)
    : Promise.resolve(verifyHere(path, trust, handlers));
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // verifyBundleFile turns the same problem into an `unreadable` verdict
  }
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

/** A job posted to a worker. Its messages wait in `queue` until an import takes it up (`deliver`). */
interface Job {
  id: number;
  path: string;
  trustedKeys: string;
  worker: Worker;
  inFlight: Int32Array;
  queue: Message[];
  deliver?: (message: Message) => void;
}

/** What a job hears: its worker's messages, or that the worker failed. */
type Message = VerifyMessage | { type: 'failed'; error: Error };

let lastJobId = 0;
const jobsOf = new WeakMap<Worker, Map<number, Job>>();

function startJob(path: string, trust: TrustStore): Job {
  const worker = acquireWorker();
  const control = new SharedArrayBuffer(4);
  const trustedKeys = trust.list();
  const job: Job = {
    id: ++lastJobId,
    path,
    trustedKeys: JSON.stringify(trustedKeys),
    worker,
    inFlight: new Int32Array(control),
    queue: [],
  };
  jobsOf.get(worker)!.set(job.id, job);
  const message: VerifyJob = { id: job.id, path, trustedKeys, control };
  worker.postMessage(message);
  return job;
}

/**
 * The next file, verified ahead: posted as soon as the current file's verdict is in, so the worker
 * verifies it while this thread finishes storing and commits the current one (for day bundles of a
 * few thousand entries, the commit is a good part of each one's time). Its messages wait until the
 * import of that file takes them up; an import of any other file first stops it.
 */
let ahead: Job | undefined;

function takeAhead(path: string, trust: TrustStore): Job | undefined {
  const job = ahead;
  ahead = undefined;
  if (job === undefined) return undefined;
  if (job.path === path && job.trustedKeys === JSON.stringify(trust.list())) {
    job.worker.ref();
    return job;
  }
  jobsOf.get(job.worker)?.delete(job.id);
  void job.worker.terminate(); // it may wait for its messages to be taken up: they never will be
  return undefined;
}

function verifyAhead(path: string, trust: TrustStore): void {
  try {
    ahead = startJob(path, trust);
    ahead.worker.unref(); // a file verified ahead but never imported keeps no process alive
  } catch {
    ahead = undefined; // only speed depends on it: that file is verified when it is imported
  }
}

function verifyInWorker(
  path: string,
  trust: TrustStore,
  handlers: StreamHandlers,
  next: string | undefined,
): Promise<Verdict> {
  return new Promise((resolve, reject) => {
    const job = takeAhead(path, trust) ?? startJob(path, trust);
    const { worker, inFlight } = job;
    let settled = false;
    /** `reusable`: the worker finished this job and waits for the next; otherwise it is stopped. */
    const settle = (reusable: boolean, done: () => void) => {
      if (settled) return;
      settled = true;
      jobsOf.get(worker)?.delete(job.id);
      if (reusable) {
        releaseWorker(worker);
        if (next !== undefined) verifyAhead(next, trust);
      } else void worker.terminate();
      done();
    };
    const onMessage = (message: Message) => {
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
        } else if (message.type === 'error') {
          settle(true, () => reject(new Error(message.message)));
        } else {
          settle(false, () => reject(message.error));
        }
      } catch (error) {
        settle(false, () => reject(error));
      }
    };
    job.deliver = onMessage;
    for (const message of job.queue.splice(0)) onMessage(message);
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
  const jobs = new Map<number, Job>();
  jobsOf.set(worker, jobs);
  const hear = (job: Job, message: Message) => {
    if (job.deliver !== undefined) job.deliver(message);
    else job.queue.push(message);
  };
  worker.on('message', (message: VerifyMessage) => {
    const job = jobs.get(message.job);
    if (job !== undefined) hear(job, message);
  });
  const fail = (error: Error) => {
    for (const job of [...jobs.values()]) hear(job, { type: 'failed', error });
  };
  worker.on('error', fail);
  worker.on('exit', (code) => {
    fail(new Error(`verify worker stopped with code ${code}`));
    // An idle worker that dies (it should not) is simply forgotten; the next import starts another.
    const index = idleWorkers.indexOf(worker);
    if (index !== -1) idleWorkers.splice(index, 1);
    if (ahead?.worker === worker) ahead = undefined;
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
