// Review and evidence packs through browser mode over real HTTP: annotate the demo workspace, export
// a pack as a job, fetch it once through its download capability, upload it back and verify it;
// a damaged pack is reported invalid. Annotation files round-trip the same way.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiResult,
  EntryDetail,
  FileRef,
  JobEvent,
  PackVerification,
  ReviewLogView,
  SearchPageResult,
} from '../../shared/api';
import { startBrowserServer, type BrowserServer } from '../../electron/server';
import { tempDir } from '../helpers/bundles';

let dir: { path: string; remove(): void };
let server: BrowserServer;
let demoId: string;

async function value<T>(method: string, body: unknown): Promise<T> {
  const response = await fetch(`${server.origin}/api/call/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const result = (await response.json()) as ApiResult<T>;
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function upload(name: string, bytes: Uint8Array): Promise<FileRef> {
  const response = await fetch(`${server.origin}/api/upload?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}` },
    body: bytes,
  });
  return ((await response.json()) as { value: FileRef }).value;
}

beforeAll(async () => {
  dir = tempDir('audit-desk-server-export-');
  server = await startBrowserServer({ home: join(dir.path, 'home'), demo: true });
  demoId = server.service.context.registry.list().find((w) => w.isDemo)!.id;
});

afterAll(async () => {
  await server.close();
  dir.remove();
});

describe('review and evidence packs over HTTP', () => {
  it('annotates, exports a pack as a job, downloads it once and verifies the upload', async () => {
    const page = await value<SearchPageResult>('search', {
      workspaceId: demoId,
      query: 'action:invoice.*',
      limit: 3,
    });
    await value('annotate', {
      workspaceId: demoId,
      target: { entryIds: page.entries.map((e) => e.id) },
      status: 'reviewed',
      addTags: ['fy26'],
    });
    const detail = await value<EntryDetail>('entryDetail', {
      workspaceId: demoId,
      entryId: page.entries[0]!.id,
    });
    expect(detail.annotation).toMatchObject({ status: 'reviewed', tags: ['fy26'] });
    expect(detail.history).toHaveLength(1);

    const { jobId } = await value<{ jobId: string }>('exportPack', {
      workspaceId: demoId,
      selection: { query: 'action:invoice.*' },
      annotations: true,
      destination: { kind: 'download' },
    });
    const done: JobEvent = await server.service.context.jobs.wait(jobId);
    expect(done.state).toBe('succeeded');
    const result = done.result as { fileName: string; entries: number; downloadUrl: string };
    expect(result.entries).toBe(page.total);
    expect(result.fileName).toMatch(/^evidence-pack-.*\.zip$/);
    const first = await fetch(`${server.origin}${result.downloadUrl}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/zip');
    const zip = new Uint8Array(await first.arrayBuffer());
    expect((await fetch(`${server.origin}${result.downloadUrl}`)).status).toBe(404);

    const verdict = await value<PackVerification>('verifyPack', {
      file: await upload(result.fileName, zip),
    });
    expect(verdict).toMatchObject({ valid: true, problems: [], entries: page.total });

    const damaged = zip.slice();
    damaged[Math.floor(damaged.length / 2)]! ^= 0x55;
    const bad = await value<PackVerification>('verifyPack', {
      file: await upload('damaged.zip', damaged),
    });
    expect(bad.valid).toBe(false);
    expect(JSON.stringify(bad)).not.toContain(dir.path);

    const log = await value<ReviewLogView>('reviewLog', { workspaceId: demoId });
    expect(log.valid).toBe(true);
    expect(log.records.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'workspace.opened',
        'search.run',
        'annotations.bulk_changed',
        'export.written',
      ]),
    );
  });

  it('exports annotations as a download and merges them back', async () => {
    const exported = await value<{ fileName: string; count: number; downloadUrl: string }>(
      'exportAnnotations',
      {
        workspaceId: demoId,
        destination: { kind: 'download' },
      },
    );
    expect(exported.count).toBeGreaterThan(0);
    const file = new Uint8Array(
      await (await fetch(`${server.origin}${exported.downloadUrl}`)).arrayBuffer(),
    );
    const merged = await value<{ added: number; identical: number; conflicts: unknown[] }>(
      'importAnnotations',
      {
        workspaceId: demoId,
        file: await upload(exported.fileName, file),
      },
    );
    expect(merged).toEqual({ added: 0, identical: exported.count, conflicts: [] });
  });

  it('draws a sample, exports it, and lists insights', async () => {
    const sample = await value<{ id: string; entryIds: string[]; population: number }>(
      'drawSample',
      {
        workspaceId: demoId,
        query: 'category:bookings',
        method: { kind: 'statistical', confidence: 95, margin: 10 },
        seed: 'engagement-2026',
      },
    );
    expect(sample.entryIds.length).toBeGreaterThan(50);
    expect(await value<unknown[]>('listSamples', { workspaceId: demoId })).toHaveLength(1);
    const { jobId } = await value<{ jobId: string }>('exportPack', {
      workspaceId: demoId,
      selection: { sampleId: sample.id },
      annotations: false,
      destination: { kind: 'download' },
    });
    const done = await server.service.context.jobs.wait(jobId);
    expect(done.state).toBe('succeeded');
    expect((done.result as { entries: number }).entries).toBe(sample.entryIds.length);
    const findings = await value<{ id: string; dismissed: unknown }[]>('insights', {
      workspaceId: demoId,
    });
    expect(findings.length).toBeGreaterThan(0);
    const dismissed = await value<{ dismissed: { reason: string } }>('dismissFinding', {
      workspaceId: demoId,
      findingId: findings[0]!.id,
      reason: 'known maintenance window',
    });
    expect(dismissed.dismissed.reason).toBe('known maintenance window');
  });
});
