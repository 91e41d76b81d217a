// Which trust store an operation uses: the one named on the command line; else the configured store
// ($AUDIT_DESK_TRUST, else the store pinned in the app's resources), to which a workspace adds the
// keys it recorded at earlier imports, but only keys the configured store does not know: a key the
// configured store revokes, expires or replaces stays as it says, whatever the workspace recorded.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadTrustStore, TrustStore, type TrustedKey } from '../bundle/trust-store';
import { runtimeError } from '../errors';
import type { Workspace } from './database';

export const PINNED_TRUST_STORE = fileURLToPath(
  new URL('../../../resources/trust/pinned.json', import.meta.url),
);

export interface ResolvedTrust {
  trust: TrustStore;
  /** Where the keys came from: the store's path, `workspace`, or `<path> + workspace`. */
  source: string;
  /** True for `--trust PATH`: the workspace's recorded keys are then not used. */
  explicit: boolean;
}

/** Loads one trust store file or folder; its path is its source. */
export function loadTrust(path: string): { trust: TrustStore; source: string } {
  try {
    return { trust: loadTrustStore(path), source: path };
  } catch (error) {
    throw runtimeError(`cannot load trust store: ${(error as Error).message}`);
  }
}

/**
 * The trust store given or configured, loaded before anything else happens (an import then fails
 * before it creates a workspace). Without --trust the configured store must exist even when a
 * workspace recorded keys: its revocations and expiries always apply.
 */
export function configuredTrust(explicitPath: string | undefined): ResolvedTrust {
  if (explicitPath !== undefined) return { ...loadTrust(explicitPath), explicit: true };
  const path = process.env.AUDIT_DESK_TRUST ?? PINNED_TRUST_STORE;
  if (!existsSync(path)) throw runtimeError('no trust store: pass --trust PATH');
  return { ...loadTrust(path), explicit: false };
}

/** Adds the workspace's recorded keys that the configured store does not know (never with --trust). */
export function withRecordedKeys(configured: ResolvedTrust, ws: Workspace): ResolvedTrust {
  if (configured.explicit) return configured;
  const known = configured.trust.list();
  const knownIds = new Set(known.map((k) => k.keyId));
  const added = recordedKeys(ws).filter((k) => !knownIds.has(k.keyId));
  if (added.length === 0) return configured;
  return {
    trust: new TrustStore([...known, ...added]),
    source: known.length === 0 ? 'workspace' : `${configured.source} + workspace`,
    explicit: false,
  };
}

export function resolveTrust(explicitPath: string | undefined, ws?: Workspace): ResolvedTrust {
  const configured = configuredTrust(explicitPath);
  return ws === undefined ? configured : withRecordedKeys(configured, ws);
}

function recordedKeys(ws: Workspace): TrustedKey[] {
  const rows = ws.db
    .prepare(
      'SELECT key_id, public_key, valid_from, valid_to, revoked FROM trust_keys ORDER BY key_id',
    )
    .all() as {
    key_id: string;
    public_key: string;
    valid_from: string | null;
    valid_to: string | null;
    revoked: number;
  }[];
  return rows.map((r) => ({
    keyId: r.key_id,
    algorithm: 'Ed25519',
    publicKey: r.public_key,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    revoked: r.revoked === 1,
  }));
}
