// Preload (bundled to CommonJS, runs sandboxed with context isolation). It exposes one frozen object
// and never a raw ipcRenderer. The typed AuditApi (shared/) will be added here in a later version.
import { contextBridge } from 'electron';

declare const __AUDIT_DESK_VERSION__: string; // replaced by electron.vite.config.ts

contextBridge.exposeInMainWorld('auditDesk', Object.freeze({ version: __AUDIT_DESK_VERSION__ }));
