// Jobs of the app service with real work: a sync from the simulated Otesse API over HTTP with
// progress events (never carrying the token), the vocabulary index job it triggers, refusals before
// a job starts, and the job manager's cancel, ordering per workspace and throttled progress.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent, WorkspaceSummary } from '../../shared/api';
import { readdirSync, readFileSync } from 'node:fs';
import {
  createAppService,
  JobManager,
  MemoryTokenVault,
  type AppService,
} from '../../electron/core/app';
import { startSimServer, type SimServer } from '../../electron/sim/server/server';
import { tempDir } from '../helpers/bundles';

let dir: { path: string; remove(): void };

function filesUnder(root: string): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}
let sim: SimServer;
let service: AppService;

async function value<T>(method: string, request: unknown): Promise<T> {
  const result = await service.call(method, request);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

beforeAll(async () => {
  dir = tempDir('audit-desk-app-jobs-');
  sim = await startSimServer({ days: 5, perDay: 30, seed: 'app-jobs' });
  service = await createAppService({
    home: join(dir.path, 'home'),
    mode: 'browser',
    demo: 'never',
    tokens: undefined,
    progressIntervalMs: 0,
  });
  service.context.tokens.clear();
});

afterAll(async () => {
  await service.close();
  await sim.close();
  dir.remove();
});

describe('sync job', () => {
  it('is refused before it starts without an API address or token', async () => {
    const ws = await value<WorkspaceSummary>('createWorkspace', { name: 'Refused' });
    expect(await service.call('startSync', { workspaceId: ws.id })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringContaining('API address') },
    });
    await value('updateSettings', { apiUrl: sim.url });
    expect(await service.call('startSync', { workspaceId: ws.id })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringContaining('token') },
    });
  });

  it('syncs with progress events, records the run, and never shows the token', async () => {
    await value('updateSettings', { apiUrl: sim.url, trustStorePath: sim.trustStore });
    expect(await value('setApiToken', { token: sim.token })).toEqual({ stored: true });
    expect(await value('appInfo', {})).toMatchObject({ hasApiToken: true });
    const ws = await value<WorkspaceSummary>('createWorkspace', { name: 'Synced' });
    const events: JobEvent[] = [];
    const unsubscribe = service.subscribe((e) => events.push(e));
    const { jobId } = await value<{ jobId: string }>('startSync', { workspaceId: ws.id });
    const done = await service.context.jobs.wait(jobId);
    unsubscribe();
    expect(done).toMatchObject({ kind: 'sync', state: 'succeeded', workspaceId: ws.id });
    expect(done.result).toMatchObject({ bundlesAdded: 5, rejected: [], archived: 0 });
    const running = events.filter((e) => e.jobId === jobId && e.state === 'running');
    expect(running.some((e) => e.progress.total === 5 && e.progress.done > 0)).toBe(true);
    expect(running.some((e) => (e.progress.counters.bytes ?? 0) > 0)).toBe(true);
    expect(JSON.stringify(events)).not.toContain(sim.token);
    expect(JSON.stringify(await value('listJobs', {}))).not.toContain(sim.token);
    expect(JSON.stringify(await value('getSettings', {}))).not.toContain(sim.token);
    const summary = (await value<WorkspaceSummary[]>('listWorkspaces', {})).find(
      (w) => w.id === ws.id,
    )!;
    expect(summary.entryCount).toBe(sim.entries);
    expect(summary.lastSync).toMatchObject({ status: 'completed', error: null });
    // The vocabulary is rebuilt after the sync, as an index job.
    const index = service.context.jobs
      .list()
      .find((j) => j.kind === 'index' && j.workspaceId === ws.id);
    expect(index).toBeDefined();
    expect((await service.context.jobs.wait(index!.jobId)).state).toBe('succeeded');
    // Memory only: no file of the home holds the token (settings, registry, workspaces, WAL).
    await service.close();
    for (const file of filesUnder(join(dir.path, 'home')))
      expect(readFileSync(file).includes(Buffer.from(sim.token)), file).toBe(false);
    service = await createAppService({
      home: join(dir.path, 'home'),
      mode: 'browser',
      demo: 'never',
      tokens: new MemoryTokenVault(sim.token),
    });
    expect(await value('clearApiToken', {})).toEqual({ cleared: true });
    expect(await value('appInfo', {})).toMatchObject({ hasApiToken: false });
  });

  it('reports a refused token as a failed job with one clean line', async () => {
    await value('setApiToken', { token: 'not-the-token-0123456789' });
    const ws = await value<WorkspaceSummary>('createWorkspace', { name: 'Bad token' });
    const { jobId } = await value<{ jobId: string }>('startSync', { workspaceId: ws.id });
    const done = await service.context.jobs.wait(jobId);
    expect(done.state).toBe('failed');
    expect(done.error?.message).not.toContain('not-the-token-0123456789');
    expect(done.error?.message).not.toMatch(/\n|at \//);
  });
});

describe('job manager', () => {
  it('cancels a running job through its signal', async () => {
    const jobs = new JobManager({ progressIntervalMs: 0 });
    const { jobId } = jobs.start({
      kind: 'import',
      workspaceId: 'ws_a',
      unit: 'bundles',
      run: ({ signal }) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(new Error('stopped'))),
        ),
    });
    expect(jobs.cancel(jobId)).toBe(true);
    expect(await jobs.wait(jobId)).toMatchObject({
      state: 'cancelled',
      error: { code: 'cancelled' },
    });
    expect(jobs.cancel(jobId)).toBe(false);
  });

  it('runs jobs of one workspace one after the other, others alongside', async () => {
    const jobs = new JobManager({ progressIntervalMs: 0 });
    const order: string[] = [];
    const job = (name: string, workspaceId: string, ms: number) =>
      jobs.start({
        kind: 'import',
        workspaceId,
        unit: 'bundles',
        run: async () => {
          order.push(`start ${name}`);
          await new Promise((r) => setTimeout(r, ms));
          order.push(`end ${name}`);
        },
      }).jobId;
    const ids = [job('a1', 'ws_a', 60), job('a2', 'ws_a', 10), job('b1', 'ws_b', 10)];
    await Promise.all(ids.map((id) => jobs.wait(id)));
    expect(order.indexOf('start a2')).toBeGreaterThan(order.indexOf('end a1'));
    expect(order.indexOf('start b1')).toBeLessThan(order.indexOf('end a1'));
  });

  it('reports progress with a rate and a failure as a code and one line', async () => {
    const jobs = new JobManager({ progressIntervalMs: 0 });
    const events: JobEvent[] = [];
    jobs.subscribe((e) => events.push(e));
    const { jobId } = jobs.start({
      kind: 'import',
      workspaceId: null,
      unit: 'entries',
      run: async ({ progress }) => {
        for (let i = 1; i <= 5; i++) {
          await new Promise((r) => setTimeout(r, 60));
          progress({ done: i * 100, total: 500 });
        }
        throw new Error('/secret/path exploded');
      },
    });
    const done = await jobs.wait(jobId);
    expect(done.state).toBe('failed');
    expect(done.error?.code).toBe('runtime');
    expect(done.error?.message).not.toContain('/secret');
    const rates = events.map((e) => e.progress.rate).filter((r): r is number => r !== null);
    expect(rates.length).toBeGreaterThan(0);
    expect(rates[rates.length - 1]!).toBeGreaterThan(500);
  });
});
