// Damaged copies of real bundle files, made at the byte level as an attacker or a bad disk would.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Manifest } from '../../../shared/bundle';
import { leafHash, rootFromLeafHashes } from '../../../electron/core/bundle/merkle';

interface Parts {
  magic: Buffer;
  header: Buffer;
  /** Entry lines without their newlines. */
  entries: Buffer[];
}

function split(bytes: Buffer): Parts {
  const first = bytes.indexOf(0x0a);
  const second = bytes.indexOf(0x0a, first + 1);
  const payload = bytes.subarray(second + 1);
  const entries: Buffer[] = [];
  for (let start = 0; start < payload.length;) {
    const end = payload.indexOf(0x0a, start);
    entries.push(payload.subarray(start, end));
    start = end + 1;
  }
  return { magic: bytes.subarray(0, first), header: bytes.subarray(first + 1, second), entries };
}

function join({ magic, header, entries }: Parts): Buffer {
  return Buffer.concat([
    magic,
    Buffer.from('\n'),
    header,
    Buffer.from('\n'),
    ...entries.flatMap((e) => [e, Buffer.from('\n')]),
  ]);
}

/** The exact signed entry lines of a bundle file, in order. */
export function entryLines(path: string): string[] {
  return split(readFileSync(path)).entries.map((line) => line.toString('utf8'));
}

export function readManifest(path: string): { manifest: Manifest; signature: string } {
  return JSON.parse(split(readFileSync(path)).header.toString('utf8')) as {
    manifest: Manifest;
    signature: string;
  };
}

/** Changes one character of entry `index` (default: the last) inside a string value, keeping it canonical JSON. */
export function alterEntry(src: string, dst: string, index = -1): void {
  const parts = split(readFileSync(src));
  const at = index < 0 ? parts.entries.length + index : index;
  const line = parts.entries[at]!.toString('utf8');
  const altered = line.replace('"Booking #', '"Booking N');
  if (altered === line) throw new Error('entry has no label to alter');
  parts.entries[at] = Buffer.from(altered, 'utf8');
  writeFileSync(dst, join(parts));
}

/**
 * Changes one entry and recomputes the payload digest and Merkle root in the manifest, but cannot
 * re-sign it: only the signature can catch this one.
 */
export function alterEntryAndRedigest(src: string, dst: string, index = 0): void {
  alterEntry(src, dst, index);
  const parts = split(readFileSync(dst));
  const { manifest, signature } = JSON.parse(parts.header.toString('utf8')) as {
    manifest: Manifest;
    signature: string;
  };
  const payload = Buffer.concat(parts.entries.flatMap((e) => [e, Buffer.from('\n')]));
  manifest.payloadSha256 = createHash('sha256').update(payload).digest('hex');
  manifest.merkleRoot = rootFromLeafHashes(parts.entries.map((e) => leafHash(e))).toString('hex');
  const header = JSON.stringify({ manifest, signature });
  parts.header = Buffer.from(header.padEnd(parts.header.length, ' '), 'utf8');
  writeFileSync(dst, join(parts));
}

/** Flips every bit of the byte at `offset` (negative: from the end). */
export function flipByte(src: string, dst: string, offset: number): void {
  const bytes = Buffer.from(readFileSync(src));
  const at = offset < 0 ? bytes.length + offset : offset;
  bytes[at] = bytes[at]! ^ 0xff;
  writeFileSync(dst, bytes);
}

export function truncate(src: string, dst: string, length: number): void {
  writeFileSync(dst, readFileSync(src).subarray(0, length));
}

export function appendBytes(src: string, dst: string, extra: string | Buffer): void {
  writeFileSync(dst, Buffer.concat([readFileSync(src), Buffer.from(extra)]));
}
