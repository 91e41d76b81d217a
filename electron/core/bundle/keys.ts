// Ed25519 (RFC 8032) keys through node:crypto. Public keys travel as base64 of the raw 32 bytes.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

export interface KeyPair {
  privateKeyPem: string;
  publicKeyBase64: string;
}

export function generateKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyBase64: rawPublicKey(publicKey),
  };
}

function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.x === undefined) throw new Error('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}

/** Loads a PKCS#8 PEM private key and checks that it is Ed25519. */
export function loadPrivateKey(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`not an Ed25519 private key (${key.asymmetricKeyType ?? 'unknown type'})`);
  }
  return key;
}

export function publicKeyOf(privateKey: KeyObject): string {
  return rawPublicKey(createPublicKey(privateKey));
}

/** Parses base64 of a raw 32-byte Ed25519 public key. */
export function loadPublicKey(base64: string): KeyObject {
  const raw = Buffer.from(base64, 'base64');
  if (raw.length !== 32 || raw.toString('base64') !== base64) {
    throw new Error('public key must be base64 of 32 raw Ed25519 bytes');
  }
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

export function signBytes(message: Uint8Array, privateKey: KeyObject): string {
  return sign(null, message, privateKey).toString('base64');
}

export function verifyBytes(
  message: Uint8Array,
  signatureBase64: string,
  publicKey: KeyObject,
): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length !== 64 || signature.toString('base64') !== signatureBase64) return false;
  return verify(null, message, publicKey, signature);
}
