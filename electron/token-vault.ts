// The Otesse API token, encrypted with Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet)
// in a small file in userData. Where Linux has no secret service, safeStorage falls back to
// `basic_text` (a fixed, public key): that is obfuscation, not protection, so storing is refused
// unless the request says the user accepted it (`allowWeakStorage`, asked by the UI first), and a
// warning is logged. The token itself is never written in plain text, logged, or put in an error.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { rejectedError, runtimeError } from './core/errors';

/** The part of Electron's `safeStorage` the vault uses (faked in tests). */
export interface SafeStorageEdge {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text`, `gnome_libsecret`, `kwallet*`, `unknown`. */
  getSelectedStorageBackend?(): string;
}

export type StorageStrength = 'secure' | 'weak' | 'unavailable';

/** How well the OS can protect a secret right now (call after app ready). */
export function storageStrength(safeStorage: SafeStorageEdge): StorageStrength {
  if (!safeStorage.isEncryptionAvailable()) return 'unavailable';
  const backend = safeStorage.getSelectedStorageBackend?.();
  return backend === 'basic_text' || backend === 'unknown' ? 'weak' : 'secure';
}

const fileSchema = z.strictObject({
  version: z.literal(1),
  weak: z.boolean(),
  /** safeStorage ciphertext, base64. */
  data: z.string().min(1),
});

/** The app service's TokenVault (electron/core/app/context.ts), backed by safeStorage. */
export interface SafeTokenVault {
  has(): boolean;
  /** The token, or null when none is stored or it cannot be decrypted any more. */
  get(): string | null;
  set(token: string, options: { allowWeakStorage: boolean }): void;
  clear(): void;
  /** Whether the OS protects the token with a real secret store (false for Linux basic_text). */
  readonly secure: boolean;
}

export function createTokenVault(options: {
  file: string;
  safeStorage: SafeStorageEdge;
  warn?: (message: string) => void;
}): SafeTokenVault {
  const { file, safeStorage } = options;
  const warn = options.warn ?? ((message: string) => console.warn(`audit-desk: ${message}`));

  function load(): z.infer<typeof fileSchema> | null {
    try {
      const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  return {
    has: () => load() !== null,
    get secure() {
      return storageStrength(safeStorage) === 'secure';
    },
    set(token, { allowWeakStorage }) {
      const strength = storageStrength(safeStorage);
      if (strength === 'unavailable') {
        throw rejectedError(
          'This system offers no encryption for secrets; the API token was not stored (set OTESSE_API_TOKEN for the CLI instead).',
        );
      }
      if (strength === 'weak' && !allowWeakStorage) {
        throw rejectedError(
          'No secure secret store (like GNOME Keyring or KWallet) is available; confirm to store the API token with weak protection.',
        );
      }
      if (strength === 'weak') {
        warn('the API token is stored with weak protection (no OS secret store: basic_text)');
      }
      let data: string;
      try {
        data = safeStorage.encryptString(token).toString('base64');
      } catch {
        // The OS error could quote its input: never pass it on.
        throw runtimeError('The API token could not be encrypted by the OS secret store.');
      }
      const content = JSON.stringify({ version: 1, weak: strength === 'weak', data });
      try {
        mkdirSync(dirname(file), { recursive: true });
        const temp = `${file}.${process.pid}.tmp`;
        writeFileSync(temp, content, { mode: 0o600 });
        renameSync(temp, file);
      } catch (error) {
        throw runtimeError(
          `The API token could not be saved: ${(error as NodeJS.ErrnoException).code ?? 'I/O error'}`,
        );
      }
    },
    get() {
      const stored = load();
      if (!stored) return null;
      try {
        return safeStorage.decryptString(Buffer.from(stored.data, 'base64'));
      } catch {
        warn('the stored API token cannot be decrypted any more (OS key changed); store it again');
        return null;
      }
    },
    clear() {
      rmSync(file, { force: true });
    },
  };
}
