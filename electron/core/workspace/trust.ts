// Which trust store an operation uses: the one named on the command line; else the keys this
// workspace recorded when it last imported; else the trust store pinned in the app's resources.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadTrustStore, TrustStore, type TrustedKey } from '../bundle/trust-store';
import { runtimeError } from '../errors';
import type { Workspace } from './database';

export const PINNED_TRUST_STORE = fileURLToPath(new URL('../../../resources/trust/pinned.json', import.meta.url));

export interface ResolvedTrust {
  trust: TrustStore;
  source: string;
}

export function loadTrust(path: string): ResolvedTrust {
  try {
    return { trust: loadTrustStore(path), source: path };
  } catch (error) {
    throw runtimeError(`cannot load trust store: ${(error as Error).message}`);
  }
}

export function resolveTrust(explicitPath: string | undefined, ws?: Workspace): ResolvedTrust {
  if (explicitPath !== undefined) return loadTrust(explicitPath);
  if (ws !== undefined) {
    const keys = recordedKeys(ws);
    if (keys.length > 0) return { trust: new TrustStore(keys), source: 'workspace' };
  }
  const pinned = process.env.AUDIT_DESK_TRUST ?? PINNED_TRUST_STORE;
  if (!existsSync(pinned)) throw runtimeError('no trust store: pass --trust PATH');
  return loadTrust(pinned);
}

function recordedKeys(ws: Workspace): TrustedKey[] {
  const rows = ws.db
    .prepare('SELECT key_id, public_key, valid_from, valid_to, revoked FROM trust_keys ORDER BY key_id')
    .all() as { key_id: string; public_key: string; valid_from: string | null; valid_to: string | null; revoked: number }[];
  return rows.map((r) => ({
    keyId: r.key_id,
    algorithm: 'Ed25519',
    publicKey: r.public_key,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    revoked: r.revoked === 1,
  }));
}
