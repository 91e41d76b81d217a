// The signed manifest: its schema, its canonical bytes, and the digest and id derived from them.
import { z } from 'zod';
import { BUNDLE_FORMAT_VERSION, PLANS, type Manifest, type Tenant } from '../../../shared/bundle';
import { isIsoInstant } from '../../../shared/iso-time';
import { canonicalJson } from './canonical';
import { sha256Hex } from './hash';
import { formatPath, quote } from './untrusted';

const isoInstant = z
  .string()
  .refine(isIsoInstant, 'must be a UTC instant like 2026-11-24T00:00:00.000Z');
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const seq = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name.length > 0;
  } catch {
    return false;
  }
}

export const tenantSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string(),
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
  plan: z.enum(PLANS),
});

export const manifestSchema = z
  .strictObject({
    formatVersion: z.number().int(),
    tenant: tenantSchema,
    periodStart: isoInstant,
    periodEnd: isoInstant,
    firstSeq: seq.nullable(),
    lastSeq: seq.nullable(),
    entryCount: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    payloadSha256: hex64,
    merkleRoot: hex64,
    prevDigest: hex64.nullable(),
    keyId: z.string().min(1),
    issuedAt: isoInstant,
  })
  .superRefine((m, ctx) => {
    if (Date.parse(m.periodEnd) <= Date.parse(m.periodStart)) {
      ctx.addIssue({ code: 'custom', message: 'periodEnd must be after periodStart' });
    }
    const empty = m.entryCount === 0;
    if (empty !== (m.firstSeq === null) || empty !== (m.lastSeq === null)) {
      ctx.addIssue({
        code: 'custom',
        message: 'firstSeq and lastSeq are null exactly when entryCount is 0',
      });
    } else if (!empty && m.lastSeq! - m.firstSeq! + 1 !== m.entryCount) {
      ctx.addIssue({ code: 'custom', message: 'lastSeq - firstSeq + 1 must equal entryCount' });
    }
  });

export function parseTenant(value: unknown): Tenant {
  const result = tenantSchema.safeParse(value);
  if (!result.success) throw new Error(describeIssue(result.error));
  return result.data;
}

/** Validates a manifest. Returns the manifest or a one-line problem (safe to print: see quote()). */
export function checkManifest(
  value: unknown,
): { manifest: Manifest } | { problem: string; version?: unknown } {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    // The version decides how to read the rest, so it is checked first and reported on its own.
    const version = (value as { formatVersion?: unknown }).formatVersion;
    if (version === undefined) return { problem: 'formatVersion is missing' };
    if (version !== BUNDLE_FORMAT_VERSION) {
      return {
        problem: `format version ${quote(version)} is not supported (this app reads ${BUNDLE_FORMAT_VERSION})`,
        version,
      };
    }
  }
  const result = manifestSchema.safeParse(value);
  return result.success ? { manifest: result.data } : { problem: describeIssue(result.error) };
}

/** The first issue in one line. Member names and paths may come from the file, so they are quoted. */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown member ${quote(issue.keys[0])}${issue.keys.length > 1 ? ` (and ${issue.keys.length - 1} more)` : ''}`
      : issue.message;
  const path = formatPath(issue.path);
  return path === '' ? message : `${path}: ${message}`;
}

/** The bytes the Ed25519 signature covers: the RFC 8785 form of the manifest, UTF-8. */
export function manifestBytes(manifest: Manifest): Buffer {
  return Buffer.from(canonicalJson(manifest), 'utf8');
}

/** A bundle's identity, and what the next bundle's `prevDigest` names: SHA-256 of manifestBytes. */
export function bundleDigest(manifest: Manifest): string {
  return sha256Hex(manifestBytes(manifest));
}

/** Human-sortable id: period start (compact UTC) and the first 12 hex digits of the digest. */
export function bundleIdOf(manifest: Manifest, digest: string): string {
  const start = manifest.periodStart.replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `${start}-${digest.slice(0, 12)}`;
}
