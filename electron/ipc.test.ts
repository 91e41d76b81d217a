// The IPC handlers with only Electron's edges faked (ipcMain, the invoke event's sender and frame):
// foreign senders and frames are refused, unknown methods never reach the backend, requests are
// validated by the real dispatch with the shared schemas, dropped paths become tokens.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiResult } from '../shared/api';
import { dispatch, type Handlers } from './core/app/dispatch';
import { CHANNELS } from './bridge-protocol';
import { isAppUrl, registerAuditIpc, trustedSender, type AuditBackend } from './ipc';

const dir = mkdtempSync(join(tmpdir(), 'audit-desk-ipc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const rendererHtml = join(dir, 'out', 'renderer', 'index.html');
const appUrl = pathToFileURL(rendererHtml).href;

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<ApiResult<unknown>>;

/** Fake ipcMain: records handlers by channel. */
function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: (channel: string, handler: Handler) => void handlers.set(channel, handler),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
}

interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
  routingId: number;
}

function fakeContents(url = appUrl) {
  const mainFrame: FakeFrame = { url, parent: null, routingId: 1 };
  return { mainFrame, isDestroyed: () => false, send: () => {} };
}

function eventFrom(contents: unknown, frame: FakeFrame | null): IpcMainInvokeEvent {
  return { sender: contents, senderFrame: frame } as unknown as IpcMainInvokeEvent;
}

// The real dispatch over a recording `search` handler: validation is the shared schemas'.
const searched: unknown[] = [];
const handlers = {
  search: (request: unknown) => {
    searched.push(request);
    return { total: 0, entries: [], nextBefore: null, expansions: [], typoTolerance: true };
  },
} as unknown as Handlers;

function setup() {
  const ipcMain = fakeIpcMain();
  const contents = fakeContents();
  const picked: string[] = [];
  const uploads: { name: string; size: number }[] = [];
  const calls: string[] = [];
  const backend: AuditBackend = {
    call: (method, raw) => {
      calls.push(method);
      return dispatch(handlers, method, raw);
    },
    upload: async (name, bytes) => {
      uploads.push({ name, size: bytes.byteLength });
      return { ok: true, value: { kind: 'upload', uploadId: 'up_1' } };
    },
    addPicked: (path) => {
      picked.push(path);
      return `tok_${picked.length}`;
    },
  };
  const refusals: string[] = [];
  registerAuditIpc({
    ipcMain,
    backend,
    isTrustedSender: trustedSender(() => contents as unknown as WebContents, { rendererHtml }),
    onRefused: (channel) => refusals.push(channel),
  });
  const invoke = (channel: string, event: IpcMainInvokeEvent, ...args: unknown[]) => {
    const handler = ipcMain.handlers.get(channel);
    if (!handler) throw new Error(`no handler on ${channel}`);
    return handler(event, ...args);
  };
  const fromApp = () => eventFrom(contents, contents.mainFrame);
  return { ipcMain, contents, picked, uploads, calls, refusals, invoke, fromApp };
}

const validSearch = { workspaceId: 'ws_1', query: 'user:dana', limit: 10 };

beforeEach(() => {
  searched.length = 0;
});

describe('audit:call', () => {
  it('runs a valid call from our page through dispatch', async () => {
    const t = setup();
    const result = await t.invoke(CHANNELS.call, t.fromApp(), 'search', validSearch);
    expect(result).toMatchObject({ ok: true, value: { total: 0 } });
    expect(searched).toEqual([validSearch]);
  });

  it('refuses another web contents (another window)', async () => {
    const t = setup();
    const other = fakeContents();
    const result = await t.invoke(
      CHANNELS.call,
      eventFrom(other, other.mainFrame),
      'search',
      validSearch,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(t.calls).toEqual([]);
    expect(t.refusals).toEqual([CHANNELS.call]);
  });

  it('refuses a sub-frame of our window (an iframe)', async () => {
    const t = setup();
    const iframe: FakeFrame = { url: appUrl, parent: t.contents.mainFrame, routingId: 2 };
    const result = await t.invoke(
      CHANNELS.call,
      eventFrom(t.contents, iframe),
      'search',
      validSearch,
    );
    expect(result.ok).toBe(false);
    expect(t.calls).toEqual([]);
  });

  it('refuses our window once its top frame shows another page, or has no frame', async () => {
    const t = setup();
    t.contents.mainFrame.url = 'https://evil.example/';
    expect((await t.invoke(CHANNELS.call, t.fromApp(), 'search', validSearch)).ok).toBe(false);
    t.contents.mainFrame.url = appUrl;
    expect(
      (await t.invoke(CHANNELS.call, eventFrom(t.contents, null), 'search', validSearch)).ok,
    ).toBe(false);
    expect(t.calls).toEqual([]);
  });

  it('refuses unknown and non-string methods before the backend', async () => {
    const t = setup();
    for (const method of ['constructor', '__proto__', 'toString', 'eval', 42, null]) {
      const result = await t.invoke(CHANNELS.call, t.fromApp(), method, {});
      expect(result).toEqual({
        ok: false,
        error: { code: 'invalid_request', message: 'unknown method' },
      });
    }
    expect(t.calls).toEqual([]);
  });

  it('answers invalid_request for a request that breaks the schema, without running it', async () => {
    const t = setup();
    const bad = [
      { ...validSearch, limit: 5000 },
      { ...validSearch, sql: 'DROP TABLE entries' },
      { workspaceId: '', query: '', limit: 1 },
      'search everything',
      null,
    ];
    for (const request of bad) {
      const result = await t.invoke(CHANNELS.call, t.fromApp(), 'search', request);
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
    expect(searched).toEqual([]);
  });

  it('turns a throwing backend into a runtime failure without internals', async () => {
    const ipcMain = fakeIpcMain();
    const contents = fakeContents();
    registerAuditIpc({
      ipcMain,
      backend: {
        call: () => Promise.reject(new Error('SQLITE_CORRUPT at /home/ana/secret/ws.db')),
        upload: () => Promise.reject(new Error('x')),
        addPicked: () => 't',
      },
      isTrustedSender: trustedSender(() => contents as unknown as WebContents, { rendererHtml }),
    });
    const handler = ipcMain.handlers.get(CHANNELS.call)!;
    const result = await handler(eventFrom(contents, contents.mainFrame), 'search', validSearch);
    expect(result).toMatchObject({ ok: false, error: { code: 'runtime' } });
    expect(JSON.stringify(result)).not.toContain('/home/ana');
  });

  it('removes its handlers when asked', () => {
    const ipcMain = fakeIpcMain();
    const remove = registerAuditIpc({
      ipcMain,
      backend: {
        call: async () => ({ ok: true, value: null }),
        upload: async () => ({ ok: true, value: { kind: 'upload', uploadId: 'u' } }),
        addPicked: () => 't',
      },
      isTrustedSender: () => true,
    });
    expect([...ipcMain.handlers.keys()].sort()).toEqual(
      [CHANNELS.call, CHANNELS.upload, CHANNELS.uploadPath].sort(),
    );
    remove();
    expect(ipcMain.handlers.size).toBe(0);
  });
});

describe('audit:upload and audit:upload-path', () => {
  it('passes bytes with a name to the backend, refuses anything else', async () => {
    const t = setup();
    const ok = await t.invoke(
      CHANNELS.upload,
      t.fromApp(),
      'day1.otbundle',
      new Uint8Array([1, 2, 3]),
    );
    expect(ok).toEqual({ ok: true, value: { kind: 'upload', uploadId: 'up_1' } });
    expect(t.uploads).toEqual([{ name: 'day1.otbundle', size: 3 }]);
    expect((await t.invoke(CHANNELS.upload, t.fromApp(), 'x', 'not bytes')).ok).toBe(false);
    expect((await t.invoke(CHANNELS.upload, t.fromApp(), '', new Uint8Array(1))).ok).toBe(false);
    expect(
      (await t.invoke(CHANNELS.upload, t.fromApp(), 'y'.repeat(300), new Uint8Array(1))).ok,
    ).toBe(false);
    const other = fakeContents();
    expect(
      (await t.invoke(CHANNELS.upload, eventFrom(other, other.mainFrame), 'a', new Uint8Array(1)))
        .ok,
    ).toBe(false);
    expect(t.uploads).toHaveLength(1);
  });

  it('registers an existing dropped file as a picked token; the answer holds no path', async () => {
    const t = setup();
    const file = join(dir, 'dropped.otbundle');
    writeFileSync(file, 'bytes');
    const result = await t.invoke(CHANNELS.uploadPath, t.fromApp(), 'dropped.otbundle', file);
    expect(result).toEqual({ ok: true, value: { kind: 'picked', token: 'tok_1' } });
    expect(JSON.stringify(result)).not.toContain(dir);
    expect(t.picked).toEqual([file]);
  });

  it('refuses relative paths, folders and missing files', async () => {
    const t = setup();
    for (const path of ['relative.otbundle', dir, join(dir, 'missing.otbundle'), 42]) {
      const result = await t.invoke(CHANNELS.uploadPath, t.fromApp(), 'a.otbundle', path);
      expect(result.ok).toBe(false);
    }
    expect(t.picked).toEqual([]);
  });
});

describe('isAppUrl', () => {
  const location = { rendererHtml, devServerUrl: 'http://localhost:5173/' };
  it('accepts our index.html with any hash or query, and the dev server origin', () => {
    expect(isAppUrl(appUrl, location)).toBe(true);
    expect(isAppUrl(`${appUrl}#/workspace/ws_1`, location)).toBe(true);
    expect(isAppUrl('http://localhost:5173/some/route', location)).toBe(true);
  });
  it('refuses other files, hosts, schemes and the dev server when not in development', () => {
    expect(isAppUrl(pathToFileURL(join(dir, 'evil.html')).href, location)).toBe(false);
    expect(isAppUrl('file://server/share/index.html', location)).toBe(false);
    expect(isAppUrl('http://localhost:5174/', location)).toBe(false);
    expect(isAppUrl('https://evil.example/', location)).toBe(false);
    expect(isAppUrl('about:blank', location)).toBe(false);
    expect(isAppUrl('not a url', location)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', { rendererHtml })).toBe(false);
  });
});
