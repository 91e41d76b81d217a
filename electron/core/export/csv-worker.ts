// Worker thread of a large export: renders CSV batches (csv-render.ts) in the order they arrive.
import { parentPort } from 'node:worker_threads';
import { renderCsvBatch, type CsvJob } from './csv-render';

export interface CsvRequest extends CsvJob {
  id: number;
}
export type CsvReply = { id: number; text: string } | { id: number; error: string };

parentPort!.on('message', (job: CsvRequest) => {
  let reply: CsvReply;
  try {
    reply = { id: job.id, text: renderCsvBatch(job) };
  } catch (error) {
    reply = { id: job.id, error: (error as Error).message };
  }
  parentPort!.postMessage(reply);
});
