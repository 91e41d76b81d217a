// Who renders the CSV batches of an export: this thread, or one worker thread for large exports.
// Replies come back in order (one worker, first in first out). A worker that cannot start (a
// build without its file) falls back to rendering here: slower, same bytes.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerEnvelope } from '../jobs/spawn-worker';
import { leafHashes, renderCsvBatch, type CsvJob, type CsvResult } from './csv-render';
import type { CsvReply } from './csv-worker';

const WORKER_URL = new URL(
  `./csv-worker${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);
// As spawn-worker.ts does: under tsx the worker module is TypeScript and needs the bootstrap.
const TS_BOOTSTRAP = new URL('../jobs/ts-worker-bootstrap.mjs', import.meta.url);
/**
 * A bounded young generation: the worker turns over gigabytes of short-lived strings at 1M rows.
 * 8 MB kept RSS about 30 MB lower than V8's default but cost about 1 s of CPU (more promotion);
 * 16 MB is between the two (docs/performance.md).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 16 };

function startWorker(url: URL): Worker {
  const envelope: WorkerEnvelope<null> = { moduleHref: url.href, data: null };
  const entry = url.pathname.endsWith('.ts') ? TS_BOOTSTRAP : url;
  return new Worker(entry, { workerData: envelope, resourceLimits: WORKER_LIMITS });
}

export interface CsvRenderer {
  /** Results must be taken in the order jobs were given. */
  render(job: CsvJob): Promise<CsvResult>;
  close(): Promise<void>;
}

export function inlineRenderer(): CsvRenderer {
  return {
    render: (job) => Promise.resolve(renderHere(job)),
    close: () => Promise.resolve(),
  };
}

function renderHere(job: CsvJob): CsvResult {
  return { csv: renderCsvBatch(job), leaves: leafHashes(job.raws) };
}

/** Jobs the worker may hold; beyond that this thread renders the next batch itself. */
const WORKER_QUEUE = 2;

/**
 * One worker thread, helped by this thread: when the worker already holds WORKER_QUEUE batches,
 * the next one is rendered here (the exporting thread would otherwise wait), so both cores render.
 */
export function workerRenderer(workerUrl: URL = WORKER_URL): CsvRenderer {
  let worker: Worker;
  try {
    worker = startWorker(workerUrl);
  } catch {
    return inlineRenderer();
  }
  type Pending = { resolve: (result: CsvResult) => void; reject: (e: Error) => void; job: CsvJob };
  const pending = new Map<number, Pending>();
  let next = 0;
  let answered = false;
  let failed: Error | null = null;
  let fallback = false;
  const failAll = (error: Error) => {
    failed = error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on('message', (reply: CsvReply) => {
    answered = true;
    const p = pending.get(reply.id);
    if (p === undefined) return;
    pending.delete(reply.id);
    if ('error' in reply) p.reject(new Error(reply.error));
    else p.resolve({ csv: asBuffer(reply.bytes), leaves: asBuffer(reply.leaves) });
  });
  worker.on('error', (error) => {
    if (!answered) {
      // The worker module could not load: render what was sent, and everything after, here.
      fallback = true;
      for (const p of pending.values()) p.resolve(renderHere(p.job));
      pending.clear();
      return;
    }
    failAll(error);
  });
  worker.on('exit', (code) => {
    if (pending.size > 0) failAll(new Error(`CSV worker stopped (exit ${code})`));
  });
  return {
    render(job) {
      if (failed !== null) return Promise.reject(failed);
      if (fallback || pending.size >= WORKER_QUEUE) return Promise.resolve(renderHere(job));
      const id = next++;
      return new Promise<CsvResult>((resolve, reject) => {
        pending.set(id, { resolve, reject, job });
        worker.postMessage({ ...job, id });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
