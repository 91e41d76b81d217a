// The pack's zip container, written as a stream with fflate's Zip, one file after another, every
// file STORED (not compressed): each byte of a file is then covered by its CRC-32 in the zip and
// its SHA-256 in manifest.json, so any changed byte is found (a deflate stream has padding bits
// that no check covers). CRC-32 is computed natively (node:zlib), the SHA-256 beside it.
import { createHash, type Hash } from 'node:crypto';
import { writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { Zip, type ZipInputFile } from 'fflate';
import { runtimeError } from '../errors';

/** Zip without zip64 records: sizes and offsets must stay below 4 GiB. */
const MAX_ZIP32 = 0xffffffff;
/** Bytes gathered before one write to the zip (fewer, larger writes). */
const CHUNK = 1 << 20;

export interface WrittenFile {
  name: string;
  size: number;
  sha256: string;
}

/** One file being written into the zip (stored, CRC-32 and size filled in at the end). */
class StoredFile implements ZipInputFile {
  size = 0;
  crc = 0;
  readonly compression = 0;
  ondata?: (error: Error | null, data: Uint8Array, final: boolean) => void;

  constructor(
    readonly filename: string,
    readonly mtime: Date,
  ) {}

  push(data: Uint8Array, final: boolean): void {
    this.crc = crc32(data, this.crc);
    this.size += data.length;
    if (this.size > MAX_ZIP32)
      throw runtimeError(`${this.filename} would exceed 4 GiB: export fewer entries`);
    this.ondata!(null, data, final);
  }
}

export class FileWriter {
  // Text is encoded straight into one reused buffer, handed to the zip (which writes it at once:
  // files are written one at a time) and refilled.
  private readonly buffer = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  private readonly hash: Hash = createHash('sha256');
  private done = false;

  constructor(
    private readonly file: StoredFile,
    private readonly onEnd: (written: WrittenFile) => void,
  ) {}

  write(data: string | Buffer): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    const most = typeof data === 'string' ? data.length * 3 : data.length;
    if (this.used + most > CHUNK) {
      this.flush(false);
      if (most > CHUNK) {
        this.output(typeof data === 'string' ? Buffer.from(data, 'utf8') : data, false);
        return;
      }
    }
    this.used +=
      typeof data === 'string'
        ? this.buffer.write(data, this.used, 'utf8')
        : data.copy(this.buffer, this.used);
  }

  end(): WrittenFile {
    if (this.done) throw new Error(`${this.file.filename} already ended`);
    this.done = true;
    this.flush(true);
    const written = {
      name: this.file.filename,
      size: this.file.size,
      sha256: this.hash.digest('hex'),
    };
    this.onEnd(written);
    return written;
  }

  private flush(final: boolean): void {
    const chunk = this.buffer.subarray(0, this.used);
    this.used = 0;
    this.output(chunk, final);
  }

  private output(chunk: Buffer, final: boolean): void {
    this.hash.update(chunk);
    this.file.push(chunk, final);
  }
}

/**
 * Writes a zip to an open file descriptor. Files are written one at a time: `add` a file, write
 * it, `end` it, then the next. `mtime` is the time every entry carries (the pack's creation).
 */
export class ZipWriter {
  private readonly zip: Zip;
  private current: FileWriter | null = null;
  private offset = 0;
  readonly files: WrittenFile[] = [];
  private failure: Error | null = null;

  constructor(
    private readonly fd: number,
    private readonly mtime: Date,
  ) {
    this.zip = new Zip((error, data) => {
      if (error !== null) {
        this.failure = error;
        return;
      }
      this.offset += data.length;
      if (this.offset > MAX_ZIP32)
        throw runtimeError('the pack would exceed 4 GiB: export fewer entries');
      for (let done = 0; done < data.length;)
        done += writeSync(this.fd, data, done, data.length - done);
    });
  }

  add(name: string): FileWriter {
    if (this.current !== null) throw new Error('the previous file is not ended');
    const file = new StoredFile(name, this.mtime);
    this.zip.add(file);
    this.check();
    this.current = new FileWriter(file, (written) => {
      this.files.push(written);
      this.current = null;
    });
    return this.current;
  }

  /** A whole small file at once. */
  addFile(name: string, data: string | Buffer): WrittenFile {
    const file = this.add(name);
    file.write(data);
    return file.end();
  }

  /**
   * A file copied from a temporary file whose SHA-256 was computed as it was written (the CRC-32
   * is computed here, natively: cheaper than hashing twice).
   */
  copyFile(name: string, chunks: Iterable<Buffer>, sha256: string): WrittenFile {
    if (this.current !== null) throw new Error('the previous file is not ended');
    const file = new StoredFile(name, this.mtime);
    this.zip.add(file);
    this.check();
    let last: Buffer | null = null;
    for (const chunk of chunks) {
      if (last !== null) file.push(last, false);
      last = chunk;
    }
    file.push(last ?? Buffer.alloc(0), true);
    this.check();
    const written = { name, size: file.size, sha256 };
    this.files.push(written);
    return written;
  }

  end(): void {
    if (this.current !== null) throw new Error('the last file is not ended');
    this.zip.end();
    this.check();
  }

  private check(): void {
    if (this.failure !== null) throw runtimeError(`cannot write the zip: ${this.failure.message}`);
  }
}
