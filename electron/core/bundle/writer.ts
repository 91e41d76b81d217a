// Streaming bundle writer (docs/bundle-format.md). Entries are written as they come; the header,
// which must precede them but depends on all of them, goes into space reserved at the start of the
// file. The file appears under its final name only once complete and synced (write, fsync, rename).
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createHash, type Hash, type KeyObject } from 'node:crypto';
import { BUNDLE_FORMAT_VERSION, type Manifest, type Tenant } from '../../../shared/bundle';
import type { Entry } from '../../../shared/entry';
import { entryProblem } from '../../../shared/entry-schema';
import { canonicalJson } from './canonical';
import { MAGIC_LINE, MAX_HEADER_BYTES } from './format';
import { signBytes } from './keys';
import { bundleDigest, bundleIdOf, manifestBytes } from './manifest';
import { leafHash, MerkleRootBuilder } from './merkle';
import { formatPath } from './untrusted';

export interface BundleWriterOptions {
  out: string;
  tenant: Tenant;
  periodStart: string;
  periodEnd: string;
  prevDigest: string | null;
  keyId: string;
  privateKey: KeyObject;
  /** Defaults to now. */
  issuedAt?: string;
}

export interface WrittenBundle {
  out: string;
  manifest: Manifest;
  digest: string;
  bundleId: string;
}

const FLUSH_BYTES = 1024 * 1024;

export class BundleWriter {
  private readonly fd: number;
  private readonly tempPath: string;
  private readonly headerBytes: number;
  private readonly payloadHash: Hash = createHash('sha256');
  private readonly merkle = new MerkleRootBuilder();
  private readonly buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private firstSeq: number | null = null;
  private lastSeq: number | null = null;
  private readonly startMs: number;
  private readonly endMs: number;
  private readonly issuedAt: string;
  private closed = false;

  constructor(private readonly options: BundleWriterOptions) {
    this.startMs = Date.parse(options.periodStart);
    this.endMs = Date.parse(options.periodEnd);
    this.issuedAt = options.issuedAt ?? new Date().toISOString();
    if (!(this.endMs > this.startMs)) throw new Error('the period must end after it starts');
    this.tempPath = `${options.out}.${process.pid}.partial`;
    this.headerBytes = Buffer.byteLength(headerLine(this.placeholderManifest(), 'x'.repeat(88)));
    // Readers refuse a longer header; only the free-text fields (tenant name, ids) can make it so.
    if (this.headerBytes > MAX_HEADER_BYTES) {
      throw new Error(
        `the bundle header would take ${this.headerBytes} bytes, over the ${MAX_HEADER_BYTES}-byte limit: shorten the tenant name or ids`,
      );
    }
    this.fd = openSync(this.tempPath, 'w', 0o644);
    // Reserve the magic line and the header line; both are rewritten in finish().
    this.write(Buffer.alloc(MAGIC_LINE.length + 1 + this.headerBytes + 1, 0x20));
  }

  /** The reason `entry` cannot be the next entry of this bundle, or null. */
  problemWith(entry: unknown): string | null {
    return this.placeProblem(entry) ?? canonicalFormProblem(entry);
  }

  /** problemWith without the canonical-form check, which add() gets from canonicalizing anyway. */
  private placeProblem(entry: unknown): string | null {
    const schemaProblem = entryProblem(entry);
    if (schemaProblem !== null) return schemaProblem;
    const { seq, occurredAt } = entry as Entry;
    if (this.lastSeq !== null && seq !== this.lastSeq + 1) {
      return `seq ${seq} does not follow ${this.lastSeq} (entries must be in seq order, without gaps)`;
    }
    const at = Date.parse(occurredAt);
    if (at < this.startMs || at >= this.endMs) {
      return `occurredAt ${occurredAt} lies outside the period ${this.options.periodStart} – ${this.options.periodEnd}`;
    }
    return null;
  }

  add(entry: Entry): void {
    const problem = this.placeProblem(entry);
    if (problem !== null) throw new Error(problem);
    let text: string;
    try {
      text = canonicalJson(entry);
    } catch {
      throw new Error(canonicalFormProblem(entry) ?? 'entry has no RFC 8785 canonical form');
    }
    const line = Buffer.from(`${text}\n`, 'utf8');
    this.payloadHash.update(line);
    this.merkle.addLeafHash(leafHash(line.subarray(0, line.length - 1)));
    this.firstSeq ??= entry.seq;
    this.lastSeq = entry.seq;
    this.write(line);
  }

  get entryCount(): number {
    return this.merkle.leafCount;
  }

  finish(): WrittenBundle {
    const manifest: Manifest = {
      ...this.placeholderManifest(),
      firstSeq: this.firstSeq,
      lastSeq: this.lastSeq,
      entryCount: this.merkle.leafCount,
      payloadSha256: this.payloadHash.digest('hex'),
      merkleRoot: this.merkle.root().toString('hex'),
    };
    const signature = signBytes(manifestBytes(manifest), this.options.privateKey);
    const line = headerLine(manifest, signature);
    // Cannot happen (the space was sized for the widest manifest), but would corrupt the file.
    if (Buffer.byteLength(line) > this.headerBytes)
      throw new Error('bundle header outgrew its reserved space');
    const head = Buffer.alloc(MAGIC_LINE.length + 1 + this.headerBytes + 1, 0x20);
    head.write(`${MAGIC_LINE}\n`, 0, 'latin1');
    head.write(line, MAGIC_LINE.length + 1, 'utf8');
    head[head.length - 1] = 0x0a;
    this.flush();
    writeSync(this.fd, head, 0, head.length, 0);
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.closed = true;
    renameSync(this.tempPath, this.options.out);
    const digest = bundleDigest(manifest);
    return { out: this.options.out, manifest, digest, bundleId: bundleIdOf(manifest, digest) };
  }

  /** Drops the partial file; safe to call after a failure at any point. */
  abort(): void {
    if (!this.closed) {
      this.closed = true;
      closeSync(this.fd);
    }
    rmSync(this.tempPath, { force: true });
  }

  /** A manifest with every value at its widest, to size the reserved header space. */
  private placeholderManifest(): Manifest {
    const { tenant, periodStart, periodEnd, prevDigest, keyId } = this.options;
    return {
      formatVersion: BUNDLE_FORMAT_VERSION,
      tenant: { id: tenant.id, name: tenant.name, timeZone: tenant.timeZone, plan: tenant.plan },
      periodStart,
      periodEnd,
      firstSeq: Number.MAX_SAFE_INTEGER,
      lastSeq: Number.MAX_SAFE_INTEGER,
      entryCount: Number.MAX_SAFE_INTEGER,
      payloadSha256: 'f'.repeat(64),
      merkleRoot: 'f'.repeat(64),
      prevDigest,
      keyId,
      issuedAt: this.issuedAt,
    };
  }

  private write(data: Buffer): void {
    this.buffered.push(data);
    this.bufferedBytes += data.length;
    if (this.bufferedBytes >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.bufferedBytes === 0) return;
    writeSync(this.fd, Buffer.concat(this.buffered, this.bufferedBytes));
    this.buffered.length = 0;
    this.bufferedBytes = 0;
  }
}

function headerLine(manifest: Manifest, signature: string): string {
  return JSON.stringify({ manifest, signature });
}

// With the u flag a surrogate pair reads as one code point, so this matches lone surrogates only.
const LONE_SURROGATE = /\p{Cs}/u;

/** Why `entry` has no RFC 8785 form (a lone surrogate somewhere), or null. */
function canonicalFormProblem(entry: unknown): string | null {
  const found = loneSurrogateAt(entry);
  if (found === null) return null;
  const where = found.path.length === 0 ? '' : `${formatPath(found.path)}: `;
  const what = found.inKey ? 'member name' : 'string';
  return `${where}${what} holds a lone surrogate (an unpaired \\ud800-\\udfff), which has no RFC 8785 canonical form`;
}

/**
 * Where `value` holds a string or member name with a lone surrogate: valid in JSON text ("\ud800")
 * and accepted by the schema, but without an RFC 8785 form, so the entry cannot be signed.
 */
function loneSurrogateAt(value: unknown): { path: string[]; inKey: boolean } | null {
  if (typeof value === 'string')
    return LONE_SURROGATE.test(value) ? { path: [], inKey: false } : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const key in value) {
    if (LONE_SURROGATE.test(key)) return { path: [], inKey: true };
    const found = loneSurrogateAt((value as Record<string, unknown>)[key]);
    if (found !== null) {
      found.path.unshift(key); // the path is built only on the way out, for the rare hit
      return found;
    }
  }
  return null;
}
