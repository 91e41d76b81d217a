// Electron main process: app lifecycle and the main window. Thin on purpose: the work lives in the
// core (electron/core/), reached later through typed IPC handlers (electron/ipc.ts).
// Paths are relative to the built file out/main/main.js (import.meta.dirname; electron-vite keeps it).
import { join } from 'node:path';
import { app, BrowserWindow, session } from 'electron';
import { denyAllPermissions, denyNavigationEverywhere, secureWebPreferences } from './security';

const PRODUCT_NAME = 'Audit Desk';
const PRELOAD_PATH = join(import.meta.dirname, '../preload/preload.cjs');
const RENDERER_HTML = join(import.meta.dirname, '../renderer/index.html');

// Must run before the app is ready: every renderer is sandboxed, whatever a window asks for.
app.enableSandbox();
denyNavigationEverywhere();

/** The Vite dev server URL under `electron-vite dev`; never used by a packaged app. */
function devServerUrl(): string | undefined {
  const url = process.env['ELECTRON_RENDERER_URL'];
  return !app.isPackaged && url ? url : undefined;
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    title: PRODUCT_NAME,
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 500,
    show: false,
    webPreferences: secureWebPreferences(PRELOAD_PATH),
  });
  window.once('ready-to-show', () => window.show());
  const url = devServerUrl();
  const loading = url ? window.loadURL(url) : window.loadFile(RENDERER_HTML);
  loading.catch((error: unknown) => {
    console.error(`audit-desk: the window could not load its page: ${String(error)}`);
  });
  return window;
}

function focus(window: BrowserWindow | undefined): void {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.focus();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => focus(BrowserWindow.getAllWindows()[0]));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
  app
    .whenReady()
    .then(() => {
      denyAllPermissions(session.defaultSession);
      createMainWindow();
    })
    .catch((error: unknown) => {
      console.error(`audit-desk: could not start: ${String(error)}`);
      app.exit(1);
    });
}
