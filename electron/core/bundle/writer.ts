// Streaming bundle writer (docs/bundle-format.md). Entries are written as they come; the header,
// which must precede them but depends on all of them, goes into space reserved at the start of the
// file. The file appears under its final name only once complete and synced (write, fsync, rename).
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createHash, type Hash, type KeyObject } from 'node:crypto';
import { BUNDLE_FORMAT_VERSION, type Manifest, type Tenant } from '../../../shared/bundle';
import type { Entry } from '../../../shared/entry';
import { entryProblem } from '../../../shared/entry-schema';
import { canonicalJson } from './canonical';
import { MAGIC_LINE } from './format';
import { signBytes } from './keys';
import { bundleDigest, bundleIdOf, manifestBytes } from './manifest';
import { leafHash, MerkleRootBuilder } from './merkle';

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
    this.fd = openSync(this.tempPath, 'w', 0o644);
    // Reserve the magic line and the header line; both are rewritten in finish().
    this.write(Buffer.alloc(MAGIC_LINE.length + 1 + this.headerBytes + 1, 0x20));
  }

  /** The reason `entry` cannot be the next entry of this bundle, or null. */
  problemWith(entry: unknown): string | null {
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
    const problem = this.problemWith(entry);
    if (problem !== null) throw new Error(problem);
    const line = Buffer.from(`${canonicalJson(entry)}\n`, 'utf8');
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
    const head = Buffer.alloc(MAGIC_LINE.length + 1 + this.headerBytes + 1, 0x20);
    head.write(`${MAGIC_LINE}\n`, 0, 'latin1');
    head.write(headerLine(manifest, signature), MAGIC_LINE.length + 1, 'utf8');
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
