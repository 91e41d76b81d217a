// Window hardening with Electron's app and BrowserWindow faked (vi.mock of the `electron` edge only):
// locked webPreferences, navigation/new windows/webviews refused, permissions denied, CSP header.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../shared/api/http';

const created: { options: Record<string, unknown> }[] = [];
const appListeners = new Map<string, (...args: unknown[]) => void>();

vi.mock('electron', () => ({
  app: {
    on: (name: string, listener: (...args: unknown[]) => void) => appListeners.set(name, listener),
  },
  BrowserWindow: class {
    constructor(options: Record<string, unknown>) {
      created.push({ options });
    }
  },
}));

const security = await import('./security');

beforeEach(() => {
  created.length = 0;
  appListeners.clear();
});

describe('createSecureWindow', () => {
  it('locks webPreferences whatever the caller passes', () => {
    security.createSecureWindow('/app/preload.cjs', { title: 'x', width: 10, height: 10 });
    const prefs = created[0]?.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
    expect(created[0]?.options['title']).toBe('x');
  });
});

describe('denyNavigationEverywhere', () => {
  it('prevents navigation, redirects and webviews; new windows go to the external-link wrapper', () => {
    const external: string[] = [];
    security.denyNavigationEverywhere((url) => external.push(url));
    const listeners = new Map<string, (event: { preventDefault(): void }) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents = {
      on: (name: string, l: (event: { preventDefault(): void }) => void) => listeners.set(name, l),
      setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
    };
    appListeners.get('web-contents-created')?.({}, contents);
    for (const name of [
      'will-navigate',
      'will-frame-navigate',
      'will-redirect',
      'will-attach-webview',
    ]) {
      const event = { preventDefault: vi.fn() };
      listeners.get(name)?.(event);
      expect(event.preventDefault, name).toHaveBeenCalledOnce();
    }
    expect(openHandler?.({ url: 'https://otesse.com/help' })).toEqual({ action: 'deny' });
    expect(external).toEqual(['https://otesse.com/help']);
  });
});

describe('denyAllPermissions', () => {
  it('answers no to every request and check', () => {
    const handlers: Record<string, (...args: unknown[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: (...a: unknown[]) => unknown) => (handlers['request'] = h),
      setPermissionCheckHandler: (h: (...a: unknown[]) => unknown) => (handlers['check'] = h),
      setDevicePermissionHandler: (h: (...a: unknown[]) => unknown) => (handlers['device'] = h),
    };
    security.denyAllPermissions(session as never);
    const callback = vi.fn();
    handlers['request']?.({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(handlers['check']?.({}, 'clipboard-read')).toBe(false);
    expect(handlers['device']?.({})).toBe(false);
  });
});

describe('Content-Security-Policy header', () => {
  it('replaces any CSP header of a response with ours and keeps the other headers', () => {
    const headers = security.withContentSecurityPolicy({
      'content-security-policy': ["default-src *; script-src 'unsafe-inline'"],
      'Content-Type': ['text/html'],
    });
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
    expect(security.withContentSecurityPolicy(undefined)).toEqual({
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });

  it('is installed on the session for every response', () => {
    let listener: ((details: unknown, callback: (r: unknown) => void) => void) | undefined;
    const session = { webRequest: { onHeadersReceived: (l: typeof listener) => (listener = l) } };
    security.enforceContentSecurityPolicy(session as never);
    const callback = vi.fn();
    listener?.({ responseHeaders: {} }, callback);
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
});
