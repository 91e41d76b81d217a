// The API token vault with Electron's safeStorage as the only faked edge. The fake really encrypts
// (AES-256-GCM with a key kept in memory, as the OS keychain would), so the test can prove that no
// file the app writes holds the token in plain text, base64 or hex, not even after it went through
// the real app service, settings store and a sync error.
import { randomBytes, createCipheriv, createDecipheriv } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createAppService } from './core/app';
import { openSettingsStore } from './core/settings';
import { createTokenVault, storageStrength, type SafeStorageEdge } from './token-vault';

const TOKEN = 'otk_live_4f9c2b7e1d8a6c3f5e0b9a2d7c4e1f8b';
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'audit-desk-vault-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A safeStorage that really transforms bytes; `backend` as Linux reports it. */
function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorageEdge {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString(text) {
      if (!available) throw new Error(`cannot encrypt ${text}`);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(data) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/** Every file below `dir`, with its bytes. */
function allFiles(dir: string): { path: string; bytes: Buffer }[] {
  const found: { path: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...allFiles(path));
    else found.push({ path, bytes: readFileSync(path) });
  }
  return found;
}

/** The token in any encoding a careless writer might use. */
function leaks(bytes: Buffer): boolean {
  const forms = [
    TOKEN,
    Buffer.from(TOKEN).toString('base64'),
    Buffer.from(TOKEN).toString('base64url'),
    Buffer.from(TOKEN).toString('hex'),
    TOKEN.slice(8, 28), // a distinctive part of it
  ];
  const text = bytes.toString('latin1');
  const utf16 = Buffer.from(TOKEN, 'utf16le').toString('latin1');
  return forms.some((f) => text.includes(f)) || text.includes(utf16);
}

describe('token vault', () => {
  it('stores the token encrypted, reads it back, and no file holds it in plain text', () => {
    const dir = tempDir();
    const vault = createTokenVault({
      file: join(dir, 'api-token.json'),
      safeStorage: fakeSafeStorage(),
    });
    expect(vault.has()).toBe(false);
    expect(vault.secure).toBe(true);
    vault.set(TOKEN, { allowWeakStorage: false });
    expect(vault.has()).toBe(true);
    expect(vault.get()).toBe(TOKEN);
    const files = allFiles(dir);
    expect(files.map((f) => f.path)).toEqual([join(dir, 'api-token.json')]);
    for (const file of files) expect(leaks(file.bytes), file.path).toBe(false);
    if (process.platform !== 'win32')
      expect(statSync(join(dir, 'api-token.json')).mode & 0o777).toBe(0o600);
    vault.clear();
    expect(vault.has()).toBe(false);
    expect(allFiles(dir)).toEqual([]);
  });

  it('refuses basic_text storage unless the user accepted it, then stores it with a warning', () => {
    const dir = tempDir();
    const warnings: string[] = [];
    const vault = createTokenVault({
      file: join(dir, 'api-token.json'),
      safeStorage: fakeSafeStorage('basic_text'),
      warn: (m) => warnings.push(m),
    });
    expect(vault.secure).toBe(false);
    expect(() => vault.set(TOKEN, { allowWeakStorage: false })).toThrow(/No secure secret store/);
    expect(vault.has()).toBe(false);
    vault.set(TOKEN, { allowWeakStorage: true });
    expect(vault.get()).toBe(TOKEN);
    expect(warnings).toHaveLength(1);
    expect(warnings.join()).not.toContain(TOKEN);
    for (const file of allFiles(dir)) expect(leaks(file.bytes)).toBe(false);
  });

  it('never stores without encryption, and its errors never quote the token', () => {
    const dir = tempDir();
    const vault = createTokenVault({
      file: join(dir, 'api-token.json'),
      safeStorage: fakeSafeStorage('gnome_libsecret', false),
    });
    let message = '';
    try {
      vault.set(TOKEN, { allowWeakStorage: true });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/no encryption/);
    expect(message).not.toContain(TOKEN);
    expect(allFiles(dir)).toEqual([]);
  });

  it('hides an OS encryption error that quotes its input', () => {
    const dir = tempDir();
    const broken = {
      ...fakeSafeStorage(),
      encryptString: (t: string) => {
        throw new Error(`failed on ${t}`);
      },
    };
    const vault = createTokenVault({ file: join(dir, 't.json'), safeStorage: broken });
    expect(() => vault.set(TOKEN, { allowWeakStorage: false })).toThrow(/could not be encrypted/);
    try {
      vault.set(TOKEN, { allowWeakStorage: false });
    } catch (error) {
      expect(String(error)).not.toContain(TOKEN);
    }
  });

  it('answers null (and warns without the token) when the OS key changed', () => {
    const dir = tempDir();
    const file = join(dir, 'api-token.json');
    createTokenVault({ file, safeStorage: fakeSafeStorage() }).set(TOKEN, {
      allowWeakStorage: false,
    });
    const warnings: string[] = [];
    const other = createTokenVault({
      file,
      safeStorage: fakeSafeStorage(),
      warn: (m) => warnings.push(m),
    });
    expect(other.get()).toBeNull();
    expect(warnings).toHaveLength(1);
  });

  it('classifies storage strength like Electron reports it', () => {
    expect(storageStrength(fakeSafeStorage('kwallet5'))).toBe('secure');
    expect(storageStrength(fakeSafeStorage('basic_text'))).toBe('weak');
    expect(storageStrength(fakeSafeStorage('unknown'))).toBe('weak');
    expect(storageStrength(fakeSafeStorage('basic_text', false))).toBe('unavailable');
    const mac = { ...fakeSafeStorage(), getSelectedStorageBackend: undefined };
    expect(storageStrength(mac)).toBe('secure');
  });
});

describe('token through the desktop app service', () => {
  it('setApiToken, settings and appInfo leave no plain token in any file of home or userData', async () => {
    const home = tempDir();
    const userData = tempDir();
    const logged: string[] = [];
    const spies = (['log', 'warn', 'error'] as const).map((level) =>
      vi
        .spyOn(console, level)
        .mockImplementation((...args: unknown[]) => void logged.push(args.join(' '))),
    );
    const stderr = vi
      .spyOn(process.stderr, 'write')
      .mockImplementation((chunk: string | Uint8Array) => {
        logged.push(String(chunk));
        return true;
      });
    const service = await createAppService({
      home,
      mode: 'desktop',
      demo: 'never',
      settings: openSettingsStore({ cwd: home }),
      tokens: createTokenVault({
        file: join(userData, 'api-token.json'),
        safeStorage: fakeSafeStorage('basic_text'),
      }),
    });
    try {
      const refused = await service.call('setApiToken', { token: TOKEN });
      expect(refused.ok).toBe(false);
      expect(JSON.stringify(refused)).not.toContain(TOKEN);
      expect(await service.call('setApiToken', { token: TOKEN, allowWeakStorage: true })).toEqual({
        ok: true,
        value: { stored: true },
      });
      await service.call('updateSettings', { apiUrl: 'https://api.otesse.example', theme: 'dark' });
      const info = await service.call('appInfo', {});
      expect(info).toMatchObject({
        ok: true,
        value: { hasApiToken: true, secureTokenStorage: false },
      });
      expect(JSON.stringify(info)).not.toContain(TOKEN);
      const ws = await service.call('createWorkspace', { name: 'Acme' });
      expect(ws.ok).toBe(true);
    } finally {
      await service.close();
      spies.forEach((s) => s.mockRestore());
      stderr.mockRestore();
    }
    const files = [...allFiles(home), ...allFiles(userData)];
    expect(files.length).toBeGreaterThan(2);
    for (const file of files) expect(leaks(file.bytes), file.path).toBe(false);
    expect(logged.join('\n')).not.toContain(TOKEN);
  });
});
