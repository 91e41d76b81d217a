// Scenario faults applied to bundle files before they are served: a tampered bundle (one payload
// byte changed, or for an empty bundle one signature character), and a bundle re-signed by a key
// the trust store does not know. The originals stay untouched; the altered copies go elsewhere.
import { closeSync, copyFileSync, openSync, readSync, writeSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import type { Manifest } from '../../../shared/bundle';
import { canonicalJson } from '../../core/bundle/canonical';
import { signBytes } from '../../core/bundle/keys';
import { bundleDigest, bundleIdOf, manifestBytes } from '../../core/bundle/manifest';

/** Key id of the foreign signer: in no trust store the simulator writes, and never listed by /keys. */
export const FOREIGN_KEY_ID = 'otesse-unknown-1';

const HEAD_BYTES = 4 * 1024 * 1024;

interface Head {
  bytes: Buffer;
  /** Offset of the header line and of its LF. */
  headerStart: number;
  headerEnd: number;
}

function readHead(path: string): Head {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const read = readSync(fd, buffer, 0, HEAD_BYTES, 0);
    const bytes = buffer.subarray(0, read);
    const headerStart = bytes.indexOf(0x0a) + 1;
    const headerEnd = bytes.indexOf(0x0a, headerStart);
    if (headerStart === 0 || headerEnd === -1)
      throw new Error(`${path}: not a bundle written by the simulator`);
    return { bytes, headerStart, headerEnd };
  } finally {
    closeSync(fd);
  }
}

function patch(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

/**
 * Copies `src` to `dst` with one byte changed: the first letter of an entry's `label` or `name`
 * (so the entry stays valid, canonical JSON and only the digests disagree: verdict payload digest),
 * or in an empty bundle one character of the signature (verdict signature). Returns what changed.
 */
export function writeTamperedCopy(src: string, dst: string): string {
  const head = readHead(src);
  copyFileSync(src, dst);
  const payloadStart = head.headerEnd + 1;
  if (payloadStart < head.bytes.length) {
    for (const key of ['"label":"', '"name":"']) {
      let at = head.bytes.indexOf(key, payloadStart, 'latin1');
      while (at !== -1) {
        const offset = at + key.length;
        const next = nextLetter(head.bytes[offset]!);
        if (next !== null) {
          patch(dst, offset, Buffer.from([next]));
          return `payload byte ${offset} changed`;
        }
        at = head.bytes.indexOf(key, offset, 'latin1');
      }
    }
  }
  const signature = head.bytes.indexOf('"signature":"', head.headerStart, 'latin1');
  if (signature === -1 || signature > head.headerEnd)
    throw new Error(`${src}: no signature to tamper with`);
  const offset = signature + '"signature":"'.length + 10;
  patch(dst, offset, Buffer.from([head.bytes[offset] === 0x41 ? 0x42 : 0x41]));
  return `signature byte ${offset} changed`;
}

function nextLetter(byte: number): number | null {
  if (byte >= 0x61 && byte <= 0x7a) return byte === 0x7a ? 0x61 : byte + 1;
  if (byte >= 0x41 && byte <= 0x5a) return byte === 0x5a ? 0x41 : byte + 1;
  return null;
}

/**
 * Copies `src` to `dst` re-signed by `key` under FOREIGN_KEY_ID: same entries, same period and
 * chain link, a new manifest (and so a new digest and bundle id).
 */
export function writeForeignCopy(
  src: string,
  dst: string,
  key: KeyObject,
): { digest: string; bundleId: string } {
  const head = readHead(src);
  const old = head.bytes.subarray(head.headerStart, head.headerEnd);
  const header = JSON.parse(old.toString('utf8')) as { manifest: Manifest };
  const manifest: Manifest = { ...header.manifest, keyId: FOREIGN_KEY_ID };
  const signature = signBytes(manifestBytes(manifest), key);
  const line = Buffer.from(
    `{"manifest":${canonicalJson(manifest)},"signature":"${signature}"}`,
    'utf8',
  );
  if (line.length > old.length)
    throw new Error(`${src}: the re-signed header does not fit its reserved space`);
  copyFileSync(src, dst);
  patch(dst, head.headerStart, Buffer.concat([line, Buffer.alloc(old.length - line.length, 0x20)]));
  const digest = bundleDigest(manifest);
  return { digest, bundleId: bundleIdOf(manifest, digest) };
}
