// Electron main process: app lifecycle, the main window, menus, OS file hand-overs. Thin on purpose:
// the work lives in the core's app service (electron/core/app), reached through the one IPC module
// (electron/ipc.ts). Paths are relative to the built file out/main/main.js (import.meta.dirname;
// electron-vite keeps it).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeTheme,
  safeStorage,
  screen,
  session,
  shell,
} from 'electron';
import type { ApiResult, FileRef } from '../shared/api';
import type { Settings } from '../shared/settings';
import { createAppService, defaultHome, type AppService } from './core/app';
import { CHANNELS, type MenuCommand } from './bridge-protocol';
import { desktopDialogs } from './dialogs';
import { bundlePathsFromArgv, isBundlePath } from './file-open';
import {
  forwardJobEvents,
  registerAuditIpc,
  removeLibraryIpcListeners,
  trustedSender,
  type AppLocation,
} from './ipc';
import { buildMenuTemplate } from './menu';
import { DOCS_URL, openExternal } from './open-external';
import { RecentWorkspaces } from './recent-workspaces';
import {
  createSecureWindow,
  denyAllPermissions,
  denyNavigationEverywhere,
  enforceContentSecurityPolicy,
} from './security';
import { openDesktopSettings } from './settings';
import { createTokenVault } from './token-vault';
import { MIN_SIZE, readWindowState, restoreWindowState, writeWindowState } from './window-state';

const PRODUCT_NAME = 'Audit Desk';
const PRELOAD_PATH = join(import.meta.dirname, '../preload/preload.cjs');
const RENDERER_HTML = join(import.meta.dirname, '../renderer/index.html');

// Test and development hook only: a packaged app never moves its user data on an env variable.
const userDataOverride = process.env['AUDIT_DESK_USER_DATA'];
if (!app.isPackaged && userDataOverride) app.setPath('userData', userDataOverride);

/** Read-only files shipped beside the app: `resources/` in development, extraResources when packed. */
function shippedResource(...parts: string[]): string {
  return app.isPackaged
    ? join(process.resourcesPath, ...parts)
    : join(app.getAppPath(), 'resources', ...parts);
}

/** The Vite dev server URL under `electron-vite dev`; never used by a packaged app. */
function devServerUrl(): string | undefined {
  const url = process.env['ELECTRON_RENDERER_URL'];
  return !app.isPackaged && url ? url : undefined;
}

const location: AppLocation = { rendererHtml: RENDERER_HTML, devServerUrl: devServerUrl() };
let mainWindow: BrowserWindow | null = null;
let service: AppService | null = null;
let pageLoaded = false;
/** Bundle paths handed over by the OS before the service or page was ready. */
const pendingPaths: string[] = [];
let recentWorkspaces = new RecentWorkspaces(null);
/** What the View menu shows as checked; follows the settings the page reads and writes. */
let view: Pick<Settings, 'theme' | 'timeDisplay'> = { theme: 'system', timeDisplay: 'business' };

const mainContents = () =>
  mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null;

function sendCommand(command: MenuCommand): void {
  const contents = mainContents();
  if (!contents || !pageLoaded) return;
  contents.send(CHANNELS.menuCommand, command);
}

function openExternalUrl(url: string): void {
  openExternal(shell, url).catch(() => {
    console.warn('audit-desk: the link could not be opened');
  });
}

function showAbout(): void {
  if (process.platform === 'win32') {
    void dialog.showMessageBox({
      type: 'info',
      title: `About ${PRODUCT_NAME}`,
      message: `${PRODUCT_NAME} ${app.getVersion()}`,
      detail: 'Offline review of signed Otesse activity logs.',
    });
  } else {
    app.showAboutPanel();
  }
}

function rebuildMenu(): void {
  const template = buildMenuTemplate({
    platform: process.platform,
    appName: PRODUCT_NAME,
    theme: view.theme,
    timeDisplay: view.timeDisplay,
    recent: recentWorkspaces.list(),
    actions: { send: sendCommand, openDocs: () => openExternalUrl(DOCS_URL), showAbout },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** Hands bundle files from the OS (association, second instance, dock) to the page as tokens. */
function openBundlePaths(paths: readonly string[]): void {
  pendingPaths.push(...paths.filter(isBundlePath));
  if (!service || !pageLoaded || pendingPaths.length === 0) return;
  const files: FileRef[] = [];
  for (const path of pendingPaths.splice(0)) {
    app.addRecentDocument(path);
    files.push({ kind: 'picked', token: service.context.files.addPicked(path) });
  }
  sendCommand({ command: 'open-files', files });
  focus(mainWindow);
}

function focus(window: BrowserWindow | null): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

function createMainWindow(): BrowserWindow {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const workAreas = [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map((d) => d.workArea);
  const restored = restoreWindowState(readWindowState(stateFile), workAreas);
  const window = createSecureWindow(PRELOAD_PATH, {
    title: PRODUCT_NAME,
    ...restored.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
  });
  if (restored.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    writeWindowState(stateFile, {
      bounds: window.getNormalBounds(),
      maximized: window.isMaximized(),
    });
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
    pageLoaded = false;
  });
  window.webContents.on('did-finish-load', () => {
    pageLoaded = true;
    openBundlePaths([]);
  });
  const url = location.devServerUrl;
  const loading = url ? window.loadURL(url) : window.loadFile(RENDERER_HTML);
  loading.catch((error: unknown) => {
    console.error(`audit-desk: the window could not load its page: ${String(error)}`);
  });
  return window;
}

/** The app service, with the demo workspace on a first run; without it if the demo cannot be made. */
async function startService(): Promise<AppService> {
  const home = defaultHome();
  // The pinned trust store ships as an extra resource (the core's default path is the source tree's).
  process.env['AUDIT_DESK_TRUST'] ??= shippedResource('trust', 'pinned.json');
  const settings = openDesktopSettings(home);
  const s = settings.get();
  view = { theme: s.theme, timeDisplay: s.timeDisplay };
  nativeTheme.themeSource = view.theme;
  const tokens = createTokenVault({
    file: join(app.getPath('userData'), 'api-token.json'),
    safeStorage,
  });
  const base = {
    home,
    mode: 'desktop' as const,
    version: app.getVersion(),
    settings,
    tokens,
    demoDir: shippedResource('demo'),
  };
  let created: AppService | null = null;
  const dialogs = desktopDialogs({
    dialog,
    window: () => mainWindow,
    addPicked: (path) => {
      if (!created) throw new Error('the app service is not ready');
      return created.context.files.addPicked(path);
    },
    addSaveTarget: (path) => {
      if (!created) throw new Error('the app service is not ready');
      return created.context.files.addSaveTarget(path);
    },
    onBundlesOpened: (paths) => paths.forEach((path) => app.addRecentDocument(path)),
  });
  try {
    created = await createAppService({ ...base, dialogs, demo: 'first-run' });
  } catch (error) {
    console.error(`audit-desk: the demo workspace could not be created: ${String(error)}`);
    created = await createAppService({ ...base, dialogs, demo: 'never' });
  }
  return created;
}

/** The IPC backend: the service's validated dispatch, watched for menu state (recent, view). */
function ipcBackend(svc: AppService) {
  return {
    async call(method: string, request: unknown): Promise<ApiResult<unknown>> {
      const result = await svc.call(method, request);
      let changed = recentWorkspaces.observe(method, request, result);
      if (result.ok && (method === 'updateSettings' || method === 'getSettings')) {
        const value = result.value as Settings;
        changed ||= value.theme !== view.theme || value.timeDisplay !== view.timeDisplay;
        view = { theme: value.theme, timeDisplay: value.timeDisplay };
        // Native dialogs, menus and scrollbars follow the app's theme.
        nativeTheme.themeSource = view.theme;
      }
      if (changed) rebuildMenu();
      return result;
    },
    async upload(name: string, bytes: Uint8Array): Promise<ApiResult<FileRef>> {
      const { uploadId, path } = svc.context.files.newUploadPath();
      writeFileSync(path, bytes, { mode: 0o600 });
      return { ok: true, value: svc.context.files.addUpload(uploadId, path, name) };
    },
    addPicked: (path: string) => svc.context.files.addPicked(path),
  };
}

// Must run before the app is ready: every renderer is sandboxed, whatever a window asks for.
app.enableSandbox();
denyNavigationEverywhere(openExternalUrl);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // macOS hands files over by event (double-click, dock drop), also before ready.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openBundlePaths([path]);
  });
  app.on('second-instance', (_event, argv, workingDirectory) => {
    openBundlePaths(bundlePathsFromArgv(argv, workingDirectory));
    focus(mainWindow);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && service && BrowserWindow.getAllWindows().length === 0) {
      mainWindow = createMainWindow();
    }
  });
  // Jobs and databases close before the process ends: the first quit waits for the service.
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing || !service) return;
    event.preventDefault();
    closing = true;
    service
      .close()
      .catch((error: unknown) => console.error(`audit-desk: closing failed: ${String(error)}`))
      .finally(() => app.quit());
  });
  app
    .whenReady()
    .then(async () => {
      // Windows ties jump lists (recent documents) and notifications to this id (the package's appId).
      if (process.platform === 'win32') app.setAppUserModelId('com.otesse.auditdesk');
      app.setAboutPanelOptions({
        applicationName: PRODUCT_NAME,
        applicationVersion: app.getVersion(),
      });
      denyAllPermissions(session.defaultSession);
      enforceContentSecurityPolicy(session.defaultSession);
      recentWorkspaces = new RecentWorkspaces(
        join(app.getPath('userData'), 'recent-workspaces.json'),
      );
      service = await startService();
      removeLibraryIpcListeners(ipcMain);
      const svc = service;
      registerAuditIpc({
        ipcMain,
        backend: ipcBackend(svc),
        isTrustedSender: trustedSender(mainContents, location),
        onRefused: (channel) => console.warn(`audit-desk: refused an IPC message on ${channel}`),
      });
      forwardJobEvents((listener) => svc.subscribe(listener), mainContents);
      rebuildMenu();
      openBundlePaths(bundlePathsFromArgv(process.argv, process.cwd()));
      mainWindow = createMainWindow();
    })
    .catch((error: unknown) => {
      console.error(`audit-desk: could not start: ${String((error as Error)?.message ?? error)}`);
      app.exit(1);
    });
}
