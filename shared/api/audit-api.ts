// The AuditApi: every operation the renderer may ask for, by name, with its request schema. The same
// table serves both transports: Electron IPC (one `audit:call` channel, method names allowlisted
// against this table) and browser mode (POST /api/<method> on 127.0.0.1). Requests are validated with
// these schemas at the boundary (main process / HTTP server) before any core code runs; the renderer
// never sends SQL or arbitrary file paths, only names, ids, query text and file references the
// backend handed out itself.
import { z } from 'zod';
import { REVIEW_STATUSES } from '../query';
import { settingsPatchSchema } from '../settings';
import type { ApiResult } from './result';
import {
  SUGGESTION_KINDS,
  type AppInfo,
  type Coverage,
  type EntryDetail,
  type Facets,
  type Finding,
  type Histogram,
  type JobEvent,
  type MergeResult,
  type PackVerification,
  type ReviewLogView,
  type Sample,
  type SearchPageResult,
  type Settings,
  type Suggestion,
  type WorkspaceSummary,
} from './types';

const id = z.string().min(1).max(200);
const workspaceId = id;
const name = z.string().trim().min(1).max(200);
/** Query text in the syntax of docs/search.md (parsed and validated by the backend). */
const queryText = z.string().max(2000);
const isoInstant = z.string().max(40);

/**
 * A file the backend knows: `picked` comes from a desktop open/save dialog (the path stays in the
 * main process), `upload` from `AuditApi.upload` (drag-and-drop or a browser file input).
 */
export const fileRefSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('picked'), token: id }),
  z.strictObject({ kind: z.literal('upload'), uploadId: id }),
]);
export type FileRef = z.infer<typeof fileRefSchema>;

/** Where a produced file goes: a browser download, or a location picked in a desktop save dialog. */
export const destinationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('download') }),
  z.strictObject({ kind: z.literal('picked'), token: id }),
]);
export type Destination = z.infer<typeof destinationSchema>;

const selectionSchema = z.union([
  z.strictObject({ query: queryText }),
  z.strictObject({ sampleId: id }),
  z.strictObject({ entryIds: z.array(id).min(1).max(1_000_000) }),
]);

const sampleMethodSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('size'), size: z.number().int().min(1).max(1_000_000) }),
  z.strictObject({ kind: z.literal('percent'), percent: z.number().gt(0).max(100) }),
  z.strictObject({
    kind: z.literal('statistical'),
    confidence: z.union([z.literal(90), z.literal(95), z.literal(99)]),
    margin: z.number().gt(0).max(50),
  }),
]);

const empty = z.strictObject({});

/** Request schema of every method. */
export const API_REQUESTS = {
  appInfo: empty,

  listWorkspaces: empty,
  createWorkspace: z.strictObject({ name }),
  renameWorkspace: z.strictObject({ workspaceId, name }),
  /** `confirmName` must repeat the workspace's name: deletion is never one click. */
  deleteWorkspace: z.strictObject({ workspaceId, confirmName: name }),
  coverage: z.strictObject({ workspaceId }),
  /** Verifies then stores each file (a job: answers its id; progress comes as JobEvents). */
  importBundles: z.strictObject({ workspaceId, files: z.array(fileRefSchema).min(1).max(10_000) }),

  search: z.strictObject({
    workspaceId,
    query: queryText,
    limit: z.number().int().min(0).max(1000),
    before: z.number().int().positive().nullable().optional(),
    /** False: the page alone, `total` null (count it apart with `count`); default true. */
    count: z.boolean().optional(),
  }),
  /** The exact number of entries matching the query (what a `count: false` search left out). */
  count: z.strictObject({ workspaceId, query: queryText }),
  facets: z.strictObject({
    workspaceId,
    query: queryText,
    limitPerFacet: z.number().int().min(1).max(200).optional(),
  }),
  histogram: z.strictObject({
    workspaceId,
    query: queryText,
    targetBuckets: z.number().int().min(1).max(1000).optional(),
  }),
  suggest: z.strictObject({
    workspaceId,
    /** The word being typed, possibly with its qualifier (`user:da`). */
    prefix: z.string().max(200),
    kinds: z.array(z.enum(SUGGESTION_KINDS)).optional(),
    limit: z.number().int().min(1).max(50).optional(),
  }),
  entryDetail: z.strictObject({ workspaceId, entryId: id }),

  annotate: z.strictObject({
    workspaceId,
    target: z.union([
      z.strictObject({ entryIds: z.array(id).min(1).max(1_000_000) }),
      /** Every entry of the query; `expectedCount` must equal the count the user confirmed. */
      z.strictObject({ query: queryText, expectedCount: z.number().int().min(1) }),
    ]),
    status: z.enum(REVIEW_STATUSES).optional(),
    addTags: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
    removeTags: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
    note: z.string().max(20_000).optional(),
  }),
  exportAnnotations: z.strictObject({ workspaceId, destination: destinationSchema }),
  importAnnotations: z.strictObject({
    workspaceId,
    file: fileRefSchema,
    /** Absent: only add what does not conflict and report conflicts. */
    resolve: z.enum(['mine', 'theirs']).optional(),
  }),
  drawSample: z.strictObject({
    workspaceId,
    query: queryText,
    method: sampleMethodSchema,
    seed: z.string().min(1).max(200),
  }),
  listSamples: z.strictObject({ workspaceId }),
  insights: z.strictObject({ workspaceId, since: isoInstant.optional() }),
  dismissFinding: z.strictObject({
    workspaceId,
    findingId: id,
    reason: z.string().trim().min(1).max(2000),
  }),
  reviewLog: z.strictObject({ workspaceId }),

  /** Writes an evidence pack (a job). */
  exportPack: z.strictObject({
    workspaceId,
    selection: selectionSchema,
    fields: z.array(z.string().max(100)).max(100).optional(),
    annotations: z.boolean(),
    destination: destinationSchema,
  }),
  verifyPack: z.strictObject({ file: fileRefSchema }),

  /** Incremental sync from the configured Otesse API (a job). */
  startSync: z.strictObject({ workspaceId }),
  cancelJob: z.strictObject({ jobId: id }),
  listJobs: empty,

  getSettings: empty,
  updateSettings: settingsPatchSchema,
  /** Stores the Otesse API token encrypted; never returned by any method. */
  setApiToken: z.strictObject({
    token: z.string().min(1).max(4096),
    /** Required where the OS has no real secret store (the UI asked the user first). */
    allowWeakStorage: z.boolean().optional(),
  }),
  clearApiToken: empty,

  /** Desktop only: native dialogs. Browser mode answers `unsupported` (the page uploads instead). */
  pickFiles: z.strictObject({ purpose: z.enum(['bundles', 'pack', 'annotations']) }),
  pickSaveLocation: z.strictObject({
    purpose: z.enum(['pack', 'annotations']),
    suggestedName: z.string().max(200),
  }),
} as const;

export type ApiMethod = keyof typeof API_REQUESTS;
export const API_METHODS = Object.keys(API_REQUESTS) as ApiMethod[];
export type ApiRequest<M extends ApiMethod> = z.input<(typeof API_REQUESTS)[M]>;
/** The request after validation (defaults applied), as handlers receive it. */
export type ApiValidRequest<M extends ApiMethod> = z.output<(typeof API_REQUESTS)[M]>;

export interface JobStarted {
  jobId: string;
}

/** What each method answers on success. */
export interface ApiResponses {
  appInfo: AppInfo;
  listWorkspaces: WorkspaceSummary[];
  createWorkspace: WorkspaceSummary;
  renameWorkspace: WorkspaceSummary;
  deleteWorkspace: { deleted: true };
  coverage: Coverage;
  importBundles: JobStarted;
  search: SearchPageResult;
  count: { total: number };
  facets: Facets;
  histogram: Histogram;
  suggest: Suggestion[];
  entryDetail: EntryDetail;
  annotate: { count: number };
  exportAnnotations: { fileName: string; count: number; downloadUrl: string | null };
  importAnnotations: MergeResult;
  drawSample: Sample;
  listSamples: Sample[];
  insights: Finding[];
  dismissFinding: Finding;
  reviewLog: ReviewLogView;
  exportPack: JobStarted;
  verifyPack: PackVerification;
  startSync: JobStarted;
  cancelJob: { cancelled: boolean };
  listJobs: JobEvent[];
  getSettings: Settings;
  updateSettings: Settings;
  setApiToken: { stored: true };
  clearApiToken: { cleared: true };
  pickFiles: FileRef[];
  pickSaveLocation: Destination | null;
}

/** Result of a job once it succeeded, by job kind (carried in JobEvent.result). */
export type { ExportResult, ImportResult, SyncResult } from './types';

/**
 * The renderer's only door to the backend: `window.auditDesk.api` in the desktop app (preload), or
 * the HTTP transport in browser mode (renderer/src/api/).
 */
export interface AuditApi {
  call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResult<ApiResponses[M]>>;
  /** Hands a file's bytes to the backend (drag-and-drop, file input); answers a FileRef for calls. */
  upload(name: string, data: Blob): Promise<ApiResult<FileRef>>;
  /** Job progress and completion; returns the unsubscribe function. */
  subscribe(listener: (event: JobEvent) => void): () => void;
}
