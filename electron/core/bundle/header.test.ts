// readBundleHeader (pack --prev) reads only the start of a file, without any trust decision; it must
// accept and refuse headers exactly as the streaming verifier does, within the same size limit.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  dayEntries,
  makeKey,
  tempDir,
  trustOf,
  writeDayBundle,
} from '../../../tests/helpers/bundles';
import { MAX_HEADER_BYTES } from './format';
import { readBundleHeader } from './header';
import { verifyBundleFile } from './read-file';

const key = makeKey('otesse-header');
const dir = tempDir();
afterAll(() => dir.remove());

const written = writeDayBundle({
  key,
  out: join(dir.path, 'valid.otbundle'),
  entries: dayEntries(0, 1, 2),
  day: 0,
});
const bytes = readFileSync(written.out);
const text = bytes.toString('utf8');
const magicEnd = bytes.indexOf(0x0a);
const headerEnd = bytes.indexOf(0x0a, magicEnd + 1);

/** The bundle with its header line padded (or cut back) with spaces to `length` bytes. */
function withHeaderLength(length: number): Buffer {
  const json = bytes
    .subarray(magicEnd + 1, headerEnd)
    .toString('utf8')
    .trimEnd();
  const padding = length - Buffer.byteLength(json);
  return Buffer.concat([
    bytes.subarray(0, magicEnd + 1),
    Buffer.from(json),
    Buffer.alloc(padding, 0x20),
    bytes.subarray(headerEnd),
  ]);
}

let count = 0;
function file(content: Buffer | string): string {
  const path = join(dir.path, `case-${count++}.otbundle`);
  writeFileSync(path, content);
  return path;
}

describe('readBundleHeader', () => {
  it('reads the manifest and digest of a bundle, whatever its payload', () => {
    expect(readBundleHeader(written.out)).toEqual({
      manifest: written.manifest,
      digest: written.digest,
    });
  });

  it('reads a header of exactly MAX_HEADER_BYTES and refuses one byte more, like the verifier', () => {
    const atLimit = file(withHeaderLength(MAX_HEADER_BYTES));
    expect(readBundleHeader(atLimit).digest).toBe(written.digest);
    expect(verifyBundleFile(atLimit, { trust: trustOf(key) }).valid).toBe(true);
    const over = file(withHeaderLength(MAX_HEADER_BYTES + 1));
    expect(() => readBundleHeader(over)).toThrow(
      `${over}: bundle header longer than ${MAX_HEADER_BYTES} bytes`,
    );
    expect(verifyBundleFile(over, { trust: trustOf(key) })).toMatchObject({ cause: 'malformed' });
  });

  const cases: [string, Buffer | string][] = [
    ['an empty file', ''],
    ['a text file', 'hello\n'],
    ['another format version', text.replace('AUDITDESK-BUNDLE/1', 'AUDITDESK-BUNDLE/2')],
    ['CRLF line endings', text.replace(/\n/g, '\r\n')],
    ['a tab in the padding', text.replace(/} {2}/, '}\t ')],
    ['a header cut short', bytes.subarray(0, headerEnd)],
    ['a header that is not JSON', text.replace('{"manifest"', '{manifest')],
    ['invalid UTF-8 in the header', Buffer.from(text.replace('Acme', 'Acm\u00ff'), 'latin1')],
    ['a missing formatVersion', text.replace('"formatVersion":1,', '')],
    ['formatVersion 2', text.replace('"formatVersion":1,', '"formatVersion":2,')],
    [
      'an unknown manifest member',
      text.replace('"formatVersion":1,', '"formatVersion":1,"x\\n":1,'),
    ],
    ['a first line over the limit', `AUDITDESK-BUNDLE/${'9'.repeat(MAX_HEADER_BYTES)}\n`],
  ];

  it.each(cases)('refuses %s with the verifier message, in one line', (_name, content) => {
    const path = file(content);
    const verdict = verifyBundleFile(path, { trust: trustOf(key) });
    expect(verdict.valid).toBe(false);
    if (verdict.valid) return;
    expect(['not_a_bundle', 'unsupported_version', 'malformed']).toContain(verdict.cause);
    let message = '';
    try {
      readBundleHeader(path);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^[^\n\r]+$/);
    expect(message).toContain(
      verdict.cause === 'not_a_bundle' ? `${path} is not a bundle` : `${path}: ${verdict.message}`,
    );
  });

  it('does not judge the payload or the key: that is the verifier’s job', () => {
    const damagedPayload = file(Buffer.concat([bytes, Buffer.from('garbage\n')]));
    expect(readBundleHeader(damagedPayload).digest).toBe(written.digest);
    expect(verifyBundleFile(damagedPayload, { trust: trustOf() })).toMatchObject({
      cause: 'unknown_key',
    });
  });
});
