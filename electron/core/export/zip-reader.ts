// Strict reader of a pack's zip (docs/evidence-pack.md, "The zip"): it accepts exactly the layout
// ZipWriter produces (stored files, each followed by a data descriptor, then the central directory
// and its end record, nothing before, between or after), and requires every field that appears
// twice (local header and central directory, data descriptor) to agree. Together with the CRC-32
// and SHA-256 of every file, no byte of a pack can change unnoticed.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface ZipFileEntry {
  name: string;
  /** Offset of the file's bytes in the zip. */
  dataOffset: number;
  size: number;
  crc: number;
}

export class ZipFormatError extends Error {}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const DESCRIPTOR = 0x08074b50;
const END = 0x06054b50;
const DATA_DESCRIPTOR_FLAG = 0x0008;

export class ZipReader {
  readonly files: ZipFileEntry[] = [];
  private readonly fd: number;
  readonly size: number;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    try {
      this.size = fstatSync(this.fd).size;
      this.parse();
    } catch (error) {
      closeSync(this.fd);
      throw error;
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  private read(offset: number, length: number): Buffer {
    if (offset < 0 || offset + length > this.size)
      throw new ZipFormatError(`zip structure points outside the file (offset ${offset})`);
    const buffer = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buffer, done, length - done, offset + done);
      if (n === 0) throw new ZipFormatError('zip file ended early');
      done += n;
    }
    return buffer;
  }

  private parse(): void {
    if (this.size < 22) throw new ZipFormatError('not a zip file (too short)');
    const end = this.read(this.size - 22, 22);
    if (end.readUInt32LE(0) !== END)
      throw new ZipFormatError('not a zip file, or bytes follow its end record');
    const count = end.readUInt16LE(8);
    const cdSize = end.readUInt32LE(12);
    const cdOffset = end.readUInt32LE(16);
    if (end.readUInt16LE(4) !== 0 || end.readUInt16LE(6) !== 0 || end.readUInt16LE(10) !== count)
      throw new ZipFormatError('zip end record: unexpected disk numbers or entry counts');
    if (end.readUInt16LE(20) !== 0) throw new ZipFormatError('zip end record: unexpected comment');
    if (cdOffset + cdSize !== this.size - 22)
      throw new ZipFormatError('zip central directory does not end where the end record starts');
    const cd = this.read(cdOffset, cdSize);
    let at = 0;
    let expectedLocal = 0;
    const names = new Set<string>();
    for (let i = 0; i < count; i++) {
      if (at + 46 > cd.length || cd.readUInt32LE(at) !== CENTRAL)
        throw new ZipFormatError(`zip central directory entry ${i + 1} is damaged`);
      const made = cd.readUInt16LE(at + 4);
      const needed = cd.readUInt16LE(at + 6);
      const flags = cd.readUInt16LE(at + 8);
      const method = cd.readUInt16LE(at + 10);
      const time = cd.readUInt32LE(at + 12);
      const crc = cd.readUInt32LE(at + 16);
      const compressed = cd.readUInt32LE(at + 20);
      const size = cd.readUInt32LE(at + 24);
      const nameLength = cd.readUInt16LE(at + 28);
      const extraLength = cd.readUInt16LE(at + 30);
      const commentLength = cd.readUInt16LE(at + 32);
      const disk = cd.readUInt16LE(at + 34);
      const internal = cd.readUInt16LE(at + 36);
      const external = cd.readUInt32LE(at + 38);
      const localOffset = cd.readUInt32LE(at + 42);
      if (at + 46 + nameLength > cd.length)
        throw new ZipFormatError(`zip central directory entry ${i + 1} is damaged`);
      const nameBytes = cd.subarray(at + 46, at + 46 + nameLength);
      const name = nameBytes.toString('latin1');
      const where = `zip entry ${JSON.stringify(name)}`;
      if (!/^[\x21-\x7e]+$/.test(name)) throw new ZipFormatError(`${where}: unexpected file name`);
      if (names.has(name)) throw new ZipFormatError(`${where} appears twice`);
      names.add(name);
      if (made !== 20 || needed !== 20 || flags !== DATA_DESCRIPTOR_FLAG || method !== 0)
        throw new ZipFormatError(`${where}: unexpected version, flags or compression`);
      if (
        extraLength !== 0 ||
        commentLength !== 0 ||
        disk !== 0 ||
        internal !== 0 ||
        external !== 0
      )
        throw new ZipFormatError(`${where}: unexpected extra field, comment or attributes`);
      if (compressed !== size) throw new ZipFormatError(`${where}: stored sizes disagree`);
      if (localOffset !== expectedLocal)
        throw new ZipFormatError(`${where}: not where the previous file ends`);
      const local = this.read(localOffset, 30 + nameLength);
      if (
        local.readUInt32LE(0) !== LOCAL ||
        local.readUInt16LE(4) !== needed ||
        local.readUInt16LE(6) !== flags ||
        local.readUInt16LE(8) !== method ||
        local.readUInt32LE(10) !== time ||
        local.readUInt32LE(14) !== 0 ||
        local.readUInt32LE(18) !== 0 ||
        local.readUInt32LE(22) !== 0 ||
        local.readUInt16LE(26) !== nameLength ||
        local.readUInt16LE(28) !== 0 ||
        !local.subarray(30).equals(nameBytes)
      )
        throw new ZipFormatError(`${where}: local header disagrees with the central directory`);
      const dataOffset = localOffset + 30 + nameLength;
      const descriptor = this.read(dataOffset + size, 16);
      if (
        descriptor.readUInt32LE(0) !== DESCRIPTOR ||
        descriptor.readUInt32LE(4) !== crc ||
        descriptor.readUInt32LE(8) !== compressed ||
        descriptor.readUInt32LE(12) !== size
      )
        throw new ZipFormatError(`${where}: data descriptor disagrees with the central directory`);
      expectedLocal = dataOffset + size + 16;
      this.files.push({ name, dataOffset, size, crc });
      at += 46 + nameLength;
    }
    if (at !== cd.length) throw new ZipFormatError('zip central directory has trailing bytes');
    if (expectedLocal !== cdOffset)
      throw new ZipFormatError('zip central directory does not start where the last file ends');
  }

  /** The file's bytes in chunks of at most `chunk` bytes. */
  *chunks(file: ZipFileEntry, chunk = 1 << 20): Generator<Buffer> {
    for (let at = 0; at < file.size; at += chunk) {
      yield this.read(file.dataOffset + at, Math.min(chunk, file.size - at));
    }
  }

  readAll(file: ZipFileEntry): Buffer {
    return this.read(file.dataOffset, file.size);
  }
}
