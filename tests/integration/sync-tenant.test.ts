// A realistic 90-day tenant synced over real HTTP from the simulator on 127.0.0.1: complete
// coverage with the simulator's entry count, incremental runs from the stored cursor as days are
// published, progress events a UI can use, run records, and the token in no file of the workspace.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  syncWorkspace,
  lastSync,
  listSyncRuns,
  readCursor,
  saveCursor,
  type SyncEvent,
} from '../../electron/core/sync';
import { computeCoverage } from '../../electron/core/workspace/coverage';
import { openWorkspace, type Workspace } from '../../electron/core/workspace/database';
import { loadTrust } from '../../electron/core/workspace/trust';
import { startSimServer, type SimServer } from '../../electron/sim/server';
import { tempDir } from '../helpers/bundles';

const PUBLISHED_FIRST = 80;
let sim: SimServer;
let dir: { path: string; remove(): void };
let ws: Workspace;

beforeAll(async () => {
  // ~17,000 entries over 90 local days (Europe/Berlin, DST change inside), standard plan.
  sim = await startSimServer({
    seed: 'tenant-90',
    days: 90,
    perDay: 190,
    published: PUBLISHED_FIRST,
  });
  dir = tempDir('audit-desk-sync-tenant-');
  ws = openWorkspace(join(dir.path, 'ws'), { create: true });
}, 60_000);
afterAll(async () => {
  ws?.close();
  await sim?.close();
  dir?.remove();
});

const trust = () => ({ ...loadTrust(sim.trustStore), explicit: true });
const entriesIn = (w: Workspace) =>
  w.db.prepare('SELECT count(*) FROM entries').pluck().get() as number;

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('sync of a realistic 90-day tenant', () => {
  const events: SyncEvent[] = [];

  it('first sync: every published bundle, coverage complete, entries equal to the simulator', async () => {
    const report = await syncWorkspace({
      ws,
      apiUrl: `${sim.url}/`,
      token: sim.token,
      trust: trust(),
      pageLimit: 25,
      onProgress: (e) => events.push(e),
    });
    const published = sim.descriptors();
    const expectedEntries = published.reduce((n, d) => n + d.entryCount, 0);
    expect(report).toMatchObject({
      status: 'completed',
      apiUrl: sim.url,
      bundlesListed: PUBLISHED_FIRST,
      bundlesAdded: PUBLISHED_FIRST,
      bundlesPresent: 0,
      entriesAdded: expectedEntries,
      rejected: [],
      archived: [],
      missing: [],
      keyWarnings: [],
    });
    expect(report.bytesDownloaded).toBe(published.reduce((n, d) => n + d.size, 0));
    const coverage = computeCoverage(ws, Date.parse(sim.now()));
    expect(coverage).toMatchObject({
      complete: true,
      startsMidChain: false,
      entries: expectedEntries,
      bundles: PUBLISHED_FIRST,
      gaps: [],
      chainBreaks: [],
      from: published[0]!.periodStart,
      to: published.at(-1)!.periodEnd,
    });
    // Bundles are recorded as synced, from the API address.
    expect(
      ws.db.prepare("SELECT DISTINCT source || ' ' || source_name FROM bundles").pluck().all(),
    ).toEqual([`sync ${sim.url}`]);
    // No download left behind.
    expect(readdirSync(join(ws.dir, 'downloads'))).toEqual([]);
  });

  it('progress events: monotonic totals ending at the report, byte events per bundle', () => {
    const last = events.at(-1)!;
    expect(last.type).toBe('bundle-finished');
    expect(last.counts).toMatchObject({
      bundlesDone: PUBLISHED_FIRST,
      bundlesTotal: PUBLISHED_FIRST,
      bundlesAdded: PUBLISHED_FIRST,
      entriesAdded: entriesIn(ws),
    });
    expect(last.counts.bytesDone).toBe(last.counts.bytesTotal);
    for (let i = 1; i < events.length; i++) {
      const [a, b] = [events[i - 1]!.counts, events[i]!.counts];
      expect(b.bundlesDone).toBeGreaterThanOrEqual(a.bundlesDone);
      expect(b.bytesDone).toBeGreaterThanOrEqual(a.bytesDone);
      expect(b.entriesAdded).toBeGreaterThanOrEqual(a.entriesAdded);
    }
    expect(
      events.filter((e) => e.type === 'listed').map((e) => e.type === 'listed' && e.pages),
    ).toEqual([1, 2, 3, 4]);
    expect(events.filter((e) => e.type === 'bundle-finished')).toHaveLength(PUBLISHED_FIRST);
    // Every event is plain data (a UI job forwards it over IPC or HTTP as it is).
    expect(JSON.parse(JSON.stringify(events))).toEqual(events);
  });

  it('a second sync with nothing new downloads nothing and lists from the cursor', async () => {
    const cursor = readCursor(ws.db, sim.url);
    expect(cursor).not.toBeNull();
    const report = await syncWorkspace({
      ws,
      apiUrl: sim.url,
      token: sim.token,
      trust: trust(),
      pageLimit: 25,
    });
    expect(report).toMatchObject({
      status: 'completed',
      bundlesAdded: 0,
      entriesAdded: 0,
      bytesDownloaded: 0,
    });
    // Only the page after the stored cursor is listed again, and its bundles are skipped by digest.
    expect(report.bundlesListed).toBe(PUBLISHED_FIRST - 75);
    expect(report.bundlesPresent).toBe(report.bundlesListed);
  });

  it('days published later arrive with the next sync, and coverage stays complete', async () => {
    sim.publish(10);
    const report = await syncWorkspace({
      ws,
      apiUrl: sim.url,
      token: sim.token,
      trust: trust(),
      pageLimit: 25,
    });
    expect(report).toMatchObject({ status: 'completed', bundlesAdded: 10 });
    expect(report.bundlesListed).toBe(15);
    const coverage = computeCoverage(ws, Date.parse(sim.now()));
    expect(coverage).toMatchObject({
      complete: true,
      bundles: 90,
      entries: sim.entries,
      gaps: [],
      chainBreaks: [],
    });
    expect(entriesIn(ws)).toBe(sim.entries);
    expect(readCursor(ws.db, sim.url)).not.toBe(null);
  });

  it('every run is recorded, newest first, with what a "last sync" line needs', () => {
    const runs = listSyncRuns(ws.db);
    expect(runs.map((r) => [r.status, r.bundlesAdded])).toEqual([
      ['completed', 10],
      ['completed', 0],
      ['completed', PUBLISHED_FIRST],
    ]);
    expect(
      runs.every((r) => r.apiUrl === sim.url && r.finishedAt !== null && r.error === null),
    ).toBe(true);
    const summary = lastSync(ws.db);
    expect(summary.last?.id).toBe(runs[0]!.id);
    expect(summary.lastCompletedAt).toBe(runs[0]!.finishedAt);
  });

  it('a stored cursor the server no longer knows (400): the listing starts over once and completes', async () => {
    saveCursor(ws.db, sim.url, 'a-cursor-this-server-never-issued', new Date().toISOString());
    const events: SyncEvent[] = [];
    const report = await syncWorkspace({
      ws,
      apiUrl: sim.url,
      token: sim.token,
      trust: trust(),
      pageLimit: 25,
      onProgress: (e) => events.push(e),
    });
    expect(events.filter((e) => e.type === 'cursor-reset')).toHaveLength(1);
    // Everything is listed again from the first bundle, and all of it is already held.
    expect(report).toMatchObject({
      status: 'completed',
      bundlesListed: 90,
      bundlesPresent: 90,
      bundlesAdded: 0,
    });
    expect(readCursor(ws.db, sim.url)).not.toBe('a-cursor-this-server-never-issued');
  });

  it('the token is in no file of the workspace', () => {
    ws.db.pragma('wal_checkpoint(TRUNCATE)');
    const token = Buffer.from(sim.token);
    const files = filesUnder(ws.dir);
    expect(files.some((f) => f.endsWith('workspace.sqlite'))).toBe(true);
    for (const file of files) expect(readFileSync(file).includes(token), file).toBe(false);
  });
});
