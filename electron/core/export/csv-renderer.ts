// Who renders the CSV batches of an export: this thread, or one worker thread for large exports.
// Replies come back in order (one worker, first in first out). A worker that cannot start (a
// build without its file) falls back to rendering here: slower, same bytes.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../jobs/spawn-worker';
import { renderCsvBatch, type CsvJob } from './csv-render';
import type { CsvReply } from './csv-worker';

const WORKER_URL = new URL(
  `./csv-worker${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);

export interface CsvRenderer {
  render(job: CsvJob): Promise<string>;
  close(): Promise<void>;
}

export function inlineRenderer(): CsvRenderer {
  return {
    render: (job) => Promise.resolve(renderCsvBatch(job)),
    close: () => Promise.resolve(),
  };
}

export function workerRenderer(): CsvRenderer {
  let worker: Worker;
  try {
    worker = spawnWorker(WORKER_URL, null);
  } catch {
    return inlineRenderer();
  }
  const pending = new Map<
    number,
    { resolve: (text: string) => void; reject: (e: Error) => void; job: CsvJob }
  >();
  let next = 0;
  let failed: Error | null = null;
  let fallback = false;
  const failAll = (error: Error) => {
    failed = error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on('message', (reply: CsvReply) => {
    const p = pending.get(reply.id);
    if (p === undefined) return;
    pending.delete(reply.id);
    if ('error' in reply) p.reject(new Error(reply.error));
    else p.resolve(reply.text);
  });
  worker.on('error', (error) => {
    // The worker module could not load: render what was sent, and everything after, here.
    if (next === 0 || [...pending.keys()][0] === 0) {
      fallback = true;
      for (const p of pending.values()) p.resolve(renderCsvBatch(p.job));
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
      if (fallback) return Promise.resolve(renderCsvBatch(job));
      if (failed !== null) return Promise.reject(failed);
      const id = next++;
      return new Promise<string>((resolve, reject) => {
        pending.set(id, { resolve, reject, job });
        worker.postMessage({ ...job, id });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
