// The cursor store and the run records, on a real workspace.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers/bundles';
import { openWorkspace, type Workspace } from '../workspace/database';
import { acquireSyncLock } from './lock';
import {
  beginRun,
  finishRun,
  lastSync,
  listSyncRuns,
  readCursor,
  recordProgress,
  saveCursor,
} from './state';

let dir: { path: string; remove(): void };
let ws: Workspace;
beforeEach(() => {
  dir = tempDir('audit-desk-sync-state-');
  ws = openWorkspace(dir.path, { create: true });
});
afterEach(() => {
  ws.close();
  dir.remove();
});

const totals = {
  bundlesListed: 3,
  bundlesAdded: 2,
  bundlesPresent: 1,
  entriesAdded: 40,
  bytesDownloaded: 999,
  rejected: 0,
  archived: 0,
  missing: 0,
};

describe('sync state', () => {
  it('keeps one cursor per API address, surviving a reopen', () => {
    expect(readCursor(ws.db, 'http://a')).toBeNull();
    saveCursor(ws.db, 'http://a', 'c1', '2026-01-01T00:00:00.000Z');
    saveCursor(ws.db, 'http://b', 'x9', '2026-01-01T00:00:00.000Z');
    saveCursor(ws.db, 'http://a', 'c2', '2026-01-02T00:00:00.000Z');
    ws.close();
    ws = openWorkspace(dir.path);
    expect(readCursor(ws.db, 'http://a')).toBe('c2');
    expect(readCursor(ws.db, 'http://b')).toBe('x9');
  });

  it('records runs; a run left running is marked interrupted by the next; last sync summary', () => {
    const first = beginRun(ws.db, 'http://a', '2026-01-01T00:00:00.000Z');
    recordProgress(ws.db, first, totals);
    const second = beginRun(ws.db, 'http://a', '2026-01-02T00:00:00.000Z');
    finishRun(ws.db, second, {
      finishedAt: '2026-01-02T00:01:00.000Z',
      status: 'completed',
      totals,
      details: { rejected: [] },
    });
    const third = beginRun(ws.db, 'http://a', '2026-01-03T00:00:00.000Z');
    finishRun(ws.db, third, {
      finishedAt: '2026-01-03T00:00:05.000Z',
      status: 'failed',
      totals: { ...totals, bundlesAdded: 0, entriesAdded: 0 },
      details: {},
      error: {
        message: 'token rejected by the Otesse API at 127.0.0.1:1 (401): check the API token',
        kind: 'runtime',
      },
    });
    const runs = listSyncRuns(ws.db);
    expect(runs.map((r) => [r.id, r.status])).toEqual([
      [third, 'failed'],
      [second, 'completed'],
      [first, 'interrupted'],
    ]);
    expect(runs[2]).toMatchObject({ finishedAt: null, entriesAdded: 40 });
    const summary = lastSync(ws.db);
    expect(summary.last).toMatchObject({ id: third, status: 'failed', errorKind: 'runtime' });
    expect(summary.last?.error).toMatch(/token rejected/);
    expect(summary.lastCompletedAt).toBe('2026-01-02T00:01:00.000Z');
    expect(runs[1]?.details).toEqual({ rejected: [] });
  });

  it('an empty workspace has no last sync', () => {
    expect(lastSync(ws.db)).toEqual({ last: undefined, lastCompletedAt: null });
  });
});

describe('sync lock', () => {
  it('one sync per workspace; a lock left by a dead process is taken over', async () => {
    const release = acquireSyncLock(ws.dir);
    expect(() => acquireSyncLock(ws.dir)).toThrow(/already running/);
    release();
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    writeFileSync(join(ws.dir, 'downloads', '.sync.lock'), '999999999');
    acquireSyncLock(ws.dir)();
    writeFileSync(join(ws.dir, 'downloads', '.sync.lock'), String(process.ppid));
    expect(() => acquireSyncLock(ws.dir)).toThrow(
      /another sync into this workspace is running \(process \d+\)/,
    );
  });
});
