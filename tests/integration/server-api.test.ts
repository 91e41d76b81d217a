// The AuditApi over browser mode's HTTP (shared/api/http.ts), against real SQLite workspaces and real
// signed bundles: every method validates its input, queries answer bad_query with a position,
// search/entryDetail/coverage over the demo workspace, and uploads imported as jobs whose progress
// arrives on the event stream, a tampered bundle failing with its verdict.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_METHODS,
  type ApiResult,
  type Coverage,
  type EntryDetail,
  type Facets,
  type FileRef,
  type Histogram,
  type JobEvent,
  type SearchPageResult,
  type WorkspaceSummary,
} from '../../shared/api';
import { startBrowserServer, type BrowserServer } from '../../electron/server';
import { generateTrail } from '../../electron/sim/generate';
import { tempDir } from '../helpers/bundles';
import { alterEntry } from './helpers/tamper';

async function call<T>(
  server: BrowserServer,
  method: string,
  body: unknown,
): Promise<ApiResult<T>> {
  const response = await fetch(`${server.origin}/api/call/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ApiResult<T>;
}

async function value<T>(server: BrowserServer, method: string, body: unknown): Promise<T> {
  const result = await call<T>(server, method, body);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function upload(server: BrowserServer, name: string, bytes: Buffer): Promise<Response> {
  return fetch(`${server.origin}/api/upload?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${server.token}`,
      'Content-Type': 'application/octet-stream',
    },
    body: bytes,
  });
}

/** Reads the event stream until `done` says so; answers every event seen. */
function events(server: BrowserServer) {
  const controller = new AbortController();
  const seen: JobEvent[] = [];
  const opened = fetch(`${server.origin}/api/events`, {
    headers: { Authorization: `Bearer ${server.token}` },
    signal: controller.signal,
  });
  const until = async (
    done: (event: JobEvent) => boolean,
    timeoutMs = 20_000,
  ): Promise<JobEvent[]> => {
    const response = await opened;
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let buffer = '';
    try {
      for (;;) {
        const { value: chunk, done: ended } = await reader.read();
        if (ended) break;
        buffer += chunk;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (!block.startsWith('data: ')) continue;
          const event = JSON.parse(block.slice(6)) as JobEvent;
          seen.push(event);
          if (done(event)) return seen;
        }
      }
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
    return seen;
  };
  return { opened, until };
}

let dir: { path: string; remove(): void };
let server: BrowserServer;
let demoId: string;
let trailDir: string;

beforeAll(async () => {
  dir = tempDir('audit-desk-server-api-');
  server = await startBrowserServer({
    home: join(dir.path, 'home'),
    demo: true,
    maxUploadBytes: 1024 * 1024,
    progressIntervalMs: 0,
  });
  demoId = (await value<{ demoWorkspaceId: string }>(server, 'appInfo', {})).demoWorkspaceId;
  trailDir = join(dir.path, 'trail');
  generateTrail({ outDir: trailDir, seed: 'server-api', days: 4, perDay: 40 });
});

afterAll(async () => {
  await server.close();
  dir.remove();
});

describe('every method validates its request', () => {
  it.each(API_METHODS)('%s refuses an unknown field and a non-object', async (method) => {
    const extra = await call(server, method, { notAField: 1 });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const scalar = await call(server, method, 42);
    expect(scalar).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('names the field, never echoes the value', async () => {
    const secret = 'x'.repeat(300);
    const result = await call(server, 'search', { workspaceId: demoId, query: 'a', limit: secret });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(JSON.stringify(result)).toContain('limit');
    expect(JSON.stringify(result)).not.toContain(secret);
  });
});

describe('the demo workspace over HTTP', () => {
  it('is listed, labelled as a demo, verified', async () => {
    const list = await value<WorkspaceSummary[]>(server, 'listWorkspaces', {});
    const demo = list.find((w) => w.id === demoId)!;
    expect(demo).toMatchObject({ isDemo: true, verification: 'verified', bundleCount: 30 });
    expect(demo.entryCount).toBeGreaterThan(2500);
    expect(demo.tenant?.timeZone).toBeTruthy();
    expect(JSON.stringify(list)).not.toContain(dir.path);
  });

  it('searches with qualifiers, pages with the keyset cursor, and opens an entry', async () => {
    const page = await value<SearchPageResult>(server, 'search', {
      workspaceId: demoId,
      query: 'category:authentication',
      limit: 25,
    });
    expect(page.total).toBeGreaterThan(25);
    expect(page.entries).toHaveLength(25);
    expect(page.entries.every((e) => e.category === 'authentication')).toBe(true);
    expect(page.nextBefore).toBe(page.entries[24]!.seq);
    const next = await value<SearchPageResult>(server, 'search', {
      workspaceId: demoId,
      query: 'category:authentication',
      limit: 25,
      before: page.nextBefore,
    });
    expect(next.entries[0]!.seq).toBeLessThan(page.entries[24]!.seq);
    const detail = await value<EntryDetail>(server, 'entryDetail', {
      workspaceId: demoId,
      entryId: page.entries[0]!.id,
    });
    expect(detail.entry).toEqual(page.entries[0]);
    expect(detail.bundle).toMatchObject({
      keyId: 'otesse-demo-2026',
      verdict: 'valid',
      source: 'file',
    });
    expect(
      await call(server, 'entryDetail', { workspaceId: demoId, entryId: 'nope' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('searches free text, then with typo tolerance and suggestions once the vocabulary is loaded', async () => {
    const exact = await value<SearchPageResult>(server, 'search', {
      workspaceId: demoId,
      query: 'Fatima',
      limit: 1,
    });
    expect(exact.total).toBeGreaterThan(0);
    let typo: SearchPageResult | null = null;
    for (let i = 0; i < 100 && !typo?.typoTolerance; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 200));
      typo = await value<SearchPageResult>(server, 'search', {
        workspaceId: demoId,
        query: 'Fatma',
        limit: 1,
      });
    }
    expect(typo!.typoTolerance).toBe(true);
    expect(typo!.total).toBe(exact.total);
    expect(typo!.expansions).toEqual([{ word: 'Fatma', alternatives: ['fatima'] }]);
    const suggestions = await value<{ kind: string; insert: string }[]>(server, 'suggest', {
      workspaceId: demoId,
      prefix: 'user:fati',
    });
    expect(suggestions[0]).toMatchObject({ kind: 'user', insert: 'user:"Fatima Dubois"' });
  });

  it('counts facets and draws the histogram of a query, in the tenant time zone', async () => {
    const facets = await value<Facets>(server, 'facets', {
      workspaceId: demoId,
      query: 'category:bookings',
      limitPerFacet: 3,
    });
    expect(facets.category).toEqual([expect.objectContaining({ value: 'bookings' })]);
    expect(facets.action.length).toBeLessThanOrEqual(3);
    const total = (
      await value<SearchPageResult>(server, 'search', {
        workspaceId: demoId,
        query: 'category:bookings',
        limit: 0,
      })
    ).total;
    expect(facets.category[0]!.count).toBe(total);
    const chart = await value<Histogram>(server, 'histogram', {
      workspaceId: demoId,
      query: '',
      targetBuckets: 40,
    });
    expect(chart.timeZone).toBe('America/Los_Angeles');
    expect(chart.buckets.reduce((sum, b) => sum + b.total, 0)).toBeGreaterThan(2500);
    expect(
      await call(server, 'histogram', { workspaceId: demoId, query: 'after:2026-13-01' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad_query', position: 6 },
    });
  });

  it('answers bad_query with the position of the problem', async () => {
    const result = await call(server, 'search', {
      workspaceId: demoId,
      query: 'action:auth.* user:"Dana',
      limit: 5,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_query', position: 19 } });
  });

  it('reports coverage: complete, proven, nothing archived', async () => {
    const coverage = await value<Coverage>(server, 'coverage', { workspaceId: demoId });
    expect(coverage).toMatchObject({ complete: true, bundles: 30, gaps: [], chainBreaks: [] });
    expect(coverage.proven).toHaveLength(1);
  });

  it('answers not_found for an unknown workspace id', async () => {
    expect(await call(server, 'coverage', { workspaceId: 'ws_0000000000000000' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});

describe('uploads and import jobs', () => {
  const bundles = () =>
    readdirSync(trailDir)
      .filter((f) => f.endsWith('.otbundle'))
      .sort();

  it('imports uploaded bundles as a job, with progress events up to completion', async () => {
    await value(server, 'updateSettings', { trustStorePath: join(trailDir, 'trust.json') });
    const ws = await value<WorkspaceSummary>(server, 'createWorkspace', { name: 'Uploaded' });
    const files: FileRef[] = [];
    for (const name of bundles()) {
      const response = await upload(server, name, readFileSync(join(trailDir, name)));
      const result = (await response.json()) as ApiResult<FileRef>;
      expect(result.ok).toBe(true);
      if (result.ok) files.push(result.value);
    }
    const stream = events(server);
    await stream.opened;
    const { jobId } = await value<{ jobId: string }>(server, 'importBundles', {
      workspaceId: ws.id,
      files,
    });
    const seen = await stream.until((e) => e.jobId === jobId && e.state !== 'running');
    const mine = seen.filter((e) => e.jobId === jobId);
    const last = mine[mine.length - 1]!;
    expect(last.state).toBe('succeeded');
    expect(
      mine.some((e) => e.state === 'running' && e.progress.done > 0 && e.progress.total === 4),
    ).toBe(true);
    const result = last.result as {
      imported: unknown[];
      rejected: unknown[];
      entriesAdded: number;
    };
    expect(result.imported).toHaveLength(4);
    expect(result.rejected).toEqual([]);
    expect(last.progress.counters.entries).toBe(result.entriesAdded);
    expect(last.progress.counters.bytes).toBe(last.progress.counters.bytesTotal);
    expect(last.progress.counters.bytesTotal).toBeGreaterThan(0);
    const summary = (await value<WorkspaceSummary[]>(server, 'listWorkspaces', {})).find(
      (w) => w.id === ws.id,
    )!;
    expect(summary).toMatchObject({
      entryCount: result.entriesAdded,
      bundleCount: 4,
      verification: 'verified',
    });
    // Uploads are consumed: the same reference cannot be imported again.
    expect(await call(server, 'importBundles', { workspaceId: ws.id, files })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('fails the job of a tampered bundle with its verdict, storing nothing', async () => {
    const name = bundles()[1]!;
    const tampered = join(dir.path, `tampered-${name}`);
    alterEntry(join(trailDir, name), tampered);
    const ws = await value<WorkspaceSummary>(server, 'createWorkspace', { name: 'Tampered' });
    const ref = (
      (await (await upload(server, name, readFileSync(tampered))).json()) as { value: FileRef }
    ).value;
    const stream = events(server);
    await stream.opened;
    const { jobId } = await value<{ jobId: string }>(server, 'importBundles', {
      workspaceId: ws.id,
      files: [ref],
    });
    const seen = await stream.until((e) => e.jobId === jobId && e.state !== 'running');
    const last = seen[seen.length - 1]!;
    expect(last.state).toBe('failed');
    expect(last.error?.code).toBe('rejected');
    expect(last.error?.message).toContain(name);
    expect(last.error?.message).toMatch(/digest|merkle|signature/);
    expect(last.error?.message).not.toContain(dir.path);
    const summary = (await value<WorkspaceSummary[]>(server, 'listWorkspaces', {})).find(
      (w) => w.id === ws.id,
    )!;
    expect(summary).toMatchObject({ entryCount: 0, verification: 'empty' });
  });

  it('refuses an upload over the size limit (413)', async () => {
    const response = await upload(server, 'big.otbundle', Buffer.alloc(1024 * 1024 + 1));
    expect(response.status).toBe(413);
  });

  it('keeps only the base name of an uploaded file, never a path', async () => {
    const response = await upload(server, '../../etc/passwd', Buffer.from('not a bundle'));
    const ref = ((await response.json()) as { value: FileRef }).value;
    expect(server.service.context.files.resolve(ref).name).toBe('passwd');
  });
});
