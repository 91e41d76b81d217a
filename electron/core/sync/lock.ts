// One sync per workspace at a time: two would download the same partial files over each other.
// The lock is a file holding the owner's pid; a lock whose process is gone (crash, kill -9) is
// taken over. Imports from files need no such lock: SQLite's write lock orders them.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runtimeError } from '../errors';
import { downloadsDir } from './partial';

const LOCK_FILE = '.sync.lock';

export function acquireSyncLock(workspaceDir: string): () => void {
  const dir = downloadsDir(workspaceDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = Number(readFileSafe(path));
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner))
      throw runtimeError(`another sync into this workspace is running (process ${owner})`);
    if (owner === process.pid) throw runtimeError('a sync into this workspace is already running');
    writeFileSync(path, String(process.pid));
  }
  return () => rmSync(path, { force: true });
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
