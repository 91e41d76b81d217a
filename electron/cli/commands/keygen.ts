import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateKeyPair } from '../../core/bundle/keys';
import {
  parseTrustFile,
  serializeTrustStore,
  type TrustedKey,
} from '../../core/bundle/trust-store';
import { runtimeError, usageError } from '../../core/errors';
import { isoInstant, optionalString, requiredString } from '../args';
import type { Command } from '../command';

export const keygen: Command = {
  name: 'keygen',
  usage: 'keygen --out DIR --key-id ID [--valid-from ISO] [--valid-to ISO]',
  summary: 'new Ed25519 signing key pair; adds its public key to DIR/trust.json',
  positionals: 'none',
  options: {
    out: { type: 'string' },
    'key-id': { type: 'string' },
    'valid-from': { type: 'string' },
    'valid-to': { type: 'string' },
  },
  run(args) {
    const dir = resolve(requiredString(args, 'out'));
    const keyId = requiredString(args, 'key-id');
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(keyId)) {
      throw usageError('--key-id may hold letters, digits, ".", "_" and "-" (it names a file)');
    }
    const validFrom = optionalString(args, 'valid-from');
    const validTo = optionalString(args, 'valid-to');
    const privateKeyPath = join(dir, `${keyId}.private.pem`);
    const trustPath = join(dir, 'trust.json');
    if (existsSync(privateKeyPath))
      throw runtimeError(`${privateKeyPath} already exists; choose another --key-id`);
    const keys: TrustedKey[] = existsSync(trustPath)
      ? parseTrustFile(readFileSync(trustPath, 'utf8'), trustPath)
      : [];
    if (keys.some((k) => k.keyId === keyId))
      throw runtimeError(`${trustPath} already holds key "${keyId}"`);

    const pair = generateKeyPair();
    keys.push({
      keyId,
      algorithm: 'Ed25519',
      publicKey: pair.publicKeyBase64,
      validFrom: validFrom === undefined ? null : isoInstant(args, 'valid-from', validFrom),
      validTo: validTo === undefined ? null : isoInstant(args, 'valid-to', validTo),
      revoked: false,
    });
    mkdirSync(dir, { recursive: true });
    writeFileSync(privateKeyPath, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
    writeFileSync(trustPath, serializeTrustStore(keys));
    return {
      json: {
        keyId,
        privateKey: privateKeyPath,
        trustStore: trustPath,
        publicKey: pair.publicKeyBase64,
      },
      text: `key ${keyId}\n  private key  ${privateKeyPath} (keep it secret)\n  trust store  ${trustPath}\n`,
      exitCode: 0,
    };
  },
};
