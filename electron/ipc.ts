// The AuditApi on IPC, in one place. Three invoke channels (call, upload, upload-path) and one push
// channel (job events). Every message is checked before anything runs:
//   1. the sender: the main window's own web contents, its top frame, showing our page (the built
//      index.html, or the dev server in development) — never an iframe, another window or a page
//      navigated elsewhere;
//   2. the method: a name of the AuditApi table (API_METHODS), nothing else;
//   3. the request: validated by the backend with the same zod schemas as browser mode (dispatch).
// Answers are always ApiResults; nothing thrown crosses to the page.
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import {
  API_METHODS,
  fail,
  MAX_UPLOAD_BYTES,
  ok,
  type ApiResult,
  type FileRef,
  type JobEvent,
} from '../shared/api';
import { CHANNELS } from './bridge-protocol';

/** The backend the handlers call: U1's dispatch over the app service, plus uploads. */
export interface AuditBackend {
  /** Validates `raw` against the method's schema and runs it (electron/core/app dispatch). */
  call(method: string, raw: unknown): Promise<ApiResult<unknown>>;
  /** Stores bytes the page sent (no path on disk) and answers an `upload` FileRef. */
  upload(name: string, bytes: Uint8Array): Promise<ApiResult<FileRef>>;
  /** Registers a path the user handed over (drop, dialog, OS) and answers its `picked` token. */
  addPicked(path: string): string;
}

/** Where our page may be loaded from. */
export interface AppLocation {
  /** Absolute path of the built renderer index.html. */
  rendererHtml: string;
  /** The Vite dev server URL (development only). */
  devServerUrl?: string | undefined;
}

/** Windows paths compare without regard to letter case (the drive letter's case varies). */
function samePath(a: string, b: string): boolean {
  const [x, y] = [resolve(a), resolve(b)];
  return process.platform === 'win32' ? x.toLowerCase() === y.toLowerCase() : x === y;
}

/** True for our own page: the built index.html (any hash/query) or the dev server's origin. */
export function isAppUrl(url: string, location: AppLocation): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'file:') {
    if (parsed.host !== '') return false; // file://server/share: never ours
    try {
      return samePath(fileURLToPath(parsed), location.rendererHtml);
    } catch {
      return false;
    }
  }
  if (!location.devServerUrl) return false;
  try {
    return parsed.origin === new URL(location.devServerUrl).origin;
  } catch {
    return false;
  }
}

/** The sender check of every handler. */
export function trustedSender(
  mainContents: () => WebContents | null,
  location: AppLocation,
): (event: IpcMainInvokeEvent) => boolean {
  return (event) => {
    const contents = mainContents();
    if (!contents || contents.isDestroyed() || event.sender !== contents) return false;
    const frame = event.senderFrame;
    // A frame that navigated away or was destroyed has no senderFrame: refuse.
    if (!frame || frame.parent !== null) return false;
    if (frame !== contents.mainFrame && frame.routingId !== contents.mainFrame.routingId) {
      return false;
    }
    return isAppUrl(frame.url, location);
  };
}

const METHODS: ReadonlySet<string> = new Set(API_METHODS);
const REFUSED = 'refused: this page may not use the Audit Desk API';
const MAX_NAME = 255;

function validName(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && name.length <= MAX_NAME;
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function toBytes(data: unknown): Uint8Array | null {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return null;
}

/** Runs a handler body; anything thrown becomes a runtime failure (never a stack in the page). */
async function guarded<T>(
  what: string,
  body: () => Promise<ApiResult<T>> | ApiResult<T>,
): Promise<ApiResult<T>> {
  try {
    return await body();
  } catch (error) {
    console.error(`audit-desk: ${what} failed: ${String((error as Error)?.message ?? error)}`);
    return fail('runtime', 'internal error: the operation failed (details are in the app log)');
  }
}

export interface AuditIpcOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  backend: AuditBackend;
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean;
  /** Called for every refused message (the app log); never with request contents. */
  onRefused?: (channel: string, reason: string) => void;
}

/** Registers the handlers; answers a function that removes them. */
export function registerAuditIpc(options: AuditIpcOptions): () => void {
  const { ipcMain, backend, isTrustedSender } = options;
  const refused = (channel: string, reason: string) => {
    options.onRefused?.(channel, reason);
    return fail<never>('invalid_request', REFUSED);
  };

  ipcMain.handle(CHANNELS.call, (event, method: unknown, request: unknown) =>
    guarded('an API call', () => {
      if (!isTrustedSender(event)) return refused(CHANNELS.call, 'sender');
      if (typeof method !== 'string' || !METHODS.has(method)) {
        return fail('invalid_request', 'unknown method');
      }
      return backend.call(method, request);
    }),
  );

  ipcMain.handle(CHANNELS.upload, (event, name: unknown, data: unknown) =>
    guarded('an upload', () => {
      if (!isTrustedSender(event)) return refused(CHANNELS.upload, 'sender');
      const bytes = toBytes(data);
      if (!validName(name) || !bytes) return fail('invalid_request', 'invalid upload');
      if (bytes.byteLength > MAX_UPLOAD_BYTES) {
        return fail('rejected', 'the file is larger than the largest bundle accepted (2 GiB)');
      }
      return backend.upload(name, bytes);
    }),
  );

  ipcMain.handle(CHANNELS.uploadPath, (event, name: unknown, path: unknown) =>
    guarded('a dropped file', () => {
      if (!isTrustedSender(event)) return refused(CHANNELS.uploadPath, 'sender');
      if (!validName(name) || typeof path !== 'string' || !isAbsolute(path)) {
        return fail('invalid_request', 'invalid file');
      }
      if (!isRegularFile(path)) return fail('not_found', 'the dropped item is not a readable file');
      const ref: FileRef = { kind: 'picked', token: backend.addPicked(path) };
      return ok(ref);
    }),
  );

  return () => {
    for (const channel of [CHANNELS.call, CHANNELS.upload, CHANNELS.uploadPath]) {
      ipcMain.removeHandler(channel);
    }
  };
}

/**
 * Removes IPC listeners that libraries register on their own: electron-store answers
 * `electron-store-get-data` (userData path, app version) to any renderer. Our page cannot send it
 * (no raw ipcRenderer), but nothing outside this module should listen on IPC at all.
 */
export function removeLibraryIpcListeners(ipcMain: Pick<IpcMain, 'removeAllListeners'>): void {
  ipcMain.removeAllListeners('electron-store-get-data');
}

/** Pushes job events to the page on one channel while the window lives. */
export function forwardJobEvents(
  subscribe: (listener: (event: JobEvent) => void) => () => void,
  mainContents: () => WebContents | null,
): () => void {
  return subscribe((event) => {
    const contents = mainContents();
    if (contents && !contents.isDestroyed()) contents.send(CHANNELS.jobEvent, event);
  });
}
