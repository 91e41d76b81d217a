// The Otesse audit API as Audit Desk consumes it (CONTRACTS.md §3, docs/otesse-api.md): one
// definition shared by the simulator that serves it and the sync client that reads it, so the two
// cannot drift apart. Responses are validated at the client with these schemas.
import { z } from 'zod';
import { isIsoInstant } from './iso-time';

export const API_PREFIX = '/v1/audit';
export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;
/** Longest page cursor a server may hand out (the simulator's are about 60 characters). */
export const MAX_CURSOR_LENGTH = 200;

const isoInstant = z.string().refine(isIsoInstant, 'must be an ISO 8601 UTC instant');
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** One bundle as listed by `GET /v1/audit/bundles`. */
export const bundleDescriptorSchema = z.strictObject({
  /** The bundle id of docs/bundle-format.md: `<periodStart compact>-<digest[0:12]>`; the path segment of its URL. */
  id: z.string().regex(/^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{12}$/),
  periodStart: isoInstant,
  periodEnd: isoInstant,
  /** null for an empty period. */
  firstSeq: z.number().int().positive().nullable(),
  lastSeq: z.number().int().positive().nullable(),
  entryCount: z.number().int().nonnegative(),
  /** Bytes of the bundle file. */
  size: z.number().int().positive(),
  /** SHA-256 of the bundle file's bytes: checks the download, not the signature. */
  sha256: sha256Hex,
  /** The bundle digest (SHA-256 of the canonical manifest): lets a client skip bundles it holds. */
  digest: sha256Hex,
  /** Beyond the plan's retention: listed, but `GET` answers 410 Gone (ask support for the file). */
  archived: z.boolean(),
});
export type BundleDescriptor = z.infer<typeof bundleDescriptorSchema>;

/** `GET /v1/audit/bundles?after=<cursor>&limit=<n>`: descriptors in period order. */
export const bundlePageSchema = z.strictObject({
  bundles: z.array(bundleDescriptorSchema),
  /**
   * Pass as `after` for the next page; null when this page reached the newest bundle so far. At
   * most MAX_CURSOR_LENGTH characters (docs/otesse-api.md).
   */
  nextCursor: z.string().min(1).max(MAX_CURSOR_LENGTH).nullable(),
});
export type BundlePage = z.infer<typeof bundlePageSchema>;

/** `GET /v1/audit/keys`: the tenant's signing keys. Never trusted on their own word (CONTRACTS §3). */
export const apiKeysSchema = z.strictObject({
  keys: z.array(
    z.strictObject({
      keyId: z.string().min(1),
      algorithm: z.literal('Ed25519'),
      /** Base64 of the 32-byte raw public key, as in the trust store. */
      publicKey: z.string().min(1),
      validFrom: isoInstant.nullable(),
      validTo: isoInstant.nullable(),
    }),
  ),
});
export type ApiKeys = z.infer<typeof apiKeysSchema>;

export const API_ERROR_CODES = [
  'unauthorized', // 401: missing or bad token
  'forbidden', // 403: token without the audit scope
  'not_found', // 404
  'archived', // 410: beyond retention
  'bad_request', // 400: bad cursor or limit
  'rate_limited', // 429, with Retry-After
  'server_error', // 5xx
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** Body of every error response. */
export const apiErrorSchema = z.strictObject({
  error: z.strictObject({ code: z.enum(API_ERROR_CODES), message: z.string() }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;
