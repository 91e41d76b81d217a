// A temporary file written in large sequential chunks while its SHA-256 is computed, then read
// back in chunks (entries.jsonl is written during the same pass as entries.csv, and copied into
// the zip after it: a zip holds one file after another).
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';

const FLUSH_CHARS = 1 << 20;

export class TempFile {
  private readonly fd: number;
  private parts: string[] = [];
  private chars = 0;
  private readonly hash = createHash('sha256');
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w+');
  }

  write(text: string): void {
    this.parts.push(text);
    this.chars += text.length;
    if (this.chars >= FLUSH_CHARS) this.flush();
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
    if (this.parts.length === 0) return;
    const bytes = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.chars = 0;
    this.hash.update(bytes);
    writeSync(this.fd, bytes);
  }
}
