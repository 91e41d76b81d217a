// Values the AuditApi returns (shared/api/audit-api.ts). Plain JSON: they cross IPC and HTTP alike.
import type { Tenant } from '../bundle';
import type { Coverage } from '../coverage';
import type { Category, Entry } from '../entry';
import type { ReviewStatus } from '../query';
import type { Settings } from '../settings';

export interface AppInfo {
  version: string;
  mode: 'desktop' | 'browser';
  /** Id of the demo workspace when one exists (signed with a demo key: the UI labels it). */
  demoWorkspaceId: string | null;
  /** Whether an API token is stored (never the token itself). */
  hasApiToken: boolean;
  /** Desktop: whether the OS offers a real secret store for the token (Linux `basic_text` does not). */
  secureTokenStorage: boolean;
}

export type VerificationState = 'verified' | 'problems' | 'empty';

export interface WorkspaceSummary {
  id: string;
  name: string;
  isDemo: boolean;
  tenant: Tenant | null;
  entryCount: number;
  bundleCount: number;
  /** First and last instant covered (ISO UTC), null when empty. */
  period: { from: string; to: string } | null;
  lastSync: { at: string; status: string; error: string | null } | null;
  /** `problems` when coverage shows gaps or chain breaks. */
  verification: VerificationState;
}

export interface SearchPageResult {
  /** Entries matching the query, whatever the page; null when the search was asked `count: false`. */
  total: number | null;
  /** Newest first, exactly as signed. */
  entries: Entry[];
  nextBefore: number | null;
  /** Alternatives the typo-tolerant vocabulary added per word (empty until it is loaded). */
  expansions: { word: string; alternatives: string[] }[];
  /** False while the vocabulary index is still loading: results have no typo tolerance yet. */
  typoTolerance: boolean;
}

export interface FacetCount {
  value: string;
  /** Display label (a user's name for `user`, else the value). */
  label: string;
  count: number;
}

export interface Facets {
  category: FacetCount[];
  action: FacetCount[];
  user: FacetCount[];
  status: FacetCount[];
}

export type HistogramUnit = 'hour' | 'day' | 'week' | 'month';

export interface HistogramBucket {
  /** ISO UTC instants; buckets are aligned in the tenant's time zone. */
  start: string;
  end: string;
  total: number;
  byCategory: Partial<Record<Category, number>>;
}

export interface Histogram {
  unit: HistogramUnit;
  timeZone: string;
  buckets: HistogramBucket[];
}

export const SUGGESTION_KINDS = ['user', 'action', 'entity', 'ip', 'word'] as const;
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number];

export interface Suggestion {
  kind: SuggestionKind;
  /** What to insert in the query (already quoted if needed, e.g. `user:"Dana Reyes"`). */
  insert: string;
  label: string;
  count: number | null;
}

export interface Annotation {
  entryId: string;
  bundleDigest: string;
  status: ReviewStatus;
  tags: string[];
  note: string;
  author: { name: string; email: string };
  createdAt: string;
  updatedAt: string;
}

export interface AnnotationHistoryRecord {
  at: string;
  author: { name: string; email: string };
  change: 'set' | 'removed';
  status: ReviewStatus;
  tags: string[];
  note: string;
}

export interface BundleInfo {
  bundleId: string;
  digest: string;
  periodStart: string;
  periodEnd: string;
  keyId: string;
  issuedAt: string;
  /** The verdict recorded when the bundle was imported (`valid`, or the cause). */
  verdict: string;
  source: 'file' | 'sync';
  sourceName: string | null;
}

export interface EntryDetail {
  entry: Entry;
  bundle: BundleInfo;
  annotation: Annotation | null;
  history: AnnotationHistoryRecord[];
}

export interface MergeResult {
  added: number;
  identical: number;
  conflicts: { entryId: string; mine: Annotation; theirs: Annotation }[];
}

export interface Sample {
  id: string;
  query: string;
  method:
    | { kind: 'size'; size: number }
    | { kind: 'percent'; percent: number }
    | {
        kind: 'statistical';
        confidence: number;
        margin: number;
      };
  seed: string;
  population: number;
  populationFingerprint: string;
  entryIds: string[];
  createdAt: string;
  progress: { reviewed: number; exceptions: number; remaining: number };
}

export interface Finding {
  id: string;
  rule: string;
  severity: 'low' | 'medium' | 'high';
  summary: string;
  entryIds: string[];
  dismissed: { reason: string; by: string; at: string } | null;
}

export interface ReviewLogRecord {
  seq: number;
  at: string;
  actor: string;
  action: string;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface ReviewLogView {
  records: ReviewLogRecord[];
  valid: boolean;
  problems: string[];
}

export interface PackProblem {
  file: string;
  row?: number;
  message: string;
}

export interface PackVerification {
  valid: boolean;
  problems: PackProblem[];
  entries: number;
  bundles: number;
}

export type JobKind = 'import' | 'sync' | 'export' | 'index';
export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobProgress {
  /** Units done and expected (null when unknown yet). */
  done: number;
  total: number | null;
  unit: 'bundles' | 'entries' | 'bytes' | 'rows';
  /** Secondary counters shown beside the bar (bundles, bytes, entries...). */
  counters: Record<string, number>;
  /** Units per second over the last seconds. */
  rate: number | null;
  message: string;
}

export interface JobEvent {
  jobId: string;
  kind: JobKind;
  workspaceId: string | null;
  state: JobState;
  progress: JobProgress;
  /** Set when the job succeeded: the operation's result (shape depends on kind). */
  result?: unknown;
  /** Set when it failed or was cancelled. */
  error?: { code: string; message: string };
}

export interface ImportResult {
  imported: { name: string; bundleId: string; entries: number }[];
  rejected: { name: string; reason: string }[];
  entriesAdded: number;
}

export interface SyncResult {
  bundlesAdded: number;
  entriesAdded: number;
  rejected: { bundle: string; reason: string }[];
  archived: number;
}

export interface ExportResult {
  fileName: string;
  entries: number;
  files: string[];
  /** Browser mode: where the finished pack can be downloaded (same origin, token-protected). */
  downloadUrl: string | null;
}

export type { Coverage, Settings };
