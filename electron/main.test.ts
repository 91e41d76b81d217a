// The main process wired end to end in Node: main.ts runs against faked Electron edges (app,
// BrowserWindow, Menu, ipcMain, screen, session, safeStorage, dialog, shell; electron-store is
// replaced by its base class conf, since it is a thin Electron wrapper) and the real app service in
// a temporary home. Checks what main promises: a secure window on our page, the IPC handlers, the
// menu, the demo workspace on first run, OS-opened bundles handed to the page as tokens.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiResult } from '../shared/api';
import { CHANNELS, type MenuCommand } from './bridge-protocol';

type Fn = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  class Emitter {
    listeners = new Map<string, Fn[]>();
    on(name: string, l: Fn) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), l]);
      return this;
    }
    once(name: string, l: Fn) {
      return this.on(name, l);
    }
    emit(name: string, ...args: unknown[]) {
      for (const l of this.listeners.get(name) ?? []) l(...args);
    }
  }
  const state = {
    userData: '',
    appPath: '',
    ready: false,
    windows: [] as FakeWindow[],
    menus: [] as unknown[],
    recentDocuments: [] as string[],
    handlers: new Map<string, Fn>(),
    ipcOn: new Map<string, Fn>(),
    cspListener: null as Fn | null,
    permissionHandler: null as Fn | null,
  };
  class FakeContents extends Emitter {
    sent: [string, unknown][] = [];
    mainFrame = { url: '', parent: null, routingId: 1 };
    isDestroyed = () => false;
    send(channel: string, value: unknown) {
      this.sent.push([channel, value]);
    }
    setWindowOpenHandler() {}
  }
  class FakeWindow extends Emitter {
    static getAllWindows = () => state.windows;
    webContents = new FakeContents();
    loaded = '';
    constructor(readonly options: Record<string, unknown>) {
      super();
      state.windows.push(this);
    }
    async loadFile(path: string) {
      this.loaded = path;
      this.webContents.mainFrame.url = `file://${path}`;
      setTimeout(() => this.webContents.emit('did-finish-load'), 0);
    }
    async loadURL() {}
    isDestroyed = () => false;
    isMinimized = () => false;
    isMaximized = () => false;
    getNormalBounds = () => ({ x: 0, y: 0, width: 1280, height: 800 });
    restore() {}
    show() {}
    focus() {}
    maximize() {}
  }
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    getAppPath: () => state.appPath,
    getPath: () => state.userData,
    setPath: () => {},
    getVersion: () => '0.1.0-test',
    enableSandbox: () => {},
    requestSingleInstanceLock: () => true,
    isReady: () => state.ready,
    whenReady: () => Promise.resolve(),
    quit: () => {},
    exit: (code: number) => {
      throw new Error(`app.exit(${code})`);
    },
    addRecentDocument: (path: string) => state.recentDocuments.push(path),
    setAboutPanelOptions: () => {},
    showAboutPanel: () => {},
  });
  const display = { workArea: { x: 0, y: 0, width: 1920, height: 1080 } };
  const nativeTheme = { themeSource: 'system' };
  return { state, app, FakeWindow, display, nativeTheme };
});

vi.mock('electron', () => {
  const key = randomBytes(32);
  return {
    app: fake.app,
    BrowserWindow: fake.FakeWindow,
    Menu: {
      buildFromTemplate: (template: unknown) => template,
      setApplicationMenu: (menu: unknown) => fake.state.menus.push(menu),
    },
    ipcMain: {
      handle: (channel: string, handler: Fn) => fake.state.handlers.set(channel, handler),
      removeHandler: (channel: string) => fake.state.handlers.delete(channel),
      on: (channel: string, l: Fn) => fake.state.ipcOn.set(channel, l),
      removeAllListeners: (channel: string) => fake.state.ipcOn.delete(channel),
    },
    screen: { getPrimaryDisplay: () => fake.display, getAllDisplays: () => [fake.display] },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Fn) => (fake.state.permissionHandler = h),
        setPermissionCheckHandler: () => {},
        setDevicePermissionHandler: () => {},
        webRequest: { onHeadersReceived: (l: Fn) => (fake.state.cspListener = l) },
      },
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString(text: string) {
        const iv = randomBytes(12);
        const c = createCipheriv('aes-256-gcm', key, iv);
        const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
        return Buffer.concat([iv, c.getAuthTag(), body]);
      },
      decryptString(data: Buffer) {
        const d = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
        d.setAuthTag(data.subarray(12, 28));
        return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8');
      },
    },
    nativeTheme: fake.nativeTheme,
    dialog: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn(), showMessageBox: vi.fn() },
    shell: { openExternal: vi.fn(async () => {}) },
  };
});

// electron-store is conf plus Electron's default paths; main always passes `cwd`.
vi.mock('electron-store', async () => {
  const { default: Conf } = await import('conf');
  return {
    default: class extends Conf<Record<string, unknown>> {
      constructor(options: { name: string; cwd: string } & Record<string, unknown>) {
        const { name, ...rest } = options;
        fake.state.ipcOn.set('electron-store-get-data', () => {});
        super({ ...rest, configName: name, projectName: 'audit-desk' });
      }
    },
  };
});

const root = join(import.meta.dirname, '..');
const home = mkdtempSync(join(tmpdir(), 'audit-desk-main-home-'));
const userData = mkdtempSync(join(tmpdir(), 'audit-desk-main-userdata-'));

function mainWindow() {
  const window = fake.state.windows[0];
  if (!window) throw new Error('no window');
  return window;
}

async function invoke(channel: string, sender: unknown, ...args: unknown[]) {
  const handler = fake.state.handlers.get(channel);
  if (!handler) throw new Error(`no handler on ${channel}`);
  const contents = sender as { mainFrame: unknown };
  return (await handler(
    { sender, senderFrame: contents.mainFrame },
    ...args,
  )) as ApiResult<unknown>;
}

function menuCommands(): MenuCommand[] {
  return mainWindow()
    .webContents.sent.filter(([channel]) => channel === CHANNELS.menuCommand)
    .map(([, value]) => value as MenuCommand);
}

beforeAll(async () => {
  fake.state.userData = userData;
  fake.state.appPath = root;
  vi.stubEnv('AUDIT_DESK_HOME', home);
  vi.stubEnv('AUDIT_DESK_TRUST', undefined);
  vi.stubEnv('ELECTRON_RENDERER_URL', undefined);
  await import('./main');
  await vi.waitFor(
    () => {
      expect(fake.state.windows).toHaveLength(1);
      expect(mainWindow().webContents.mainFrame.url).not.toBe('');
    },
    { timeout: 20_000, interval: 50 },
  );
  fake.state.ready = true;
  // let did-finish-load fire
  await new Promise((resolve) => setTimeout(resolve, 20));
}, 30_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  // Quit closes the service (databases) before the temp folders go.
  const event = { preventDefault: vi.fn() };
  fake.app.emit('before-quit', event);
  await new Promise((resolve) => setTimeout(resolve, 200));
  rmSync(home, { recursive: true, force: true });
  rmSync(userData, { recursive: true, force: true });
});

describe('main process wiring', () => {
  it('opens one locked-down window on the built page', () => {
    const window = mainWindow();
    expect(window.loaded).toBe(join(root, 'renderer', 'index.html'));
    expect(window.options['webPreferences']).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(String((window.options['webPreferences'] as { preload: string }).preload)).toMatch(
      /preload\.cjs$/,
    );
    expect(fake.state.permissionHandler).not.toBeNull();
    expect(fake.state.cspListener).not.toBeNull();
  });

  it('registers the AuditApi channels and removes electron-store’s own IPC listener', () => {
    expect([...fake.state.handlers.keys()].sort()).toEqual(
      [CHANNELS.call, CHANNELS.upload, CHANNELS.uploadPath].sort(),
    );
    expect(fake.state.ipcOn.has('electron-store-get-data')).toBe(false);
  });

  it('answers our page through the real service, with the demo workspace on first run', async () => {
    const contents = mainWindow().webContents;
    const info = await invoke(CHANNELS.call, contents, 'appInfo', {});
    expect(info).toMatchObject({
      ok: true,
      value: {
        mode: 'desktop',
        version: '0.1.0-test',
        hasApiToken: false,
        secureTokenStorage: true,
      },
    });
    expect(
      (info as { value: { demoWorkspaceId: string | null } }).value.demoWorkspaceId,
    ).not.toBeNull();
  });

  it('refuses a call from another web contents', async () => {
    const stranger = {
      mainFrame: {
        url: pathToFileURL(join(root, 'renderer', 'index.html')).href,
        parent: null,
        routingId: 1,
      },
    };
    expect(await invoke(CHANNELS.call, stranger, 'appInfo', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });

  it('sets a menu with the named items and sends their commands to the page', () => {
    const template = fake.state.menus.at(-1) as { id?: string; submenu?: unknown }[];
    const ids = JSON.stringify(template);
    for (const id of [
      'file.openBundle',
      'file.export',
      'view.theme',
      'view.columns',
      'view.timeZone',
      'help.docs',
    ]) {
      expect(ids).toContain(`"${id}"`);
    }
    const file = template.find((m) => m.id === 'file') as {
      submenu: { id?: string; click?: () => void }[];
    };
    file.submenu.find((i) => i.id === 'file.openBundle')?.click?.();
    expect(menuCommands().at(-1)).toEqual({ command: 'open-bundle' });
  });

  it('hands a bundle opened by the OS to the page as a token, never a path', async () => {
    const demoDir = join(root, 'resources', 'demo', 'bundles');
    const bundle = join(demoDir, readdirSync(demoDir).find((f) => f.endsWith('.otbundle')) ?? '');
    fake.app.emit('open-file', { preventDefault: () => {} }, bundle);
    fake.app.emit('second-instance', {}, ['/opt/audit-desk', '--flag', bundle, 'notes.txt'], root);
    const opened = menuCommands().filter((c) => c.command === 'open-files');
    expect(opened).toHaveLength(2);
    for (const command of opened) {
      expect(command).toMatchObject({ files: [{ kind: 'picked' }] });
      expect(JSON.stringify(command)).not.toContain(demoDir);
    }
    expect(fake.state.recentDocuments).toEqual([bundle, bundle]);
  });

  it('keeps the View menu in step with the settings the page changes', async () => {
    const contents = mainWindow().webContents;
    const before = fake.state.menus.length;
    const result = await invoke(CHANNELS.call, contents, 'updateSettings', { theme: 'dark' });
    expect(result.ok).toBe(true);
    expect(fake.state.menus.length).toBe(before + 1);
    expect(fake.nativeTheme.themeSource).toBe('dark');
    expect(JSON.stringify(fake.state.menus.at(-1))).toContain(
      '"id":"view.theme.dark","label":"Dark","type":"radio","checked":true',
    );
  });
});
