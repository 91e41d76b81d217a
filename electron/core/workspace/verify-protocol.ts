// Messages between the import and its verify worker (verify-worker.ts).
import type { Manifest, Verdict } from '../../../shared/bundle';
import type { TrustedKey } from '../bundle/trust-store';
import type { EntryRow } from './entry-row';

export const BATCH_ROWS = 2000;
export const MAX_BATCHES_IN_FLIGHT = 8;

export interface VerifyJob {
  path: string;
  trustedKeys: TrustedKey[];
  /** SharedArrayBuffer holding one Int32: batches posted and not yet stored. */
  control: SharedArrayBuffer;
}

export type VerifyMessage =
  | { type: 'manifest'; manifest: Manifest; digest: string; signature: string }
  | { type: 'rows'; rows: EntryRow[] }
  | { type: 'verdict'; verdict: Verdict }
  | { type: 'error'; message: string };
