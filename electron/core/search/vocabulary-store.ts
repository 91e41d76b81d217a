// The vocabulary's file in the workspace's `index/` folder. Written atomically (a temporary file,
// fsynced, then renamed over the old one, then the folder fsynced), so a crash leaves the old file,
// the new one, or a stray temporary file, never a half-written `vocabulary.json`. The first line is a
// header naming the format, the data version the body covers and the body's size and SHA-256: a
// truncated, corrupt or foreign file is refused, and a file for other data is reported as stale,
// so that neither is ever used.
import { createHash } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { INDEX_DIR } from '../workspace/database';
import { sameDataVersion, type DataVersion } from './vocabulary-terms';
import type { VocabularyData } from './vocabulary';

export const VOCABULARY_FILE = 'vocabulary.json';
/** Bumped whenever the body's shape or the tokens it holds change: older files are rebuilt. */
export const VOCABULARY_FORMAT = 2;
const TEMP_PREFIX = `${VOCABULARY_FILE}.tmp-`;

interface Header {
  kind: 'audit-desk-vocabulary';
  format: number;
  version: DataVersion;
  bytes: number;
  sha256: string;
}

export function vocabularyPath(workspaceDir: string): string {
  return join(workspaceDir, INDEX_DIR, VOCABULARY_FILE);
}

export function writeVocabularyFile(workspaceDir: string, data: VocabularyData): number {
  const dir = join(workspaceDir, INDEX_DIR);
  // Two lines: the terms and prefix table, then MiniSearch's own JSON (loaded as text, not re-encoded).
  const { fuzzy, ...rest } = data;
  const body = Buffer.from(`${JSON.stringify(rest)}\n${fuzzy}`, 'utf8');
  const header: Header = {
    kind: 'audit-desk-vocabulary',
    format: VOCABULARY_FORMAT,
    version: data.version,
    bytes: body.length,
    sha256: createHash('sha256').update(body).digest('hex'),
  };
  const temp = join(dir, `${TEMP_PREFIX}${process.pid}-${Date.now()}`);
  const fd = openSync(temp, 'w');
  try {
    writeAll(fd, Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'));
    writeAll(fd, body);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temp, vocabularyPath(workspaceDir));
  syncFolder(dir);
  return body.length;
}

function writeAll(fd: number, buffer: Buffer): void {
  for (let offset = 0; offset < buffer.length;)
    offset += writeSync(fd, buffer, offset, buffer.length - offset);
}

function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Folders cannot be opened for fsync on Windows; the rename is durable enough there.
  }
}

/** Temporary files left by a build that was killed (never read; removed before the next build). */
export function removeStrayTempFiles(workspaceDir: string): void {
  const dir = join(workspaceDir, INDEX_DIR);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names)
    if (name.startsWith(TEMP_PREFIX)) rmSync(join(dir, name), { force: true });
}

export type VocabularyFile =
  | { status: 'ok'; data: VocabularyData }
  | { status: 'missing' }
  | { status: 'stale'; version: DataVersion }
  | { status: 'corrupt'; reason: string };

/** Reads and checks the file against the workspace's current data version. */
export function readVocabularyFile(workspaceDir: string, current: DataVersion): VocabularyFile {
  let file: Buffer;
  try {
    file = readFileSync(vocabularyPath(workspaceDir));
  } catch (error) {
    return unreadable(error);
  }
  return checkVocabularyBytes(file, current);
}

/**
 * The same for the app's background load at open: the file read off the main thread, hashed in
 * slices with the event loop served between them, so no step blocks the main thread for long.
 */
export async function readVocabularyFileAsync(
  workspaceDir: string,
  current: () => DataVersion,
): Promise<VocabularyFile> {
  let file: Buffer;
  try {
    file = await readFile(vocabularyPath(workspaceDir));
  } catch (error) {
    return unreadable(error);
  }
  const checked = checkHeader(file, current());
  if ('status' in checked) return checked;
  const hash = createHash('sha256');
  for (let at = 0; at < checked.body.length; at += HASH_SLICE) {
    hash.update(checked.body.subarray(at, at + HASH_SLICE));
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (hash.digest('hex') !== checked.header.sha256)
    return { status: 'corrupt', reason: 'checksum' };
  return parseBody(checked.header, checked.body);
}

const HASH_SLICE = 4 * 2 ** 20;

function unreadable(error: unknown): VocabularyFile {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
  return { status: 'corrupt', reason: (error as NodeJS.ErrnoException).code ?? 'unreadable' };
}

/** Header, size, checksum and data version of a vocabulary file's bytes. */
export function checkVocabularyBytes(file: Buffer, current: DataVersion): VocabularyFile {
  const checked = checkHeader(file, current);
  if ('status' in checked) return checked;
  if (createHash('sha256').update(checked.body).digest('hex') !== checked.header.sha256)
    return { status: 'corrupt', reason: 'checksum' };
  return parseBody(checked.header, checked.body);
}

function checkHeader(
  file: Buffer,
  current: DataVersion,
): VocabularyFile | { header: Header; body: Buffer } {
  const newline = file.indexOf(10);
  if (newline === -1) return { status: 'corrupt', reason: 'no header' };
  let header: Header;
  try {
    header = JSON.parse(file.toString('utf8', 0, newline)) as Header;
  } catch {
    return { status: 'corrupt', reason: 'header is not JSON' };
  }
  if (header?.kind !== 'audit-desk-vocabulary') return { status: 'corrupt', reason: 'not ours' };
  if (header.format !== VOCABULARY_FORMAT) return { status: 'stale', version: header.version };
  if (!isDataVersion(header.version)) return { status: 'corrupt', reason: 'bad header' };
  if (!sameDataVersion(header.version, current))
    return { status: 'stale', version: header.version };
  const body = file.subarray(newline + 1);
  if (body.length !== header.bytes) return { status: 'corrupt', reason: 'truncated' };
  return { header, body };
}

function parseBody(header: Header, body: Buffer): VocabularyFile {
  const split = body.indexOf(10);
  if (split === -1) return { status: 'corrupt', reason: 'no index line' };
  try {
    const rest = JSON.parse(body.toString('utf8', 0, split)) as Omit<VocabularyData, 'fuzzy'>;
    const data: VocabularyData = { ...rest, fuzzy: body.toString('utf8', split + 1) };
    if (!sameDataVersion(data.version, header.version))
      return { status: 'corrupt', reason: 'versions differ' };
    return { status: 'ok', data };
  } catch {
    return { status: 'corrupt', reason: 'body is not JSON' };
  }
}

function isDataVersion(value: unknown): value is DataVersion {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['schema', 'bundles', 'maxBundleRef', 'entries', 'maxSeq'].every(
    (key) => typeof v[key] === 'number',
  );
}
