// Browser mode's guards over real HTTP on 127.0.0.1: the per-run token, the Host check against DNS
// rebinding, the Origin check, security headers, static files that cannot leave their folder, body
// limits, and single-use download capabilities.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/api';
import { startBrowserServer, type BrowserServer } from '../../electron/server';
import { tempDir } from '../helpers/bundles';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: unlike fetch, it sends the path and Host header exactly as given. */
function raw(
  server: BrowserServer,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const { port } = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: Number(port),
        path,
        method: options.method ?? 'GET',
        headers: { Host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const auth = (server: BrowserServer) => ({ Authorization: `Bearer ${server.token}` });

let dir: { path: string; remove(): void };
let server: BrowserServer;

beforeAll(async () => {
  dir = tempDir('audit-desk-server-security-');
  const renderer = join(dir.path, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Audit Desk</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(renderer, '.hidden'), 'hidden');
  writeFileSync(join(dir.path, 'secret.txt'), 'SECRET-OUTSIDE');
  symlinkSync(join(dir.path, 'secret.txt'), join(renderer, 'assets', 'link.txt'));
  server = await startBrowserServer({
    home: join(dir.path, 'home'),
    rendererDir: renderer,
    demo: false,
  });
});

afterAll(async () => {
  await server.close();
  dir.remove();
});

describe('browser-mode server guards', () => {
  it('listens on 127.0.0.1 only and prints the token in the fragment', () => {
    expect(new URL(server.origin).hostname).toBe('127.0.0.1');
    expect(server.url).toBe(`${server.origin}/#token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(40);
  });

  it('answers the API only with the token (401)', async () => {
    const noToken = await raw(server, '/api/call/appInfo', { method: 'POST', body: '{}' });
    expect(noToken.status).toBe(401);
    expect(noToken.body).not.toContain(server.token);
    const wrong = await raw(server, '/api/call/appInfo', {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token.slice(0, -1)}x` },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
    expect((await raw(server, '/api/events')).status).toBe(401);
    expect((await raw(server, '/api/upload?name=a', { method: 'POST', body: 'x' })).status).toBe(
      401,
    );
    const good = await raw(server, '/api/call/appInfo', {
      method: 'POST',
      headers: auth(server),
      body: '{}',
    });
    expect(good.status).toBe(200);
    expect(JSON.parse(good.body)).toMatchObject({ ok: true, value: { mode: 'browser' } });
  });

  it('refuses a Host other than 127.0.0.1:PORT or localhost:PORT (403, DNS rebinding)', async () => {
    const { port } = new URL(server.origin);
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      '127.0.0.1',
      `127.0.0.1:${Number(port) + 1}`,
    ]) {
      const page = await raw(server, '/', { headers: { Host: host } });
      expect(page.status, host).toBe(403);
      const api = await raw(server, '/api/call/appInfo', {
        method: 'POST',
        headers: { Host: host, ...auth(server) },
        body: '{}',
      });
      expect(api.status, host).toBe(403);
    }
    expect((await raw(server, '/', { headers: { Host: `localhost:${port}` } })).status).toBe(200);
  });

  it('refuses a foreign Origin (403) and accepts its own', async () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:1`]) {
      const api = await raw(server, '/api/call/appInfo', {
        method: 'POST',
        headers: { Origin: origin, ...auth(server) },
        body: '{}',
      });
      expect(api.status, origin).toBe(403);
    }
    const cross = await raw(server, '/api/call/appInfo', {
      method: 'POST',
      headers: { 'Sec-Fetch-Site': 'cross-site', ...auth(server) },
      body: '{}',
    });
    expect(cross.status).toBe(403);
    const own = await raw(server, '/api/call/appInfo', {
      method: 'POST',
      headers: { Origin: server.origin, ...auth(server) },
      body: '{}',
    });
    expect(own.status).toBe(200);
  });

  it('sends the CSP and security headers on pages and the API; no-store on the API', async () => {
    const page = await raw(server, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-frame-options']).toBe('DENY');
    const api = await raw(server, '/api/call/appInfo', {
      method: 'POST',
      headers: auth(server),
      body: '{}',
    });
    expect(api.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(api.headers['cache-control']).toBe('no-store');
    expect(api.headers['content-type']).toMatch(/^application\/json/);
  });

  it('serves the renderer and the app page for unknown routes', async () => {
    expect((await raw(server, '/assets/app.js')).body).toBe('console.log(1)');
    expect((await raw(server, '/assets/app.js')).headers['content-type']).toMatch(
      /^text\/javascript/,
    );
    expect((await raw(server, '/workspaces/ws_1')).body).toContain('<title>Audit Desk</title>');
    expect((await raw(server, '/assets/missing.js')).status).toBe(404);
  });

  it('never serves a file outside the renderer folder (path traversal)', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/%2e%2e%5csecret.txt',
      '/assets/link.txt',
      '/.hidden',
      '/index.html%00.js',
      '/%E0%A4%A',
      '//etc/passwd',
      '/C:%5cWindows%5cwin.ini',
    ];
    for (const path of attempts) {
      const answer = await raw(server, path);
      expect(answer.body, path).not.toContain('SECRET-OUTSIDE');
      expect(answer.body, path).not.toContain('hidden');
      expect(answer.body, path).not.toContain('root:');
      expect([400, 404, 200], path).toContain(answer.status);
      if (answer.status === 200) expect(answer.body, path).toContain('<title>Audit Desk</title>');
    }
  });

  it('refuses other methods on static files and unknown API paths', async () => {
    expect((await raw(server, '/', { method: 'POST' })).status).toBe(405);
    expect((await raw(server, '/api/call/appInfo', { headers: auth(server) })).status).toBe(405);
    expect(
      (await raw(server, '/api/nothing', { method: 'POST', headers: auth(server) })).status,
    ).toBe(404);
    const unknown = await raw(server, '/api/call/dropTables', {
      method: 'POST',
      headers: auth(server),
      body: '{}',
    });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });

  it('answers 413 for a call body over the limit, without reading it', async () => {
    const answer = await raw(server, '/api/call/appInfo', {
      method: 'POST',
      headers: { ...auth(server), 'Content-Length': String(65 * 1024 * 1024) },
    }).catch(() => null);
    if (answer !== null) expect(answer.status).toBe(413);
  });

  it('answers invalid_request for a body that is not JSON', async () => {
    const answer = await raw(server, '/api/call/listWorkspaces', {
      method: 'POST',
      headers: auth(server),
      body: '{not json',
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });

  it('hands out download capabilities that work once, without the token', async () => {
    const file = join(server.service.context.files.temp(), 'pack.zip');
    writeFileSync(file, 'PACK-BYTES');
    const url = server.service.context.downloads.offer(file, 'evidence "pack".zip');
    expect(url).toMatch(/^\/api\/download\/[A-Za-z0-9_-]{32}$/);
    const first = await raw(server, url);
    expect(first.status).toBe(200);
    expect(first.body).toBe('PACK-BYTES');
    expect(first.headers['content-disposition']).toContain('attachment');
    expect(first.headers['cache-control']).toBe('no-store');
    const second = await raw(server, url);
    expect(second.status).toBe(404);
    expect((await raw(server, '/api/download/guessed-id')).status).toBe(404);
    const { port } = new URL(server.origin);
    const other = server.service.context.downloads.offer(file, 'x.zip');
    expect((await raw(server, other, { headers: { Host: `evil.example:${port}` } })).status).toBe(
      403,
    );
  });
});
