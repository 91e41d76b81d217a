// Server keys chain to the trust store or are reported; another public key under a known id stops.
import { describe, expect, it } from 'vitest';
import { makeKey, trustOf } from '../../../tests/helpers/bundles';
import { AuditDeskError } from '../errors';
import { checkServerKeys } from './keys';

const k1 = makeKey('otesse-1');
const k2 = makeKey('otesse-2');
const stranger = makeKey('otesse-1');
const api = (...keys: { keyId: string; publicKey: string }[]) => ({
  keys: keys.map((k) => ({
    keyId: k.keyId,
    algorithm: 'Ed25519' as const,
    publicKey: k.publicKey,
    validFrom: null,
    validTo: null,
  })),
});

describe('checkServerKeys', () => {
  it('accepts keys the trust store holds with the same public key', () => {
    expect(checkServerKeys(api(k1.trusted, k2.trusted), trustOf(k1, k2))).toEqual({
      trusted: ['otesse-1', 'otesse-2'],
      warnings: [],
    });
  });

  it('reports a server key the trust store lacks, and goes on with the others', () => {
    expect(checkServerKeys(api(k1.trusted, k2.trusted), trustOf(k1))).toEqual({
      trusted: ['otesse-1'],
      warnings: ['server signing key "otesse-2" is not in the trust store'],
    });
  });

  it('stops (rejected, exit 1) when a known key id comes with another public key', () => {
    const run = () => checkServerKeys(api(stranger.trusted, k2.trusted), trustOf(k1, k2));
    expect(run).toThrow(AuditDeskError);
    expect(run).toThrow(/server signing key "otesse-1" does not match the trust store/);
    try {
      run();
    } catch (error) {
      expect((error as AuditDeskError).kind).toBe('rejected');
    }
  });

  it('stops when none of the server keys chains to the store', () => {
    expect(() => checkServerKeys(api(k2.trusted), trustOf(k1))).toThrow(
      /none of the server's signing keys chains to the trust store \(server signing key "otesse-2" is not in the trust store\)/,
    );
  });

  it('a revoked key is a warning, and the trust store still decides', () => {
    const revoked = { ...k2.trusted, revoked: true };
    expect(
      checkServerKeys(api(k1.trusted, k2.trusted), trustOf(k1.trusted, revoked)).warnings,
    ).toEqual(['server signing key "otesse-2" is revoked in the trust store']);
  });

  it('compares key bytes, not base64 spelling', () => {
    const unpadded = k1.trusted.publicKey.replace(/=+$/, '');
    expect(
      checkServerKeys(api({ keyId: 'otesse-1', publicKey: unpadded }), trustOf(k1)).trusted,
    ).toEqual(['otesse-1']);
  });
});

describe('checkServerKeys with no server keys', () => {
  it('stops the sync (rejected): nothing could verify', () => {
    expect(() => checkServerKeys(api(), trustOf(k1))).toThrow(
      'the server lists no signing keys: nothing it serves could verify; nothing was synced',
    );
  });
});
