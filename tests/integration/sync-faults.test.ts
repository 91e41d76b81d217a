// Sync under the simulator's transport faults, over real HTTP on 127.0.0.1: under each fault and a
// mix of all, a sync completes or stops with a clear one-line error, and later syncs complete the
// population; a body cut at many offsets never leaves a partial bundle in the workspace; a run
// cancelled or killed half-way is completed by the next. Retries wait on a recording clock.
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listSyncRuns,
  seededRandom,
  syncWorkspace,
  type RetryPolicy,
  type SyncClock,
  type SyncEvent,
  type SyncReport,
} from '../../electron/core/sync';
import { computeCoverage } from '../../electron/core/workspace/coverage';
import { openWorkspace, type Workspace } from '../../electron/core/workspace/database';
import { loadTrust } from '../../electron/core/workspace/trust';
import { startSimServer, type SimServer } from '../../electron/sim/server';
import { tempDir } from '../helpers/bundles';
import { REPO_ROOT } from './helpers/workspace';

let root: { path: string; remove(): void };
const servers: SimServer[] = [];
beforeAll(() => {
  root = tempDir('audit-desk-sync-faults-');
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  root.remove();
});

let wsCount = 0;
async function setup(faults: string, days = 8, perDay = 25) {
  const sim = await startSimServer({ seed: `faults-${faults}`, days, perDay, faults });
  servers.push(sim);
  const ws = openWorkspace(join(root.path, `ws${++wsCount}`), { create: true });
  return { sim, ws };
}

function recordingClock(seed = 7): SyncClock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.now(),
    random: seededRandom(seed),
    sleep: (ms, signal) => {
      sleeps.push(ms);
      return signal?.aborted ? Promise.reject(new Error('aborted')) : Promise.resolve();
    },
  };
}

const quick = (maxAttempts: number): Partial<RetryPolicy> => ({ maxAttempts, timeoutMs: 5_000 });

function run(
  sim: SimServer,
  ws: Workspace,
  retry: Partial<RetryPolicy>,
  clock = recordingClock(),
  onProgress?: (event: SyncEvent) => void,
) {
  return syncWorkspace({
    ws,
    apiUrl: sim.url,
    token: sim.token,
    trust: { ...loadTrust(sim.trustStore), explicit: true },
    pageLimit: 3,
    retry,
    clock,
    onProgress,
  });
}

/** Syncs until a run completes (at most `runs` runs); returns the errors of the failed ones. */
async function syncToCompletion(sim: SimServer, ws: Workspace, firstAttempts: number, runs = 6) {
  const errors: string[] = [];
  const resumes = resumeCounter();
  for (let i = 0; i < runs; i++) {
    try {
      const report = await run(
        sim,
        ws,
        quick(i === 0 ? firstAttempts : 12),
        recordingClock(),
        resumes.onEvent,
      );
      return { report, errors, resumed: resumes.count() };
    } catch (error) {
      errors.push((error as Error).message);
      expectWholeBundlesOnly(ws);
    }
  }
  throw new Error(`no sync completed in ${runs} runs: ${errors.join(' | ')}`);
}

/**
 * Counts downloads that finished by resuming: the bytes received since the bundle's attempt
 * started (bundle-started or retry) are fewer than its size, so the rest was already on disk.
 */
function resumeCounter(): { onEvent: (e: SyncEvent) => void; count: () => number } {
  const since = new Map<string, number>();
  let resumed = 0;
  return {
    onEvent(e) {
      if (e.type === 'bundle-started') since.set(e.bundleId, e.counts.bytesDone);
      if (e.type === 'retry') {
        const id = /^download of bundle (\S+)$/.exec(e.what)?.[1];
        if (id !== undefined) since.set(id, e.counts.bytesDone);
      }
      if (e.type === 'bytes' && e.have === e.size) {
        const start = since.get(e.bundleId);
        if (start !== undefined && e.counts.bytesDone - start < e.size) resumed++;
      }
    },
    count: () => resumed,
  };
}

/** Every stored bundle holds exactly its entries; nothing else is stored. */
function expectWholeBundlesOnly(ws: Workspace, { killed = false } = {}): void {
  const bundles = ws.db
    .prepare(
      `SELECT b.bundle_id, b.entry_count, (SELECT count(*) FROM entries e WHERE e.seq BETWEEN b.first_seq AND b.last_seq) AS held
       FROM bundles b`,
    )
    .all() as { bundle_id: string; entry_count: number; held: number }[];
  for (const b of bundles) expect(b.held, b.bundle_id).toBe(b.entry_count);
  const total = ws.db.prepare('SELECT count(*) FROM entries').pluck().get();
  expect(total).toBe(bundles.reduce((n, b) => n + b.entry_count, 0));
  expect(ws.db.pragma('integrity_check', { simple: true })).toBe('ok');
  // Only partial downloads, never anything else, and no lock once the run is over (a killed
  // process leaves its lock; the next sync takes it over).
  const allowed = killed
    ? /\.partial(\.json)?$|^\.sync\.lock(\.takeover|\.\d+\.[0-9a-f]+\.tmp)?$/
    : /\.partial(\.json)?$/;
  for (const name of readdirSync(join(ws.dir, 'downloads'))) expect(name).toMatch(allowed);
}

function expectComplete(sim: SimServer, ws: Workspace, report: SyncReport): void {
  expect(report.status).toBe('completed');
  const coverage = computeCoverage(ws, Date.parse(sim.now()));
  expect(coverage).toMatchObject({
    complete: true,
    entries: sim.entries,
    bundles: sim.catalog.length,
    gaps: [],
  });
  expectWholeBundlesOnly(ws);
  expect(readdirSync(join(ws.dir, 'downloads'))).toEqual([]);
}

function expectClearError(message: string, token: string): void {
  expect(message).not.toContain('\n');
  expect(message).not.toContain(token);
  expect(message).toMatch(/gave up after \d+ attempts; run sync again later|connection|answered/);
}

describe('each transport fault, then a mix', () => {
  it.each([
    ['429 (Retry-After in seconds)', '429=0.5,retry-after=1,retry-after-form=seconds'],
    ['429 (Retry-After as an HTTP date)', '429=0.5,retry-after=1,retry-after-form=date'],
    ['500', '500=0.5'],
    ['503', '503=0.5'],
    ['connection reset', 'reset=0.5'],
    ['body cut at a random offset', 'cut=0.5'],
    ['latency', 'latency=40'],
    ['a mix of all', '429=0.15,500=0.1,503=0.1,reset=0.1,cut=0.25,latency=3'],
  ])('%s: completes, or stops clearly and a later sync completes', async (_, faults) => {
    const { sim, ws } = await setup(faults);
    try {
      // One attempt per request in the first run: it stops at the first fault.
      const { report, errors } = await syncToCompletion(sim, ws, 1);
      if (!faults.startsWith('latency')) expect(errors.length).toBeGreaterThan(0);
      for (const message of errors) expectClearError(message, sim.token);
      expectComplete(sim, ws, report);
      const runs = listSyncRuns(ws.db);
      expect(runs[0]!.status).toBe('completed');
      expect(runs.slice(1).map((r) => r.status)).toEqual(errors.map(() => 'failed'));
      expect(runs.slice(1).map((r) => r.error)).toEqual([...errors].reverse());
      if (!faults.startsWith('latency')) expect(sim.faultLog.length).toBeGreaterThan(0);
    } finally {
      ws.close();
    }
  });

  it('honours Retry-After: the seconds form exactly, the date form to the second, both capped', async () => {
    const cases = [
      {
        faults: '429=0.6,retry-after=2,retry-after-form=seconds',
        cap: 120_000,
        check: (ms: number) => ms === 2000,
      },
      {
        faults: '429=0.6,retry-after=2,retry-after-form=date',
        cap: 120_000,
        check: (ms: number) => ms > 0 && ms <= 3000,
      },
      { faults: '429=0.6,retry-after=3600', cap: 5_000, check: (ms: number) => ms === 5000 },
    ];
    for (const { faults, cap, check } of cases) {
      const { sim, ws } = await setup(faults, 3, 10);
      try {
        const clock = recordingClock();
        const report = await run(sim, ws, { maxAttempts: 12, maxRetryAfterMs: cap }, clock);
        expect(report.status).toBe('completed');
        const tooMany = sim.faultLog.filter((f) => f.fault === '429').length;
        expect(tooMany).toBeGreaterThan(0);
        expect(clock.sleeps).toHaveLength(tooMany);
        for (const ms of clock.sleeps) expect(check(ms), `${faults}: waited ${ms} ms`).toBe(true);
      } finally {
        ws.close();
      }
    }
  });
});

describe('a body cut at many offsets', () => {
  // Bundles here are 2–12 kB; offsets past a body's end cut it 1 byte short of complete.
  it.each([0, 1, 7, 64, 300, 1500, 4096, 9000, 60_000])(
    'cut after %i bytes: never a partial bundle stored; resumed downloads complete',
    async (offset) => {
      const { sim, ws } = await setup(`cut=0.6,cut-at=${offset}`, 8, 15);
      try {
        const { report, errors, resumed } = await syncToCompletion(sim, ws, 2, 8);
        for (const message of errors) expectClearError(message, sim.token);
        expectComplete(sim, ws, report);
        // Bundle bodies (not only JSON answers) were cut after some bytes, those bytes were kept,
        // and downloads were finished by a resume.
        if (offset > 0) {
          const bundleCuts = sim.faultLog.filter(
            (f) => f.fault === 'cut' && f.url.startsWith('/v1/audit/bundles/') && f.sent! > 0,
          );
          expect(bundleCuts.length).toBeGreaterThan(0);
          expect(resumed).toBeGreaterThan(0);
        }
        expect(
          sim.faultLog.some((f) => f.fault === 'cut' && f.sent === Math.min(offset, f.length! - 1)),
        ).toBe(true);
      } finally {
        ws.close();
      }
    },
  );
});

describe('interruptions', () => {
  it('a cancelled sync stops at once, is recorded as cancelled, and the next completes', async () => {
    const { sim, ws } = await setup('latency=5', 6, 10);
    try {
      const controller = new AbortController();
      let finished = 0;
      await expect(
        syncWorkspace({
          ws,
          apiUrl: sim.url,
          token: sim.token,
          trust: { ...loadTrust(sim.trustStore), explicit: true },
          signal: controller.signal,
          onProgress: (e) => {
            if (e.type === 'bundle-finished' && ++finished === 2) controller.abort();
          },
        }),
      ).rejects.toThrow(/^sync cancelled; run sync again to continue where it stopped$/);
      expect(ws.db.prepare('SELECT count(*) FROM bundles').pluck().get()).toBe(2);
      expect(listSyncRuns(ws.db)[0]).toMatchObject({ status: 'cancelled', bundlesAdded: 2 });
      expectWholeBundlesOnly(ws);
      const report = await run(sim, ws, quick(4));
      expect(report.bundlesAdded).toBe(4);
      expectComplete(sim, ws, report);
    } finally {
      ws.close();
    }
  });

  it('a sync killed (SIGKILL) in the middle of downloads is completed by the next one', async () => {
    const { sim, ws } = await setup('latency=15,cut=0.3', 10, 20);
    ws.close();
    const wsDir = join(root.path, `ws${wsCount}`);
    const child = join(root.path, 'sync-child.mts');
    const url = (p: string) => pathToFileURL(join(REPO_ROOT, p)).href;
    writeFileSync(
      child,
      `import { syncWorkspace } from ${JSON.stringify(url('electron/core/sync/index.ts'))};
       import { openWorkspace } from ${JSON.stringify(url('electron/core/workspace/database.ts'))};
       import { loadTrust } from ${JSON.stringify(url('electron/core/workspace/trust.ts'))};
       const ws = openWorkspace(process.argv[2], { create: true });
       await syncWorkspace({ ws, apiUrl: process.argv[3], token: process.env.TOKEN, trust: { ...loadTrust(process.argv[4]), explicit: true },
         retry: { baseDelayMs: 1, maxDelayMs: 5 },
         onProgress: (e) => { if (e.type === 'bytes' || e.type === 'bundle-finished') process.stdout.write(e.type + '\\n'); } });
       process.stdout.write('done\\n');`,
    );
    const proc = spawn(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'run-ts.mjs'), child, wsDir, sim.url, sim.trustStore],
      {
        env: { ...process.env, TOKEN: sim.token },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve) => {
      let finished = 0;
      proc.stdout.on('data', (chunk: Buffer) => {
        finished += (chunk.toString().match(/bundle-finished/g) ?? []).length;
        if (finished >= 3) proc.kill('SIGKILL');
      });
      proc.on('exit', () => resolve());
    });
    const again = openWorkspace(wsDir);
    try {
      const stored = again.db.prepare('SELECT count(*) FROM bundles').pluck().get() as number;
      expect(stored).toBeGreaterThanOrEqual(3);
      expect(stored).toBeLessThan(10);
      expectWholeBundlesOnly(again, { killed: true });
      const report = await run(sim, again, quick(12));
      expectComplete(sim, again, report);
      expect(listSyncRuns(again.db).map((r) => r.status)).toEqual(['completed', 'interrupted']);
    } finally {
      again.close();
    }
  });
});
