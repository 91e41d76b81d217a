// The streaming writer: the byte format it produces (checked by reading the file independently),
// what it refuses, and that a bundle file only ever appears complete.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../shared/bundle';
import type { Entry } from '../../../shared/entry';
import {
  dayEntries,
  dayStart,
  makeEntry,
  makeKey,
  TENANT,
  tempDir,
  trustOf,
} from '../../../tests/helpers/bundles';
import { canonicalJson } from './canonical';
import { MAX_HEADER_BYTES } from './format';
import { readBundleHeader } from './header';
import { loadPrivateKey } from './keys';
import { leafHash, rootFromLeafHashes } from './merkle';
import { verifyBundleFile } from './read-file';
import { parseTrustFile, TrustStore } from './trust-store';
import { BundleWriter, type BundleWriterOptions } from './writer';

const key = makeKey('otesse-writer');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

let dir: { path: string; remove(): void };
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

function writer(overrides: Partial<BundleWriterOptions> = {}): BundleWriter {
  return new BundleWriter({
    out: join(dir.path, 'out.otbundle'),
    tenant: TENANT,
    periodStart: dayStart(0),
    periodEnd: dayStart(1),
    prevDigest: null,
    keyId: key.keyId,
    privateKey: loadPrivateKey(key.privateKeyPem),
    issuedAt: '2026-11-02T00:05:00.000Z',
    ...overrides,
  });
}

/** Splits a bundle file by hand, without any of the code under test. */
function parseFile(bytes: Buffer) {
  const magicEnd = bytes.indexOf(0x0a);
  const headerEnd = bytes.indexOf(0x0a, magicEnd + 1);
  const headerText = bytes.subarray(magicEnd + 1, headerEnd).toString('utf8');
  const json = headerText.replace(/ +$/, '');
  const payload = bytes.subarray(headerEnd + 1);
  const text = payload.toString('utf8');
  return {
    magic: bytes.subarray(0, magicEnd).toString('latin1'),
    headerText,
    json,
    header: JSON.parse(json) as { manifest: Manifest; signature: string },
    payload,
    lines: text === '' ? [] : text.slice(0, -1).split('\n'),
  };
}

describe('the bundle file format', () => {
  it('is the magic line, a space-padded header and one canonical entry per line, as documented', () => {
    const entries = dayEntries(0, 41, 5);
    entries[2] = { ...entries[2]!, metadata: { '10': 1, '9': 2, note: 'a\nb' } };
    const w = writer({ prevDigest: 'ab'.repeat(32) });
    for (const entry of entries) w.add(entry);
    const written = w.finish();
    const file = parseFile(readFileSync(written.out));

    expect(file.magic).toBe('AUDITDESK-BUNDLE/1');
    expect(file.headerText.slice(file.json.length)).toMatch(/^ *$/);
    expect(Object.keys(file.header).sort()).toEqual(['manifest', 'signature']);
    expect(file.lines).toEqual(entries.map((e) => canonicalJson(e)));
    expect(file.lines.map((l) => JSON.parse(l) as unknown)).toStrictEqual(entries);
    expect(file.payload.toString('utf8').endsWith('\n')).toBe(true);

    const m = file.header.manifest;
    expect(m).toEqual({
      formatVersion: 1,
      tenant: TENANT,
      periodStart: '2026-11-01T00:00:00.000Z',
      periodEnd: '2026-11-02T00:00:00.000Z',
      firstSeq: 41,
      lastSeq: 45,
      entryCount: 5,
      payloadSha256: sha256(file.payload),
      merkleRoot: rootFromLeafHashes(
        file.lines.map((l) => leafHash(Buffer.from(l, 'utf8'))),
      ).toString('hex'),
      prevDigest: 'ab'.repeat(32),
      keyId: key.keyId,
      issuedAt: '2026-11-02T00:05:00.000Z',
    });
    expect(written.manifest).toEqual(m);

    // Ed25519 over the RFC 8785 form of the manifest, checkable with nothing but node:crypto.
    const publicKey = createPublicKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        x: Buffer.from(key.trusted.publicKey, 'base64').toString('base64url'),
      },
      format: 'jwk',
    });
    expect(
      verify(
        null,
        Buffer.from(canonicalJson(m)),
        publicKey,
        Buffer.from(file.header.signature, 'base64'),
      ),
    ).toBe(true);
    // The digest the next bundle names is SHA-256 of those same bytes.
    expect(written.digest).toBe(sha256(canonicalJson(m)));
    expect(written.bundleId).toBe(`20261101T000000Z-${written.digest.slice(0, 12)}`);
  });

  it('writes an empty period with null seqs and the empty-tree root', () => {
    const written = writer().finish();
    const file = parseFile(readFileSync(written.out));
    expect(file.payload).toHaveLength(0);
    expect(file.header.manifest).toMatchObject({ entryCount: 0, firstSeq: null, lastSeq: null });
    expect(file.header.manifest.payloadSha256).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(file.header.manifest.merkleRoot).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(verifyBundleFile(written.out, { trust: trustOf(key) }).valid).toBe(true);
  });

  it('stays valid when entries exceed the write buffer (10 kB strings)', () => {
    const long = '😀'.repeat(2_500); // 10 kB of UTF-8
    const entries = dayEntries(0, 1, 160).map((e) => ({
      ...e,
      entity: { ...e.entity, label: long },
    }));
    const w = writer();
    for (const entry of entries) w.add(entry);
    const written = w.finish();
    expect(readFileSync(written.out).length).toBeGreaterThan(1024 * 1024);
    const received: Entry[] = [];
    expect(
      verifyBundleFile(written.out, { trust: trustOf(key), onEntry: (e) => received.push(e.entry) })
        .valid,
    ).toBe(true);
    expect(received).toStrictEqual(entries);
  });

  it('defaults issuedAt to the time of writing', () => {
    const before = Date.now();
    const written = writer({ issuedAt: undefined }).finish();
    const issued = Date.parse(written.manifest.issuedAt);
    expect(issued).toBeGreaterThanOrEqual(before);
    expect(issued).toBeLessThanOrEqual(Date.now());
  });

  it('is read back by readBundleHeader with the same manifest and digest', () => {
    const w = writer();
    for (const entry of dayEntries(0, 1, 3)) w.add(entry);
    const written = w.finish();
    expect(readBundleHeader(written.out)).toEqual({
      manifest: written.manifest,
      digest: written.digest,
    });
    const notBundle = join(dir.path, 'x.txt');
    writeFileSync(notBundle, 'hello\n');
    expect(() => readBundleHeader(notBundle)).toThrow('is not a bundle');
  });
});

describe('the worked example of docs/bundle-format.md §12', () => {
  // The published example is a conformance vector for other implementations ("an implementation can
  // reproduce every byte"): the writer must keep producing exactly these files.
  const PEM =
    '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIMiqL236G7w1TsnnUnUXnYgbxm4GkQD+VarsBNXyKP98\n-----END PRIVATE KEY-----\n';
  const TRUST =
    '{"version":1,"keys":[{"keyId":"otesse-2026","algorithm":"Ed25519","publicKey":"ZqjXxkdQ+g6xx7fESPlnGBxNqvnwu4JE4CfWY74TSqE=","validFrom":null,"validTo":null,"revoked":false}]}';
  const DAY1 = [
    '{"id":"01JDQ6Z3M8A2Q9V7KX4T5N1B0C","seq":1,"occurredAt":"2026-11-24T14:03:11.123Z","category":"bookings","action":"booking.cancelled","actor":{"id":"usr_42","name":"Dana Reyes","email":"dana@example.com","type":"user"},"entity":{"type":"booking","id":"1234","label":"Booking #1234"},"changes":[{"field":"status","old":"confirmed","new":"cancelled"}],"ip":"203.0.113.7","userAgent":"Mozilla/5.0","metadata":{}}',
    '{"id":"01JDQ7A0B1C2D3E4F5G6H7J8K9","seq":2,"occurredAt":"2026-11-24T15:30:00.000Z","category":"authentication","action":"auth.login","actor":{"id":"usr_7","name":"Sam Lee","email":null,"type":"user"},"entity":{"type":"user","id":"usr_7","label":"User sam@example.com"},"changes":[],"ip":null,"userAgent":null,"metadata":{"mfa":true}}',
  ];

  it('reproduces day1.otbundle and the empty, chained day2.otbundle byte for byte', () => {
    const privateKey = loadPrivateKey(PEM);
    const tenant = {
      id: 'ten_acme',
      name: 'Acme Cleaning',
      timeZone: 'America/New_York',
      plan: 'professional',
    } as const;
    const day1 = new BundleWriter({
      out: join(dir.path, 'day1.otbundle'),
      tenant,
      periodStart: '2026-11-24T00:00:00.000Z',
      periodEnd: '2026-11-25T00:00:00.000Z',
      prevDigest: null,
      keyId: 'otesse-2026',
      privateKey,
      issuedAt: '2026-11-25T00:05:00.000Z',
    });
    for (const line of DAY1) day1.add(JSON.parse(line) as Entry);
    const one = day1.finish();
    const bytes1 = readFileSync(one.out);
    expect(bytes1).toHaveLength(1407);
    expect(sha256(bytes1)).toBe('a300f309f51d572cdbe2f05eac15fadcdae4736fbb3cb37fe0e31950d68dfb2e');
    expect(one.digest).toBe('94cf36c2164f80151536774a98f578045b4e79841c90bc95d4c24b3d9556eb4c');
    expect(one.bundleId).toBe('20261124T000000Z-94cf36c2164f');

    const day2 = new BundleWriter({
      out: join(dir.path, 'day2.otbundle'),
      tenant,
      periodStart: '2026-11-25T00:00:00.000Z',
      periodEnd: '2026-11-26T00:00:00.000Z',
      prevDigest: one.digest,
      keyId: 'otesse-2026',
      privateKey,
      issuedAt: '2026-11-26T00:05:00.000Z',
    });
    const two = day2.finish();
    const bytes2 = readFileSync(two.out);
    expect(bytes2).toHaveLength(725);
    expect(parseFile(bytes2).header.signature).toBe(
      'QesO5W5/w4pGz6OymZjUF9Vt8VSvxJwHgofwLQnzPT8HaYLZJlAdnJNXoCwhZ5+FsB3rJ2Jlk4/76V6R4+sLAQ==',
    );
    expect(two.digest).toBe('bfe082b306af6801871518d15c64c8ac701fec2ed3c59f9288da87a2314888d9');

    const trust = new TrustStore(parseTrustFile(TRUST, 'trust.json'));
    expect(verifyBundleFile(one.out, { trust })).toMatchObject({ valid: true, digest: one.digest });
    expect(verifyBundleFile(two.out, { trust })).toMatchObject({
      valid: true,
      manifest: { prevDigest: one.digest },
    });
  });
});

describe('problemWith', () => {
  it('accepts entries inside the half-open period, in seq order without gaps, starting at any seq', () => {
    const w = writer();
    expect(w.problemWith(makeEntry(500, dayStart(0)))).toBeNull(); // periodStart is inside
    w.add(makeEntry(500, dayStart(0)));
    expect(w.problemWith(makeEntry(501, '2026-11-01T23:59:59.999Z'))).toBeNull();
    w.abort();
  });

  it('refuses entries outside the period, naming it', () => {
    const w = writer();
    expect(w.problemWith(makeEntry(1, '2026-10-31T23:59:59.999Z'))).toMatch(
      /^occurredAt 2026-10-31T23:59:59\.999Z lies outside the period/,
    );
    expect(w.problemWith(makeEntry(1, dayStart(1)))).toMatch(/lies outside the period/); // periodEnd is excluded
    expect(w.problemWith(makeEntry(1, '2027-01-01T00:00:00.000Z'))).toMatch(
      /lies outside the period/,
    );
    w.abort();
  });

  it('refuses a gap, a repeat and a step back in seq', () => {
    const w = writer();
    w.add(makeEntry(10, '2026-11-01T01:00:00.000Z'));
    w.add(makeEntry(11, '2026-11-01T02:00:00.000Z'));
    expect(w.problemWith(makeEntry(13, '2026-11-01T03:00:00.000Z'))).toBe(
      'seq 13 does not follow 11 (entries must be in seq order, without gaps)',
    );
    expect(w.problemWith(makeEntry(11, '2026-11-01T03:00:00.000Z'))).toMatch(
      /^seq 11 does not follow 11/,
    );
    expect(w.problemWith(makeEntry(9, '2026-11-01T03:00:00.000Z'))).toMatch(
      /^seq 9 does not follow 11/,
    );
    expect(w.problemWith(makeEntry(12, '2026-11-01T03:00:00.000Z'))).toBeNull();
    w.abort();
  });

  it('refuses entries that break the schema, naming the field', () => {
    const w = writer();
    const entry = makeEntry(1, '2026-11-01T01:00:00.000Z');
    expect(w.problemWith({ ...entry, actor: { ...entry.actor, email: 42 } })).toMatch(
      /^actor\.email: /,
    );
    expect(w.problemWith({ ...entry, occurredAt: '2026-11-01 01:00' })).toMatch(/^occurredAt: /);
    expect(w.problemWith(null)).not.toBeNull();
    w.abort();
  });

  it('makes add() throw with the same reason and leaves the writer usable', () => {
    const w = writer();
    w.add(makeEntry(1, '2026-11-01T01:00:00.000Z'));
    expect(() => w.add(makeEntry(3, '2026-11-01T02:00:00.000Z'))).toThrow(
      'seq 3 does not follow 1',
    );
    expect(() => w.add(makeEntry(2, dayStart(2)))).toThrow(/outside the period/);
    w.add(makeEntry(2, '2026-11-01T02:00:00.000Z'));
    expect(w.entryCount).toBe(2);
    const written = w.finish();
    expect(written.manifest).toMatchObject({ firstSeq: 1, lastSeq: 2, entryCount: 2 });
    expect(verifyBundleFile(written.out, { trust: trustOf(key) }).valid).toBe(true);
  });

  // `pack` reads such an entry from valid NDJSON ("\ud800" is legal JSON): it must get a reason it
  // can report with the line number, not an error thrown by the canonicalizer.
  it('refuses an entry that has no canonical JSON form (lone surrogate) before add() is called', () => {
    const w = writer();
    const entry = JSON.parse(
      JSON.stringify(makeEntry(1, '2026-11-01T01:00:00.000Z')).replace('Dana Reyes', '\\ud800'),
    ) as Entry;
    try {
      expect(w.problemWith(entry)).not.toBeNull();
    } finally {
      w.abort();
    }
  });

  it('finds a lone surrogate in any string or member name, nested or not, naming where', () => {
    const w = writer();
    const entry = makeEntry(1, '2026-11-01T01:00:00.000Z');
    const cases: [unknown, RegExp][] = [
      [{ ...entry, id: 'a\udc00' }, /^id: string holds a lone surrogate/],
      [
        { ...entry, changes: [{ field: 'x', old: null, new: ['ok', 'b\ud800c'] }] },
        /^changes\.0\.new\.1: string holds a lone surrogate/,
      ],
      [
        { ...entry, metadata: { details: { deeper: { '\ud83d': 1 } } } },
        /^metadata\.details\.deeper: member name holds a lone surrogate/,
      ],
      [{ ...entry, ['x\udfff']: true }, /^member name holds a lone surrogate/],
    ];
    for (const [value, reason] of cases) {
      const problem = w.problemWith(value);
      expect(problem).toMatch(reason);
      expect(problem).toContain('no RFC 8785 canonical form');
      expect(() => w.add(value as Entry)).toThrow(problem!);
    }
    // A surrogate pair (an emoji) is fine, in values and names.
    expect(w.problemWith({ ...entry, metadata: { '😀': '😀' } })).toBeNull();
    w.add({ ...entry, metadata: { '😀': '😀' } });
    expect(w.finish().manifest.entryCount).toBe(1);
  });

  it('throws from add() on a lone surrogate without writing a bundle', () => {
    const w = writer();
    const entry = JSON.parse(
      JSON.stringify(makeEntry(1, '2026-11-01T01:00:00.000Z')).replace('Dana Reyes', '\\udc00'),
    ) as Entry;
    expect(() => w.add(entry)).toThrow();
    w.abort();
    expect(readdirSync(dir.path)).toEqual([]);
  });
});

describe('header size limit (MAX_HEADER_BYTES)', () => {
  const headerLineOf = (bytes: Buffer) => {
    const magicEnd = bytes.indexOf(0x0a);
    return bytes.subarray(magicEnd + 1, bytes.indexOf(0x0a, magicEnd + 1));
  };
  const named = (name: string) => writer({ tenant: { ...TENANT, name } });

  it('writes a header of exactly the limit, which the verifier and readBundleHeader accept', () => {
    // The reserved header grows byte for byte with the tenant name: size it to hit the limit.
    const base = headerLineOf(readFileSync(named('').finish().out)).length;
    const w = named('n'.repeat(MAX_HEADER_BYTES - base));
    w.add(makeEntry(1, '2026-11-01T01:00:00.000Z'));
    const written = w.finish();
    expect(headerLineOf(readFileSync(written.out))).toHaveLength(MAX_HEADER_BYTES);
    expect(verifyBundleFile(written.out, { trust: trustOf(key) }).valid).toBe(true);
    expect(readBundleHeader(written.out).digest).toBe(written.digest);
  });

  it('refuses to start a bundle whose header could exceed the limit, writing nothing', () => {
    const base = headerLineOf(readFileSync(named('').finish().out)).length;
    expect(() => named('n'.repeat(MAX_HEADER_BYTES - base + 1))).toThrow(
      `over the ${MAX_HEADER_BYTES}-byte limit`,
    );
    expect(() => named('é'.repeat(40_000))).toThrow(/^the bundle header would take \d+ bytes/);
    expect(readdirSync(dir.path)).toEqual(['out.otbundle']); // the sizing bundle, nothing else
  });
});

describe('file lifecycle', () => {
  it('refuses a period that does not end after it starts', () => {
    expect(() => writer({ periodEnd: dayStart(0) })).toThrow('the period must end after it starts');
    expect(() => writer({ periodStart: dayStart(1), periodEnd: dayStart(0) })).toThrow();
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('never shows a partial file under the final name', () => {
    const out = join(dir.path, 'out.otbundle');
    const w = writer({ out });
    expect(existsSync(out)).toBe(false);
    for (const entry of dayEntries(0, 1, 50)) {
      w.add(entry);
      expect(existsSync(out)).toBe(false);
    }
    const written = w.finish();
    expect(written.out).toBe(out);
    // Only the finished bundle is left: no temporary file beside it.
    expect(readdirSync(dir.path)).toEqual(['out.otbundle']);
    expect(verifyBundleFile(out, { trust: trustOf(key) }).valid).toBe(true);
  });

  it('abort() leaves no file at all, before or after entries, and may be called twice', () => {
    const empty = writer();
    empty.abort();
    expect(readdirSync(dir.path)).toEqual([]);
    const w = writer();
    for (const entry of dayEntries(0, 1, 20)) w.add(entry);
    w.abort();
    w.abort();
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('abort() after a failed add() leaves no file', () => {
    const w = writer();
    w.add(makeEntry(1, '2026-11-01T01:00:00.000Z'));
    expect(() => w.add(makeEntry(5, '2026-11-01T02:00:00.000Z'))).toThrow();
    w.abort();
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('replaces an existing file at the destination only when finished', () => {
    const out = join(dir.path, 'out.otbundle');
    writeFileSync(out, 'previous content');
    const w = writer({ out });
    w.add(makeEntry(1, '2026-11-01T01:00:00.000Z'));
    expect(readFileSync(out, 'utf8')).toBe('previous content');
    w.finish();
    expect(verifyBundleFile(out, { trust: trustOf(key) }).valid).toBe(true);
  });

  it('does not touch an existing destination when aborted', () => {
    const out = join(dir.path, 'out.otbundle');
    writeFileSync(out, 'previous content');
    const w = writer({ out });
    w.add(makeEntry(1, '2026-11-01T01:00:00.000Z'));
    w.abort();
    expect(readFileSync(out, 'utf8')).toBe('previous content');
    expect(readdirSync(dir.path)).toEqual(['out.otbundle']);
  });
});
