// Trust store: which keys may sign a bundle issued when; loading a file or a folder of files.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeKey, tempDir } from '../../../tests/helpers/bundles';
import { generateKeyPair } from './keys';
import {
  loadTrustStore,
  parseTrustFile,
  serializeTrustStore,
  TrustStore,
  type TrustedKey,
} from './trust-store';

const key = (keyId: string, overrides: Partial<TrustedKey> = {}): TrustedKey =>
  makeKey(keyId, overrides).trusted;

describe('TrustStore.check', () => {
  it('accepts a known, unrevoked key without validity bounds at any time', () => {
    const store = new TrustStore([key('k1')]);
    for (const at of [
      '1970-01-01T00:00:00.000Z',
      '2026-11-24T14:03:11.123Z',
      '9999-12-31T23:59:59.999Z',
    ]) {
      const check = store.check('k1', at);
      expect(check.ok, at).toBe(true);
      if (check.ok) expect(check.key.keyId).toBe('k1');
    }
  });

  it('refuses an unknown key id as unknown_key, naming it', () => {
    const check = new TrustStore([key('k1')]).check('k2', '2026-11-24T00:00:00.000Z');
    expect(check).toMatchObject({ ok: false, cause: 'unknown_key' });
    if (!check.ok) expect(check.message).toContain('"k2"');
    // Key ids are exact: no case folding or trimming.
    expect(new TrustStore([key('k1')]).check('K1', '2026-11-24T00:00:00.000Z')).toMatchObject({
      cause: 'unknown_key',
    });
    expect(new TrustStore([key('k1')]).check('k1 ', '2026-11-24T00:00:00.000Z')).toMatchObject({
      cause: 'unknown_key',
    });
  });

  it('refuses a revoked key as revoked_key, even inside its validity', () => {
    const store = new TrustStore([
      key('k1', {
        revoked: true,
        validFrom: '2026-01-01T00:00:00.000Z',
        validTo: '2027-01-01T00:00:00.000Z',
      }),
    ]);
    expect(store.check('k1', '2026-06-01T00:00:00.000Z')).toMatchObject({
      ok: false,
      cause: 'revoked_key',
    });
  });

  it('treats validFrom as inclusive and validTo as exclusive', () => {
    const store = new TrustStore([
      key('k1', { validFrom: '2026-01-01T00:00:00.000Z', validTo: '2026-07-01T00:00:00.000Z' }),
    ]);
    expect(store.check('k1', '2025-12-31T23:59:59.999Z')).toMatchObject({
      ok: false,
      cause: 'expired_key',
    });
    expect(store.check('k1', '2026-01-01T00:00:00.000Z').ok).toBe(true);
    expect(store.check('k1', '2026-06-30T23:59:59.999Z').ok).toBe(true);
    // Issued exactly at validTo: expired.
    expect(store.check('k1', '2026-07-01T00:00:00.000Z')).toMatchObject({
      ok: false,
      cause: 'expired_key',
    });
    expect(store.check('k1', '2030-01-01T00:00:00.000Z')).toMatchObject({
      ok: false,
      cause: 'expired_key',
    });
  });

  it('supports open-ended validity on either side', () => {
    const from = new TrustStore([key('k1', { validFrom: '2026-01-01T00:00:00.000Z' })]);
    expect(from.check('k1', '2025-12-31T23:59:59.999Z')).toMatchObject({ cause: 'expired_key' });
    expect(from.check('k1', '9999-01-01T00:00:00.000Z').ok).toBe(true);
    const to = new TrustStore([key('k1', { validTo: '2026-01-01T00:00:00.000Z' })]);
    expect(to.check('k1', '1970-01-01T00:00:00.000Z').ok).toBe(true);
    expect(to.check('k1', '2026-01-01T00:00:00.000Z')).toMatchObject({ cause: 'expired_key' });
  });

  it('hands over from a rotated-out key to its successor at one instant, without overlap or gap', () => {
    const handover = '2026-07-01T00:00:00.000Z';
    const store = new TrustStore([
      key('old', { validTo: handover }),
      key('new', { validFrom: handover }),
    ]);
    const before = '2026-06-30T23:59:59.999Z';
    expect(store.check('old', before).ok).toBe(true);
    expect(store.check('new', before)).toMatchObject({ cause: 'expired_key' });
    expect(store.check('old', handover)).toMatchObject({ cause: 'expired_key' });
    expect(store.check('new', handover).ok).toBe(true);
  });

  it('says in the message whether the key was not yet valid or had expired', () => {
    const store = new TrustStore([
      key('k1', { validFrom: '2026-01-01T00:00:00.000Z', validTo: '2026-07-01T00:00:00.000Z' }),
    ]);
    const early = store.check('k1', '2025-01-01T00:00:00.000Z');
    const late = store.check('k1', '2027-01-01T00:00:00.000Z');
    expect(!early.ok && early.message).toMatch(/not yet valid/);
    expect(!late.ok && late.message).toMatch(/expired/);
  });

  it('refuses a duplicate key id', () => {
    expect(() => new TrustStore([key('k1'), key('k1')])).toThrow('key "k1" appears twice');
  });

  it('refuses a public key that is not 32 raw bytes', () => {
    expect(
      () => new TrustStore([key('k1', { publicKey: Buffer.alloc(31).toString('base64') })]),
    ).toThrow(/32 raw Ed25519 bytes/);
  });

  it('lists its keys', () => {
    const keys = [key('a'), key('b', { revoked: true })];
    expect(new TrustStore(keys).list()).toEqual(keys);
  });
});

describe('trust store files', () => {
  let dir: { path: string; remove(): void };
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  const write = (name: string, content: unknown) => {
    const path = join(dir.path, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('round-trips through serializeTrustStore', () => {
    const keys = [
      key('a', { validFrom: '2026-01-01T00:00:00.000Z', note: 'primary' }),
      key('b', { revoked: true, validTo: '2026-01-01T00:00:00.000Z' }),
    ];
    expect(parseTrustFile(serializeTrustStore(keys), 'x')).toEqual(keys);
    const store = loadTrustStore(write('trust.json', serializeTrustStore(keys)));
    expect(store.list()).toEqual(keys);
  });

  it('fills in defaults for a minimal key: Ed25519, no bounds, not revoked', () => {
    const publicKey = generateKeyPair().publicKeyBase64;
    const store = loadTrustStore(
      write('trust.json', { version: 1, keys: [{ keyId: 'k', publicKey }] }),
    );
    expect(store.list()).toEqual([
      {
        keyId: 'k',
        algorithm: 'Ed25519',
        publicKey,
        validFrom: null,
        validTo: null,
        revoked: false,
      },
    ]);
    expect(store.check('k', '2026-01-01T00:00:00.000Z').ok).toBe(true);
  });

  it('loads every *.json file of a folder and ignores other files', () => {
    write('a.json', serializeTrustStore([key('a')]));
    write('b.json', serializeTrustStore([key('b'), key('c', { revoked: true })]));
    write('README.md', 'not a trust store');
    write('notes.json.bak', '{');
    const store = loadTrustStore(dir.path);
    expect(
      store
        .list()
        .map((k) => k.keyId)
        .sort(),
    ).toEqual(['a', 'b', 'c']);
    expect(store.check('c', '2026-01-01T00:00:00.000Z')).toMatchObject({ cause: 'revoked_key' });
  });

  it('loads an empty folder as a store that trusts nothing', () => {
    const store = loadTrustStore(dir.path);
    expect(store.list()).toEqual([]);
    expect(store.check('any', '2026-01-01T00:00:00.000Z')).toMatchObject({ cause: 'unknown_key' });
  });

  it('refuses a key id that appears in two files of a folder', () => {
    write('a.json', serializeTrustStore([key('dup')]));
    write('b.json', serializeTrustStore([key('dup')]));
    expect(() => loadTrustStore(dir.path)).toThrow(
      `trust store ${dir.path}: key "dup" appears twice`,
    );
  });

  const malformed: [string, unknown, RegExp][] = [
    ['not JSON', '{"version":1,', /is not JSON/],
    ['empty file', '', /is not JSON/],
    ['a JSON array', [], /is invalid/],
    ['an unknown version', { version: 2, keys: [] }, /is invalid: version/],
    ['keys not an array', { version: 1, keys: {} }, /is invalid: keys/],
    [
      'a key without publicKey',
      { version: 1, keys: [{ keyId: 'k' }] },
      /is invalid: keys\.0\.publicKey/,
    ],
    [
      'a key with an empty id',
      { version: 1, keys: [{ keyId: '', publicKey: 'x' }] },
      /is invalid: keys\.0\.keyId/,
    ],
    [
      'another algorithm',
      { version: 1, keys: [{ keyId: 'k', publicKey: 'x', algorithm: 'RSA' }] },
      /is invalid: keys\.0\.algorithm/,
    ],
    [
      'a bad validTo',
      { version: 1, keys: [{ keyId: 'k', publicKey: 'x', validTo: 'tomorrow' }] },
      /is invalid: keys\.0\.validTo must be an ISO 8601 UTC instant/,
    ],
    [
      'a revoked flag as text',
      { version: 1, keys: [{ keyId: 'k', publicKey: 'x', revoked: 'yes' }] },
      /is invalid: keys\.0\.revoked/,
    ],
    [
      'a short public key',
      { version: 1, keys: [{ keyId: 'k', publicKey: 'AAAA' }] },
      /32 raw Ed25519 bytes/,
    ],
  ];

  it.each(malformed)(
    'refuses %s with a one-line error naming the file',
    (_name, content, pattern) => {
      const path = write('trust.json', content);
      let message = '';
      try {
        loadTrustStore(path);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(pattern);
      expect(message).toContain(path);
      expect(message).not.toContain('\n');
    },
  );

  it('names the bad file inside a folder', () => {
    write('a.json', serializeTrustStore([key('a')]));
    const bad = write('b.json', '{oops');
    expect(() => loadTrustStore(dir.path)).toThrow(`trust store ${bad} is not JSON`);
  });

  it('reports a missing path in one line', () => {
    const missing = join(dir.path, 'nope.json');
    expect(() => loadTrustStore(missing)).toThrow(`trust store ${missing} does not exist`);
  });

  it('reports a folder entry that cannot be read in one line', () => {
    mkdirSync(join(dir.path, 'sub.json'));
    expect(() => loadTrustStore(dir.path)).toThrow(/^[^\n]+$/);
  });

  // A *.json entry that cannot be read (a folder named x.json, a file without read permission)
  // is named in the error, not reported as a bare fs error.
  it('names the folder entry that cannot be read', () => {
    const sub = join(dir.path, 'sub.json');
    mkdirSync(sub);
    expect(() => loadTrustStore(dir.path)).toThrow(sub);
    expect(() => loadTrustStore(dir.path)).toThrow(`trust store ${sub} is a folder, not a file`);
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)(
    'names a file it has no permission to read',
    () => {
      const path = write('trust.json', serializeTrustStore([key('a')]));
      chmodSync(path, 0o000);
      expect(() => loadTrustStore(path)).toThrow(
        `trust store ${path} cannot be read (permission denied)`,
      );
      expect(() => loadTrustStore(dir.path)).toThrow(path);
    },
  );

  it('quotes a key id from the file in its error', () => {
    write('a.json', serializeTrustStore([key('du\np')]));
    write('b.json', serializeTrustStore([key('du\np')]));
    expect(() => loadTrustStore(dir.path)).toThrow(/: key "du\\np" appears twice$/);
  });
});
