// The simulator server over real HTTP on 127.0.0.1: auth, pagination, ETag/Range/If-Range byte for
// byte, 410 beyond retention, keys with rotation, and that it serves the files writeTrail wrote.
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiErrorSchema,
  apiKeysSchema,
  bundlePageSchema,
  type BundleDescriptor,
} from '../../../shared/otesse-api';
import { verifyBundleFile } from '../../core/bundle/read-file';
import { loadTrustStore } from '../../core/bundle/trust-store';
import { startSimServer, type SimServer } from './server';
import { allPages, bearer, get, json } from './test-helpers';

const DAY_MS = 86_400_000;
let sim: SimServer;
let rotated: SimServer;
const auth = () => bearer(sim.token);

beforeAll(async () => {
  [sim, rotated] = await Promise.all([
    startSimServer({ seed: 'server-test', days: 12, perDay: 30 }),
    startSimServer({
      seed: 'server-rotation',
      days: 6,
      perDay: 10,
      rotationDay: 3,
      retentionDays: 2,
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([sim.close(), rotated.close()]);
});

function expectApiError(body: Buffer, code: string): void {
  const parsed = apiErrorSchema.parse(JSON.parse(body.toString('utf8')));
  expect(parsed.error.code).toBe(code);
}

describe('auth', () => {
  it('binds to 127.0.0.1 only', () => {
    // The socket itself, not the URL string the server builds.
    expect(sim.address()).toMatchObject({ address: '127.0.0.1', family: 'IPv4', port: sim.port });
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
  });

  // Headers built when the test runs: the table itself is evaluated before beforeAll starts `sim`.
  it.each([
    ['no header', () => ({})],
    ['a wrong token', () => bearer('nope')],
    ['another scheme', () => ({ authorization: `Basic ${sim.token}` })],
    ['an empty bearer', () => ({ authorization: 'Bearer ' })],
  ])('answers 401 for %s', async (_, headersOf) => {
    const headers = headersOf();
    expect(JSON.stringify(headers)).not.toContain('undefined');
    for (const path of [
      '/v1/audit/bundles',
      '/v1/audit/keys',
      `/v1/audit/bundles/${sim.catalog[0]!.descriptor.id}`,
    ]) {
      const response = await get(sim, path, headers);
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
      expectApiError(response.body, 'unauthorized');
    }
  });

  it('answers 403 for the token without the audit scope', async () => {
    expect(sim.tokenWithoutScope).not.toBe(sim.token);
    for (const path of [
      '/v1/audit/bundles',
      '/v1/audit/keys',
      `/v1/audit/bundles/${sim.catalog[0]!.descriptor.id}`,
    ]) {
      const response = await get(sim, path, bearer(sim.tokenWithoutScope));
      expect(response.status).toBe(403);
      expect(response.headers['www-authenticate']).toContain('insufficient_scope');
      expectApiError(response.body, 'forbidden');
    }
  });

  it('accepts the token, with a case-insensitive scheme', async () => {
    expect(
      (await get(sim, '/v1/audit/keys', { authorization: `bearer ${sim.token}` })).status,
    ).toBe(200);
  });

  it('is read-only and 404s unknown paths with an error body', async () => {
    const post = await get(sim, '/v1/audit/bundles', auth(), 'POST');
    expect(post.status).toBe(405);
    expectApiError(post.body, 'bad_request');
    const missing = await get(sim, '/v1/audit/nothing', auth());
    expect(missing.status).toBe(404);
    expectApiError(missing.body, 'not_found');
  });
});

describe('GET /v1/audit/bundles', () => {
  it.each([1, 5, 7, 12, 100, 1000])(
    'walks every bundle exactly once in period order with limit %i',
    async (limit) => {
      const pages = await allPages(sim, limit);
      for (const page of pages) expect(bundlePageSchema.safeParse(page).success).toBe(true);
      const listed = pages.flatMap((p) => p.bundles);
      expect(listed.map((b) => b.id)).toEqual(sim.catalog.map((b) => b.descriptor.id));
      expect(pages).toHaveLength(Math.max(1, Math.ceil(12 / limit)));
      expect(pages.at(-1)!.nextCursor).toBeNull();
      for (const page of pages.slice(0, -1)) expect(page.bundles).toHaveLength(limit);
    },
  );

  it('describes each bundle by the file served', async () => {
    const listed = (await allPages(sim, 100)).flatMap((p) => p.bundles);
    let prevEnd: string | null = null;
    for (const [i, d] of listed.entries()) {
      const bytes = readFileSync(sim.catalog[i]!.path);
      expect(d.size).toBe(bytes.length);
      expect(d.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      const verdict = verifyBundleFile(sim.catalog[i]!.path, {
        trust: loadTrustStore(sim.trustStore),
      });
      expect(verdict.valid).toBe(true);
      if (!verdict.valid) continue;
      expect(d.digest).toBe(verdict.digest);
      expect(d.id).toBe(verdict.bundleId);
      expect([d.firstSeq, d.lastSeq, d.entryCount]).toEqual([
        verdict.manifest.firstSeq,
        verdict.manifest.lastSeq,
        verdict.manifest.entryCount,
      ]);
      if (prevEnd !== null) expect(d.periodStart).toBe(prevEnd);
      prevEnd = d.periodEnd;
      expect(d.archived).toBe(false);
    }
    expect(listed.reduce((n, d) => n + d.entryCount, 0)).toBe(sim.entries);
  });

  it.each(['0', '1001', '-1', '1.5', 'ten', ''])('answers 400 for limit=%s', async (limit) => {
    const response = await get(sim, `/v1/audit/bundles?limit=${limit}`, auth());
    expect(response.status).toBe(400);
    expectApiError(response.body, 'bad_request');
  });

  it('answers 400 for a cursor it did not issue', async () => {
    const [first] = await allPages(sim, 3);
    const good = first!.nextCursor!;
    const forged = [
      '',
      'garbage',
      good.slice(0, -2),
      Buffer.from('c1:5:20260306T130000Z-000000000000').toString('base64url'),
      Buffer.from(`c1:99:${sim.catalog[2]!.descriptor.id}`).toString('base64url'),
      `${good}=`,
    ];
    for (const cursor of forged) {
      const response = await get(
        sim,
        `/v1/audit/bundles?after=${encodeURIComponent(cursor)}`,
        auth(),
      );
      expect(response.status, cursor).toBe(400);
      expectApiError(response.body, 'bad_request');
    }
    const ok = await get(sim, `/v1/audit/bundles?after=${good}&limit=2`, auth());
    expect(json<{ bundles: BundleDescriptor[] }>(ok).bundles[0]!.id).toBe(
      sim.catalog[3]!.descriptor.id,
    );
  });
});

describe('GET /v1/audit/bundles/{id}', () => {
  const bundle = () => sim.catalog.find((b) => b.descriptor.entryCount > 10)!;
  const path = () => `/v1/audit/bundles/${bundle().descriptor.id}`;
  const bytes = () => readFileSync(bundle().path);

  it('serves the bytes with a strong ETag and Last-Modified', async () => {
    const response = await get(sim, path(), auth());
    expect(response.status).toBe(200);
    expect(response.body.equals(bytes())).toBe(true);
    expect(response.headers.etag).toBe(`"${bundle().descriptor.sha256}"`);
    expect(response.headers['accept-ranges']).toBe('bytes');
    expect(Number(response.headers['content-length'])).toBe(bytes().length);
    expect(response.headers['last-modified']).toMatch(/ GMT$/);
    const head = await get(sim, path(), auth(), 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers.etag).toBe(response.headers.etag);
  });

  it('answers 304 to If-None-Match with the current ETag', async () => {
    const response = await get(sim, path(), { ...auth(), 'if-none-match': bundle().etag });
    expect(response.status).toBe(304);
    expect(response.body.length).toBe(0);
  });

  it('honours single byte ranges byte for byte', async () => {
    const all = bytes();
    const size = all.length;
    const cases: [string, number, number][] = [
      ['bytes=0-0', 0, 0],
      ['bytes=0-99', 0, 99],
      ['bytes=100-', 100, size - 1],
      [`bytes=${size - 1}-`, size - 1, size - 1],
      ['bytes=-25', size - 25, size - 1],
      [`bytes=-${size + 10}`, 0, size - 1],
      [`bytes=10-${size + 1000}`, 10, size - 1],
      [`bytes=17-4242`, 17, 4242],
    ];
    for (const [range, start, end] of cases) {
      const response = await get(sim, path(), { ...auth(), range });
      expect(response.status, range).toBe(206);
      expect(response.headers['content-range'], range).toBe(`bytes ${start}-${end}/${size}`);
      expect(response.body.equals(all.subarray(start, end + 1)), range).toBe(true);
      expect(response.headers.etag).toBe(bundle().etag);
    }
  });

  it('answers 416 with Content-Range */size when the range starts past the end', async () => {
    const size = bytes().length;
    for (const range of [`bytes=${size}-`, `bytes=${size + 5}-${size + 9}`, 'bytes=-0']) {
      const response = await get(sim, path(), { ...auth(), range });
      expect(response.status, range).toBe(416);
      expect(response.headers['content-range']).toBe(`bytes */${size}`);
      expectApiError(response.body, 'bad_request');
    }
  });

  it('ignores ranges it does not honour and sends the whole bundle', async () => {
    for (const range of ['bytes=0-1,5-6', 'items=0-5', 'bytes=9-3', 'bytes=abc', 'bytes=-']) {
      const response = await get(sim, path(), { ...auth(), range });
      expect(response.status, range).toBe(200);
      expect(response.body.equals(bytes())).toBe(true);
    }
  });

  it('honours Range only when If-Range is the current strong ETag or the exact Last-Modified', async () => {
    const all = bytes();
    const resumed = await get(sim, path(), {
      ...auth(),
      range: 'bytes=500-',
      'if-range': bundle().etag,
    });
    expect(resumed.status).toBe(206);
    expect(resumed.body.equals(all.subarray(500))).toBe(true);
    const byDate = await get(sim, path(), {
      ...auth(),
      range: 'bytes=500-',
      'if-range': bundle().lastModified,
    });
    expect(byDate.status).toBe(206);
    for (const ifRange of ['"0000"', `W/${bundle().etag}`, 'Mon, 01 Jan 2024 00:00:00 GMT']) {
      const changed = await get(sim, path(), {
        ...auth(),
        range: 'bytes=500-',
        'if-range': ifRange,
      });
      expect(changed.status, ifRange).toBe(200);
      expect(changed.headers['content-range']).toBeUndefined();
      expect(changed.body.equals(all)).toBe(true);
    }
  });

  it('answers 404 for an unknown bundle id, also one with a malformed percent-encoding', async () => {
    for (const id of ['20260306T130000Z-000000000000', '%E0%A4%A', '%', 'a%zz']) {
      const response = await get(sim, `/v1/audit/bundles/${id}`, auth());
      expect(response.status, id).toBe(404);
      expectApiError(response.body, 'not_found');
    }
  });
});

describe('retention', () => {
  it('lists bundles beyond retention as archived and answers 410 with a support message', async () => {
    const listed = (await allPages(rotated, 2)).flatMap((p) => p.bundles);
    const now = Date.parse(rotated.now());
    const expected = listed.map((d) => Date.parse(d.periodEnd) + 2 * DAY_MS <= now);
    expect(listed.map((d) => d.archived)).toEqual(expected);
    expect(expected.filter(Boolean).length).toBeGreaterThan(0);
    expect(expected.filter((a) => !a).length).toBeGreaterThan(0);
    for (const d of listed) {
      const response = await get(rotated, `/v1/audit/bundles/${d.id}`, bearer(rotated.token));
      if (!d.archived) {
        expect(response.status).toBe(200);
        continue;
      }
      expect(response.status).toBe(410);
      const body = apiErrorSchema.parse(JSON.parse(response.body.toString('utf8')));
      expect(body.error.code).toBe('archived');
      expect(body.error.message).toMatch(/archived/);
      expect(body.error.message).toMatch(/support/);
    }
  });

  it('measures retention against the simulated clock, not the wall clock', async () => {
    // With the default clock and the plan's retention, a 12-day trail has nothing archived.
    expect(sim.now()).toBe(new Date(sim.catalog.at(-1)!.issuedAtMs).toISOString());
    expect(sim.descriptors().some((d) => d.archived)).toBe(false);
    const later = await startSimServer({
      seed: 'server-test',
      days: 3,
      perDay: 5,
      now: '2036-01-01T00:00:00Z',
    });
    try {
      expect(later.descriptors().every((d) => d.archived)).toBe(true);
    } finally {
      await later.close();
    }
  });
});

describe('GET /v1/audit/keys', () => {
  it('lists the signing keys of the trust store, with the rotation instant', async () => {
    const response = await get(rotated, '/v1/audit/keys', bearer(rotated.token));
    expect(response.status).toBe(200);
    const { keys } = apiKeysSchema.parse(json(response));
    const trust = JSON.parse(readFileSync(rotated.trustStore, 'utf8')) as {
      keys: { keyId: string; publicKey: string }[];
    };
    expect(keys.map((k) => [k.keyId, k.publicKey])).toEqual(
      trust.keys.map((k) => [k.keyId, k.publicKey]),
    );
    expect(keys.map((k) => k.keyId)).toEqual(['otesse-sim-1', 'otesse-sim-2']);
    expect(rotated.rotatedAt).not.toBeNull();
    expect(keys[0]!.validTo).toBe(rotated.rotatedAt);
    expect(keys[1]!.validFrom).toBe(rotated.rotatedAt);
    const signers = rotated.catalog.map(
      (b) => JSON.parse(readFileSync(b.path).toString('utf8').split('\n')[1]!).manifest.keyId,
    );
    expect(signers).toEqual([
      'otesse-sim-1',
      'otesse-sim-1',
      'otesse-sim-1',
      'otesse-sim-2',
      'otesse-sim-2',
      'otesse-sim-2',
    ]);
  });

  it('lists one key without rotation', async () => {
    const { keys } = apiKeysSchema.parse(json(await get(sim, '/v1/audit/keys', auth())));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ keyId: 'otesse-sim-1', validFrom: null, validTo: null });
  });
});

describe('publishing and cleanup', () => {
  it('publishes bundles over time; a cursor from before stays valid', async () => {
    const live = await startSimServer({ seed: 'server-live', days: 5, perDay: 5, published: 2 });
    try {
      const first = json<{ bundles: BundleDescriptor[]; nextCursor: string | null }>(
        await get(live, '/v1/audit/bundles?limit=1', bearer(live.token)),
      );
      expect(first.nextCursor).not.toBeNull();
      const unpublished = await get(
        live,
        `/v1/audit/bundles/${live.catalog[3]!.descriptor.id}`,
        bearer(live.token),
      );
      expect(unpublished.status).toBe(404);
      expect((await allPages(live, 10)).flatMap((p) => p.bundles)).toHaveLength(2);
      live.publish(2);
      const rest = json<{ bundles: BundleDescriptor[] }>(
        await get(live, `/v1/audit/bundles?after=${first.nextCursor}`, bearer(live.token)),
      );
      expect(rest.bundles.map((b) => b.id)).toEqual(
        live.catalog.slice(1, 4).map((b) => b.descriptor.id),
      );
    } finally {
      await live.close();
    }
    expect(existsSync(live.dir)).toBe(false);
  });
});
