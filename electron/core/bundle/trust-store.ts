// Trust store: the pinned Ed25519 keys a bundle may be signed with (docs/bundle-format.md §Trust store).
// A file `{version: 1, keys: [...]}` or a folder of such files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { VerdictCause } from '../../../shared/bundle';
import { loadPublicKey } from './keys';
import { isIsoInstant } from '../../../shared/iso-time';
import { quote } from './untrusted';

const isoInstant = z.string().refine(isIsoInstant, 'must be an ISO 8601 UTC instant');

export const trustedKeySchema = z.object({
  keyId: z.string().min(1),
  algorithm: z.literal('Ed25519').default('Ed25519'),
  publicKey: z.string(),
  validFrom: isoInstant.nullable().default(null),
  validTo: isoInstant.nullable().default(null),
  revoked: z.boolean().default(false),
  note: z.string().optional(),
});
export type TrustedKey = z.infer<typeof trustedKeySchema>;

const trustFileSchema = z.object({ version: z.literal(1), keys: z.array(trustedKeySchema) });

export type KeyCheck =
  | { ok: true; key: TrustedKey; publicKey: KeyObject }
  | { ok: false; cause: VerdictCause; message: string };

export class TrustStore {
  private readonly keys = new Map<string, { key: TrustedKey; publicKey: KeyObject }>();

  constructor(keys: readonly TrustedKey[]) {
    for (const key of keys) {
      if (this.keys.has(key.keyId)) throw new Error(`key ${quote(key.keyId)} appears twice`);
      this.keys.set(key.keyId, { key, publicKey: loadPublicKey(key.publicKey) });
    }
  }

  list(): TrustedKey[] {
    return [...this.keys.values()].map((k) => k.key);
  }

  /**
   * Whether `keyId` may sign a bundle issued at `issuedAt`: known, not revoked, in its validity.
   * Both come from a manifest whose signature is not checked yet, so messages quote them.
   */
  check(keyId: string, issuedAt: string): KeyCheck {
    const found = this.keys.get(keyId);
    const name = `signing key ${quote(keyId)}`;
    if (found === undefined) {
      return { ok: false, cause: 'unknown_key', message: `${name} is not in the trust store` };
    }
    const { key } = found;
    if (key.revoked) {
      return { ok: false, cause: 'revoked_key', message: `${name} is revoked` };
    }
    const at = Date.parse(issuedAt);
    if (key.validFrom !== null && at < Date.parse(key.validFrom)) {
      return {
        ok: false,
        cause: 'expired_key',
        message: `${name} was not yet valid at issue time ${quote(issuedAt)} (valid from ${key.validFrom})`,
      };
    }
    if (key.validTo !== null && at >= Date.parse(key.validTo)) {
      return {
        ok: false,
        cause: 'expired_key',
        message: `${name} had expired at issue time ${quote(issuedAt)} (valid to ${key.validTo})`,
      };
    }
    return { ok: true, ...found };
  }
}

export function parseTrustFile(text: string, source: string): TrustedKey[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`trust store ${source} is not JSON`);
  }
  const parsed = trustFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `trust store ${source} is invalid: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    );
  }
  return parsed.data.keys;
}

/** Loads a trust store file, or every `*.json` file of a folder. Throws one-line errors. */
export function loadTrustStore(path: string): TrustStore {
  const keys = isFolder(path)
    ? readFolder(path)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .flatMap((name) => readTrustFile(join(path, name)))
    : readTrustFile(path);
  try {
    return new TrustStore(keys);
  } catch (error) {
    throw new Error(`trust store ${path}: ${(error as Error).message}`, { cause: error });
  }
}

// File-system errors are rewrapped so that the message names the path at fault, in one line.
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    throw fsError(path, error);
  }
}

function readFolder(path: string): string[] {
  try {
    return readdirSync(path);
  } catch (error) {
    throw fsError(path, error);
  }
}

function readTrustFile(path: string): TrustedKey[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw fsError(path, error);
  }
  return parseTrustFile(text, path);
}

function fsError(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'does not exist'
      : code === 'EISDIR'
        ? 'is a folder, not a file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'cannot be read (permission denied)'
          : `cannot be read (${code ?? (error as Error).message})`;
  return new Error(`trust store ${path} ${why}`, { cause: error });
}

export function serializeTrustStore(keys: readonly TrustedKey[]): string {
  return `${JSON.stringify({ version: 1, keys }, null, 2)}\n`;
}
