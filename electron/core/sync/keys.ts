// The keys the API says it signs with are never trusted on their word (CONTRACTS.md §3): each
// must be a key the trust store already holds, with the very same public key. The store alone
// decides what verifies at import; this check only catches a server (or something in between)
// presenting keys that do not chain to it, before anything is downloaded.
import type { ApiKeys } from '../../../shared/otesse-api';
import type { TrustStore } from '../bundle/trust-store';
import { quote } from '../bundle/untrusted';
import { rejectedError } from '../errors';
import type { Redact } from './redact';

export interface KeyCheck {
  /** API keys the trust store holds with the same public key. */
  trusted: string[];
  /** One line per key that does not chain; shown to the user, the sync goes on. */
  warnings: string[];
}

/**
 * Throws (kind `rejected`, exit 1) when a key id the store knows comes with another public key
 * (someone else's key under Otesse's name), or when none of the server's keys chains to the store
 * (nothing it serves could verify). Keys the store lacks or has revoked are warnings: bundles they
 * signed are rejected one by one at import, with their cause.
 */
export function checkServerKeys(
  apiKeys: ApiKeys,
  trust: TrustStore,
  /** Applied to each server key id before it is quoted (and cut): the id is untrusted text. */
  redact: Redact = (text) => text,
): KeyCheck {
  const known = new Map(trust.list().map((k) => [k.keyId, k]));
  const trusted: string[] = [];
  const warnings: string[] = [];
  for (const key of apiKeys.keys) {
    const pinned = known.get(key.keyId);
    const name = `server signing key ${quote(redact(key.keyId))}`;
    if (pinned === undefined) {
      warnings.push(`${name} is not in the trust store`);
    } else if (!samePublicKey(pinned.publicKey, key.publicKey)) {
      throw rejectedError(
        `${name} does not match the trust store: the server presents another public key under that id; nothing was synced`,
      );
    } else if (pinned.revoked) {
      warnings.push(`${name} is revoked in the trust store`);
    } else {
      trusted.push(key.keyId);
    }
  }
  if (apiKeys.keys.length === 0)
    throw rejectedError(
      'the server lists no signing keys: nothing it serves could verify; nothing was synced',
    );
  if (trusted.length === 0) {
    throw rejectedError(
      `none of the server's signing keys chains to the trust store (${warnings.join('; ')}); pin Otesse's keys with --trust`,
    );
  }
  return { trusted, warnings };
}

/** Compares the raw key bytes, so that base64 spelling (padding, line breaks) does not matter. */
function samePublicKey(a: string, b: string): boolean {
  const x = Buffer.from(a, 'base64');
  const y = Buffer.from(b, 'base64');
  return x.length === 32 && x.equals(y);
}
