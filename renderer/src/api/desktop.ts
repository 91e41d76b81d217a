// What the Electron preload exposes as `window.auditDesk`. Absent when the UI runs in a plain browser
// (browser mode, later). The typed AuditApi from shared/ replaces this in a later version.
export interface DesktopBridge {
  readonly version: string;
}

declare global {
  interface Window {
    readonly auditDesk?: DesktopBridge;
  }
}

/** The app version reported by the desktop shell, or undefined outside Electron. */
export function desktopVersion(): string | undefined {
  return window.auditDesk?.version;
}
