// Sync against the simulator's bundle scenarios and key setups, over real HTTP on 127.0.0.1:
// tampered, foreign-key and missing bundles are reported while the rest syncs (and tried again by
// the next run); server keys that do not chain to the trust store; 401/403; archived bundles;
// resuming a partial download across runs (206, or 200 when the ETag no longer matches); and the
// `sync` command's JSON, exit codes and output, none of which ever holds the token.
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sync as syncCommand, TOKEN_ENV } from '../../electron/cli/commands/sync';
import { AuditDeskError } from '../../electron/core/errors';
import {
  listSyncRuns,
  readCursor,
  seededRandom,
  syncWorkspace,
  type SyncClock,
} from '../../electron/core/sync';
import { partialFiles, writeMeta } from '../../electron/core/sync/partial';
import { computeCoverage } from '../../electron/core/workspace/coverage';
import { openWorkspace, type Workspace } from '../../electron/core/workspace/database';
import { importBundleFile } from '../../electron/core/workspace/import';
import { loadTrust } from '../../electron/core/workspace/trust';
import { startSimServer, type SimServer, type SimServerOptions } from '../../electron/sim/server';
import { makeKey, tempDir } from '../helpers/bundles';
import { serializeTrustStore } from '../../electron/core/bundle/trust-store';

let root: { path: string; remove(): void };
const servers: SimServer[] = [];
beforeAll(() => {
  root = tempDir('audit-desk-sync-scenarios-');
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  root.remove();
});

let count = 0;
async function setup(options: SimServerOptions) {
  const sim = await startSimServer({ days: 8, perDay: 25, ...options });
  servers.push(sim);
  const dir = join(root.path, `ws${++count}`);
  return { sim, dir, ws: openWorkspace(dir, { create: true }) };
}

const instant: SyncClock = {
  now: () => Date.now(),
  sleep: () => Promise.resolve(),
  random: seededRandom(3),
};

function sync(sim: SimServer, ws: Workspace, extra: { token?: string; trustStore?: string } = {}) {
  return syncWorkspace({
    ws,
    apiUrl: sim.url,
    token: extra.token ?? sim.token,
    trust: { ...loadTrust(extra.trustStore ?? sim.trustStore), explicit: true },
    pageLimit: 3,
    retry: { maxAttempts: 4 },
    clock: instant,
  });
}

const bundleCount = (ws: Workspace) =>
  ws.db.prepare('SELECT count(*) FROM bundles').pluck().get() as number;
const originalFile = (sim: SimServer, i: number) => join(sim.dir, sim.catalog[i]!.fileName);

describe('bundle scenarios', () => {
  it('tampered, foreign-key and missing bundles are reported; the rest syncs; the next run tries them again', async () => {
    const { sim, ws } = await setup({
      seed: 'scenarios',
      faults: 'tamper=2,foreign-key=4,missing=6',
    });
    try {
      const ids = sim.catalog.map((b) => b.descriptor.id);
      const first = await sync(sim, ws);
      expect(first.status).toBe('completed_with_problems');
      expect(first.rejected).toEqual([
        {
          bundleId: ids[2],
          cause: 'payload_digest',
          reason: expect.stringMatching(/^payload_digest: payload SHA-256 does not match/),
        },
        {
          bundleId: ids[4],
          cause: 'unknown_key',
          reason: 'unknown_key: signing key "otesse-unknown-1" is not in the trust store',
        },
      ]);
      expect(first.missing).toEqual([
        {
          bundleId: ids[6],
          reason: 'listed by the API but not served (404); run sync again later',
        },
      ]);
      expect(first.bundlesAdded).toBe(5);
      expect(first.imported.map((b) => b.bundleId)).toEqual([
        ids[0],
        ids[1],
        ids[3],
        ids[5],
        ids[7],
      ]);
      expect(readdirSync(join(ws.dir, 'downloads'))).toEqual([]);
      const coverage = computeCoverage(ws, Date.parse(sim.now()));
      expect(coverage.complete).toBe(false);
      expect(coverage.gaps).toHaveLength(3);
      const [run] = listSyncRuns(ws.db);
      expect(run).toMatchObject({
        status: 'completed_with_problems',
        rejected: 2,
        missing: 1,
        bundlesAdded: 5,
      });
      expect((run!.details as { rejected: unknown[] }).rejected).toEqual(first.rejected);

      // The cursor stayed before the first page with a problem: the next run reports them again
      // (downloading only those), rather than forgetting them.
      expect(readCursor(ws.db, sim.url)).toBeNull();
      const second = await sync(sim, ws);
      expect(second).toMatchObject({
        bundlesAdded: 0,
        bundlesPresent: 5,
        rejected: first.rejected,
        missing: first.missing,
      });
      expect(second.bytesDownloaded).toBe(
        sim.catalog[2]!.descriptor.size + sim.catalog[4]!.descriptor.size,
      );

      // Support hands over the genuine files of the tampered and missing days; the foreign-key
      // bundle still answers with its own (other) digest and stays rejected.
      const trust = { ...loadTrust(sim.trustStore), explicit: true };
      for (const i of [2, 6]) {
        const outcome = await importBundleFile(ws, originalFile(sim, i), {
          trust: trust.trust,
          trustSource: trust.source,
          source: 'file',
        });
        expect(outcome.status).toBe('imported');
      }
      const third = await sync(sim, ws);
      expect(third.rejected.map((r) => r.bundleId)).toEqual([ids[4]]);
      expect(third.missing).toEqual([]);
      expect(readCursor(ws.db, sim.url)).not.toBeNull(); // the first page (days 0-2) is settled now
    } finally {
      ws.close();
    }
  });

  it('archived bundles (beyond retention) are reported as archived, not errors, and passed by the cursor', async () => {
    const { sim, ws } = await setup({ seed: 'archived', retentionDays: 3 });
    try {
      const archived = sim.descriptors().filter((d) => d.archived);
      expect(archived.length).toBeGreaterThan(2);
      const report = await sync(sim, ws);
      expect(report.status).toBe('completed');
      expect(report.archived.map((a) => a.bundleId)).toEqual(archived.map((a) => a.id));
      expect(report.archived[0]).toMatchObject({
        periodStart: archived[0]!.periodStart,
        entryCount: archived[0]!.entryCount,
        reason: expect.stringMatching(/retention: ask Otesse support for the bundle file/),
      });
      expect(report.bundlesAdded).toBe(8 - archived.length);
      expect(listSyncRuns(ws.db)[0]).toMatchObject({
        status: 'completed',
        archived: archived.length,
      });
      const again = await sync(sim, ws);
      expect(again.archived).toEqual([]);
      expect(again.bundlesListed).toBe(2); // only the last page, after the cursor
    } finally {
      ws.close();
    }
  });
});

describe('server keys and tokens', () => {
  it('a server key with another public key under a pinned id stops the sync before any download', async () => {
    const { sim, ws } = await setup({ seed: 'rogue', faults: 'rogue-key=1' });
    try {
      const error = await sync(sim, ws).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuditDeskError);
      expect((error as AuditDeskError).kind).toBe('rejected');
      expect((error as Error).message).toMatch(
        /^server signing key "otesse-sim-1" does not match the trust store/,
      );
      expect(bundleCount(ws)).toBe(0);
      expect(listSyncRuns(ws.db)[0]).toMatchObject({ status: 'failed', errorKind: 'rejected' });
    } finally {
      ws.close();
    }
  });

  it('a server whose keys are all unknown to the trust store is refused, naming them', async () => {
    const { sim, ws } = await setup({ seed: 'unknown-keys' });
    const otherStore = join(root.path, 'other-trust.json');
    writeFileSync(otherStore, serializeTrustStore([makeKey('someone-else').trusted]));
    try {
      await expect(sync(sim, ws, { trustStore: otherStore })).rejects.toThrow(
        /^none of the server's signing keys chains to the trust store \(server signing key "otesse-sim-1" is not in the trust store\)/,
      );
      expect(bundleCount(ws)).toBe(0);
    } finally {
      ws.close();
    }
  });

  it('another tenant’s key under the same id is caught as a mismatch, not trusted by its id', async () => {
    const { sim, ws } = await setup({ seed: 'same-id' });
    const other = await setup({ seed: 'another-tenant', days: 1, perDay: 1 });
    other.ws.close();
    try {
      await expect(sync(sim, ws, { trustStore: other.sim.trustStore })).rejects.toThrow(
        /^server signing key "otesse-sim-1" does not match the trust store/,
      );
    } finally {
      ws.close();
    }
  });

  it('after a key rotation the trust store lacks: a clear warning, and the new key’s bundles rejected', async () => {
    const { sim, ws } = await setup({ seed: 'rotation', rotationDay: 5 });
    try {
      const keys = JSON.parse(readFileSync(sim.trustStore, 'utf8')) as {
        version: 1;
        keys: { keyId: string }[];
      };
      const oldOnly = join(root.path, 'old-key-only.json');
      writeFileSync(
        oldOnly,
        JSON.stringify({ version: 1, keys: keys.keys.filter((k) => k.keyId === 'otesse-sim-1') }),
      );
      const report = await sync(sim, ws, { trustStore: oldOnly });
      expect(report.keyWarnings).toEqual([
        'server signing key "otesse-sim-2" is not in the trust store',
      ]);
      expect(report.bundlesAdded).toBe(5);
      expect(report.rejected.map((r) => r.cause)).toEqual([
        'unknown_key',
        'unknown_key',
        'unknown_key',
      ]);
      // With both keys pinned, the next sync completes the population.
      const full = await sync(sim, ws);
      expect(full).toMatchObject({ status: 'completed', bundlesAdded: 3, keyWarnings: [] });
      expect(computeCoverage(ws, Date.parse(sim.now())).complete).toBe(true);
    } finally {
      ws.close();
    }
  });

  it('401 and 403 are one clear line each, without the token', async () => {
    const { sim, ws } = await setup({ seed: 'auth', days: 1 });
    try {
      const wrong = 'tok_wrong_0123456789abcdef';
      const e401 = (await sync(sim, ws, { token: wrong }).catch((e: unknown) => e)) as Error;
      expect(e401.message).toMatch(/^token rejected by the Otesse API at 127\.0\.0\.1:\d+ \(401\)/);
      expect(e401.message).not.toContain(wrong);
      const e403 = (await sync(sim, ws, { token: sim.tokenWithoutScope }).catch(
        (e: unknown) => e,
      )) as Error;
      expect(e403.message).toMatch(/^token lacks audit scope \(403\)/);
      expect(e403.message).not.toContain(sim.tokenWithoutScope);
      expect(listSyncRuns(ws.db).map((r) => r.status)).toEqual(['failed', 'failed']);
    } finally {
      ws.close();
    }
  });

  it('an unreachable API is a runtime error naming the host, after the retries', async () => {
    const { sim, ws } = await setup({ seed: 'gone', days: 1 });
    const trustStore = join(root.path, 'gone-trust.json');
    writeFileSync(trustStore, readFileSync(sim.trustStore));
    await sim.close();
    try {
      const error = (await sync(sim, ws, { trustStore }).catch(
        (e: unknown) => e,
      )) as AuditDeskError;
      expect(error.kind).toBe('runtime');
      expect(error.message).toMatch(
        /^GET \/v1\/audit\/keys: cannot connect to 127\.0\.0\.1:\d+ \(connection refused\) \(gave up after 4 attempts; run sync again later\)$/,
      );
    } finally {
      ws.close();
    }
  });
});

describe('resuming a partial download left by an earlier run', () => {
  function leavePartial(
    ws: Workspace,
    sim: SimServer,
    i: number,
    bytes: Buffer,
    etag: string | null,
  ) {
    const { descriptor } = sim.catalog[i]!;
    const files = partialFiles(ws.dir, descriptor.id);
    writeFileSync(files.data, bytes);
    writeMeta(files, { etag, size: descriptor.size, sha256: descriptor.sha256 });
  }
  function head(path: string, n: number): Buffer {
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(n);
      readSync(fd, buffer, 0, n, 0);
      return buffer;
    } finally {
      closeSync(fd);
    }
  }
  const total = (sim: SimServer) => sim.catalog.reduce((n, b) => n + b.descriptor.size, 0);

  it('resumes with Range + If-Range (206) and downloads only the rest', async () => {
    const { sim, ws } = await setup({ seed: 'resume', days: 3 });
    try {
      leavePartial(ws, sim, 1, head(sim.catalog[1]!.path, 1000), sim.catalog[1]!.etag);
      const report = await sync(sim, ws);
      expect(report).toMatchObject({ status: 'completed', bundlesAdded: 3 });
      expect(report.bytesDownloaded).toBe(total(sim) - 1000);
      expect(readdirSync(join(ws.dir, 'downloads'))).toEqual([]);
    } finally {
      ws.close();
    }
  });

  it('starts over cleanly when the server answers 200 (the ETag no longer matches), or the ETag is weak', async () => {
    const { sim, ws } = await setup({ seed: 'restart', days: 3 });
    try {
      leavePartial(ws, sim, 0, Buffer.alloc(700, 0x41), '"stale-etag"');
      leavePartial(ws, sim, 1, head(sim.catalog[1]!.path, 500), `W/${sim.catalog[1]!.etag}`);
      const report = await sync(sim, ws);
      expect(report).toMatchObject({ status: 'completed', bundlesAdded: 3 });
      expect(report.bytesDownloaded).toBe(total(sim));
    } finally {
      ws.close();
    }
  });

  it('a corrupt partial file under the right ETag is caught by the sha256 and fetched again whole', async () => {
    const { sim, ws } = await setup({ seed: 'corrupt', days: 3 });
    try {
      leavePartial(ws, sim, 2, Buffer.alloc(900, 0x20), sim.catalog[2]!.etag);
      const report = await sync(sim, ws);
      expect(report).toMatchObject({ status: 'completed', bundlesAdded: 3, rejected: [] });
      expect(report.bytesDownloaded).toBe(total(sim) - 900 + sim.catalog[2]!.descriptor.size);
    } finally {
      ws.close();
    }
  });

  it('partial files of bundles the workspace meanwhile holds are removed', async () => {
    const { sim, ws } = await setup({ seed: 'stale-partial', days: 2 });
    try {
      const trust = { ...loadTrust(sim.trustStore), explicit: true };
      await importBundleFile(ws, originalFile(sim, 0), {
        trust: trust.trust,
        trustSource: trust.source,
        source: 'file',
      });
      leavePartial(ws, sim, 0, Buffer.alloc(10), sim.catalog[0]!.etag);
      const report = await sync(sim, ws);
      expect(report).toMatchObject({ bundlesAdded: 1, bundlesPresent: 1 });
      expect(existsSync(partialFiles(ws.dir, sim.catalog[0]!.descriptor.id).data)).toBe(false);
    } finally {
      ws.close();
    }
  });
});

describe('audit-desk sync (the command)', () => {
  async function runCommand(values: Record<string, string | boolean>, token: string | undefined) {
    const saved = process.env[TOKEN_ENV];
    if (token === undefined) delete process.env[TOKEN_ENV];
    else process.env[TOKEN_ENV] = token;
    try {
      return await syncCommand.run({ values, positionals: [] });
    } finally {
      if (saved === undefined) delete process.env[TOKEN_ENV];
      else process.env[TOKEN_ENV] = saved;
    }
  }

  it('--json has bundlesAdded, entriesAdded, rejected[] (and more); exit 1 when something was rejected; no token anywhere', async () => {
    const { sim, dir, ws } = await setup({ seed: 'cli', days: 4, faults: 'tamper=1' });
    ws.close();
    const result = await runCommand(
      { api: sim.url, workspace: dir, trust: sim.trustStore, json: true },
      sim.token,
    );
    expect(result.exitCode).toBe(1);
    expect(result.json).toMatchObject({
      apiUrl: sim.url,
      status: 'completed_with_problems',
      bundlesAdded: 3,
      entriesAdded: sim
        .descriptors()
        .filter((_, i) => i !== 1)
        .reduce((n, d) => n + d.entryCount, 0),
      rejected: [{ bundleId: sim.catalog[1]!.descriptor.id, cause: 'payload_digest' }],
      archived: [],
      missing: [],
      keyWarnings: [],
    });
    expect(result.text).toMatch(/^REJECTED {2}\S+ {2}payload_digest: /m);
    expect(result.text).toMatch(
      /3 bundles added \(\d+ entries\), 0 already present, from http:\/\/127\.0\.0\.1:\d+ into /,
    );
    const printed = JSON.stringify(result.json) + result.text;
    expect(printed).not.toContain(sim.token);
    for (const name of readdirSync(dir)) {
      if (name === 'downloads' || name === 'index') continue;
      expect(readFileSync(join(dir, name)).includes(Buffer.from(sim.token)), name).toBe(false);
    }
  });

  it('exit 0 when all synced; a missing token is a usage error; a rejected token a runtime error', async () => {
    const { sim, dir, ws } = await setup({ seed: 'cli-ok', days: 2 });
    ws.close();
    const ok = await runCommand({ api: sim.url, workspace: dir, trust: sim.trustStore }, sim.token);
    expect(ok.exitCode).toBe(0);
    const noToken = await runCommand(
      { api: sim.url, workspace: dir, trust: sim.trustStore },
      undefined,
    ).catch((e: unknown) => e);
    expect(noToken).toMatchObject({
      kind: 'usage',
      message: `${TOKEN_ENV} is not set: export an Otesse API token with the audit scope`,
    });
    const bad = await runCommand(
      { api: sim.url, workspace: dir, trust: sim.trustStore },
      'tok_nope_1234567890',
    ).catch((e: unknown) => e);
    expect(bad).toMatchObject({
      kind: 'runtime',
      message: expect.stringMatching(/^token rejected/),
    });
    expect((bad as Error).message).not.toContain('tok_nope');
    const creds = await runCommand(
      { api: 'https://user:pw@api.otesse.com', workspace: dir },
      sim.token,
    ).catch((e: unknown) => e);
    expect(creds).toMatchObject({ kind: 'usage' });
  });
});
