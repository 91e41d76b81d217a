// Preload (bundled to CommonJS, runs sandboxed with context isolation). It exposes one frozen object,
// `window.auditDesk`, and never a raw ipcRenderer:
//   version          the app version
//   api              the AuditApi (shared/api/audit-api.ts): call, upload, subscribe
//   onMenuCommand    native menu / OS commands for the page (open bundle, export, theme...)
// A dropped or chosen File that exists on disk is handed to main by path (webUtils.getPathForFile,
// only here in the preload); main answers a token, so the page never sees the path.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ApiResult, AuditApi, FileRef, JobEvent } from '../shared/api';
import { CHANNELS, isMenuCommand, type MenuCommand } from './bridge-protocol';

declare const __AUDIT_DESK_VERSION__: string; // replaced by electron.vite.config.ts

function pathOf(data: Blob): string {
  try {
    return webUtils.getPathForFile(data as File);
  } catch {
    return ''; // not a File backed by a file on disk
  }
}

function listen<T>(
  channel: string,
  accept: (value: unknown) => value is T,
  listener: (value: T) => void,
): () => void {
  const handler = (_event: IpcRendererEvent, value: unknown) => {
    if (accept(value)) listener(value);
  };
  ipcRenderer.on(channel, handler);
  return () => {
    ipcRenderer.removeListener(channel, handler);
  };
}

const isJobEvent = (value: unknown): value is JobEvent =>
  typeof value === 'object' && value !== null && typeof (value as JobEvent).jobId === 'string';

// Commands that arrive before the page listens (a bundle double-clicked to start the app) are kept
// for the first listener.
const earlyCommands: MenuCommand[] = [];
let commandListeners = 0;
const stopEarly = listen(CHANNELS.menuCommand, isMenuCommand, (command) => {
  if (commandListeners === 0) earlyCommands.push(command);
});

const api: AuditApi = {
  call: (method, request) => ipcRenderer.invoke(CHANNELS.call, method, request),
  async upload(name: string, data: Blob): Promise<ApiResult<FileRef>> {
    const path = pathOf(data);
    if (path) return ipcRenderer.invoke(CHANNELS.uploadPath, name, path);
    return ipcRenderer.invoke(CHANNELS.upload, name, new Uint8Array(await data.arrayBuffer()));
  },
  subscribe: (listener) => listen(CHANNELS.jobEvent, isJobEvent, listener),
};

function onMenuCommand(listener: (command: MenuCommand) => void): () => void {
  commandListeners += 1;
  if (commandListeners === 1) {
    stopEarly();
    for (const command of earlyCommands.splice(0)) listener(command);
  }
  return listen(CHANNELS.menuCommand, isMenuCommand, listener);
}

contextBridge.exposeInMainWorld(
  'auditDesk',
  Object.freeze({
    version: __AUDIT_DESK_VERSION__,
    api: Object.freeze(api),
    onMenuCommand,
  }),
);
