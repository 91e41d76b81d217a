// Commands the desktop shell sends to the page (native menu, double-clicked bundles, files dropped on
// the app icon): `window.auditDesk.onMenuCommand`, absent in browser mode. The renderer may not
// import electron/, so the shape of electron/bridge-protocol.ts's MenuCommand is repeated here; the
// page checks each command before acting on it.
import type { FileRef } from '../../../shared/api';
import type { Theme, TimeDisplay } from '../../../shared/settings';

export type MenuCommand =
  | { command: 'open-bundle' }
  | { command: 'open-files'; files: FileRef[] }
  | { command: 'new-workspace' }
  | { command: 'open-workspace'; workspaceId?: string }
  | { command: 'export' }
  | { command: 'find' }
  | { command: 'set-theme'; theme: Theme }
  | { command: 'choose-columns' }
  | { command: 'set-time-display'; timeDisplay: TimeDisplay }
  | { command: 'open-settings' };

interface MenuBridge {
  onMenuCommand?: (listener: (command: MenuCommand) => void) => () => void;
}

/** Subscribes to menu commands where the shell offers them; returns the unsubscribe function. */
export function onMenuCommand(listener: (command: MenuCommand) => void): () => void {
  const bridge = window.auditDesk as MenuBridge | undefined;
  return bridge?.onMenuCommand ? bridge.onMenuCommand(listener) : () => undefined;
}
