// manifest.json of an evidence pack: what the pack holds, how it was chosen, and the SHA-256 of
// every other file (docs/evidence-pack.md, "manifest.json"). Its schema is checked by verify-pack.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { PLANS } from '../../../shared/bundle';
import { ANNOTATION_FIELDS, ENTRY_FIELDS } from './fields';

export const PACK_FORMAT = 'audit-desk-evidence-pack';
export const PACK_FORMAT_VERSION = 1;

export const FILE_NAMES = {
  readme: 'README.txt',
  manifest: 'manifest.json',
  entriesCsv: 'entries.csv',
  annotationsCsv: 'annotations.csv',
  entriesJsonl: 'entries.jsonl',
  reviewLog: 'review-log.jsonl',
} as const;

export const bundleManifestFile = (bundleId: string) => `bundles/${bundleId}.manifest.json`;
export const bundleSignatureFile = (bundleId: string) => `bundles/${bundleId}.signature`;
export const proofFile = (bundleId: string) => `proofs/${bundleId}.json`;

/** Columns of annotations.csv (one row per exported entry that has an annotation). */
export const ANNOTATION_CSV_COLUMNS = ['id', 'seq', ...ANNOTATION_FIELDS] as const;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.number().int().nonnegative();

const selectionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('query'),
    query: z.string(),
    description: z.string(),
    filters: z.unknown(),
  }),
  z.strictObject({
    kind: z.literal('sample'),
    query: z.string().nullable(),
    seed: z.string(),
    populationSize: count.nullable(),
    populationFingerprint: hex64,
  }),
]);

export const packManifestSchema = z.strictObject({
  format: z.literal(PACK_FORMAT),
  formatVersion: z.literal(PACK_FORMAT_VERSION),
  createdAt: z.string(),
  appVersion: z.string(),
  reviewer: z.string().nullable(),
  tenant: z.strictObject({
    id: z.string(),
    name: z.string(),
    timeZone: z.string(),
    plan: z.enum(PLANS),
  }),
  timeZone: z.string(),
  selection: selectionSchema,
  fields: z.array(z.enum([...ENTRY_FIELDS, ...ANNOTATION_FIELDS])),
  annotations: z.boolean(),
  counts: z.strictObject({
    entries: count,
    bundles: count,
    annotations: count,
    reviewLog: count,
  }),
  /** For a query export: fingerprint of the exported ids. For a sample: of its population. */
  populationFingerprint: hex64,
  /** Fingerprint of the ids in this pack (equals populationFingerprint for a query export). */
  entryIdsFingerprint: hex64,
  bundles: z.array(
    z.strictObject({
      bundleId: z.string(),
      digest: hex64,
      firstSeq: count.nullable(),
      lastSeq: count.nullable(),
      entryCount: count,
      exported: count,
    }),
  ),
  files: z.array(z.strictObject({ name: z.string(), size: count, sha256: hex64 })),
});
export type PackManifest = z.infer<typeof packManifestSchema>;
export type PackSelection = z.infer<typeof selectionSchema>;

/**
 * SHA-256 (hex) of the JSON array of entry ids sorted by their UTF-8 bytes (SQLite's BINARY
 * order), `["id1","id2",...]` without spaces: the population fingerprint of audit samples
 * (electron/core/review/sampling.ts), so a sample's pack and its population compare directly.
 * Fed in that order (the export streams them from the database).
 */
export class IdFingerprint {
  private readonly hash = createHash('sha256');
  private previous: string | null = null;
  // Text gathered and hashed in pieces of about 64 KiB (a million ids, not a million updates).
  private text = '[';

  add(id: string): void {
    if (this.previous !== null && !utf8Before(this.previous, id))
      throw new Error('ids must be fed in ascending UTF-8 byte order without repeats');
    this.text += `${this.previous === null ? '' : ','}${JSON.stringify(id)}`;
    if (this.text.length > 1 << 16) {
      this.hash.update(this.text, 'utf8');
      this.text = '';
    }
    this.previous = id;
  }

  digest(): string {
    return this.hash.update(`${this.text}]`, 'utf8').digest('hex');
  }
}

/** a < b in UTF-8 byte order (UTF-16 order agrees unless a character beyond U+D7FF is involved). */
function utf8Before(a: string, b: string): boolean {
  if (!/[\uD800-\uFFFF]/.test(a) && !/[\uD800-\uFFFF]/.test(b)) return a < b;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')) < 0;
}

/**
 * fingerprintOf for a list it may reorder: sorted as strings (UTF-16 order, which is UTF-8 byte
 * order unless an id holds characters beyond U+D7FF), else by bytes. An id that appears twice has
 * no fingerprint: returns it as `{ repeated }`.
 */
export function fingerprintOfAny(ids: string[]): string | { repeated: string } {
  const bytes = ids.some((id) => /[\uD800-\uFFFF]/.test(id));
  const sorted = bytes
    ? ids
        .map((id) => Buffer.from(id, 'utf8'))
        .sort(Buffer.compare)
        .map((b) => b.toString('utf8'))
    : ids.sort();
  const f = new IdFingerprint();
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) return { repeated: sorted[i]! };
    f.add(sorted[i]!);
  }
  return f.digest();
}

export function fingerprintOf(ids: Iterable<string>): string {
  const sorted = [...ids].map((id) => Buffer.from(id, 'utf8')).sort(Buffer.compare);
  const f = new IdFingerprint();
  for (const id of sorted) f.add(id.toString('utf8'));
  return f.digest();
}

export function readmeText(): string {
  return [
    'Audit Desk evidence pack',
    '========================',
    '',
    'entries.csv         the exported entries, one row each (UTF-8 with BOM, RFC 4180, CRLF).',
    '                    A cell that a spreadsheet could run as a formula starts with an added',
    "                    apostrophe ('); so does any cell that itself started with one. Remove",
    '                    one leading apostrophe to read the original value.',
    'entries.jsonl       the same entries exactly as Otesse signed them, one per line, same order.',
    "annotations.csv     the reviewer's annotations of those entries (when exported).",
    "review-log.jsonl    the reviewer's log of review actions (when exported).",
    'bundles/            the signed manifest of every bundle the entries come from',
    '                    (<id>.manifest.json, the exact signed bytes) and its Ed25519',
    '                    signature (<id>.signature, base64).',
    'proofs/             per bundle, the Merkle nodes that prove every exported entry belongs',
    "                    to the bundle's signed Merkle root (RFC 6962).",
    'manifest.json       how the entries were chosen, the fields, the time zone, counts,',
    '                    fingerprints, and the SHA-256 of every other file.',
    '',
    'To verify (no workspace needed, only this file and the trust store of Otesse keys):',
    '',
    '    audit-desk verify-pack THIS.zip --trust trust.json',
    '',
    'It checks every file hash, every bundle signature against the trust store, every entry',
    "against its bundle's signed Merkle root, and that every CSV row says what its signed entry",
    'says. The format is specified in docs/evidence-pack.md of Audit Desk.',
    '',
  ].join('\r\n');
}
