// The app's facet columns on the real demo workspace: one live set per open workspace, read in a
// real worker, forgotten when the connection closes; facets and the histogram through the service
// give the SQL answers before and after the columns are ready.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Facets, Histogram } from '../../../shared/api';
import { parseQuery } from '../../../shared/query';
import { tempDir } from '../../../tests/helpers/bundles';
import { countEntries, facetCounts, histogram } from '../search';
import { createAppService, type AppService } from './index';
import { FacetColumnsHolder } from './facet-columns';

let dir: { path: string; remove(): void };
let s: AppService;
let id: string;

async function value<T>(method: string, request: unknown): Promise<T> {
  const result = await s.call(method, request);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

beforeEach(async () => {
  dir = tempDir('audit-desk-facet-columns-');
  s = await createAppService({ home: join(dir.path, 'home'), mode: 'browser', demo: 'always' });
  id = s.context.registry.list()[0]!.id;
});

afterEach(async () => {
  await s.close();
  dir.remove();
});

// No bare word: once the service's vocabulary is loaded it expands those (`refund` → `refunded`).
const QUERIES = ['"refund"', '-refund', '-category:invoices', 'ip:10.*', 'status:unreviewed', ''];

describe('FacetColumnsHolder', () => {
  it('reads the columns in a worker, once per open workspace, and lets go on close', async () => {
    const holder = new FacetColumnsHolder(s.context);
    const live = holder.of(id);
    expect(holder.of(id)).toBe(live);
    await live.open();
    expect(live.state).toBe('ready');
    const ws = s.context.registry.connection(id);
    expect(live.current()!.data.entries).toBe(
      ws.db.prepare('SELECT count(*) FROM entries').pluck().get(),
    );
    s.context.registry.closeConnection(id);
    expect(holder.of(id)).not.toBe(live);
  }, 30_000);

  it('a query the counts tables do not serve waits for a read going on, then answers from the columns', async () => {
    const ws = s.context.registry.connection(id);
    const live = s.facetColumns.of(id); // the read starts here, as at the first search
    // A query the counts tables serve does not wait: the read (a worker) is not over when it answers.
    await value<Facets>('facets', { workspaceId: id, query: 'category:invoices' });
    expect(live.current()).toBeNull();
    const parsed = parseQuery('"refund"');
    if (!parsed.ok) throw new Error('query');
    const served = await value<Facets>('facets', { workspaceId: id, query: '"refund"' });
    expect(live.current()).not.toBeNull(); // it waited for the read instead of running SQL
    expect(served).toEqual(facetCounts(ws, parsed.query));
  }, 30_000);

  it('count, facets and histogram through the service equal SQL before and after the columns', async () => {
    const ws = s.context.registry.connection(id);
    const sql = (text: string) => {
      const parsed = parseQuery(text);
      if (!parsed.ok) throw new Error(text);
      return {
        total: countEntries(ws, parsed.query),
        facets: facetCounts(ws, parsed.query),
        histogram: histogram(ws, parsed.query),
      };
    };
    const served = async (query: string) => ({
      total: (await value<{ total: number }>('count', { workspaceId: id, query })).total,
      facets: await value<Facets>('facets', { workspaceId: id, query }),
      histogram: await value<Histogram>('histogram', { workspaceId: id, query }),
    });
    const live = s.facetColumns.of(id);
    expect(live.current()).toBeNull();
    for (const query of QUERIES) expect(await served(query)).toEqual(sql(query));
    await live.open();
    expect(live.current()).not.toBeNull();
    for (const query of QUERIES) expect(await served(query)).toEqual(sql(query));
  }, 30_000);
});
