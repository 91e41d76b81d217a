// The desktop's settings store: electron-store (ESM; it throws when imported outside Electron) over
// the same file, schema, field-wise fallback and migrations as the CLI's and browser mode's `conf`
// store (electron/core/settings). It lives in the app home beside the workspaces, so the desktop,
// `audit-desk serve` and the CLI read one settings file.
import ElectronStore from 'electron-store';
import {
  settingsFileOptions,
  settingsStoreOver,
  SETTINGS_FILE_NAME,
  type SettingsStore,
} from './core/settings';

export function openDesktopSettings(home: string): SettingsStore {
  const store = new ElectronStore<Record<string, unknown>>({
    cwd: home,
    name: SETTINGS_FILE_NAME,
    ...settingsFileOptions(),
  });
  return settingsStoreOver(store, { path: store.path });
}
