// A temporary file written in large sequential chunks while its SHA-256 is computed, then read
// back in chunks (entries.jsonl is written during the same pass as entries.csv, and copied into
// the zip after it: a zip holds one file after another).
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';

const BUFFER_BYTES = 1 << 20;

export class TempFile {
  private readonly fd: number;
  // Text is encoded straight into one reused buffer: no joined strings, no garbage per write.
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private readonly hash = createHash('sha256');
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w+');
  }

  write(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (this.used + text.length * 3 > BUFFER_BYTES) {
      this.flush();
      if (text.length * 3 > BUFFER_BYTES) {
        this.output(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  /** Flushes and returns the SHA-256 of everything written. */
  finish(): string {
    this.flush();
    return this.hash.digest('hex');
  }

  *chunks(size = 1 << 20): Generator<Buffer> {
    const buffer = Buffer.allocUnsafe(size);
    for (let position = 0; ;) {
      const n = readSync(this.fd, buffer, 0, size, position);
      if (n === 0) return;
      position += n;
      yield Buffer.from(buffer.subarray(0, n));
    }
  }

  remove(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
    rmSync(this.path, { force: true });
  }

  private flush(): void {
    if (this.used === 0) return;
    this.output(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private output(bytes: Buffer): void {
    this.hash.update(bytes);
    for (let done = 0; done < bytes.length;)
      done += writeSync(this.fd, bytes, done, bytes.length - done);
  }
}
