// The log view's two-step search through the app service, on the real demo workspace: a page
// asked with `count: false` (rows at once, total null) and the total apart (`count`) give exactly
// what one counted search gives.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SearchPageResult, WorkspaceSummary } from '../../shared/api';
import { createAppService, type AppService } from '../../electron/core/app';
import { reviewLogRecords } from '../../electron/core/review/review-log';
import { tempDir } from '../helpers/bundles';

let dir: { path: string; remove(): void };
let s: AppService;
let id: string;

async function value<T>(method: string, request: unknown): Promise<T> {
  const result = await s.call(method, request);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

beforeEach(async () => {
  dir = tempDir('audit-desk-search-count-');
  s = await createAppService({
    home: join(dir.path, 'home'),
    mode: 'browser',
    demo: 'always',
    searchSettleMs: 50,
  });
  id = s.context.registry.list()[0]!.id;
});

afterEach(async () => {
  await s.close();
  dir.remove();
});

const QUERIES = ['', 'category:invoices', 'refund', 'invoce', 'user:nobody-at-all', 'date:2026-03'];

describe('search without the count, and count apart', () => {
  it.each(QUERIES)('give the same page and total as a counted search (%j)', async (query) => {
    const counted = await value<SearchPageResult>('search', { workspaceId: id, query, limit: 7 });
    const page = await value<SearchPageResult>('search', {
      workspaceId: id,
      query,
      limit: 7,
      count: false,
    });
    expect(page.total).toBeNull();
    expect(page.entries).toEqual(counted.entries);
    expect(page.nextBefore).toBe(counted.nextBefore);
    expect(page.expansions).toEqual(counted.expansions);
    expect(await value('count', { workspaceId: id, query })).toEqual({ total: counted.total });

    // The next page through the cursor, too.
    if (counted.nextBefore !== null) {
      const request = { workspaceId: id, query, limit: 7, before: counted.nextBefore };
      const next = await value<SearchPageResult>('search', request);
      const uncounted = await value<SearchPageResult>('search', { ...request, count: false });
      expect(uncounted.entries).toEqual(next.entries);
      expect(uncounted.nextBefore).toBe(next.nextBefore);
      expect(uncounted.total).toBeNull();
    }
  });

  it('counts more than a page on a broad query', async () => {
    const { total } = await value<{ total: number }>('count', { workspaceId: id, query: '' });
    const [summary] = await value<WorkspaceSummary[]>('listWorkspaces', {});
    expect(total).toBe(summary!.entryCount);
    expect(total).toBeGreaterThan(7);
  });

  it('refuses bad queries and unknown fields like search does', async () => {
    expect(await s.call('count', { workspaceId: id, query: 'user:"x' })).toMatchObject({
      ok: false,
      error: { code: 'bad_query', position: 5 },
    });
    expect(await s.call('count', { workspaceId: id, query: '', limit: 1 })).toMatchObject({
      ok: false,
    });
    expect(
      await s.call('search', { workspaceId: id, query: '', limit: 1, count: 'no' }),
    ).toMatchObject({ ok: false });
  });

  it('records the search once its count is asked, not for the uncounted page', async () => {
    await value('search', { workspaceId: id, query: 'category:invoices', limit: 2, count: false });
    await new Promise((r) => setTimeout(r, 150));
    await value('count', { workspaceId: id, query: 'category:invoices' });
    await new Promise((r) => setTimeout(r, 150));
    const ws = s.context.registry.connection(id);
    const searches = [...reviewLogRecords(ws)]
      .filter((r) => r.action === 'search.run')
      .map((r) => r.details.query);
    expect(searches).toEqual(['category:invoices']);
  });
});
