// Verifies a bundle file while handing its entries on in batches of rows. Small files are verified
// in this thread; large ones in a worker thread (verify-worker.ts), so that verifying and storing
// overlap on two cores. Either way the same BundleVerifier decides.
import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest, Verdict } from '../../../shared/bundle';
import { verifyBundleFile } from '../bundle/read-file';
import type { TrustStore } from '../bundle/trust-store';
import { spawnWorker } from '../jobs/spawn-worker';
import { toEntryRow, type EntryRow } from './entry-row';
import { BATCH_ROWS, type VerifyJob, type VerifyMessage } from './verify-protocol';

export interface StreamHandlers {
  /** As VerifierOptions.onManifest: return a verdict to stop. */
  onManifest(manifest: Manifest, digest: string, signature: string): Verdict | undefined;
  onRows(rows: EntryRow[]): void;
}

/** Files from this size on are verified in a worker (a worker costs ~0.1 s to start). */
export const WORKER_MIN_BYTES = 16 * 1024 * 1024;

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
  let batch: EntryRow[] = [];
  const verdict = verifyBundleFile(path, {
    trust,
    onManifest: handlers.onManifest,
    onEntry: (entry) => {
      batch.push(toEntryRow(entry));
      if (batch.length >= BATCH_ROWS) {
        handlers.onRows(batch);
        batch = [];
      }
    },
  });
  if (batch.length > 0 && verdict.valid) handlers.onRows(batch);
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
    const job: VerifyJob = { path, trustedKeys: trust.list(), control };
    const worker = spawnWorker(WORKER_URL, job);
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      done();
    };
    worker.on('message', (message: VerifyMessage) => {
      if (settled) return;
      try {
        if (message.type === 'manifest') {
          const stop = handlers.onManifest(message.manifest, message.digest, message.signature);
          if (stop !== undefined) settle(() => resolve(stop));
        } else if (message.type === 'rows') {
          handlers.onRows(message.rows);
          Atomics.sub(inFlight, 0, 1);
          Atomics.notify(inFlight, 0);
        } else if (message.type === 'verdict') {
          settle(() => resolve(message.verdict));
        } else {
          settle(() => reject(new Error(message.message)));
        }
      } catch (error) {
        settle(() => reject(error));
      }
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`verify worker stopped with code ${code}`))),
    );
  });
}
