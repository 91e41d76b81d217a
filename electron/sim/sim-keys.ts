// The simulated Otesse signing keys. Key 1 signs until the rotation day, key 2 from then on; the
// trust store written beside the bundles bounds each with validFrom/validTo at the rotation instant.
// Without a key folder the keys are derived from the seed: reproducible, and therefore public.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { generateKeyPair, loadPrivateKey, publicKeyOf } from '../core/bundle/keys';
import type { TrustedKey } from '../core/bundle/trust-store';
import type { Seed } from './random';

export const SIM_KEY_IDS = ['otesse-sim-1', 'otesse-sim-2'] as const;

export interface SimKey {
  keyId: string;
  privateKey: KeyObject;
  /** base64 of the raw 32-byte Ed25519 public key. */
  publicKey: string;
}

// PKCS#8 DER prefix of an Ed25519 private key (RFC 8410); the 32-byte seed follows.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The signing keys: loaded from `keyDir` (`<keyId>.private.pem`, as `audit-desk keygen` writes
 * them) and created there when missing, or derived from the seed when no folder is given.
 */
export function simKeys(options: { seed: Seed; keyDir?: string; count: 1 | 2 }): SimKey[] {
  return SIM_KEY_IDS.slice(0, options.count).map((keyId) => {
    const privateKey =
      options.keyDir === undefined
        ? derivedKey(options.seed, keyId)
        : keyFromDir(options.keyDir, keyId);
    return { keyId, privateKey, publicKey: publicKeyOf(privateKey) };
  });
}

/** The key derived from the seed for `keyId` (public: anyone who knows the seed can sign with it). */
export function derivedKey(seed: Seed, keyId: string): KeyObject {
  const secret = createHash('sha256')
    .update(`audit-desk-sim/signing-key/${String(seed)}/${keyId}`)
    .digest();
  return createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, secret]),
    format: 'der',
    type: 'pkcs8',
  });
}

function keyFromDir(keyDir: string, keyId: string): KeyObject {
  const path = join(keyDir, `${keyId}.private.pem`);
  if (!existsSync(path)) {
    mkdirSync(keyDir, { recursive: true });
    try {
      writeFileSync(path, generateKeyPair().privateKeyPem, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another simulator run created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return loadPrivateKey(readFileSync(path, 'utf8'));
}

/** Trust-store entries for `keys`; with a rotation, key 1 ends and key 2 begins at `rotatedAt`. */
export function trustedSimKeys(keys: readonly SimKey[], rotatedAt: string | null): TrustedKey[] {
  return keys.map((key, i) => ({
    keyId: key.keyId,
    algorithm: 'Ed25519' as const,
    publicKey: key.publicKey,
    validFrom: i === 1 ? rotatedAt : null,
    validTo: i === 0 && keys.length > 1 ? rotatedAt : null,
    revoked: false,
    note: i === 0 ? 'Otesse simulator signing key' : 'Otesse simulator signing key after rotation',
  }));
}
