// Settings file migrations: one ordered list, each step lifts the raw object from version N-1 to N.
// The version is stored in the file as `settingsVersion` (not the app version: settings change more
// rarely than the app, and a number orders without semver rules). A file without it is version 0.
export const SETTINGS_VERSION_KEY = 'settingsVersion';

export type RawSettings = Record<string, unknown>;

export interface SettingsMigration {
  /** The version this step produces. */
  version: number;
  describe: string;
  migrate(raw: RawSettings): RawSettings;
}

export const SETTINGS_MIGRATIONS: readonly SettingsMigration[] = [
  {
    version: 1,
    describe: 'unversioned settings adopted as they are (fields are validated one by one on read)',
    migrate: (raw) => raw,
  },
];

/** The version the app writes: the last migration's. */
export function currentSettingsVersion(migrations: readonly SettingsMigration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

/** Version stored in a raw file object (0 when absent or not a non-negative integer). */
export function storedSettingsVersion(raw: RawSettings): number {
  const value = raw[SETTINGS_VERSION_KEY];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

/**
 * Runs the steps above the stored version, in order. A file from a newer app is returned unchanged
 * (`newer: true`): the caller reads it field-wise but must not overwrite it.
 */
export function migrateSettings(
  raw: RawSettings,
  migrations: readonly SettingsMigration[] = SETTINGS_MIGRATIONS,
): { raw: RawSettings; migrated: boolean; newer: boolean } {
  const from = storedSettingsVersion(raw);
  const target = currentSettingsVersion(migrations);
  if (from > target) return { raw, migrated: false, newer: true };
  let current = raw;
  for (const step of migrations) {
    if (step.version > from)
      current = { ...step.migrate(current), [SETTINGS_VERSION_KEY]: step.version };
  }
  return { raw: current, migrated: from < target, newer: false };
}
