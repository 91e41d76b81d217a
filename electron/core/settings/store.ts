// The settings store of every face: `conf` in the CLI and browser mode (openSettingsStore), the same
// logic over electron-store in the desktop app (electron/settings.ts passes its store to
// settingsStoreOver). electron-store extends Conf, so both share one file format: the settings fields
// plus `settingsVersion`. Validation is ours (zod, field-wise) rather than conf's JSON schema, whose
// violation handling would reset the whole file.
import Conf from 'conf';
import { settingsPatchSchema, type Settings, type SettingsPatch } from '../../../shared/settings';
import { usageError, runtimeError } from '../errors';
import {
  currentSettingsVersion,
  migrateSettings,
  SETTINGS_MIGRATIONS,
  SETTINGS_VERSION_KEY,
  type RawSettings,
  type SettingsMigration,
} from './migrations';
import { normalizeSettings } from './normalize';

export const SETTINGS_FILE_NAME = 'settings';

/** What the store needs from conf / electron-store: the whole object, read and written at once. */
export interface SettingsBacking {
  store: Record<string, unknown>;
}

export interface SettingsStore {
  /** Current settings (always complete and valid). */
  get(): Settings;
  /** Validates and applies a partial update; answers the settings after it. */
  update(patch: unknown): Settings;
  /** Where the settings file is (for messages and tests). */
  readonly path: string | null;
}

/** Options for conf and electron-store alike (electron-store calls configName `name`). */
export function settingsFileOptions() {
  return {
    // A file that is not JSON at all reads as empty (every field default) instead of throwing.
    clearInvalidConfig: true,
    accessPropertiesByDotNotation: false,
    // Settings hold no secret (the token lives in the token vault) but are nobody else's business.
    configFileMode: 0o600,
    watch: false,
  } as const;
}

function readRaw(backing: SettingsBacking): RawSettings {
  try {
    const raw = backing.store;
    return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {};
  } catch {
    // Unreadable file (permissions, broken JSON conf did not clear): run on defaults.
    return {};
  }
}

/** Wraps a conf-like backing: migrations on open, field-wise validation on read, checked writes. */
export function settingsStoreOver(
  backing: SettingsBacking,
  options: { path?: string; migrations?: readonly SettingsMigration[] } = {},
): SettingsStore {
  const migrations = options.migrations ?? SETTINGS_MIGRATIONS;
  const version = currentSettingsVersion(migrations);
  const opened = migrateSettings(readRaw(backing), migrations);
  const readOnly = opened.newer;
  if (opened.migrated) write(normalizeSettings(opened.raw));

  function write(settings: Settings): void {
    try {
      backing.store = { ...settings, [SETTINGS_VERSION_KEY]: version };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw runtimeError(`Settings could not be saved: ${reason.split('\n')[0]}`);
    }
  }

  return {
    path: options.path ?? null,
    get: () => normalizeSettings(readRaw(backing)),
    update(patch: SettingsPatch | unknown): Settings {
      const parsed = settingsPatchSchema.safeParse(patch);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? issue.path.join('.') : 'settings';
        throw usageError(`Invalid setting ${where}: ${issue?.message ?? 'not allowed'}`);
      }
      if (readOnly) {
        throw usageError(
          'The settings file was written by a newer Audit Desk; update the app to change settings.',
        );
      }
      const next = normalizeSettings({ ...normalizeSettings(readRaw(backing)), ...parsed.data });
      write(next);
      return next;
    },
  };
}

/**
 * The settings store of the CLI and browser mode. `cwd` is the folder of `settings.json`; default:
 * $AUDIT_DESK_CONFIG_DIR, else the user's config folder (`~/.config/audit-desk` on Linux).
 */
export function openSettingsStore(options: { cwd?: string } = {}): SettingsStore {
  const cwd = options.cwd ?? process.env['AUDIT_DESK_CONFIG_DIR'] ?? undefined;
  const conf = new Conf<Record<string, unknown>>({
    projectName: 'audit-desk',
    projectSuffix: '',
    configName: SETTINGS_FILE_NAME,
    ...(cwd ? { cwd } : {}),
    ...settingsFileOptions(),
  });
  return settingsStoreOver(conf, { path: conf.path });
}
