// The sync lock under a real race: N child processes (helpers/lock-child.ts) try to take the lock
// of one workspace at the same moment, with no lock, a stale lock (dead owner), a fresh empty lock
// and an old empty lock. Never do two hold it at once; a live or just-created lock is respected.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireSyncLock } from '../../electron/core/sync/lock';
import { tempDir } from '../helpers/bundles';
import { REPO_ROOT } from './helpers/workspace';

const CHILDREN = 8;
const HOLD_MS = 600;

let root: { path: string; remove(): void };
beforeAll(() => {
  root = tempDir('audit-desk-sync-lock-');
});
afterAll(() => root.remove());

type ChildResult =
  | { pid: number; got: true; from: number; to: number }
  | { pid: number; got: false; message: string };

function child(dir: string, startAt: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [
        join(REPO_ROOT, 'bin', 'run-ts.mjs'),
        join(REPO_ROOT, 'tests', 'integration', 'helpers', 'lock-child.ts'),
        dir,
        String(startAt),
        String(HOLD_MS),
      ],
      { cwd: REPO_ROOT },
    );
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', () => {
      try {
        resolve(JSON.parse(out.trim()) as ChildResult);
      } catch {
        reject(new Error(`lock child printed ${JSON.stringify(out)}; stderr ${err}`));
      }
    });
  });
}

let trial = 0;
async function race(
  prepare: (lockPath: string, startAt: number) => void = () => {},
  leftBehind: string[] = [],
): Promise<ChildResult[]> {
  const dir = join(root.path, `ws${++trial}`);
  mkdirSync(join(dir, 'downloads'), { recursive: true });
  const lockPath = join(dir, 'downloads', '.sync.lock');
  // Time for every child to start (tsx) before they all try at once.
  const startAt = Date.now() + 4000;
  prepare(lockPath, startAt);
  const results = await Promise.all(Array.from({ length: CHILDREN }, () => child(dir, startAt)));
  // Every holder released its lock; nothing else is left behind.
  expect(readdirSync(join(dir, 'downloads'))).toEqual(leftBehind);
  return results;
}

/** No two children held the lock at the same time. */
function expectNoOverlap(results: ChildResult[]): void {
  const held = results
    .filter((r): r is Extract<ChildResult, { got: true }> => r.got)
    .sort((a, b) => a.from - b.from);
  for (let i = 1; i < held.length; i++)
    expect(held[i]!.from).toBeGreaterThanOrEqual(held[i - 1]!.to);
}

const DEAD_PID = 2 ** 22 + 12345; // above Linux's pid_max: no such process

describe('the sync lock with real processes racing', () => {
  it('lets exactly one of N processes in, with no lock present', async () => {
    for (let i = 0; i < 2; i++) {
      const results = await race();
      expect(results.filter((r) => r.got).length).toBeGreaterThanOrEqual(1);
      expectNoOverlap(results);
      for (const r of results)
        if (!r.got)
          expect(r.message).toMatch(/^another sync into this workspace is (running|starting)/);
    }
  }, 60_000);

  it('lets exactly one of N processes take over a stale lock', async () => {
    for (let i = 0; i < 2; i++) {
      const results = await race((lock) => writeFileSync(lock, String(DEAD_PID)));
      expect(results.filter((r) => r.got).length).toBeGreaterThanOrEqual(1);
      expectNoOverlap(results);
    }
  }, 60_000);

  it('respects a fresh empty lock (being written) and takes over an old one', async () => {
    // Just written (its time is when they all try): a lock being created by an older version.
    const fresh = await race(
      (lock, startAt) => {
        writeFileSync(lock, '');
        utimesSync(lock, startAt / 1000, startAt / 1000);
      },
      ['.sync.lock'],
    );
    for (const r of fresh)
      expect(r).toMatchObject({
        got: false,
        message: 'another sync into this workspace is starting',
      });
    const old = await race((lock) => {
      writeFileSync(lock, '');
      utimesSync(lock, (Date.now() - 60_000) / 1000, (Date.now() - 60_000) / 1000);
    });
    expect(old.filter((r) => r.got).length).toBeGreaterThanOrEqual(1);
    expectNoOverlap(old);
  }, 60_000);
});

describe('the sync lock in one process', () => {
  it('refuses a second sync, releases only its own lock, and treats an old empty lock as stale', () => {
    const dir = join(root.path, 'single');
    const release = acquireSyncLock(dir);
    expect(() => acquireSyncLock(dir)).toThrow('a sync into this workspace is already running');
    release();
    const lock = join(dir, 'downloads', '.sync.lock');
    expect(existsSync(lock)).toBe(false);

    // A lock someone else holds now is not removed by our late release.
    const release2 = acquireSyncLock(dir);
    writeFileSync(lock, `${DEAD_PID + 1} abc\n`);
    release2();
    expect(existsSync(lock)).toBe(true);

    // A temporary lock file left by a process killed before it linked it is cleaned up.
    writeFileSync(`${lock}.${DEAD_PID}.abcdef.tmp`, `${DEAD_PID} abcdef\n`);
    writeFileSync(lock, '');
    expect(() => acquireSyncLock(dir)).toThrow('another sync into this workspace is starting');
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(lock, old, old);
    const release3 = acquireSyncLock(dir);
    release3();
    expect(readdirSync(join(dir, 'downloads'))).toEqual([]);
  });
});
