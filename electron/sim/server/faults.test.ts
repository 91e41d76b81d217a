// Faults of the simulator server: the spec parser, each transport fault observed over real HTTP,
// determinism for a seed, and the scenario faults (tampered, foreign-key, missing bundle, rogue key).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiErrorSchema, apiKeysSchema, type BundlePage } from '../../../shared/otesse-api';
import { verifyBundleFile } from '../../core/bundle/read-file';
import { loadTrustStore } from '../../core/bundle/trust-store';
import { FaultSpecError, NO_FAULTS, parseFaults } from './faults';
import { FOREIGN_KEY_ID } from './scenario';
import { startSimServer, type SimServer, type SimServerOptions } from './server';
import { bearer, get, json, type RawResponse } from './test-helpers';

const SMALL = { days: 6, perDay: 20 } as const;

async function withServer<T>(
  options: SimServerOptions,
  run: (sim: SimServer) => Promise<T>,
): Promise<T> {
  const sim = await startSimServer({ seed: 'faults', ...SMALL, ...options });
  try {
    return await run(sim);
  } finally {
    await sim.close();
  }
}

const bundlePath = (sim: SimServer, i: number) =>
  `/v1/audit/bundles/${sim.catalog[i]!.descriptor.id}`;
const biggest = (sim: SimServer) =>
  sim.catalog.reduce(
    (best, b, i) => (b.descriptor.size > sim.catalog[best]!.descriptor.size ? i : best),
    0,
  );

/** A short signature of a response: what a client would observe. */
function outcome(r: RawResponse): string {
  if (r.status === 0) return `error:${r.error ?? ''}`;
  return r.aborted ? `${r.status}:cut@${r.body.length}` : `${r.status}:${r.body.length}`;
}

describe('parseFaults', () => {
  it('parses every fault', () => {
    const spec = parseFaults(
      ' latency=25, 429=0.2,500=0.1 ,503=.05,reset=0,cut=1,cut-at=300,retry-after=2,retry-after-form=date,tamper=3|2026-03-09,foreign-key=20260306T130000Z-0123456789ab,missing=5,rogue-key=1,',
    );
    expect(spec).toEqual({
      latencyMs: 25,
      rates: { '429': 0.2, '500': 0.1, '503': 0.05, reset: 0, cut: 1 },
      cutAt: 300,
      retryAfterSeconds: 2,
      retryAfterForm: 'date',
      tamper: ['3', '2026-03-09'],
      foreignKey: ['20260306T130000Z-0123456789ab'],
      missing: ['5'],
      rogueKey: true,
    });
    expect(parseFaults('')).toEqual(NO_FAULTS);
  });

  it.each([
    ['nope=1', /unknown fault "nope"/],
    ['429', /name=value/],
    ['429=1.5', /rate from 0 to 1/],
    ['500=-0.1', /rate from 0 to 1/],
    ['cut=x', /rate from 0 to 1/],
    ['latency=fast', /whole number/],
    ['latency=0.5', /whole number/],
    ['429=0.1,429=0.2', /given twice/],
    ['tamper=yesterday', /day index, local date/],
    ['tamper=2,missing=2', /two scenario faults/],
    ['retry-after-form=soon', /retry-after-form/],
    ['rogue-key=maybe', /rogue-key/],
  ])('refuses %s', (spec, message) => {
    expect(() => parseFaults(spec)).toThrow(FaultSpecError);
    expect(() => parseFaults(spec)).toThrow(message);
  });

  it('refuses a selector that matches no bundle when the server starts', async () => {
    await expect(
      startSimServer({ seed: 'faults', days: 3, perDay: 2, faults: 'missing=7' }),
    ).rejects.toThrow(/matches no bundle/);
  });
});

describe('transport faults', () => {
  it('429 carries Retry-After in seconds or as an HTTP date', async () => {
    for (const form of ['seconds', 'date'] as const) {
      await withServer({ faults: `429=1,retry-after=3,retry-after-form=${form}` }, async (sim) => {
        const before = Date.now();
        const r = await get(sim, '/v1/audit/keys', bearer(sim.token));
        expect(r.status).toBe(429);
        expect(apiErrorSchema.parse(json(r)).error.code).toBe('rate_limited');
        const value = String(r.headers['retry-after']);
        if (form === 'seconds') expect(value).toBe('3');
        else {
          expect(value).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
          const wait = Date.parse(value) - before;
          expect(wait).toBeGreaterThanOrEqual(2_000);
          expect(wait).toBeLessThanOrEqual(5_000);
        }
      });
    }
    await withServer({ faults: '429=1' }, async (sim) => {
      const forms = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const r = await get(sim, '/v1/audit/keys', bearer(sim.token));
        forms.add(/^\d+$/.test(String(r.headers['retry-after'])) ? 'seconds' : 'date');
      }
      expect([...forms].sort()).toEqual(['date', 'seconds']);
    });
  });

  it.each([
    ['500', 500],
    ['503', 503],
  ])('%s answers with a server_error body', async (fault, status) => {
    await withServer({ faults: `${fault}=1` }, async (sim) => {
      for (const path of ['/v1/audit/bundles', '/v1/audit/keys', bundlePath(sim, 0)]) {
        const r = await get(sim, path, bearer(sim.token));
        expect(r.status).toBe(status);
        expect(apiErrorSchema.parse(json(r)).error.code).toBe('server_error');
      }
      expect(sim.faultLog.map((e) => e.fault)).toEqual([fault, fault, fault]);
    });
  });

  it('reset drops the connection without a response', async () => {
    await withServer({ faults: 'reset=1' }, async (sim) => {
      const r = await get(sim, bundlePath(sim, 0), bearer(sim.token));
      expect(r.status).toBe(0);
      expect(r.error).toBe('ECONNRESET');
    });
  });

  it('cut ends the body after exactly cut-at bytes, for full and ranged downloads', async () => {
    await withServer({ faults: 'cut=1,cut-at=300' }, async (sim) => {
      const i = biggest(sim);
      const bytes = readFileSync(sim.catalog[i]!.path);
      const full = await get(sim, bundlePath(sim, i), bearer(sim.token));
      expect(full.status).toBe(200);
      expect(full.aborted).toBe(true);
      expect(full.body.equals(bytes.subarray(0, 300))).toBe(true);
      const ranged = await get(sim, bundlePath(sim, i), {
        ...bearer(sim.token),
        range: 'bytes=1000-',
      });
      expect(ranged.status).toBe(206);
      expect(ranged.aborted).toBe(true);
      expect(ranged.body.equals(bytes.subarray(1000, 1300))).toBe(true);
      const listing = await get(sim, '/v1/audit/bundles', bearer(sim.token));
      expect(listing.aborted).toBe(true);
      expect(listing.body.length).toBe(300);
      expect(sim.faultLog.filter((e) => e.fault === 'cut').map((e) => e.sent)).toEqual([
        300, 300, 300,
      ]);
    });
  });

  it('cut at a random offset never delivers a whole body, and errors are never cut', async () => {
    await withServer({ faults: 'cut=1' }, async (sim) => {
      const i = biggest(sim);
      const size = sim.catalog[i]!.descriptor.size;
      const lengths = new Set<number>();
      for (let n = 0; n < 8; n++) {
        const r = await get(sim, bundlePath(sim, i), bearer(sim.token));
        expect(r.aborted).toBe(true);
        expect(r.body.length).toBeLessThan(size);
        lengths.add(r.body.length);
      }
      expect(lengths.size).toBeGreaterThan(1);
      const notFound = await get(
        sim,
        '/v1/audit/bundles/20260306T130000Z-000000000000',
        bearer(sim.token),
      );
      expect(notFound.aborted).toBe(false);
      expect(notFound.status).toBe(404);
    });
  });

  it('latency delays every response', async () => {
    await withServer({ faults: 'latency=150' }, async (sim) => {
      const start = performance.now();
      const r = await get(sim, '/v1/audit/keys', bearer(sim.token));
      expect(r.status).toBe(200);
      expect(performance.now() - start).toBeGreaterThanOrEqual(140);
    });
  });

  it('auth is checked before faults: a bad token always gets 401', async () => {
    await withServer({ faults: '500=1,reset=1' }, async (sim) => {
      expect((await get(sim, '/v1/audit/keys', bearer('bad'))).status).toBe(401);
    });
  });

  it('draws the same faults for the same seed and requests, and other faults for another seed', async () => {
    const spec = '429=0.2,500=0.25,503=0.1,reset=0.1,cut=0.2';
    const run = (seed: string) =>
      withServer({ seed, faults: spec }, async (sim) => {
        const seen: string[] = [];
        for (let n = 0; n < 4; n++) {
          for (let i = 0; i < sim.catalog.length; i++)
            seen.push(outcome(await get(sim, bundlePath(sim, i), bearer(sim.token))));
          seen.push(outcome(await get(sim, '/v1/audit/bundles?limit=2', bearer(sim.token))));
        }
        return seen;
      });
    const [a, b, c] = [await run('faults'), await run('faults'), await run('other-seed')];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    // Each fault kind shows up, and clean answers too.
    const kinds = new Set(a.map((o) => (o.includes('cut@') ? 'cut' : o.split(':')[0])));
    for (const kind of ['200', '429', '500', '503', 'error', 'cut']) expect(kinds).toContain(kind);
  });

  it('draws per URL and attempt, whatever other requests run in between', async () => {
    const spec = '429=0.3,500=0.2,cut=0.3';
    const attempt = async (sim: SimServer, i: number) =>
      outcome(await get(sim, bundlePath(sim, i), bearer(sim.token)));
    const sequential = await withServer({ faults: spec }, async (sim) => {
      const out: string[] = [];
      for (let n = 0; n < 5; n++) out.push(await attempt(sim, 1));
      return out;
    });
    const interleaved = await withServer({ faults: spec }, async (sim) => {
      const out: string[] = [];
      for (let n = 0; n < 5; n++) {
        await get(sim, bundlePath(sim, 2), bearer(sim.token));
        await get(sim, '/v1/audit/keys', bearer(sim.token));
        out.push(await attempt(sim, 1));
      }
      return out;
    });
    expect(interleaved).toEqual(sequential);
  });

  it('rates are rates: 429=0.5 hits about half of 200 requests', async () => {
    await withServer({ faults: '429=0.5' }, async (sim) => {
      let limited = 0;
      for (let n = 0; n < 200; n++)
        if ((await get(sim, '/v1/audit/keys', bearer(sim.token))).status === 429) limited++;
      expect(limited).toBeGreaterThan(70);
      expect(limited).toBeLessThan(130);
    });
  });
});

describe('scenario faults', () => {
  it('serves a tampered, a foreign-key and a missing bundle; the rest verify', async () => {
    await withServer({ faults: 'tamper=1|4,foreign-key=2026-03-09,missing=3' }, async (sim) => {
      const trust = loadTrustStore(sim.trustStore);
      const page = json<BundlePage>(await get(sim, '/v1/audit/bundles', bearer(sim.token)));
      expect(page.bundles).toHaveLength(6);
      const causes: string[] = [];
      for (const [i, d] of page.bundles.entries()) {
        const r = await get(sim, `/v1/audit/bundles/${d.id}`, bearer(sim.token));
        if (sim.catalog[i]!.scenario === 'missing') {
          expect(r.status).toBe(404);
          expect(apiErrorSchema.parse(json(r)).error.message).toMatch(
            /listed but its file is missing/,
          );
          causes.push('missing');
          continue;
        }
        expect(r.status).toBe(200);
        expect(r.body.length).toBe(d.size);
        const verdict = verifyBundleFile(sim.catalog[i]!.path, { trust });
        expect(readFileSync(sim.catalog[i]!.path).equals(r.body)).toBe(true);
        causes.push(verdict.valid ? 'valid' : verdict.cause);
      }
      // Day 1 has entries (a payload byte changes); the scenario names are by index and by date.
      expect(sim.catalog.map((b) => b.day)[2]).toBe('2026-03-09');
      expect(causes[0]).toBe('valid');
      expect(causes[1]).toBe('payload_digest');
      expect(causes[2]).toBe('unknown_key');
      expect(causes[3]).toBe('missing');
      expect(['payload_digest', 'signature']).toContain(causes[4]);
      expect(causes[5]).toBe('valid');
      // The foreign signer is not advertised.
      const { keys } = apiKeysSchema.parse(
        json(await get(sim, '/v1/audit/keys', bearer(sim.token))),
      );
      expect(keys.map((k) => k.keyId)).not.toContain(FOREIGN_KEY_ID);
    });
  });

  it('tampers an empty bundle through its signature', async () => {
    await withServer({ days: 2, perDay: 0, anomalies: false, faults: 'tamper=1' }, async (sim) => {
      expect(sim.catalog[1]!.descriptor.entryCount).toBe(0);
      const verdict = verifyBundleFile(sim.catalog[1]!.path, {
        trust: loadTrustStore(sim.trustStore),
      });
      expect(verdict.valid ? 'valid' : verdict.cause).toBe('signature');
      // The manifest is untouched: same digest and id as the bundle that was signed.
      const original = verifyBundleFile(`${sim.dir}/${sim.catalog[1]!.fileName}`, {
        trust: loadTrustStore(sim.trustStore),
      });
      expect(original.valid && original.bundleId).toBe(sim.catalog[1]!.descriptor.id);
    });
  });

  it('leaves the written trail untouched: scenario bundles are copies', async () => {
    await withServer({ faults: 'tamper=0,foreign-key=1' }, async (sim) => {
      const trust = loadTrustStore(sim.trustStore);
      for (const b of sim.catalog.slice(0, 2)) {
        expect(b.path).not.toContain(`${sim.dir}/ten_`);
        const original = `${sim.dir}/${b.fileName}`;
        expect(verifyBundleFile(original, { trust }).valid).toBe(true);
      }
    });
  });

  it('rogue-key advertises a key that does not match the trust store', async () => {
    await withServer({ faults: 'rogue-key=1' }, async (sim) => {
      const { keys } = apiKeysSchema.parse(
        json(await get(sim, '/v1/audit/keys', bearer(sim.token))),
      );
      const pinned = JSON.parse(readFileSync(sim.trustStore, 'utf8')) as {
        keys: { keyId: string; publicKey: string }[];
      };
      expect(keys[0]!.keyId).toBe(pinned.keys[0]!.keyId);
      expect(keys[0]!.publicKey).not.toBe(pinned.keys[0]!.publicKey);
    });
  });
});

describe('no faults', () => {
  it('NO_FAULTS is inert', async () => {
    await withServer({}, async (sim) => {
      for (let n = 0; n < 20; n++)
        expect((await get(sim, bundlePath(sim, 0), bearer(sim.token))).status).toBe(200);
      expect(sim.faultLog).toEqual([]);
    });
  });
});
