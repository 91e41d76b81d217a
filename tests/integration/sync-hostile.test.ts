// Sync against a hostile Otesse API, over real HTTP on 127.0.0.1 (helpers/hostile-server.ts): a
// server that never lets a download finish, lists for ever, echoes the token back, names one
// bundle and serves another, or stalls, must make the sync stop (or report) with a clean one-line
// error, in bounded time, with the token nowhere and the cursor not moved past what it lacks.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listSyncRuns,
  readCursor,
  seededRandom,
  syncWorkspace,
  type RetryPolicy,
  type SyncClock,
  type SyncEvent,
  type SyncReport,
} from '../../electron/core/sync';
import { openWorkspace, type Workspace } from '../../electron/core/workspace/database';
import { loadTrust } from '../../electron/core/workspace/trust';
import { startSimServer, type SimServer } from '../../electron/sim/server';
import { tempDir } from '../helpers/bundles';
import {
  filesUnder,
  sendJson,
  simBytes,
  simDescriptor,
  simKeys,
  startHostileServer,
  tokenOf,
  type HostileHandler,
  type HostileServer,
} from './helpers/hostile-server';
import { runCli } from './helpers/workspace';

let root: { path: string; remove(): void };
let sim: SimServer;
const servers: HostileServer[] = [];
const workspaces: Workspace[] = [];
beforeAll(async () => {
  root = tempDir('audit-desk-sync-hostile-');
  sim = await startSimServer({ seed: 'hostile', days: 3, perDay: 5 });
});
afterAll(async () => {
  for (const ws of workspaces) ws.close();
  await Promise.all(servers.map((s) => s.close()));
  await sim.close();
  root.remove();
});

const TOKEN = 'tok_SECRET_abcdefghijklmnopqrstuvwxyz_0123456789';

const instantClock = (): SyncClock => ({
  now: () => Date.now(),
  random: seededRandom(1),
  sleep: (_ms, signal) =>
    signal?.aborted ? Promise.reject(new Error('aborted')) : Promise.resolve(),
});

let wsCount = 0;
interface Outcome {
  report?: SyncReport;
  error?: string;
  events: SyncEvent[];
  ws: Workspace;
  server: HostileServer;
}

async function syncAgainst(
  handler: HostileHandler,
  options: { retry?: Partial<RetryPolicy>; pageLimit?: number; maxListedBundles?: number } = {},
): Promise<Outcome> {
  const server = await startHostileServer(handler);
  servers.push(server);
  const ws = openWorkspace(join(root.path, `ws${++wsCount}`), { create: true });
  workspaces.push(ws);
  const events: SyncEvent[] = [];
  const out: Outcome = { events, ws, server };
  try {
    out.report = await syncWorkspace({
      ws,
      apiUrl: server.url,
      token: TOKEN,
      trust: { ...loadTrust(sim.trustStore), explicit: true },
      onProgress: (e) => events.push(e),
      clock: instantClock(),
      retry: { timeoutMs: 5_000, ...options.retry },
      ...(options.pageLimit === undefined ? {} : { pageLimit: options.pageLimit }),
      ...(options.maxListedBundles === undefined
        ? {}
        : { maxListedBundles: options.maxListedBundles }),
    });
  } catch (error) {
    out.error = (error as Error).message;
  }
  return out;
}

/** Keys and a one-bundle listing from the simulator; `bundle` answers the bundle's GET. */
function oneBundle(
  bundle: (res: Parameters<HostileHandler>[2], n: number) => void,
): HostileHandler {
  return (url, _req, res, n) => {
    if (url.pathname.endsWith('/keys')) return sendJson(res, 200, simKeys(sim));
    if (url.pathname.endsWith('/bundles'))
      return sendJson(res, 200, { bundles: [simDescriptor(sim, 0)], nextCursor: null });
    bundle(res, n);
  };
}

describe('a download that never gets further', () => {
  it('gives up on a server that always sends the same short body (Range ignored)', async () => {
    let gets = 0;
    const { error, ws } = await syncAgainst(
      oneBundle((res) => {
        gets++;
        const bytes = simBytes(sim, 0).subarray(0, simDescriptor(sim, 0).size - 10);
        res.writeHead(200, { etag: sim.catalog[0]!.etag, 'content-length': bytes.length });
        res.end(bytes);
      }),
      { retry: { maxAttempts: 4 } },
    );
    expect(error).toMatch(/body ended after .* \(gave up after 4 attempts; run sync again later\)/);
    expect(gets).toBe(4);
    expect(listSyncRuns(ws.db)[0]!.status).toBe('failed');
  });

  it('gives up on a server that cuts every response at the same byte', async () => {
    let gets = 0;
    const { error } = await syncAgainst(
      oneBundle((res) => {
        gets++;
        const bytes = simBytes(sim, 0);
        res.writeHead(200, { etag: sim.catalog[0]!.etag, 'content-length': bytes.length });
        res.write(bytes.subarray(0, 100), () => res.destroy());
      }),
      { retry: { maxAttempts: 4 } },
    );
    expect(error).toMatch(/gave up after 4 attempts/);
    // 4, or 5 when the first cut came before any byte reached the client.
    expect(gets).toBeGreaterThanOrEqual(4);
    expect(gets).toBeLessThanOrEqual(5);
  });

  it('gives up on a server that alternates a short body and 416', async () => {
    let gets = 0;
    const { error } = await syncAgainst(
      oneBundle((res) => {
        gets++;
        if (gets % 2 === 0) return sendJson(res, 416, {});
        const bytes = simBytes(sim, 0).subarray(0, 100);
        res.writeHead(200, { etag: sim.catalog[0]!.etag, 'content-length': bytes.length });
        res.end(bytes);
      }),
      { retry: { maxAttempts: 4 } },
    );
    expect(error).toMatch(/gave up after 4 attempts/);
    expect(gets).toBe(4);
  });

  it('caps the attempts in all even for a server that creeps forward', async () => {
    let gets = 0;
    const { error } = await syncAgainst(
      oneBundle((res) => {
        gets++;
        // One more byte each time, from zero (Range ignored): progress, but never the whole file.
        const bytes = simBytes(sim, 0).subarray(0, gets);
        res.writeHead(200, { etag: sim.catalog[0]!.etag, 'content-length': bytes.length });
        res.end(bytes);
      }),
      { retry: { maxAttempts: 3, maxTotalAttempts: 10 } },
    );
    expect(error).toMatch(/gave up after 10 attempts/);
    expect(gets).toBe(10);
  });
});

describe('a listing that never ends', () => {
  const keysOr = (page: (url: URL, n: number) => unknown): HostileHandler => {
    return (url, _req, res, n) => {
      if (url.pathname.endsWith('/keys')) return sendJson(res, 200, simKeys(sim));
      sendJson(res, 200, page(url, n));
    };
  };

  it('refuses an empty page with a next cursor', async () => {
    const { error, server, ws } = await syncAgainst(
      keysOr((_url, n) => ({ bundles: [], nextCursor: `c${n}` })),
    );
    expect(error).toBe('the API returned an empty page with a next cursor; listing stopped');
    expect(server.requests()).toBe(2);
    expect(listSyncRuns(ws.db)[0]!.error).toBe(error);
  });

  it('refuses a page with more bundles than asked for', async () => {
    const bundles = [0, 1, 2].map((i) => simDescriptor(sim, i));
    const { error } = await syncAgainst(
      keysOr(() => ({ bundles, nextCursor: null })),
      {
        pageLimit: 2,
      },
    );
    expect(error).toBe('the API returned 3 bundles for a page of at most 2; listing stopped');
  });

  it('refuses a cursor longer than 200 characters', async () => {
    const { error } = await syncAgainst(
      keysOr(() => ({ bundles: [simDescriptor(sim, 0)], nextCursor: 'c'.repeat(201) })),
    );
    expect(error).toMatch(/^GET \/v1\/audit\/bundles returned an unexpected response/);
  });

  it('stops, with one line, a listing that brings new bundles for ever', async () => {
    const { error, server } = await syncAgainst(
      keysOr((_url, n) => ({
        bundles: [simDescriptor(sim, n % sim.catalog.length)],
        nextCursor: `c${n}`,
      })),
      { maxListedBundles: 50 },
    );
    expect(error).toBe('the API listed more than 50 bundles in one run; listing stopped');
    expect(server.requests()).toBe(52);
  });
});

describe('a server that echoes the token back', () => {
  /** Neither the token nor a telling start of it, anywhere the run could have put it. */
  function expectNoToken(out: Outcome, ...more: string[]): void {
    const texts = [
      JSON.stringify(out.events),
      JSON.stringify(out.report ?? null),
      out.error ?? '',
      JSON.stringify(listSyncRuns(out.ws.db)),
      JSON.stringify(readCursor(out.ws.db, out.server.url)),
      ...more,
    ];
    for (const piece of [TOKEN, TOKEN.slice(0, 12)]) {
      for (const text of texts) expect(text).not.toContain(piece);
      for (const file of filesUnder(out.ws.dir))
        expect(file.bytes.includes(piece), file.path).toBe(false);
    }
  }

  it('in a key id, whole or cut where it is quoted: no token in events, report, run or files', async () => {
    const out = await syncAgainst((url, req, res) => {
      const tok = tokenOf(req);
      const base = simKeys(sim).keys[0]!;
      if (url.pathname.endsWith('/keys'))
        return sendJson(res, 200, {
          keys: [
            ...simKeys(sim).keys,
            { ...base, keyId: `x-${tok}` },
            { ...base, keyId: `${'k'.repeat(100)}${tok}` },
          ],
        });
      sendJson(res, 200, { bundles: [], nextCursor: null });
    });
    expect(out.error).toBeUndefined();
    expect(out.report!.keyWarnings).toHaveLength(2);
    expect(out.report!.keyWarnings[0]).toContain('[redacted token]');
    expectNoToken(out);
  });

  it('in the CLI output (text and --json)', async () => {
    const server = await startHostileServer((url, req, res) => {
      if (url.pathname.endsWith('/keys'))
        return sendJson(res, 200, {
          keys: [...simKeys(sim).keys, { ...simKeys(sim).keys[0]!, keyId: `x-${tokenOf(req)}` }],
        });
      sendJson(res, 200, { bundles: [], nextCursor: null });
    });
    servers.push(server);
    for (const json of [false, true]) {
      const dir = join(root.path, `cli${json ? 'json' : 'text'}`);
      const result = await runCli(
        ['sync', '--api', server.url, '--workspace', dir, '--trust', sim.trustStore].concat(
          json ? ['--json'] : [],
        ),
        { env: { OTESSE_API_TOKEN: TOKEN } },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('[redacted token]');
      for (const piece of [TOKEN, TOKEN.slice(0, 12)]) {
        expect(result.stdout + result.stderr).not.toContain(piece);
        for (const file of filesUnder(dir))
          expect(file.bytes.includes(piece), file.path).toBe(false);
      }
    }
  });

  it('in an error message, across the 300-character cut', async () => {
    for (const pad of [280, 295, 299]) {
      const out = await syncAgainst((url, req, res) => {
        if (url.pathname.endsWith('/keys')) return sendJson(res, 200, simKeys(sim));
        sendJson(res, 418, {
          error: { code: 'bad_request', message: `${'x'.repeat(pad)} ${tokenOf(req)}` },
        });
      });
      expect(out.error).toMatch(/unexpected HTTP 418/);
      expectNoToken(out);
    }
  });

  it('in an archived bundle message, across the cut', async () => {
    const out = await syncAgainst(
      oneBundle((res) => {
        // `res.req` is the request this answers.
        const tok = tokenOf(res.req);
        sendJson(res, 410, { error: { code: 'archived', message: `${'x'.repeat(290)} ${tok}` } });
      }),
    );
    expect(out.report!.archived).toHaveLength(1);
    expectNoToken(out);
  });

  it('in a page cursor: refused, never stored', async () => {
    const out = await syncAgainst((url, req, res) => {
      if (url.pathname.endsWith('/keys')) return sendJson(res, 200, simKeys(sim));
      if (url.searchParams.get('after') === null)
        return sendJson(res, 200, {
          bundles: [simDescriptor(sim, 0)],
          nextCursor: `cur-${tokenOf(req)}`,
        });
      sendJson(res, 200, { bundles: [], nextCursor: null });
    });
    expect(out.error).toBe(
      'the API returned a page cursor containing the API token; listing stopped',
    );
    expect(readCursor(out.ws.db, out.server.url)).toBeNull();
    expectNoToken(out);
  });

  it('in an ETag: not written to the partial download', async () => {
    const out = await syncAgainst(
      oneBundle((res) => {
        const bytes = simBytes(sim, 0);
        res.writeHead(200, { etag: `"${tokenOf(res.req)}"`, 'content-length': bytes.length });
        res.end(bytes.subarray(0, 200));
      }),
      { retry: { maxAttempts: 2 } },
    );
    expect(out.error).toMatch(/gave up after 2 attempts/);
    const downloads = filesUnder(join(out.ws.dir, 'downloads')).map((f) => f.path);
    expect(downloads.some((p) => p.endsWith('.partial.json'))).toBe(true);
    expectNoToken(out);
  });
});

describe('a listing that names one bundle and serves another', () => {
  it('reports the listed bundle rejected (listing_mismatch) and holds the cursor', async () => {
    for (const lie of ['digest', 'id'] as const) {
      const listed = simDescriptor(sim, 1);
      const served = simDescriptor(sim, 0);
      const descriptor =
        lie === 'digest' ? { ...served, digest: 'f'.repeat(64) } : { ...served, id: listed.id };
      const out = await syncAgainst((url, _req, res) => {
        if (url.pathname.endsWith('/keys')) return sendJson(res, 200, simKeys(sim));
        if (url.pathname.endsWith('/bundles'))
          return url.searchParams.get('after') === null
            ? sendJson(res, 200, { bundles: [descriptor], nextCursor: 'page2' })
            : sendJson(res, 200, { bundles: [], nextCursor: null });
        const bytes = simBytes(sim, 0);
        res.writeHead(200, { etag: sim.catalog[0]!.etag, 'content-length': bytes.length });
        res.end(bytes);
      });
      expect(out.error).toBeUndefined();
      expect(out.report!.status).toBe('completed_with_problems');
      expect(out.report!.rejected).toEqual([
        expect.objectContaining({ bundleId: descriptor.id, cause: 'listing_mismatch' }),
      ]);
      expect(readCursor(out.ws.db, out.server.url)).toBeNull();
    }
  });
});

describe('a response with a hostile unexpected key', () => {
  it('gives a one-line, short error naming no server text, also in the run record', async () => {
    const evil = `evil\n\u001b[31mline2 ${'A'.repeat(100_000)}`;
    const out = await syncAgainst((url, _req, res) => {
      sendJson(res, 200, { ...simKeys(sim), [evil]: 1 });
    });
    expect(out.error).toBe(
      'GET /v1/audit/keys returned an unexpected response (unrecognized_keys at body)',
    );
    const recorded = listSyncRuns(out.ws.db)[0]!.error!;
    expect(recorded).toBe(out.error);
  });

  it('names the code and path of the first issue', async () => {
    const out = await syncAgainst((url, _req, res) => {
      if (url.pathname.endsWith('/keys')) return sendJson(res, 200, simKeys(sim));
      sendJson(res, 200, { bundles: 'no', nextCursor: null });
    });
    expect(out.error).toBe(
      'GET /v1/audit/bundles returned an unexpected response (invalid_type at bundles)',
    );
  });
});

describe('a server that answers too slowly', () => {
  it('cuts off a JSON answer that trickles in faster than the idle timeout (slowloris)', async () => {
    const started = Date.now();
    const out = await syncAgainst(
      (_url, _req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"keys":[');
        const timer = setInterval(() => res.write(' '), 100);
        res.on('close', () => clearInterval(timer));
      },
      { retry: { timeoutMs: 1_000, requestDeadlineMs: 1_500, maxAttempts: 2 } },
    );
    expect(out.error).toMatch(
      /^GET \/v1\/audit\/keys: .* stopped answering \(took longer than 1500 ms in all\) \(gave up after 2 attempts/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 20_000);

  it('cuts off a bundle download slower than the minimum rate', async () => {
    const started = Date.now();
    const out = await syncAgainst(
      oneBundle((res) => {
        const bytes = simBytes(sim, 0);
        res.writeHead(200, { etag: sim.catalog[0]!.etag, 'content-length': bytes.length });
        let sent = 0;
        const timer = setInterval(() => {
          if (sent < bytes.length) res.write(bytes.subarray(sent, ++sent));
        }, 20);
        res.on('close', () => clearInterval(timer));
      }),
      {
        retry: {
          timeoutMs: 500,
          minBytesPerSecond: simDescriptor(sim, 0).size, // the whole bundle in about 1.5 s
          maxTotalAttempts: 2,
        },
      },
    );
    expect(out.error).toMatch(/connection lost after \d+ of \d+ bytes \(gave up after 2 attempts/);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 20_000);

  it('does not download a bundle listed larger than 2 GiB', async () => {
    let gets = 0;
    const huge = { ...simDescriptor(sim, 0), size: 2 * 1024 ** 3 + 1 };
    const out = await syncAgainst((url, _req, res) => {
      if (url.pathname.endsWith('/keys')) return sendJson(res, 200, simKeys(sim));
      if (url.pathname.endsWith('/bundles'))
        return sendJson(res, 200, { bundles: [huge], nextCursor: null });
      gets++;
      res.end();
    });
    expect(gets).toBe(0);
    expect(out.report!.rejected).toEqual([
      expect.objectContaining({ bundleId: huge.id, cause: 'too_large' }),
    ]);
    expect(out.events.at(-1)!.counts.bytesTotal).toBe(0);
  });
});
