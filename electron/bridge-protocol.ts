// The IPC channels between preload and main, and the menu commands main sends to the page. Imported
// by both sides (the preload bundle inlines it); no Node or Electron import here.
import type { FileRef } from '../shared/api';
import type { Theme, TimeDisplay } from '../shared/settings';

// The sandboxed preload can require nothing but `electron`: these lists are written out here rather
// than imported with zod from shared/settings.ts; the types keep them equal to the schema's.
const THEMES = ['system', 'light', 'dark'] as const satisfies readonly Theme[];
const TIME_DISPLAYS = ['business', 'utc', 'local'] as const satisfies readonly TimeDisplay[];
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _sameThemes: Exactly<(typeof THEMES)[number], Theme> = true;
const _sameTimes: Exactly<(typeof TIME_DISPLAYS)[number], TimeDisplay> = true;

export const CHANNELS = {
  /** invoke(method, request) → ApiResult: every AuditApi method. */
  call: 'audit:call',
  /** invoke(name, bytes) → ApiResult<FileRef>: bytes of a file without a path on disk. */
  upload: 'audit:upload',
  /** invoke(name, path) → ApiResult<FileRef>: a dropped file, path taken by the preload. */
  uploadPath: 'audit:upload-path',
  /** main → page: JobEvent. */
  jobEvent: 'audit:job-event',
  /** main → page: MenuCommand. */
  menuCommand: 'audit:menu-command',
} as const;

/**
 * What a native menu item, a double-clicked bundle or a file dropped on the app icon asks the page
 * to do. The page does the work through the AuditApi like any button would (e.g. `open-bundle` →
 * pickFiles then importBundles), so the menu adds no second code path.
 */
export type MenuCommand =
  | { command: 'open-bundle' }
  /** Bundle files handed over by the OS (file association, second instance, dock): import them. */
  | { command: 'open-files'; files: FileRef[] }
  | { command: 'new-workspace' }
  /** Without id: show the workspace list; with id: open that one (File > Open Recent). */
  | { command: 'open-workspace'; workspaceId?: string }
  | { command: 'export' }
  | { command: 'find' }
  | { command: 'set-theme'; theme: Theme }
  | { command: 'choose-columns' }
  | { command: 'set-time-display'; timeDisplay: TimeDisplay }
  | { command: 'open-settings' };

export type MenuCommandName = MenuCommand['command'];

const NAMES: readonly MenuCommandName[] = [
  'open-bundle',
  'open-files',
  'new-workspace',
  'open-workspace',
  'export',
  'find',
  'set-theme',
  'choose-columns',
  'set-time-display',
  'open-settings',
];

/** Shape check on the page side: only well-formed commands reach the page's listener. */
export function isMenuCommand(value: unknown): value is MenuCommand {
  if (typeof value !== 'object' || value === null) return false;
  const { command } = value as { command?: unknown };
  if (typeof command !== 'string' || !NAMES.includes(command as MenuCommandName)) return false;
  const v = value as Record<string, unknown>;
  switch (command) {
    case 'open-files':
      return Array.isArray(v['files']);
    case 'set-theme':
      return (THEMES as readonly unknown[]).includes(v['theme']);
    case 'set-time-display':
      return (TIME_DISPLAYS as readonly unknown[]).includes(v['timeDisplay']);
    case 'open-workspace':
      return v['workspaceId'] === undefined || typeof v['workspaceId'] === 'string';
    default:
      return true;
  }
}
