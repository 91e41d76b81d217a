// electron-builder.yml cannot be exercised here (packaging downloads Electron), so it is checked by
// reading: valid against electron-builder's own JSON schema (app-builder-lib/scheme.json, the one it
// validates with), with the fuses, file association, native-module unpacking and resources the app
// relies on. ajv and js-yaml come with electron-builder.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { BUNDLE_EXTENSION } from './dialogs';

const require = createRequire(import.meta.url);
const root = new URL('../', import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const Ajv = require('ajv') as new (options: object) => {
  compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown[] | null };
};

const config = yaml.load(readFileSync(new URL('electron-builder.yml', root), 'utf8')) as Record<
  string,
  unknown
> & {
  electronFuses: Record<string, boolean>;
  fileAssociations: { ext: string }[];
  asarUnpack: string[];
  extraResources: { from: string; to: string }[];
  linux: { target: string[] };
  mac: { target: string };
  win: { target: string };
};

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's schema", () => {
    const schema = JSON.parse(
      readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'),
    ) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('sets the security fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
  });

  it('associates the bundle extension and targets every platform', () => {
    expect(config.fileAssociations.map((a) => a.ext)).toEqual([BUNDLE_EXTENSION]);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toBe('dmg');
    expect(config.win.target).toBe('nsis');
    expect(config['npmRebuild']).toBe(true);
  });

  it('unpacks better-sqlite3 and ships resources that exist', () => {
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**/*.node');
    for (const { from, to } of config.extraResources) {
      expect(existsSync(new URL(`${from}/`, root)), from).toBe(true);
      expect(['trust', 'demo']).toContain(to);
    }
    expect(existsSync(new URL('resources/trust/pinned.json', root))).toBe(true);
    expect(existsSync(new URL('resources/icons/icon.png', root))).toBe(true);
    const demoBundles = readdirSync(new URL('resources/demo/bundles/', root));
    expect(demoBundles.some((f) => f.endsWith(`.${BUNDLE_EXTENSION}`))).toBe(true);
  });
});
