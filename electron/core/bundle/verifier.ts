// Streaming bundle verification (docs/bundle-format.md §Verification). Bytes are pushed in chunks of
// any size; memory stays bounded by the longest line. Each entry is handed to `onEntry` as soon as
// it has passed its own checks, so an importer can store it in the same pass and roll back if the
// final verdict fails. Causes are reported in a fixed precedence: header and key problems, then the
// signature, then the payload digest (bytes differ from what was signed), then problems the signer
// itself put in the signed bytes (malformed entries, seq, count, Merkle root).
import { createHash, hash, type Hash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import type { Manifest, Verdict, VerdictCause } from '../../../shared/bundle';
import type { Entry } from '../../../shared/entry';
import { entryProblem } from '../../../shared/entry-schema';
import { canonicalJson } from './canonical';
import { MAX_ENTRY_LINE_BYTES, MAX_HEADER_BYTES } from './format';
import {
  HEADER_TOO_LONG,
  HEADER_TRUNCATED,
  magicLineProblem,
  NOT_A_BUNDLE,
  parseHeaderLine,
  type HeaderProblem,
} from './header';
import { verifyBytes } from './keys';
import { bundleDigest, bundleIdOf, manifestBytes } from './manifest';
import { LEAF_PREFIX, MerkleRootBuilder } from './merkle';
import type { TrustStore } from './trust-store';
import { quote } from './untrusted';

export interface VerifiedEntry {
  entry: Entry;
  /** The exact signed line (canonical JSON, without its newline). */
  line: string;
  /** 0-based position in the bundle, i.e. the Merkle leaf index. */
  leafIndex: number;
}

export interface VerifierOptions {
  trust: TrustStore;
  /**
   * Called once the manifest's signature holds, before any entry. Returning a verdict ends the
   * read with it (an importer refuses another tenant's bundle, or skips one it already holds).
   */
  onManifest?: (manifest: Manifest, digest: string, signature: string) => Verdict | undefined;
  onEntry?: (entry: VerifiedEntry) => void;
}

type Problem = HeaderProblem;

type Stage = 'magic' | 'header' | 'entries' | 'failed';

export class BundleVerifier {
  private stage: Stage = 'magic';
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private lineNumber = 0;
  private headerProblem: Problem | null = null;
  private earlyVerdict: Verdict | null = null;
  private entryProblem: Problem | null = null;
  private manifestValue: Manifest | null = null;
  private digestValue = '';
  private signature = '';
  private readonly payloadHash: Hash = createHash('sha256');
  private readonly merkle = new MerkleRootBuilder();
  private periodStartMs = 0;
  private periodEndMs = 0;
  private sawBytes = false;

  constructor(private readonly options: VerifierOptions) {}

  /** True once the verdict is settled before the end of the file (the caller may stop reading). */
  get settled(): boolean {
    return this.stage === 'failed';
  }

  /** Takes ownership of `chunk`: its bytes may be overwritten once hashed. */
  push(chunk: Buffer): void {
    if (chunk.length > 0) this.sawBytes = true;
    let offset = 0;
    while (offset < chunk.length && this.stage !== 'failed') {
      if (this.stage === 'entries') {
        this.payloadHash.update(offset === 0 ? chunk : chunk.subarray(offset));
        if (this.entryProblem !== null) return; // only hashing now, to tell tampering from a bad signer
        this.pushEntryBytes(chunk, offset);
        return;
      }
      const newline = chunk.indexOf(0x0a, offset);
      if (newline === -1) {
        this.keepPending(chunk.subarray(offset), MAX_HEADER_BYTES);
        return;
      }
      const line = this.takeLine(chunk.subarray(offset, newline));
      offset = newline + 1;
      if (this.stage === 'magic') this.readMagic(line);
      else this.readHeader(line);
    }
  }

  finish(): Verdict {
    if (this.stage !== 'entries') return this.finishBeforePayload();
    const manifest = this.manifestValue!;
    const payloadDigest = this.payloadHash.digest('hex');
    if (payloadDigest !== manifest.payloadSha256) {
      return fail(
        'payload_digest',
        'payload SHA-256 does not match the signed manifest: entries were altered, added, removed or truncated',
      );
    }
    if (this.entryProblem === null && this.pendingBytes > 0) {
      this.entryProblem = {
        cause: 'malformed',
        message: `line ${this.lineNumber + 1}: last entry line has no terminating newline`,
      };
    }
    if (this.entryProblem !== null) return fail(this.entryProblem.cause, this.entryProblem.message);
    if (this.merkle.leafCount !== manifest.entryCount) {
      return fail(
        'entry_count',
        `bundle holds ${this.merkle.leafCount} entries, its manifest says ${manifest.entryCount}`,
      );
    }
    if (this.merkle.root().toString('hex') !== manifest.merkleRoot) {
      return fail('merkle_root', 'Merkle root over the entries does not match the signed manifest');
    }
    return {
      valid: true,
      manifest,
      digest: this.digestValue,
      bundleId: bundleIdOf(manifest, this.digestValue),
      signature: this.signature,
    };
  }

  private finishBeforePayload(): Verdict {
    if (this.earlyVerdict !== null) return this.earlyVerdict;
    if (this.headerProblem !== null)
      return fail(this.headerProblem.cause, this.headerProblem.message);
    if (!this.sawBytes) return fail('not_a_bundle', 'file is empty, not a bundle');
    const problem = this.stage === 'magic' ? NOT_A_BUNDLE : HEADER_TRUNCATED;
    return fail(problem.cause, problem.message);
  }

  private failHeader(problem: Problem): void {
    this.headerProblem = problem;
    this.stage = 'failed';
  }

  /**
   * Holds the start of a line that continues in a later chunk. A line over its limit fails here,
   * before its end arrives; complete lines get the same check with the same verdict, so the
   * verdict does not depend on how the bytes were chunked.
   */
  private keepPending(part: Buffer, limit: number): void {
    this.pending.push(part);
    this.pendingBytes += part.length;
    if (this.pendingBytes > limit) {
      if (this.stage === 'entries') {
        this.entryProblem = entryTooLong(this.lineNumber + 1);
        this.pending.length = 0;
        this.pendingBytes = 0;
      } else {
        this.failHeader(this.stage === 'magic' ? NOT_A_BUNDLE : HEADER_TOO_LONG);
      }
    }
  }

  private takeLine(tail: Buffer): Buffer {
    this.lineNumber++;
    if (this.pending.length === 0) return tail;
    const line = Buffer.concat([...this.pending, tail]);
    this.pending.length = 0;
    this.pendingBytes = 0;
    return line;
  }

  private readMagic(line: Buffer): void {
    const problem = magicLineProblem(line);
    if (problem !== null) return this.failHeader(problem);
    this.stage = 'header';
  }

  private readHeader(line: Buffer): void {
    const header = parseHeaderLine(line);
    if ('cause' in header) return this.failHeader(header);
    const { manifest, signature } = header;
    const key = this.options.trust.check(manifest.keyId, manifest.issuedAt);
    if (!key.ok) return this.failHeader(key);
    if (!verifyBytes(manifestBytes(manifest), signature, key.publicKey)) {
      return this.failHeader({
        cause: 'signature',
        message: `Ed25519 signature does not verify with key ${quote(manifest.keyId)}: the manifest was altered or signed by another key`,
      });
    }
    this.manifestValue = manifest;
    this.digestValue = bundleDigest(manifest);
    this.signature = signature;
    const early = this.options.onManifest?.(manifest, this.digestValue, signature);
    if (early !== undefined) {
      this.earlyVerdict = early;
      this.stage = 'failed';
      return;
    }
    this.periodStartMs = Date.parse(manifest.periodStart);
    this.periodEndMs = Date.parse(manifest.periodEnd);
    this.stage = 'entries';
  }

  private pushEntryBytes(chunk: Buffer, from: number): void {
    let offset = from;
    while (offset < chunk.length && this.entryProblem === null) {
      const newline = chunk.indexOf(0x0a, offset);
      if (newline === -1) {
        this.keepPending(chunk.subarray(offset), MAX_ENTRY_LINE_BYTES);
        return;
      }
      this.readEntry(this.takePrefixedLine(chunk, offset, newline));
      offset = newline + 1;
    }
  }

  /**
   * The line from `offset` to `newline`, preceded by one 0x00 byte: the RFC 6962 leaf prefix, so
   * the leaf hash is one call. When the line sits in `chunk` after another byte (the previous
   * line's newline, already hashed into the payload digest), that byte is overwritten in place.
   */
  private takePrefixedLine(chunk: Buffer, offset: number, newline: number): Buffer {
    this.lineNumber++;
    if (this.pending.length === 0 && offset > 0) {
      chunk[offset - 1] = 0x00;
      return chunk.subarray(offset - 1, newline);
    }
    const line = Buffer.concat([LEAF_PREFIX, ...this.pending, chunk.subarray(offset, newline)]);
    this.pending.length = 0;
    this.pendingBytes = 0;
    return line;
  }

  private readEntry(prefixed: Buffer): void {
    const line = prefixed.subarray(1);
    const manifest = this.manifestValue!;
    const index = this.merkle.leafCount;
    const at = `line ${this.lineNumber}`;
    // Checked first, as keepPending does for a line that spans chunks (same verdict either way).
    if (line.length > MAX_ENTRY_LINE_BYTES) {
      this.entryProblem = entryTooLong(this.lineNumber);
      return;
    }
    if (index >= manifest.entryCount) {
      this.entryProblem = {
        cause: 'entry_count',
        message: `${at}: more entries than the ${manifest.entryCount} the manifest declares`,
      };
      return;
    }
    if (!isUtf8(line)) return this.badEntry('malformed', `${at}: entry is not valid UTF-8`);
    const text = line.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.badEntry('malformed', `${at}: entry is not valid JSON`);
    }
    const problem = entryProblem(value);
    if (problem !== null) return this.badEntry('malformed', `${at}: ${problem}`);
    if (!isCanonical(value, text))
      return this.badEntry('malformed', `${at}: entry is not in RFC 8785 canonical form`);
    const entry = value as Entry;
    const expectedSeq = manifest.firstSeq! + index;
    if (entry.seq !== expectedSeq) {
      return this.badEntry(
        'seq_range',
        `${at}: seq ${entry.seq} where the manifest's range requires ${expectedSeq}`,
      );
    }
    const occurred = Date.parse(entry.occurredAt);
    if (occurred < this.periodStartMs || occurred >= this.periodEndMs) {
      return this.badEntry(
        'malformed',
        `${at}: occurredAt ${entry.occurredAt} lies outside the bundle period`,
      );
    }
    this.merkle.addLeafHash(hash('sha256', prefixed, 'buffer'));
    this.options.onEntry?.({ entry, line: text, leafIndex: index });
  }

  private badEntry(cause: VerdictCause, message: string): void {
    this.entryProblem = { cause, message };
  }
}

function entryTooLong(lineNumber: number): Problem {
  return {
    cause: 'malformed',
    message: `line ${lineNumber}: entry line longer than ${MAX_ENTRY_LINE_BYTES} bytes`,
  };
}

function fail(cause: VerdictCause, message: string): Verdict {
  return { valid: false, cause, message };
}

/**
 * Whether `text` is the RFC 8785 form of `value`. Fast path: JSON.stringify keeps the parsed key
 * order and escapes strings as JCS does, so sorted keys plus an identical re-serialization prove
 * canonical form; `\u` escapes (lone surrogates) and integer-like keys (which JS objects reorder)
 * take the full canonicalization instead.
 */
export function isCanonical(value: unknown, text: string): boolean {
  if (!text.includes('\\u') && keysSorted(value) && JSON.stringify(value) === text) return true;
  try {
    return canonicalJson(value) === text;
  } catch {
    return false;
  }
}

function keysSorted(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(keysSorted);
  let previous: string | null = null;
  for (const key in value) {
    if (previous !== null && !(previous < key)) return false;
    previous = key;
    if (!keysSorted((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}
