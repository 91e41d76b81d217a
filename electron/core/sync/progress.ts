// Progress as plain, serializable events: the CLI prints them, and a UI job can forward them over
// IPC or HTTP as they are. Every event carries the running totals, so a consumer that drops or
// throttles events still shows the right numbers from the last one it kept.

export interface SyncCounts {
  /** Bundles settled so far (imported, already present, archived, rejected or missing). */
  bundlesDone: number;
  /** Bundles listed; grows while pages are listed. */
  bundlesTotal: number;
  bundlesAdded: number;
  entriesAdded: number;
  /** Bytes received in this run, and bytes of the bundles it has to download. */
  bytesDone: number;
  bytesTotal: number;
}

export type BundleOutcome = 'imported' | 'already_present' | 'archived' | 'rejected' | 'missing';

/** What happened; the event adds the running totals. */
export type SyncEventBody =
  | { type: 'keys'; trusted: string[]; warnings: string[] }
  | { type: 'listed'; pages: number; bundles: number }
  /** The server refused the stored cursor: the listing starts again from the first bundle. */
  | { type: 'cursor-reset' }
  | { type: 'bundle-started'; bundleId: string; size: number }
  | { type: 'bytes'; bundleId: string; have: number; size: number }
  | {
      type: 'bundle-finished';
      bundleId: string;
      outcome: BundleOutcome;
      entryCount: number;
      reason?: string;
    }
  | { type: 'retry'; what: string; attempt: number; delayMs: number; reason: string };

export type SyncEvent = SyncEventBody & { counts: SyncCounts };

export type ProgressListener = (event: SyncEvent) => void;

/** Byte events are thinned to one per this many bytes (plus the last of each bundle). */
export const BYTES_EVENT_STEP = 256 * 1024;
