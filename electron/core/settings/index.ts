// Settings: one schema (shared/settings.ts), one file format, for the desktop app, CLI and browser mode.
export { normalizeSettings } from './normalize';
export {
  migrateSettings,
  SETTINGS_MIGRATIONS,
  SETTINGS_VERSION_KEY,
  type SettingsMigration,
} from './migrations';
export {
  openSettingsStore,
  settingsFileOptions,
  settingsStoreOver,
  SETTINGS_FILE_NAME,
  type SettingsBacking,
  type SettingsStore,
} from './store';
