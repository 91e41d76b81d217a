// Sync from the Otesse API (docs/sync.md). The faces call syncWorkspace and read lastSync.
export { syncWorkspace, DEFAULT_PAGE_LIMIT, type SyncOptions, type SyncReport } from './sync';
export type { SyncEvent, SyncCounts, BundleOutcome, ProgressListener } from './progress';
export {
  lastSync,
  listSyncRuns,
  readCursor,
  saveCursor,
  type LastSync,
  type SyncRunRecord,
} from './state';
export { normalizeApiUrl } from './api-url';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff';
export { systemClock, seededRandom, type SyncClock } from './clock';
