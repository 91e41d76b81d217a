// Reads a bundle file through a BundleVerifier in fixed-size chunks (synchronous, so an importer can
// keep one SQLite transaction open across the whole read: better-sqlite3 is synchronous too).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Verdict } from '../../../shared/bundle';
import { BundleVerifier, type VerifierOptions } from './verifier';

const CHUNK_BYTES = 1024 * 1024;

/** Opens a path as a bundle, turning file-system problems into an `unreadable` verdict. */
export function verifyBundleFile(path: string, options: VerifierOptions): Verdict {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { valid: false, cause: 'unreadable', message: describeFsError(error) };
  }
  try {
    if (fstatSync(fd).isDirectory()) {
      return { valid: false, cause: 'unreadable', message: 'is a directory, not a bundle file' };
    }
    const verifier = new BundleVerifier(options);
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      // The verifier may keep slices of pending lines: hand it a copy when it could be reused.
      verifier.push(Buffer.from(buffer.subarray(0, read)));
      if (verifier.settled) break;
    }
    return verifier.finish();
  } catch (error) {
    if (isFsError(error))
      return { valid: false, cause: 'unreadable', message: describeFsError(error) };
    throw error;
  } finally {
    closeSync(fd);
  }
}

function isFsError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, not a bundle file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot be read (${code ?? (error as Error).message})`;
}
