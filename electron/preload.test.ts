// The preload with Electron's contextBridge, ipcRenderer and webUtils faked: one frozen object with
// version, api and onMenuCommand (no ipcRenderer), calls on the allowlisted channels, dropped files
// by path (never exposed), bytes otherwise, only well-formed events and commands passed on.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditApi } from '../shared/api';
import { CHANNELS, type MenuCommand } from './bridge-protocol';

type Listener = (event: unknown, value: unknown) => void;
const exposed = new Map<string, unknown>();
const listeners = new Map<string, Set<Listener>>();
const invoked: unknown[][] = [];
const paths = new WeakMap<object, string>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => {
      invoked.push(args);
      return { ok: true, value: null };
    },
    on: (channel: string, l: Listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)?.add(l);
    },
    removeListener: (channel: string, l: Listener) => listeners.get(channel)?.delete(l),
  },
  webUtils: { getPathForFile: (file: object) => paths.get(file) ?? '' },
}));

function emit(channel: string, value: unknown): void {
  for (const l of [...(listeners.get(channel) ?? [])]) l({}, value);
}

interface Bridge {
  version: string;
  api: AuditApi;
  onMenuCommand(listener: (c: MenuCommand) => void): () => void;
}
let bridge: Bridge;

beforeAll(async () => {
  vi.stubGlobal('__AUDIT_DESK_VERSION__', '9.8.7');
  await import('./preload');
  // A command sent before the page listens (a double-clicked bundle at start-up).
  emit(CHANNELS.menuCommand, { command: 'open-files', files: [{ kind: 'picked', token: 't1' }] });
  bridge = exposed.get('auditDesk') as Bridge;
});

describe('window.auditDesk', () => {
  it('is one frozen object with version, api and onMenuCommand only', () => {
    expect([...exposed.keys()]).toEqual(['auditDesk']);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.isFrozen(bridge.api)).toBe(true);
    expect(Object.keys(bridge).sort()).toEqual(['api', 'onMenuCommand', 'version']);
    expect(Object.keys(bridge.api).sort()).toEqual(['call', 'subscribe', 'upload']);
    expect(bridge.version).toBe('9.8.7');
    expect(JSON.stringify(Object.keys(bridge))).not.toContain('ipc');
  });

  it('sends calls on the call channel', async () => {
    invoked.length = 0;
    await bridge.api.call('listWorkspaces', {});
    expect(invoked).toEqual([[CHANNELS.call, 'listWorkspaces', {}]]);
  });

  it('hands a file backed by disk over by path, anything else by bytes', async () => {
    invoked.length = 0;
    const dropped = new File([new Uint8Array([1, 2])], 'day1.otbundle');
    paths.set(dropped, '/home/ana/day1.otbundle');
    await bridge.api.upload('day1.otbundle', dropped);
    await bridge.api.upload('made.otbundle', new Blob([new Uint8Array([7, 8, 9])]));
    expect(invoked[0]).toEqual([CHANNELS.uploadPath, 'day1.otbundle', '/home/ana/day1.otbundle']);
    expect(invoked[1]?.slice(0, 2)).toEqual([CHANNELS.upload, 'made.otbundle']);
    expect([...(invoked[1]?.[2] as Uint8Array)]).toEqual([7, 8, 9]);
  });

  it('passes job events to subscribers until they unsubscribe, dropping malformed ones', () => {
    const seen: unknown[] = [];
    const stop = bridge.api.subscribe((e) => seen.push(e.jobId));
    emit(CHANNELS.jobEvent, { jobId: 'job_1', state: 'running' });
    emit(CHANNELS.jobEvent, 'garbage');
    stop();
    emit(CHANNELS.jobEvent, { jobId: 'job_2' });
    expect(seen).toEqual(['job_1']);
  });

  it('gives the first menu listener the commands that came early, then only valid ones', () => {
    const seen: MenuCommand[] = [];
    const stop = bridge.onMenuCommand((c) => seen.push(c));
    emit(CHANNELS.menuCommand, { command: 'set-theme', theme: 'dark' });
    emit(CHANNELS.menuCommand, { command: 'set-theme', theme: 'neon' });
    emit(CHANNELS.menuCommand, { command: 'rm -rf' });
    stop();
    emit(CHANNELS.menuCommand, { command: 'export' });
    expect(seen).toEqual([
      { command: 'open-files', files: [{ kind: 'picked', token: 't1' }] },
      { command: 'set-theme', theme: 'dark' },
    ]);
  });
});

describe('preload bundle', () => {
  it('imports nothing at run time but electron and the zod-free channel table', () => {
    // A sandboxed preload can require only `electron`: no zod, no Node modules.
    const valueImports = (file: string) =>
      [
        ...readFileSync(new URL(file, import.meta.url), 'utf8').matchAll(
          /^import (?!type )[^;]*? from '([^']+)'/gm,
        ),
      ].map((m) => m[1]);
    expect(valueImports('./preload.ts').sort()).toEqual(['./bridge-protocol', 'electron']);
    expect(valueImports('./bridge-protocol.ts')).toEqual([]);
  });
});
