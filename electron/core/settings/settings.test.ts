// The conf-based settings store on real files in temp folders: defaults, field-wise fallback of a
// hand-edited file, validated updates, migrations and a file from a newer version.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsSchema } from '../../../shared/settings';
import { normalizeSettings } from './normalize';
import { migrateSettings, type SettingsMigration } from './migrations';
import { openSettingsStore, settingsStoreOver, type SettingsBacking } from './store';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'audit-desk-settings-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const fileOf = (dir: string) => join(dir, 'settings.json');
const readFile = (dir: string) =>
  JSON.parse(readFileSync(fileOf(dir), 'utf8')) as Record<string, unknown>;

describe('openSettingsStore', () => {
  it('answers the defaults when there is no file', () => {
    const store = openSettingsStore({ cwd: tempDir() });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('writes an update with the schema version and reads it back in a new store', () => {
    const dir = tempDir();
    const store = openSettingsStore({ cwd: dir });
    const after = store.update({
      theme: 'dark',
      reviewer: { name: 'Ana', email: 'ana@example.com' },
    });
    expect(after.theme).toBe('dark');
    expect(after.timeDisplay).toBe(DEFAULT_SETTINGS.timeDisplay);
    expect(readFile(dir)).toMatchObject({ settingsVersion: 1, theme: 'dark' });
    expect(openSettingsStore({ cwd: dir }).get()).toEqual(after);
    if (process.platform !== 'win32') expect(statSync(fileOf(dir)).mode & 0o777).toBe(0o600);
  });

  it('keeps valid fields and defaults each broken one of a hand-edited file', () => {
    const dir = tempDir();
    writeFileSync(
      fileOf(dir),
      JSON.stringify({
        settingsVersion: 1,
        theme: 'purple',
        apiUrl: 'https://api.example.com',
        columns: ['time', 'nope'],
        reviewer: { name: 'Bo', email: 42 },
        insightThresholds: { failedLoginBurst: 9, newIpLookbackDays: -3 },
        extra: 'dropped',
      }),
    );
    const settings = openSettingsStore({ cwd: dir }).get();
    expect(settings.theme).toBe('system');
    expect(settings.apiUrl).toBe('https://api.example.com');
    expect(settings.columns).toEqual(DEFAULT_SETTINGS.columns);
    expect(settings.reviewer).toEqual({ name: 'Bo', email: '' });
    expect(settings.insightThresholds.failedLoginBurst).toBe(9);
    expect(settings.insightThresholds.newIpLookbackDays).toBe(30);
    expect(settings).not.toHaveProperty('extra');
  });

  it('starts on defaults from a file that is not JSON', () => {
    const dir = tempDir();
    writeFileSync(fileOf(dir), '{ not json');
    const store = openSettingsStore({ cwd: dir });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.update({ theme: 'light' }).theme).toBe('light');
  });

  it('refuses an invalid update with one line naming the field, and writes nothing', () => {
    const dir = tempDir();
    const store = openSettingsStore({ cwd: dir });
    store.update({ theme: 'dark' });
    expect(() => store.update({ theme: 'neon' })).toThrow(/^Invalid setting theme: /);
    expect(() => store.update({ columns: [] })).toThrow(/columns/);
    expect(() => store.update({ unknownKey: 1 })).toThrow(/Invalid setting/);
    expect(readFile(dir)['theme']).toBe('dark');
  });

  it('migrates an unversioned file on open and stamps the version', () => {
    const dir = tempDir();
    writeFileSync(fileOf(dir), JSON.stringify({ theme: 'light' }));
    expect(openSettingsStore({ cwd: dir }).get().theme).toBe('light');
    expect(readFile(dir)['settingsVersion']).toBe(1);
  });

  it('reads a file from a newer version but never overwrites it', () => {
    const dir = tempDir();
    const newer = JSON.stringify({ settingsVersion: 99, theme: 'dark', futureField: true });
    writeFileSync(fileOf(dir), newer);
    const store = openSettingsStore({ cwd: dir });
    expect(store.get().theme).toBe('dark');
    expect(() => store.update({ theme: 'light' })).toThrow(/newer Audit Desk/);
    expect(readFileSync(fileOf(dir), 'utf8')).toBe(newer);
  });
});

describe('migrations', () => {
  const steps: SettingsMigration[] = [
    { version: 1, describe: 'adopt', migrate: (raw) => raw },
    {
      version: 2,
      describe: 'rename timeZoneDisplay',
      migrate: ({ timeZoneDisplay, ...rest }) => ({ ...rest, timeDisplay: timeZoneDisplay }),
    },
  ];

  it('run in order from the stored version', () => {
    const result = migrateSettings({ settingsVersion: 1, timeZoneDisplay: 'utc' }, steps);
    expect(result).toEqual({
      raw: { settingsVersion: 2, timeDisplay: 'utc' },
      migrated: true,
      newer: false,
    });
    expect(migrateSettings({ settingsVersion: 2, theme: 'dark' }, steps).migrated).toBe(false);
  });

  it('are applied by the store over any backing (electron-store shares this path)', () => {
    const backing: SettingsBacking = { store: { settingsVersion: 1, timeZoneDisplay: 'local' } };
    const store = settingsStoreOver(backing, { migrations: steps });
    expect(store.get().timeDisplay).toBe('local');
    expect(backing.store['settingsVersion']).toBe(2);
  });
});

describe('normalizeSettings', () => {
  it('always answers valid settings, whatever the input', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (raw) => {
        expect(settingsSchema.safeParse(normalizeSettings(raw)).success).toBe(true);
      }),
    );
  });

  it('keeps valid settings unchanged', () => {
    const valid = { ...DEFAULT_SETTINGS, theme: 'dark' as const, columns: ['ip' as const] };
    expect(normalizeSettings(valid)).toEqual(valid);
  });
});
