// The app service below both faces, with real SQLite workspaces and the real demo bundles: dispatch
// validation and error mapping (no stack, path or token in an answer), the workspace registry,
// the demo workspace's first run, and the review log of reviewer actions.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SearchPageResult, WorkspaceSummary } from '../../shared/api';
import {
  ApiFailure,
  createAppService,
  dispatch,
  toApiError,
  WorkspaceRegistry,
  type AppService,
  type Handlers,
} from '../../electron/core/app';
import { runtimeError, usageError } from '../../electron/core/errors';
import { reviewLogRecords } from '../../electron/core/review/review-log';
import { tempDir } from '../helpers/bundles';

let dir: { path: string; remove(): void };
const services: AppService[] = [];

async function service(options: Partial<Parameters<typeof createAppService>[0]> = {}) {
  const created = await createAppService({
    home: join(dir.path, 'home'),
    mode: 'browser',
    ...options,
  });
  services.push(created);
  return created;
}

async function value<T>(s: AppService, method: string, request: unknown): Promise<T> {
  const result = await s.call(method, request);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

beforeEach(() => {
  dir = tempDir('audit-desk-app-service-');
});

afterEach(async () => {
  while (services.length > 0) await services.pop()!.close();
  dir.remove();
});

describe('dispatch', () => {
  const throwing = (error: unknown) =>
    ({
      appInfo: () => {
        throw error;
      },
    }) as unknown as Handlers;

  it('refuses unknown methods and requests that do not match the schema', async () => {
    const handlers = {} as Handlers;
    expect(await dispatch(handlers, 'constructor', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(await dispatch(handlers, '__proto__', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(
      await dispatch(handlers, 'search', { workspaceId: 'w', query: 'x', limit: -1 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });

  it('answers an unexpected error without its stack, message, paths or the token', async () => {
    const reported: unknown[] = [];
    const error = new Error('ENOENT: /home/dana/secret/workspace.sqlite token sk_live_123456');
    const result = await dispatch(
      throwing(error),
      'appInfo',
      {},
      {
        secrets: () => ['sk_live_123456'],
        onInternalError: (_m, e) => reported.push(e),
      },
    );
    expect(result.ok).toBe(false);
    const text = JSON.stringify(result);
    expect(text).not.toContain('/home/dana');
    expect(text).not.toContain('sk_live_123456');
    expect(text).not.toContain('at ');
    expect(result).toMatchObject({ error: { code: 'runtime' } });
    expect(reported).toEqual([error]);
  });

  it('maps core errors to codes and cleans paths and secrets from their one line', () => {
    expect(toApiError(usageError('bad flag'))).toEqual({
      code: 'invalid_request',
      message: 'bad flag',
    });
    const runtime = toApiError(
      runtimeError('cannot open workspace /tmp/x/ws: locked by tok_abcdef'),
      ['tok_abcdef'],
    );
    expect(runtime.code).toBe('runtime');
    expect(runtime.message).toBe('cannot open workspace <path>: locked by [redacted]');
    expect(toApiError(new ApiFailure('bad_query', 'unterminated quote', 7))).toEqual({
      code: 'bad_query',
      message: 'unterminated quote',
      position: 7,
    });
    expect(toApiError(new ApiFailure('bad_query', 'invalid CIDR "10.0.0.0/33"', 3)).message).toBe(
      'invalid CIDR "10.0.0.0/33"',
    );
    expect(
      toApiError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })).code,
    ).toBe('conflict');
    expect(toApiError(new Error('C:\\Users\\dana\\x')).message).not.toContain('dana');
  });
});

describe('workspace registry', () => {
  it('creates, renames and deletes workspaces by opaque id; delete needs the name', async () => {
    const s = await service({ demo: 'never' });
    const created = await value<WorkspaceSummary>(s, 'createWorkspace', { name: 'Acme 2026' });
    expect(created).toMatchObject({
      name: 'Acme 2026',
      isDemo: false,
      verification: 'empty',
      entryCount: 0,
    });
    expect(created.id).toMatch(/^ws_[0-9a-f]{16}$/);
    expect(await s.call('createWorkspace', { name: 'acme 2026' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(
      await value<WorkspaceSummary>(s, 'renameWorkspace', {
        workspaceId: created.id,
        name: 'Acme FY26',
      }),
    ).toMatchObject({
      name: 'Acme FY26',
    });
    const folder = join(dir.path, 'home', 'workspaces', created.id);
    expect(existsSync(folder)).toBe(true);
    expect(
      await s.call('deleteWorkspace', { workspaceId: created.id, confirmName: 'Acme 2026' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(
      await value(s, 'deleteWorkspace', { workspaceId: created.id, confirmName: 'Acme FY26' }),
    ).toEqual({ deleted: true });
    expect(existsSync(folder)).toBe(false);
    expect(await value<WorkspaceSummary[]>(s, 'listWorkspaces', {})).toEqual([]);
  });

  it('keeps the folder of a workspace registered from elsewhere when it is deleted', () => {
    const registry = new WorkspaceRegistry(join(dir.path, 'home'));
    const outside = join(dir.path, 'outside-ws');
    const entry = registry.registerExternal(outside);
    expect(registry.registerExternal(outside).id).toBe(entry.id);
    expect(entry.name).toBe('outside-ws');
    registry.remove(entry.id);
    expect(existsSync(join(outside, 'workspace.sqlite'))).toBe(true);
  });

  it('survives a damaged registry file by rebuilding it from the workspace folders', () => {
    const home = join(dir.path, 'home');
    const first = new WorkspaceRegistry(home);
    const entry = first.create('Kept');
    first.close();
    writeFileSync(join(home, 'registry.json'), '{"version": 1, "workspaces": [oops');
    const second = new WorkspaceRegistry(home);
    expect(second.list().map((w) => w.id)).toEqual([entry.id]);
    expect(JSON.parse(readFileSync(join(home, 'registry.json'), 'utf8'))).toMatchObject({
      version: 1,
    });
    second.close();
  });
});

describe('demo workspace', () => {
  it('is created on the first run, verified against the demo trust store, and not recreated after deletion', async () => {
    const s = await service();
    const info = await value<{ demoWorkspaceId: string | null }>(s, 'appInfo', {});
    expect(info.demoWorkspaceId).not.toBeNull();
    const [demo] = await value<WorkspaceSummary[]>(s, 'listWorkspaces', {});
    expect(demo).toMatchObject({ isDemo: true, bundleCount: 30, verification: 'verified' });
    await value(s, 'deleteWorkspace', { workspaceId: demo!.id, confirmName: demo!.name });
    await s.close();
    services.pop();
    const again = await service();
    expect(await value<WorkspaceSummary[]>(again, 'listWorkspaces', {})).toEqual([]);
    expect(
      (await value<{ demoWorkspaceId: string | null }>(again, 'appInfo', {})).demoWorkspaceId,
    ).toBeNull();
  });

  it('is not created on a first run when told not to', async () => {
    const s = await service({ demo: 'never' });
    expect(await value<WorkspaceSummary[]>(s, 'listWorkspaces', {})).toEqual([]);
  });
});

describe('review log of reviewer actions', () => {
  it('records opening, settled searches (not keystrokes, repeats or pages), in order with annotations', async () => {
    const s = await service({ demo: 'always', searchSettleMs: 100 });
    const id = s.context.registry.list()[0]!.id;
    const settle = () => new Promise((r) => setTimeout(r, 250));
    const search = (query: string, before?: number) =>
      value<SearchPageResult>(s, 'search', { workspaceId: id, query, limit: 2, before });
    // Typed key by key: only the text the reviewer stopped at is recorded.
    for (const typed of ['c', 'ca', 'category:', 'category:inv', 'category:invoices'])
      await s.call('search', { workspaceId: id, query: typed, limit: 2 });
    await settle();
    const page = await search('category:invoices');
    await search('category:invoices', page.nextBefore!); // a further page
    await settle(); // the same text again within a minute: not recorded again
    expect(await s.call('search', { workspaceId: id, query: 'user:"x', limit: 1 })).toMatchObject({
      ok: false,
      error: { code: 'bad_query', position: 5 },
    });
    await search('category:authentication');
    // Annotating right away: the settled search is written first.
    await value(s, 'annotate', {
      workspaceId: id,
      target: { entryIds: [page.entries[0]!.id] },
      status: 'exception',
      note: 'needs a look',
    });
    const ws = s.context.registry.connection(id);
    const actions = [...reviewLogRecords(ws)].map((r) => [r.action, r.details.query ?? null]);
    expect(actions).toEqual([
      ['workspace.opened', null],
      ['search.run', 'category:invoices'],
      ['search.run', 'category:authentication'],
      ['annotation.changed', null],
    ]);
  });

  it('writes a pending search when the service closes', async () => {
    const s = await service({ demo: 'always' });
    const id = s.context.registry.list()[0]!.id;
    await value(s, 'search', { workspaceId: id, query: 'action:auth.login', limit: 1 });
    await s.close();
    services.pop();
    const again = await service();
    const ws = again.context.registry.connection(id);
    expect([...reviewLogRecords(ws)].map((r) => r.action)).toEqual([
      'workspace.opened',
      'search.run',
    ]);
  });
});

describe('writes while a job holds the workspace', () => {
  it('wait without blocking the event loop, then succeed', async () => {
    const s = await service({ demo: 'always' });
    const id = s.context.registry.list()[0]!.id;
    const page = await value<SearchPageResult>(s, 'search', {
      workspaceId: id,
      query: '',
      limit: 1,
    });
    const job = s.context.registry.jobConnection(id);
    job.db.exec('BEGIN IMMEDIATE'); // as an import does for each bundle
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const pending = s.call('annotate', {
      workspaceId: id,
      target: { entryIds: [page.entries[0]!.id] },
      status: 'reviewed',
    });
    await new Promise((r) => setTimeout(r, 200));
    job.db.exec('COMMIT');
    job.close();
    expect(await pending).toEqual({ ok: true, value: { count: 1 } });
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(5);
  });
});
