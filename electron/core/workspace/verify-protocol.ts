// Messages between the import and its verify worker (verify-worker.ts).
import type { Manifest, Verdict } from '../../../shared/bundle';
import type { TrustedKey } from '../bundle/trust-store';
import type { RowBatch } from './entry-row';

// Small batches let storing start soon after verifying does, also in a day's bundle of a few
// thousand entries; the cap on batches in flight bounds memory. 6 kept the storing thread as busy
// as 16 did (1M entries: 24.7 s) for 10-20 MB less peak RSS (263 MB instead of 273-287 MB).
export const BATCH_ROWS = 500;
export const MAX_BATCHES_IN_FLIGHT = 6;

export interface VerifyJob {
  /** Names the job in each message it sends: a job can start before the previous one's messages
   * are all handled (verify-stream.ts verifies the next file ahead). */
  id: number;
  path: string;
  trustedKeys: TrustedKey[];
  /** SharedArrayBuffer holding one Int32: batches posted and not yet stored. */
  control: SharedArrayBuffer;
}

export type VerifyMessage = { job: number } & (
  | { type: 'manifest'; manifest: Manifest; digest: string; signature: string }
  | { type: 'rows'; batch: RowBatch }
  | { type: 'verdict'; verdict: Verdict }
  | { type: 'error'; message: string }
);
