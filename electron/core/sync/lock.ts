// One sync per workspace at a time: two would download the same partial files over each other.
// The lock is `downloads/.sync.lock`, holding the owner's pid and a random nonce. It is created
// whole or not at all: the content is written to a private temporary file that is then hard-linked
// into place (link fails if the lock exists), so no process ever reads a half-written lock. A lock
// whose process is gone (crash, kill -9) is taken over under a short takeover lock, so that of
// several processes finding it stale only one removes it; each then tries to create the lock again
// and exactly one succeeds. Release removes the lock only while it still holds our pid and nonce.
// Imports from files need no such lock: SQLite's write lock orders them.
import { randomBytes } from 'node:crypto';
import {
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { runtimeError } from '../errors';
import { downloadsDir } from './partial';

const LOCK_FILE = '.sync.lock';
/** An unreadable or empty lock (not written by this version) counts as held until this old. */
export const UNREADABLE_LOCK_STALE_MS = 5_000;
/** A takeover lock left by a process that died during a takeover is ignored after this long. */
const TAKEOVER_STALE_MS = 10_000;

/** Nonces of the locks this process holds: a lock with our pid but another nonce is a dead
 * predecessor's (pids are reused, in containers often exactly). */
const held = new Set<string>();

interface Owner {
  pid: number;
  nonce: string;
}

export function acquireSyncLock(workspaceDir: string): () => void {
  const dir = downloadsDir(workspaceDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const me: Owner = { pid: process.pid, nonce: randomBytes(12).toString('hex') };
  const content = `${me.pid} ${me.nonce}\n`;
  for (let tries = 0; ; tries++) {
    if (createExclusive(path, content)) {
      held.add(me.nonce);
      removeDeadTemps(dir);
      return () => {
        held.delete(me.nonce);
        releaseIfOurs(path, content);
      };
    }
    const seen = readLock(path);
    if (seen === undefined) continue; // removed meanwhile: try again
    const owner = parseOwner(seen.text);
    if (owner === undefined) {
      if (Date.now() - seen.mtimeMs < UNREADABLE_LOCK_STALE_MS)
        throw runtimeError('another sync into this workspace is starting');
    } else if (owner.pid === process.pid) {
      if (held.has(owner.nonce))
        throw runtimeError('a sync into this workspace is already running');
    } else if (isAlive(owner.pid)) {
      throw runtimeError(`another sync into this workspace is running (process ${owner.pid})`);
    }
    // Stale. Bounded: each round either creates the lock, finds a live owner, or removes a stale
    // lock; many rounds mean something keeps interfering.
    if (tries >= 20) throw runtimeError('cannot take over the sync lock of this workspace');
    takeOver(path, seen.text);
  }
}

/** Creates `path` with `content` atomically; false when it exists. */
function createExclusive(path: string, content: string): boolean {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, content, { flag: 'wx' });
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temp, { force: true });
  }
}

/**
 * Removes the stale lock whose content was `staleText`, if it still is: under the takeover lock,
 * only one process at a time checks and removes, so a lock created meanwhile by a live process is
 * never removed. Whoever does not get the takeover lock simply tries again.
 */
function takeOver(path: string, staleText: string): void {
  const guard = `${path}.takeover`;
  const guardContent = `${process.pid} ${randomBytes(12).toString('hex')}\n`;
  if (!createExclusive(guard, guardContent)) {
    const other = readLock(guard);
    const owner = other === undefined ? undefined : parseOwner(other.text);
    const abandoned =
      other !== undefined &&
      ((owner !== undefined && owner.pid !== process.pid && !isAlive(owner.pid)) ||
        Date.now() - other.mtimeMs > TAKEOVER_STALE_MS);
    if (abandoned) releaseIfOurs(guard, other.text);
    waitBriefly();
    return;
  }
  try {
    const now = readLock(path);
    if (now !== undefined && now.text === staleText) rmSync(path, { force: true });
  } finally {
    releaseIfOurs(guard, guardContent);
  }
}

/** Temporary lock files of processes killed between writing and linking them. */
function removeDeadTemps(dir: string): void {
  for (const name of readdirSync(dir)) {
    const m = /^\.sync\.lock\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name);
    if (m !== null && Number(m[1]) !== process.pid && !isAlive(Number(m[1])))
      rmSync(join(dir, name), { force: true });
  }
}

function releaseIfOurs(path: string, content: string): void {
  const now = readLock(path);
  if (now !== undefined && now.text === content) rmSync(path, { force: true });
}

function readLock(path: string): { text: string; mtimeMs: number } | undefined {
  try {
    const { mtimeMs } = statSync(path);
    return { text: readFileSync(path, 'utf8'), mtimeMs };
  } catch {
    return undefined;
  }
}

/** `<pid> <nonce>` (or a bare pid, as earlier versions wrote); undefined when unreadable. */
function parseOwner(text: string): Owner | undefined {
  const m = /^(\d{1,10})(?: ([0-9a-f]{1,64}))?\s*$/.exec(text);
  if (m === null) return undefined;
  const pid = Number(m[1]);
  return pid > 0 ? { pid, nonce: m[2] ?? '' } : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function waitBriefly(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
}
