// Signed-bundle vocabulary shared by the core, the CLI and the renderer (docs/bundle-format.md).

export const BUNDLE_FORMAT_VERSION = 1;

export const PLANS = ['standard', 'professional', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

/** How long Otesse keeps bundles online per plan; older ones are archived (410 Gone from the API). */
export const RETENTION_DAYS: Record<Plan, number> = {
  standard: 90,
  professional: 365,
  enterprise: 3 * 365,
};

export interface Tenant {
  id: string;
  name: string;
  /** IANA time zone of the business, e.g. `Europe/Berlin`. */
  timeZone: string;
  plan: Plan;
}

/** The signed part of a bundle. Field order is irrelevant: the signature covers its RFC 8785 form. */
export interface Manifest {
  formatVersion: number;
  tenant: Tenant;
  /** Period covered, half-open [periodStart, periodEnd), UTC ISO 8601 with milliseconds. */
  periodStart: string;
  periodEnd: string;
  /** First and last `seq` in the bundle; both null when the period had no activity. */
  firstSeq: number | null;
  lastSeq: number | null;
  entryCount: number;
  /** Lower-case hex SHA-256 of the payload bytes (every entry line, each ending in `\n`). */
  payloadSha256: string;
  /** Lower-case hex RFC 6962 Merkle tree head over the canonical entries. */
  merkleRoot: string;
  /** Digest of the tenant's previous bundle; null only for the tenant's first bundle. */
  prevDigest: string | null;
  keyId: string;
  issuedAt: string;
}

/** Every reason a bundle can be refused; each verdict names exactly one. */
export const VERDICT_CAUSES = [
  'not_a_bundle',
  'unsupported_version',
  'malformed',
  'unknown_key',
  'revoked_key',
  'expired_key',
  'signature',
  'payload_digest',
  'merkle_root',
  'entry_count',
  'seq_range',
  'chain_link',
  'tenant_mismatch',
  'conflict',
  'unreadable',
] as const;
export type VerdictCause = (typeof VERDICT_CAUSES)[number];

export type Verdict =
  | { valid: true; manifest: Manifest; digest: string; bundleId: string; signature: string }
  | { valid: false; cause: VerdictCause; message: string };
