// Who renders the CSV batches of an export: this thread, or one worker thread for large exports.
// Replies come back in order (one worker, first in first out). A worker that cannot start (a
// build without its file) falls back to rendering here: slower, same bytes.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerEnvelope } from '../jobs/spawn-worker';
import { renderCsvBatch, type CsvJob } from './csv-render';
import type { CsvReply } from './csv-worker';

const WORKER_URL = new URL(
  `./csv-worker${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);
// As spawn-worker.ts does: under tsx the worker module is TypeScript and needs the bootstrap.
const TS_BOOTSTRAP = new URL('../jobs/ts-worker-bootstrap.mjs', import.meta.url);
/**
 * A small young generation: the worker turns over a gigabyte of short-lived strings at 1M rows,
 * and V8's default lets its heap grow by tens of MB before collecting (docs/performance.md).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

function startWorker(): Worker {
  const envelope: WorkerEnvelope<null> = { moduleHref: WORKER_URL.href, data: null };
  const entry = WORKER_URL.pathname.endsWith('.ts') ? TS_BOOTSTRAP : WORKER_URL;
  return new Worker(entry, { workerData: envelope, resourceLimits: WORKER_LIMITS });
}

export interface CsvRenderer {
  /** CSV text or its UTF-8 bytes; results must be taken in the order jobs were given. */
  render(job: CsvJob): Promise<string | Buffer>;
  close(): Promise<void>;
}

export function inlineRenderer(): CsvRenderer {
  return {
    render: (job) => Promise.resolve(renderCsvBatch(job)),
    close: () => Promise.resolve(),
  };
}

/** Jobs the worker may hold; beyond that this thread renders the next batch itself. */
const WORKER_QUEUE = 2;

/**
 * One worker thread, helped by this thread: when the worker already holds WORKER_QUEUE batches,
 * the next one is rendered here (the exporting thread would otherwise wait), so both cores render.
 */
export function workerRenderer(): CsvRenderer {
  let worker: Worker;
  try {
    worker = startWorker();
  } catch {
    return inlineRenderer();
  }
  type Pending = { resolve: (bytes: Buffer) => void; reject: (e: Error) => void; job: CsvJob };
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
    else p.resolve(Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.length));
  });
  worker.on('error', (error) => {
    if (!answered) {
      // The worker module could not load: render what was sent, and everything after, here.
      fallback = true;
      for (const p of pending.values()) p.resolve(Buffer.from(renderCsvBatch(p.job), 'utf8'));
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
      if (fallback || pending.size >= WORKER_QUEUE) return Promise.resolve(renderCsvBatch(job));
      const id = next++;
      return new Promise<Buffer>((resolve, reject) => {
        pending.set(id, { resolve, reject, job });
        worker.postMessage({ ...job, id });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
