// Ed25519 keys: RFC 8032 vectors, round trips, and strict parsing of keys and signatures.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateKeyPair,
  loadPrivateKey,
  loadPublicKey,
  publicKeyOf,
  signBytes,
  verifyBytes,
} from './keys';

// RFC 8032 §7.1, TEST 1 and TEST 2.
const RFC8032 = [
  {
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

const b64 = (hexText: string) => Buffer.from(hexText, 'hex').toString('base64');

/** PKCS#8 PEM of a raw RFC 8032 secret key. */
function pemOf(secretHex: string, publicHex: string): string {
  const key = createPrivateKey({
    key: {
      kty: 'OKP',
      crv: 'Ed25519',
      d: Buffer.from(secretHex, 'hex').toString('base64url'),
      x: Buffer.from(publicHex, 'hex').toString('base64url'),
    },
    format: 'jwk',
  });
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

describe('RFC 8032 test vectors', () => {
  it.each(RFC8032.map((v, i) => [i + 1, v] as const))(
    'TEST %i: derives the public key and signs deterministically',
    (_n, vector) => {
      const privateKey = loadPrivateKey(pemOf(vector.secret, vector.public));
      expect(publicKeyOf(privateKey)).toBe(b64(vector.public));
      const message = Buffer.from(vector.message, 'hex');
      expect(signBytes(message, privateKey)).toBe(b64(vector.signature));
      expect(verifyBytes(message, b64(vector.signature), loadPublicKey(b64(vector.public)))).toBe(
        true,
      );
    },
  );

  it('refuses a vector signature on another message or under another key', () => {
    const [one, two] = RFC8032;
    expect(
      verifyBytes(Buffer.from('72', 'hex'), b64(one!.signature), loadPublicKey(b64(one!.public))),
    ).toBe(false);
    expect(verifyBytes(Buffer.alloc(0), b64(one!.signature), loadPublicKey(b64(two!.public)))).toBe(
      false,
    );
  });
});

describe('generated keys', () => {
  it('produce a PKCS#8 PEM and the base64 of 32 raw public key bytes that belong together', () => {
    const pair = generateKeyPair();
    expect(pair.privateKeyPem).toMatch(
      /^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/,
    );
    expect(Buffer.from(pair.publicKeyBase64, 'base64')).toHaveLength(32);
    const privateKey = loadPrivateKey(pair.privateKeyPem);
    expect(publicKeyOf(privateKey)).toBe(pair.publicKeyBase64);
    const message = Buffer.from('{"formatVersion":1}');
    const signature = signBytes(message, privateKey);
    expect(Buffer.from(signature, 'base64')).toHaveLength(64);
    expect(verifyBytes(message, signature, loadPublicKey(pair.publicKeyBase64))).toBe(true);
  });

  it('are distinct each time', () => {
    expect(generateKeyPair().publicKeyBase64).not.toBe(generateKeyPair().publicKeyBase64);
  });
});

describe('verifyBytes', () => {
  const pair = generateKeyPair();
  const privateKey = loadPrivateKey(pair.privateKeyPem);
  const publicKey = loadPublicKey(pair.publicKeyBase64);
  const message = Buffer.from('manifest bytes');
  const signature = signBytes(message, privateKey);

  it('refuses a changed message, any flipped signature bit, and another key', () => {
    expect(verifyBytes(Buffer.from('manifest byteS'), signature, publicKey)).toBe(false);
    const raw = Buffer.from(signature, 'base64');
    for (let bit = 0; bit < raw.length * 8; bit += 37) {
      const flipped = Buffer.from(raw);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      expect(verifyBytes(message, flipped.toString('base64'), publicKey), `bit ${bit}`).toBe(false);
    }
    expect(verifyBytes(message, signature, loadPublicKey(generateKeyPair().publicKeyBase64))).toBe(
      false,
    );
  });

  it('refuses signatures of the wrong length or not in canonical base64', () => {
    const raw = Buffer.from(signature, 'base64');
    expect(verifyBytes(message, raw.subarray(0, 63).toString('base64'), publicKey)).toBe(false);
    expect(
      verifyBytes(message, Buffer.concat([raw, Buffer.alloc(1)]).toString('base64'), publicKey),
    ).toBe(false);
    expect(verifyBytes(message, '', publicKey)).toBe(false);
    expect(verifyBytes(message, signature.replace(/=+$/, ''), publicKey)).toBe(false); // padding stripped
    expect(verifyBytes(message, ` ${signature}`, publicKey)).toBe(false);
    expect(
      verifyBytes(message, `${signature.slice(0, 40)}\n${signature.slice(40)}`, publicKey),
    ).toBe(false);
    expect(verifyBytes(message, raw.toString('base64url'), publicKey)).toBe(
      raw.toString('base64url') === signature,
    );
    expect(verifyBytes(message, signature, publicKey)).toBe(true);
  });
});

describe('loadPublicKey', () => {
  it('refuses anything but base64 of exactly 32 bytes', () => {
    for (const length of [0, 1, 31, 33, 64]) {
      expect(
        () => loadPublicKey(Buffer.alloc(length, 7).toString('base64')),
        `${length} bytes`,
      ).toThrow(/32 raw Ed25519 bytes/);
    }
    expect(() => loadPublicKey('not base64 at all!')).toThrow(/32 raw Ed25519 bytes/);
  });

  it('refuses a valid key written in another encoding (base64url, no padding, whitespace, hex)', () => {
    // The RFC 8032 TEST 1 key has a "/" in base64, so its base64url form differs.
    const canonical = b64(RFC8032[0]!.public);
    expect(canonical).toContain('/');
    expect(() => loadPublicKey(canonical)).not.toThrow();
    expect(() =>
      loadPublicKey(Buffer.from(RFC8032[0]!.public, 'hex').toString('base64url')),
    ).toThrow();
    expect(() => loadPublicKey(canonical.replace(/=+$/, ''))).toThrow();
    expect(() => loadPublicKey(`${canonical}\n`)).toThrow();
    expect(() => loadPublicKey(RFC8032[0]!.public)).toThrow();
  });
});

describe('loadPrivateKey', () => {
  it('refuses keys that are not Ed25519, naming their type', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(() => loadPrivateKey(ec)).toThrow(/not an Ed25519 private key \(ec\)/);
    const x25519 = generateKeyPairSync('x25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(() => loadPrivateKey(x25519)).toThrow(/not an Ed25519 private key \(x25519\)/);
  });

  it('refuses text that is not a private key', () => {
    expect(() => loadPrivateKey('hello')).toThrow();
    const publicPem = generateKeyPairSync('ed25519')
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(() => loadPrivateKey(publicPem)).toThrow();
  });
});
