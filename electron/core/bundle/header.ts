// The magic line and the header line of a bundle (docs/bundle-format.md §3-§4). The streaming
// verifier and readBundleHeader parse them with the same functions, so both accept and refuse the
// same files, within the same MAX_HEADER_BYTES limit.
import { closeSync, openSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { Manifest, VerdictCause } from '../../../shared/bundle';
import { MAGIC_LINE, MAGIC_PREFIX, MAX_HEADER_BYTES } from './format';
import { bundleDigest, checkManifest } from './manifest';
import { quote } from './untrusted';

export interface HeaderProblem {
  cause: VerdictCause;
  message: string;
}

export interface ParsedHeader {
  manifest: Manifest;
  signature: string;
}

export const NOT_A_BUNDLE: HeaderProblem = {
  cause: 'not_a_bundle',
  message: 'file does not start with the bundle signature line',
};
export const HEADER_TOO_LONG: HeaderProblem = {
  cause: 'malformed',
  message: `bundle header longer than ${MAX_HEADER_BYTES} bytes`,
};
export const HEADER_TRUNCATED: HeaderProblem = {
  cause: 'malformed',
  message: 'file ends inside the bundle header (truncated)',
};
const CRLF: HeaderProblem = {
  cause: 'malformed',
  message: 'line endings were converted to CRLF (a bundle uses LF only): restore the original file',
};

/** Most bytes a reader needs for both lines: magic line, LF, the longest header line, LF. */
export const MAX_HEAD_BYTES = MAGIC_LINE.length + 1 + MAX_HEADER_BYTES + 1;

/** Why the first line of a file (without its LF) is not the magic line, or null when it is. */
export function magicLineProblem(line: Buffer): HeaderProblem | null {
  // Lines over the limit are refused whatever their length when complete, so that the verdict
  // does not depend on whether the line arrived in one chunk or many.
  if (line.length > MAX_HEADER_BYTES) return NOT_A_BUNDLE;
  const text = line.toString('latin1');
  if (text === MAGIC_LINE) return null;
  if (text === `${MAGIC_LINE}\r`) return CRLF;
  if (!text.startsWith(MAGIC_PREFIX)) return NOT_A_BUNDLE;
  return {
    cause: 'unsupported_version',
    message: `bundle format ${quote(text.slice(MAGIC_PREFIX.length))} is not supported (this app reads ${MAGIC_LINE})`,
  };
}

/** Parses the header line (without its LF): its JSON, then the manifest against its schema. */
export function parseHeaderLine(line: Buffer): ParsedHeader | HeaderProblem {
  if (line.length > MAX_HEADER_BYTES) return HEADER_TOO_LONG;
  // The header bytes are not signed (the signature covers the canonical manifest), so the only
  // variation allowed is space: raw control bytes cannot occur inside JSON strings, so any byte
  // below 0x20 would be a tab or CR used as whitespace, e.g. as padding. Refusing them keeps the
  // padding from being altered invisibly.
  if (line.includes(0x0d)) return CRLF;
  if (line.some((byte) => byte < 0x20)) {
    return {
      cause: 'malformed',
      message: 'bundle header holds a control character: only spaces may separate or pad it',
    };
  }
  let header: unknown;
  try {
    if (!isUtf8(line)) throw new Error('not UTF-8');
    header = JSON.parse(line.toString('utf8'));
  } catch {
    return { cause: 'malformed', message: 'bundle header is not valid JSON' };
  }
  const { manifest, signature } = (header ?? {}) as { manifest?: unknown; signature?: unknown };
  if (typeof header !== 'object' || header === null || typeof signature !== 'string') {
    return { cause: 'malformed', message: 'bundle header must hold "manifest" and "signature"' };
  }
  const checked = checkManifest(manifest);
  if ('problem' in checked) {
    const cause = checked.version !== undefined ? 'unsupported_version' : 'malformed';
    return { cause, message: `manifest: ${checked.problem}` };
  }
  return { manifest: checked.manifest, signature };
}

/**
 * Reads just the magic line and header of a bundle file, without any trust decision: used to chain
 * a new bundle to its predecessor (`pack --prev`), never to accept one. Throws one-line errors.
 */
export function readBundleHeader(path: string): { manifest: Manifest; digest: string } {
  const head = readStart(path, MAX_HEAD_BYTES);
  const magicEnd = head.indexOf(0x0a);
  const magicProblem =
    magicEnd === -1 ? NOT_A_BUNDLE : magicLineProblem(head.subarray(0, magicEnd));
  if (magicProblem === NOT_A_BUNDLE) throw new Error(`${path} is not a bundle`);
  if (magicProblem !== null) throw new Error(`${path}: ${magicProblem.message}`);
  const headerEnd = head.indexOf(0x0a, magicEnd + 1);
  if (headerEnd === -1) {
    // No LF within the bytes read: either the file ends first, or the line is over the limit.
    const problem = head.length === MAX_HEAD_BYTES ? HEADER_TOO_LONG : HEADER_TRUNCATED;
    throw new Error(`${path}: ${problem.message}`);
  }
  const header = parseHeaderLine(head.subarray(magicEnd + 1, headerEnd));
  if ('cause' in header) throw new Error(`${path}: ${header.message}`);
  return { manifest: header.manifest, digest: bundleDigest(header.manifest) };
}

/** Up to `length` bytes from the start of a file (fewer only if the file is shorter). */
function readStart(path: string, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    let filled = 0;
    while (filled < length) {
      const read = readSync(fd, buffer, filled, length - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    return buffer.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}
