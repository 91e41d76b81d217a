// Hardening shared by every window: locked-down webPreferences, no navigation, no new windows, no
// <webview>, no permissions. The renderer is untrusted UI code: everything it may do goes through the
// narrow preload API, never through Node, new windows or browser permissions.
import type { Session, WebPreferences } from 'electron';
import { app } from 'electron';

/** webPreferences for every BrowserWindow of the app. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/**
 * Applies to every web contents the app ever creates: renderer-initiated navigation, redirects, new
 * windows and <webview> are all refused. The app is a single page; links to the outside world will go
 * through one audited `openExternal` wrapper later.
 */
export function denyNavigationEverywhere(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-frame-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/** Refuses every permission request and check (camera, notifications, clipboard, HID, ...). */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
