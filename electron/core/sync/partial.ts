// The files of one download inside the workspace folder: `downloads/<id>.partial` (the bytes so
// far) and `downloads/<id>.partial.json` (the ETag they came with and the listed size/sha256).
// They are never read by the workspace; only a whole file whose size and sha256 match the listing
// goes on to import (which verifies it), and both files are removed afterwards. Kept across runs,
// they let the next sync resume where an interrupted one stopped.
import { createHash } from 'node:crypto';
import {
  createReadStream,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { BundleDescriptor } from '../../../shared/otesse-api';

export const DOWNLOADS_DIR = 'downloads';
const PARTIAL = '.partial';
const META = '.partial.json';

export interface PartialMeta {
  etag: string | null;
  size: number;
  sha256: string;
}

export interface PartialFiles {
  data: string;
  meta: string;
}

export function downloadsDir(workspaceDir: string): string {
  return join(workspaceDir, DOWNLOADS_DIR);
}

/** Bundle ids are validated by the API schema (`^\d{8}T\d{6}Z-[0-9a-f]{12}$`): safe as file names. */
export function partialFiles(workspaceDir: string, bundleId: string): PartialFiles {
  const dir = downloadsDir(workspaceDir);
  mkdirSync(dir, { recursive: true });
  return { data: join(dir, `${bundleId}${PARTIAL}`), meta: join(dir, `${bundleId}${META}`) };
}

export function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function readMeta(files: PartialFiles): PartialMeta | undefined {
  try {
    const meta = JSON.parse(readFileSync(files.meta, 'utf8')) as Partial<PartialMeta>;
    if (typeof meta.size !== 'number' || typeof meta.sha256 !== 'string') return undefined;
    return {
      etag: typeof meta.etag === 'string' ? meta.etag : null,
      size: meta.size,
      sha256: meta.sha256,
    };
  } catch {
    return undefined;
  }
}

export function writeMeta(files: PartialFiles, meta: PartialMeta): void {
  writeFileSync(files.meta, `${JSON.stringify(meta)}\n`);
}

export function removePartial(files: PartialFiles): void {
  rmSync(files.data, { force: true });
  rmSync(files.meta, { force: true });
}

/** A strong ETag (RFC 9110 §8.8.3): only those may go in If-Range. */
export function isStrongEtag(etag: string | undefined | null): etag is string {
  return typeof etag === 'string' && /^"[\x21\x23-\x7e\x80-\xff]*"$/.test(etag);
}

export type ResumePlan =
  { kind: 'fresh' } | { kind: 'resume'; offset: number; etag: string } | { kind: 'complete' };

/**
 * What to do with what is on disk for `descriptor`: resume only bytes that came with a strong
 * ETag for the very bundle listed (same sha256 and size); anything else starts again from zero.
 */
export function planResume(
  descriptor: Pick<BundleDescriptor, 'size' | 'sha256'>,
  have: number,
  meta: PartialMeta | undefined,
): ResumePlan {
  const sameBundle =
    meta !== undefined && meta.sha256 === descriptor.sha256 && meta.size === descriptor.size;
  if (!sameBundle || have === 0 || have > descriptor.size) return { kind: 'fresh' };
  if (have === descriptor.size) return { kind: 'complete' };
  if (!isStrongEtag(meta.etag)) return { kind: 'fresh' };
  return { kind: 'resume', offset: have, etag: meta.etag };
}

/** SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Partial downloads left by earlier runs for bundles that are no longer pending. */
export function removeStalePartials(workspaceDir: string, keep: ReadonlySet<string>): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(downloadsDir(workspaceDir));
  } catch {
    return 0;
  }
  for (const name of names) {
    const id = name.endsWith(META)
      ? name.slice(0, -META.length)
      : name.endsWith(PARTIAL)
        ? name.slice(0, -PARTIAL.length)
        : undefined;
    if (id === undefined || keep.has(id)) continue;
    rmSync(join(downloadsDir(workspaceDir), name), { force: true });
    removed++;
  }
  return removed;
}
