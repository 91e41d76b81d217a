// Worker thread of a large export: renders CSV batches (csv-render.ts) in the order they arrive and
// sends each back as UTF-8 bytes in a buffer of its own, transferred rather than copied.
import { parentPort } from 'node:worker_threads';
import { renderCsvBatch, type CsvJob } from './csv-render';

export interface CsvRequest extends CsvJob {
  id: number;
}
export type CsvReply = { id: number; bytes: Uint8Array } | { id: number; error: string };

parentPort!.on('message', (job: CsvRequest) => {
  let text: string;
  try {
    text = renderCsvBatch(job);
  } catch (error) {
    parentPort!.postMessage({ id: job.id, error: (error as Error).message } satisfies CsvReply);
    return;
  }
  // Not Buffer.from: small buffers share a pool, which must not be transferred.
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
  bytes.write(text, 0, 'utf8');
  parentPort!.postMessage({ id: job.id, bytes } satisfies CsvReply, [bytes.buffer]);
});
