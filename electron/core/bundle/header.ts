// Reads just the magic line and header of a bundle file, without any trust decision: used to chain
// a new bundle to its predecessor (`pack --prev`), never to accept one.
import { closeSync, openSync, readSync } from 'node:fs';
import type { Manifest } from '../../../shared/bundle';
import { MAGIC_LINE, MAX_HEADER_BYTES } from './format';
import { bundleDigest, checkManifest } from './manifest';

export function readBundleHeader(path: string): { manifest: Manifest; digest: string } {
  const fd = openSync(path, 'r');
  let text: string;
  try {
    const buffer = Buffer.alloc(MAGIC_LINE.length + 1 + MAX_HEADER_BYTES + 1);
    text = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
  const [magic, header] = text.split('\n', 2);
  if (magic !== MAGIC_LINE || header === undefined) throw new Error(`${path} is not a bundle`);
  let parsed: unknown;
  try {
    parsed = (JSON.parse(header) as { manifest?: unknown }).manifest;
  } catch {
    throw new Error(`${path} has a malformed header`);
  }
  const checked = checkManifest(parsed);
  if ('problem' in checked) throw new Error(`${path}: manifest: ${checked.problem}`);
  return { manifest: checked.manifest, digest: bundleDigest(checked.manifest) };
}
