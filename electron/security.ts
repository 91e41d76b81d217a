// Hardening shared by every window: locked-down webPreferences, a Content-Security-Policy header, no
// navigation, no new windows, no <webview>, no permissions. The renderer is untrusted UI code:
// everything it may do goes through the narrow preload API, never through Node, new windows or
// browser permissions.
import type { BrowserWindowConstructorOptions, Session } from 'electron';
import { app, BrowserWindow } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../shared/api/http';

/**
 * Creates a window with the app's locked-down webPreferences. They are written out here as a literal
 * (not spread from elsewhere) so static checkers such as Electronegativity can see each one.
 */
export function createSecureWindow(
  preloadPath: string,
  options: Omit<BrowserWindowConstructorOptions, 'webPreferences'>,
): BrowserWindow {
  return new BrowserWindow({
    ...options,
    webPreferences: {
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
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
}

/**
 * Applies to every web contents the app ever creates: renderer-initiated navigation, redirects, new
 * windows and <webview> are all refused. A link the page tries to open in a new window is handed to
 * `onExternalLink` (the allowlisted openExternal wrapper decides), never opened in the app.
 */
export function denyNavigationEverywhere(onExternalLink: (url: string) => void): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-frame-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      onExternalLink(url);
      return { action: 'deny' };
    });
  });
}

/** Refuses every permission request and check (camera, notifications, clipboard, HID, ...). */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** Response headers with our CSP in place of any the response carried (any letter case). */
export function withContentSecurityPolicy(
  headers: Record<string, string[]> | undefined,
): Record<string, string[]> {
  const kept = Object.entries(headers ?? {}).filter(
    ([name]) => name.toLowerCase() !== 'content-security-policy',
  );
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] };
}

/**
 * Sends the CSP as a response header on every response of the session (the page's meta tag says the
 * same; the header also covers responses without the tag, such as the dev server's).
 */
export function enforceContentSecurityPolicy(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
}
