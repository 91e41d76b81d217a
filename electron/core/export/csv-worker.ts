// Worker thread of a large export: renders CSV batches (csv-render.ts) and hashes their lines as
// Merkle leaves, in the order they arrive, and sends both back in buffers of their own,
// transferred rather than copied.
import { parentPort } from 'node:worker_threads';
import { leafHashes, renderCsvBatch, type CsvJob } from './csv-render';

export interface CsvRequest extends CsvJob {
  id: number;
}
export type CsvReply =
  { id: number; bytes: Uint8Array; leaves: Uint8Array } | { id: number; error: string };

parentPort!.on('message', (job: CsvRequest) => {
  let text: string;
  let leaves: Buffer;
  try {
    text = renderCsvBatch(job);
    leaves = leafHashes(job.raws);
  } catch (error) {
    parentPort!.postMessage({ id: job.id, error: (error as Error).message } satisfies CsvReply);
    return;
  }
  // Not Buffer.from: small buffers share a pool, which must not be transferred.
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
  bytes.write(text, 0, 'utf8');
  parentPort!.postMessage({ id: job.id, bytes, leaves } satisfies CsvReply, [
    bytes.buffer,
    leaves.buffer as ArrayBuffer,
  ]);
});
