// Streaming bundle verification on real files written with real keys: what a valid bundle hands to
// an importer, and which cause each kind of damage is reported as.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VERDICT_CAUSES, type Manifest, type Verdict } from '../../../shared/bundle';
import type { Entry } from '../../../shared/entry';
import {
  dayEntries,
  dayStart,
  makeEntry,
  makeKey,
  TENANT,
  tempDir,
  trustOf,
  writeChain,
  writeDayBundle,
  type TestKey,
} from '../../../tests/helpers/bundles';
import { canonicalJson } from './canonical';
import { MAX_ENTRY_LINE_BYTES, MAX_HEADER_BYTES } from './format';
import { loadPrivateKey, signBytes } from './keys';
import { manifestBytes } from './manifest';
import { leafHash, rootFromLeafHashes } from './merkle';
import { verifyBundleFile } from './read-file';
import type { TrustStore } from './trust-store';
import { BundleVerifier, type VerifiedEntry, type VerifierOptions } from './verifier';

const MAGIC = 'AUDITDESK-BUNDLE/1';
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

let dir: { path: string; remove(): void };
let fileCount = 0;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const key = makeKey('otesse-2026');
const trust = trustOf(key);

function file(bytes: Uint8Array | string): string {
  const path = join(dir.path, `bundle-${fileCount++}.otbundle`);
  writeFileSync(path, bytes);
  return path;
}

/** Verifies a file as the app does, collecting what onEntry receives. */
function verifyFile(
  path: string,
  store: TrustStore = trust,
  options: Partial<VerifierOptions> = {},
) {
  const entries: VerifiedEntry[] = [];
  const verdict = verifyBundleFile(path, {
    trust: store,
    onEntry: (e) => entries.push(e),
    ...options,
  });
  return { verdict, entries };
}

const verifyBuffer = (bytes: Uint8Array | string, store: TrustStore = trust) =>
  verifyFile(file(bytes), store).verdict;

function causeOf(verdict: Verdict): string {
  return verdict.valid ? 'valid' : verdict.cause;
}

/** The payload lines of a bundle file (each without its newline). */
function payloadLines(bytes: Buffer): string[] {
  const start = bytes.indexOf(0x0a, bytes.indexOf(0x0a) + 1) + 1;
  const text = bytes.subarray(start).toString('utf8');
  return text === '' ? [] : text.slice(0, -1).split('\n');
}

interface HandBuilt {
  /** Payload lines without newlines; default: the canonical form of `entries`. */
  lines?: (string | Buffer)[];
  entries?: Entry[];
  /** Manifest fields to override after the honest values are computed. */
  manifest?: Partial<Record<keyof Manifest, unknown>>;
  signer?: TestKey;
  /** Bytes appended after the last line's newline. */
  payloadSuffix?: Buffer;
}

/**
 * A bundle assembled by hand, signed with a real key: lets a test sign exactly the (possibly
 * inconsistent) manifest it needs, as a buggy or hostile signer would.
 */
function handBuilt(options: HandBuilt): Buffer {
  const entries = options.entries ?? [];
  const lines = (options.lines ?? entries.map(canonicalJson)).map((line) =>
    typeof line === 'string' ? Buffer.from(line, 'utf8') : line,
  );
  const payload = Buffer.concat([
    ...lines.flatMap((line) => [line, Buffer.from('\n')]),
    options.payloadSuffix ?? Buffer.alloc(0),
  ]);
  const signer = options.signer ?? key;
  const manifest = {
    formatVersion: 1,
    tenant: TENANT,
    periodStart: dayStart(0),
    periodEnd: dayStart(1),
    firstSeq: entries[0]?.seq ?? null,
    lastSeq: entries[entries.length - 1]?.seq ?? null,
    entryCount: lines.length,
    payloadSha256: sha256(payload),
    merkleRoot: rootFromLeafHashes(lines.map(leafHash)).toString('hex'),
    prevDigest: null,
    keyId: signer.keyId,
    issuedAt: dayStart(1),
    ...options.manifest,
  } as Manifest;
  const signature = signBytes(manifestBytes(manifest), loadPrivateKey(signer.privateKeyPem));
  return Buffer.concat([
    Buffer.from(`${MAGIC}\n${JSON.stringify({ manifest, signature })}\n`),
    payload,
  ]);
}

/** Replaces the header line of a bundle (the manifest/signature JSON) by `edit` of its parsed value. */
function editHeader(
  bytes: Buffer,
  edit: (header: { manifest: Record<string, unknown>; signature: string }) => void,
): Buffer {
  const magicEnd = bytes.indexOf(0x0a);
  const headerEnd = bytes.indexOf(0x0a, magicEnd + 1);
  const header = JSON.parse(bytes.subarray(magicEnd + 1, headerEnd).toString('utf8')) as {
    manifest: Record<string, unknown>;
    signature: string;
  };
  edit(header);
  return Buffer.concat([
    bytes.subarray(0, magicEnd + 1),
    Buffer.from(JSON.stringify(header)),
    bytes.subarray(headerEnd),
  ]);
}

describe('valid bundles', () => {
  it('verifies an empty period (0 entries) and hands over no entries', () => {
    const written = writeDayBundle({
      key,
      out: join(dir.path, 'empty.otbundle'),
      entries: [],
      day: 0,
    });
    const { verdict, entries } = verifyFile(written.out);
    expect(verdict).toMatchObject({
      valid: true,
      digest: written.digest,
      bundleId: written.bundleId,
    });
    if (verdict.valid) {
      expect(verdict.manifest).toMatchObject({
        entryCount: 0,
        firstSeq: null,
        lastSeq: null,
        merkleRoot: sha256(Buffer.alloc(0)),
        payloadSha256: sha256(Buffer.alloc(0)),
      });
    }
    expect(entries).toEqual([]);
  });

  it('verifies a single entry and hands it over with its exact line', () => {
    const input = makeEntry(7, '2026-11-01T10:00:00.000Z');
    const written = writeDayBundle({
      key,
      out: join(dir.path, 'one.otbundle'),
      entries: [input],
      day: 0,
    });
    const { verdict, entries } = verifyFile(written.out);
    expect(verdict.valid).toBe(true);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.leafIndex).toBe(0);
    expect(entries[0]!.entry).toStrictEqual(input);
    expect(entries[0]!.line).toBe(payloadLines(readFileSync(written.out))[0]);
  });

  it('hands over many entries exactly once, in order, with their leaf index', () => {
    const input = dayEntries(0, 1000, 250);
    const written = writeDayBundle({
      key,
      out: join(dir.path, 'many.otbundle'),
      entries: input,
      day: 0,
    });
    const { verdict, entries } = verifyFile(written.out);
    expect(verdict).toMatchObject({
      valid: true,
      manifest: { firstSeq: 1000, lastSeq: 1249, entryCount: 250 },
    });
    expect(entries.map((e) => e.leafIndex)).toEqual(input.map((_, i) => i));
    expect(entries.map((e) => e.entry)).toStrictEqual(input);
    expect(entries.map((e) => e.line)).toEqual(payloadLines(readFileSync(written.out)));
    // The signed Merkle root is the RFC 6962 head over exactly these lines.
    expect(verdict.valid && verdict.manifest.merkleRoot).toBe(
      rootFromLeafHashes(entries.map((e) => leafHash(Buffer.from(e.line)))).toString('hex'),
    );
  });

  it('carries hostile and unusual text byte for byte', () => {
    const tricky = [
      'line one\nline two\r\nline three',
      'She said "no", then \\ left',
      'a,b,,c',
      '=HYPERLINK("http://evil.example","x")',
      '+SUM(1)',
      '-2+3',
      '@cmd',
      '\tindented',
      '👩‍👩‍👧‍👦 🇩🇪 😀',
      'Zoë Ångström Øre ñandú', // composed accents
      'Zoe\u0308', // decomposed: must not be normalized
      '\u2028\u2029\u0000\u001f\u007f',
      '</script><script>alert(1)</script>',
      'x'.repeat(10_000),
      '',
    ];
    const input = tricky.map((text, i) =>
      makeEntry(i + 1, `2026-11-01T${String(i).padStart(2, '0')}:00:00.000Z`, {
        actor: {
          id: `usr_${i}`,
          name: text,
          email: text === '' ? null : `${i}@example.com`,
          type: 'user',
        },
        entity: { type: 'customer', id: text, label: text },
        changes: [
          { field: text, old: text, new: { nested: [text, 1e21, 0.000001, -1.5, null, true] } },
        ],
        userAgent: text,
        metadata: {
          '10': 1,
          '9': 2,
          '': text,
          [text.slice(0, 30)]: text,
          note: { '1': 'a', '01': 'b' },
        },
      }),
    );
    input.push(
      makeEntry(tricky.length + 1, '2026-11-01T23:59:59.999Z', {
        metadata: JSON.parse(
          '{"__proto__":{"polluted":true},"constructor":"x"}',
        ) as Entry['metadata'],
      }),
    );
    const written = writeDayBundle({
      key,
      out: join(dir.path, 'tricky.otbundle'),
      entries: input,
      day: 0,
    });
    const { verdict, entries } = verifyFile(written.out);
    expect(verdict.valid).toBe(true);
    expect(entries).toHaveLength(input.length);
    entries.forEach((received, i) => {
      expect(JSON.parse(received.line), `entry ${i}`).toStrictEqual(input[i]);
      expect(received.entry, `entry ${i}`).toStrictEqual(input[i]);
    });
    expect(entries[10]!.entry.actor.name).toBe('Zoe\u0308');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // One entry per line: embedded newlines never split a line.
    expect(payloadLines(readFileSync(written.out))).toHaveLength(input.length);
  });

  it('verifies every bundle of a chain, each naming its predecessor', () => {
    const chain = writeChain(dir.path, key, [3, 0, 5, 1]);
    const verdicts = chain.map((bundle) => verifyFile(bundle.out).verdict);
    verdicts.forEach((verdict, i) => {
      expect(verdict.valid, `bundle ${i}`).toBe(true);
      if (!verdict.valid) return;
      expect(verdict.manifest.prevDigest).toBe(i === 0 ? null : chain[i - 1]!.digest);
      expect(verdict.digest).toBe(chain[i]!.digest);
    });
  });

  it('identifies a bundle by the SHA-256 of its canonical manifest', () => {
    const written = writeDayBundle({
      key,
      out: join(dir.path, 'id.otbundle'),
      entries: dayEntries(0, 1, 2),
      day: 0,
    });
    const { verdict } = verifyFile(written.out);
    if (!verdict.valid) throw new Error(verdict.message);
    expect(verdict.digest).toBe(sha256(Buffer.from(canonicalJson(verdict.manifest))));
    expect(verdict.bundleId).toBe(`20261101T000000Z-${verdict.digest.slice(0, 12)}`);
  });

  it('accepts a bundle written by hand to the documented format (no header padding)', () => {
    const verdict = verifyBuffer(handBuilt({ entries: dayEntries(0, 5, 3) }));
    expect(verdict).toMatchObject({
      valid: true,
      manifest: { firstSeq: 5, lastSeq: 7, entryCount: 3 },
    });
  });
});

describe('header leniency documented in docs/bundle-format.md §4-§5', () => {
  const bytes = () =>
    readFileSync(
      writeDayBundle({
        key,
        out: join(dir.path, `l-${fileCount++}.otbundle`),
        entries: dayEntries(0, 1, 2),
        day: 0,
      }).out,
    );

  it('accepts the manifest in any member order and with whitespace, since the signature covers its canonical form', () => {
    const reordered = editHeader(bytes(), (h) => {
      h.manifest = Object.fromEntries(Object.entries(h.manifest).reverse());
    });
    expect(verifyBuffer(reordered).valid).toBe(true);
    const original = bytes();
    const magicEnd = original.indexOf(0x0a);
    const headerEnd = original.indexOf(0x0a, magicEnd + 1);
    const header = JSON.parse(
      original.subarray(magicEnd + 1, headerEnd).toString('utf8'),
    ) as unknown;
    const pretty = JSON.stringify(header, null, 1).replace(/\n/g, ' ');
    const spaced = Buffer.concat([
      original.subarray(0, magicEnd + 1),
      Buffer.from(pretty),
      original.subarray(headerEnd),
    ]);
    expect(verifyBuffer(spaced).valid).toBe(true);
  });

  it('reads header numbers by value (1.0 is 1) and ignores unknown header members', () => {
    const original = bytes().toString('utf8');
    expect(verifyBuffer(original.replace('"formatVersion":1,', '"formatVersion":1.0,')).valid).toBe(
      true,
    );
    expect(verifyBuffer(original.replace('"entryCount":2,', '"entryCount":2e0,')).valid).toBe(true);
    expect(
      verifyBuffer(
        editHeader(bytes(), (h) => ((h as unknown as Record<string, unknown>).comment = 'x')),
      ).valid,
    ).toBe(true);
  });
});

describe('key rotation and trust', () => {
  const handover = '2026-11-15T00:00:00.000Z';
  const oldKey = makeKey('otesse-old', { validTo: handover });
  const newKey = makeKey('otesse-new', { validFrom: handover });
  const store = trustOf(oldKey, newKey);
  const write = (signer: TestKey, issuedAt: string) =>
    writeDayBundle({
      key: signer,
      out: join(dir.path, `${signer.keyId}-${fileCount++}.otbundle`),
      entries: dayEntries(0, 1, 2),
      day: 0,
      issuedAt,
    });

  it('accepts each key inside its validity', () => {
    expect(verifyFile(write(oldKey, '2026-11-14T23:59:59.999Z').out, store).verdict.valid).toBe(
      true,
    );
    expect(verifyFile(write(newKey, handover).out, store).verdict.valid).toBe(true);
  });

  it('refuses the old key for a bundle issued exactly at its validTo, and the new key before its validFrom', () => {
    expect(causeOf(verifyFile(write(oldKey, handover).out, store).verdict)).toBe('expired_key');
    expect(causeOf(verifyFile(write(newKey, '2026-11-14T23:59:59.999Z').out, store).verdict)).toBe(
      'expired_key',
    );
  });

  it('refuses a revoked key and a key the trust store does not hold', () => {
    const path = write(oldKey, '2026-11-02T00:00:00.000Z').out;
    expect(causeOf(verifyFile(path, trustOf({ ...oldKey.trusted, revoked: true })).verdict)).toBe(
      'revoked_key',
    );
    expect(causeOf(verifyFile(path, trustOf(newKey)).verdict)).toBe('unknown_key');
    expect(causeOf(verifyFile(path, trustOf()).verdict)).toBe('unknown_key');
  });

  it('refuses a bundle signed by another key that claims a trusted key id', () => {
    const impostor = makeKey(oldKey.keyId);
    const path = write(impostor, '2026-11-02T00:00:00.000Z').out;
    expect(causeOf(verifyFile(path, store).verdict)).toBe('signature');
  });
});

describe('causes of refusal', () => {
  const written = () =>
    writeDayBundle({
      key,
      out: join(dir.path, `w-${fileCount++}.otbundle`),
      entries: dayEntries(0, 1, 4),
      day: 0,
    });

  it('payload_digest: a byte of an entry changed', () => {
    const bytes = readFileSync(written().out);
    const at = bytes.lastIndexOf('Dana');
    bytes[at] = 'd'.charCodeAt(0);
    const verdict = verifyBuffer(bytes);
    expect(causeOf(verdict)).toBe('payload_digest');
  });

  it('payload_digest: an entry removed, duplicated, or the file truncated inside the payload', () => {
    const bytes = readFileSync(written().out);
    const lines = payloadLines(bytes);
    const head = bytes.subarray(
      0,
      bytes.length - Buffer.byteLength(lines.map((l) => `${l}\n`).join('')),
    );
    const rebuilt = (ls: string[]) =>
      Buffer.concat([head, Buffer.from(ls.map((l) => `${l}\n`).join(''))]);
    expect(causeOf(verifyBuffer(rebuilt(lines.slice(0, 3))))).toBe('payload_digest');
    expect(causeOf(verifyBuffer(rebuilt([...lines, lines[3]!])))).toBe('payload_digest');
    expect(causeOf(verifyBuffer(rebuilt([lines[1]!, lines[0]!, lines[2]!, lines[3]!])))).toBe(
      'payload_digest',
    );
    expect(causeOf(verifyBuffer(bytes.subarray(0, bytes.length - 1)))).toBe('payload_digest');
  });

  it('signature: an entry changed with payloadSha256 and merkleRoot recomputed, the old signature kept', () => {
    const bytes = readFileSync(written().out);
    const lines = payloadLines(bytes);
    const changed = JSON.parse(lines[2]!) as Entry;
    changed.actor.name = 'Someone Else';
    lines[2] = canonicalJson(changed);
    const payload = Buffer.from(lines.map((l) => `${l}\n`).join(''));
    const forged = editHeader(bytes, (header) => {
      header.manifest.payloadSha256 = sha256(payload);
      header.manifest.merkleRoot = rootFromLeafHashes(
        lines.map((l) => leafHash(Buffer.from(l))),
      ).toString('hex');
    });
    const headerEnd = forged.indexOf(0x0a, forged.indexOf(0x0a) + 1);
    const verdict = verifyBuffer(Buffer.concat([forged.subarray(0, headerEnd + 1), payload]));
    expect(causeOf(verdict)).toBe('signature');
  });

  it.each([
    [
      'tenant name',
      (m: Record<string, unknown>) =>
        (m.tenant = { ...(m.tenant as object), name: 'Acme Cleaning Ltd' }),
    ],
    ['period end', (m: Record<string, unknown>) => (m.periodEnd = dayStart(2))],
    ['prevDigest', (m: Record<string, unknown>) => (m.prevDigest = 'a'.repeat(64))],
    ['issuedAt', (m: Record<string, unknown>) => (m.issuedAt = '2026-11-02T00:00:00.001Z')],
    ['merkleRoot', (m: Record<string, unknown>) => (m.merkleRoot = '0'.repeat(64))],
  ])('signature: manifest %s edited', (_name, edit) => {
    const verdict = verifyBuffer(
      editHeader(readFileSync(written().out), (header) => edit(header.manifest)),
    );
    expect(causeOf(verdict)).toBe('signature');
  });

  it('signature: the signature replaced, removed of a byte, or re-encoded', () => {
    const bytes = readFileSync(written().out);
    const other = makeKey(key.keyId);
    expect(
      causeOf(
        verifyBuffer(
          editHeader(
            bytes,
            (h) => (h.signature = signBytes(Buffer.from('x'), loadPrivateKey(other.privateKeyPem))),
          ),
        ),
      ),
    ).toBe('signature');
    expect(
      causeOf(verifyBuffer(editHeader(bytes, (h) => (h.signature = h.signature.slice(4))))),
    ).toBe('signature');
    expect(
      causeOf(
        verifyBuffer(
          editHeader(
            bytes,
            (h) => (h.signature = Buffer.from(h.signature, 'base64').toString('base64url')),
          ),
        ),
      ),
    ).toBe('signature');
    expect(causeOf(verifyBuffer(editHeader(bytes, (h) => (h.signature = ''))))).toBe('signature');
  });

  it('tells another formatVersion (unsupported_version) from a missing one (malformed)', () => {
    const entries = dayEntries(0, 1, 2);
    for (const formatVersion of ['1', 1.5, 0, null]) {
      const verdict = verifyBuffer(handBuilt({ entries, manifest: { formatVersion } }));
      expect(causeOf(verdict), JSON.stringify(formatVersion)).toBe('unsupported_version');
    }
    const bytes = readFileSync(written().out);
    expect(causeOf(verifyBuffer(editHeader(bytes, (h) => delete h.manifest.formatVersion)))).toBe(
      'malformed',
    );
  });

  it('unsupported_version: a newer magic line or a signed manifest of format version 2', () => {
    const bytes = readFileSync(written().out);
    const v2 = Buffer.concat([Buffer.from('AUDITDESK-BUNDLE/2'), bytes.subarray(MAGIC.length)]);
    const verdict = verifyBuffer(v2);
    expect(causeOf(verdict)).toBe('unsupported_version');
    expect(!verdict.valid && verdict.message).toContain('AUDITDESK-BUNDLE/1');
    expect(
      causeOf(
        verifyBuffer(handBuilt({ entries: dayEntries(0, 1, 2), manifest: { formatVersion: 2 } })),
      ),
    ).toBe('unsupported_version');
  });

  it('not_a_bundle: empty, text, JSON, NDJSON of entries, a lower-case magic line', () => {
    expect(causeOf(verifyBuffer(''))).toBe('not_a_bundle');
    expect(causeOf(verifyBuffer('hello world\n'))).toBe('not_a_bundle');
    expect(causeOf(verifyBuffer('{"manifest":{},"signature":""}\n'))).toBe('not_a_bundle');
    expect(
      causeOf(
        verifyBuffer(
          dayEntries(0, 1, 3)
            .map((e) => `${JSON.stringify(e)}\n`)
            .join(''),
        ),
      ),
    ).toBe('not_a_bundle');
    expect(
      causeOf(
        verifyBuffer(
          Buffer.concat([
            Buffer.from(MAGIC.toLowerCase()),
            readFileSync(written().out).subarray(MAGIC.length),
          ]),
        ),
      ),
    ).toBe('not_a_bundle');
    expect(causeOf(verifyBuffer(Buffer.alloc(200_000, 0x41)))).toBe('not_a_bundle'); // one endless line
    expect(
      causeOf(
        verifyBuffer(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(written().out)])),
      ),
    ).toBe('not_a_bundle'); // BOM
  });

  it('unreadable: a directory and a missing path', () => {
    const sub = join(dir.path, 'folder.otbundle');
    mkdirSync(sub);
    expect(causeOf(verifyFile(sub).verdict)).toBe('unreadable');
    expect(causeOf(verifyFile(join(dir.path, 'missing.otbundle')).verdict)).toBe('unreadable');
  });

  it('malformed: a header that is cut, not JSON, lacks the signature, or holds an invalid manifest', () => {
    const bytes = readFileSync(written().out);
    const magicEnd = bytes.indexOf(0x0a);
    const headerEnd = bytes.indexOf(0x0a, magicEnd + 1);
    expect(causeOf(verifyBuffer(bytes.subarray(0, magicEnd + 1)))).toBe('malformed');
    expect(causeOf(verifyBuffer(bytes.subarray(0, headerEnd)))).toBe('malformed');
    expect(causeOf(verifyBuffer(`${MAGIC}\nnot json\n`))).toBe('malformed');
    expect(causeOf(verifyBuffer(`${MAGIC}\n[]\n`))).toBe('malformed');
    expect(
      causeOf(verifyBuffer(editHeader(bytes, (h) => delete (h as Partial<typeof h>).signature))),
    ).toBe('malformed');
    expect(causeOf(verifyBuffer(editHeader(bytes, (h) => delete h.manifest.tenant)))).toBe(
      'malformed',
    );
    expect(causeOf(verifyBuffer(editHeader(bytes, (h) => (h.manifest.extra = 1))))).toBe(
      'malformed',
    );
    expect(
      causeOf(verifyBuffer(editHeader(bytes, (h) => (h.manifest.payloadSha256 = 'ABC')))),
    ).toBe('malformed');
    expect(
      causeOf(
        verifyBuffer(
          Buffer.concat([
            Buffer.from(`${MAGIC}\n{"manifest":"`),
            Buffer.alloc(70_000, 0x61),
            Buffer.from('"}\n'),
          ]),
        ),
      ),
    ).toBe('malformed');
  });

  it('malformed: a signed manifest whose fields contradict each other', () => {
    const entries = dayEntries(0, 1, 2);
    const cases: Partial<Record<keyof Manifest, unknown>>[] = [
      { firstSeq: 1, lastSeq: 5 }, // lastSeq - firstSeq + 1 !== entryCount
      { firstSeq: null }, // null seq with entries
      { periodEnd: dayStart(0) }, // empty period
      { tenant: { ...TENANT, timeZone: 'Mars/Olympus' } },
      { tenant: { ...TENANT, plan: 'free' } },
      { issuedAt: '2026-11-02' },
    ];
    for (const manifest of cases) {
      expect(
        causeOf(verifyBuffer(handBuilt({ entries, manifest }))),
        JSON.stringify(manifest),
      ).toBe('malformed');
    }
  });

  it('seq_range: entries signed out of order or not starting at firstSeq', () => {
    const [a, b, c] = dayEntries(0, 1, 3);
    const swapped = handBuilt({ entries: [a!, c!, b!], manifest: { firstSeq: 1, lastSeq: 3 } });
    const verdict = verifyBuffer(swapped);
    expect(causeOf(verdict)).toBe('seq_range');
    expect(!verdict.valid && verdict.message).toMatch(
      /^line 4: seq 3 where the manifest's range requires 2/,
    );
    expect(
      causeOf(
        verifyBuffer(handBuilt({ entries: [a!, b!, c!], manifest: { firstSeq: 2, lastSeq: 4 } })),
      ),
    ).toBe('seq_range');
    const gap = dayEntries(0, 1, 4);
    expect(
      causeOf(
        verifyBuffer(
          handBuilt({
            entries: [gap[0]!, gap[1]!, gap[3]!],
            manifest: { firstSeq: 1, lastSeq: 3 },
          }),
        ),
      ),
    ).toBe('seq_range');
    expect(
      causeOf(
        verifyBuffer(handBuilt({ entries: [a!, a!], manifest: { firstSeq: 1, lastSeq: 2 } })),
      ),
    ).toBe('seq_range');
  });

  it('entry_count: a signed manifest declaring more or fewer entries than the payload holds', () => {
    const entries = dayEntries(0, 1, 3);
    const fewer = verifyBuffer(handBuilt({ entries, manifest: { entryCount: 4, lastSeq: 4 } }));
    expect(causeOf(fewer)).toBe('entry_count');
    expect(!fewer.valid && fewer.message).toContain('holds 3 entries, its manifest says 4');
    expect(
      causeOf(verifyBuffer(handBuilt({ entries, manifest: { entryCount: 2, lastSeq: 2 } }))),
    ).toBe('entry_count');
    expect(
      causeOf(
        verifyBuffer(
          handBuilt({ entries, manifest: { entryCount: 0, firstSeq: null, lastSeq: null } }),
        ),
      ),
    ).toBe('entry_count');
  });

  it('merkle_root: a signed root that is not the head over the entries', () => {
    const entries = dayEntries(0, 1, 3);
    const wrong = rootFromLeafHashes(
      entries.map((e) => leafHash(Buffer.from(JSON.stringify(e)))),
    ).toString('hex'); // non-canonical leaves
    expect(causeOf(verifyBuffer(handBuilt({ entries, manifest: { merkleRoot: wrong } })))).toBe(
      'merkle_root',
    );
    const reversed = rootFromLeafHashes(
      entries.map((e) => leafHash(Buffer.from(canonicalJson(e)))).reverse(),
    ).toString('hex');
    expect(causeOf(verifyBuffer(handBuilt({ entries, manifest: { merkleRoot: reversed } })))).toBe(
      'merkle_root',
    );
  });

  it('malformed: signed entries that are not valid JSON entries in canonical form, with the line number', () => {
    const [a, b] = dayEntries(0, 1, 2);
    const canonicalA = canonicalJson(a);
    const cases: [string, (string | Buffer)[], RegExp][] = [
      ['not JSON', [canonicalA, '{"seq":2'], /^line 4: entry is not valid JSON$/],
      ['an empty line', [canonicalA, ''], /^line 4: entry is not valid JSON$/],
      [
        'keys not sorted',
        [canonicalA, JSON.stringify(b)],
        /^line 4: entry is not in RFC 8785 canonical form$/,
      ],
      [
        'whitespace',
        [` ${canonicalA}`, canonicalJson(b)],
        /^line 3: entry is not in RFC 8785 canonical form$/,
      ],
      [
        'a schema violation',
        [canonicalA, canonicalJson({ ...b, actor: { ...b!.actor, email: 42 } })],
        /^line 4: actor\.email: /,
      ],
      [
        'a CRLF line ending',
        [`${canonicalA}\r`, canonicalJson(b)],
        /^line 3: entry is not in RFC 8785 canonical form$/,
      ],
      [
        'invalid UTF-8',
        [
          canonicalA,
          Buffer.concat([
            Buffer.from(canonicalJson(b).slice(0, 30)),
            Buffer.from([0xff]),
            Buffer.from(canonicalJson(b).slice(31)),
          ]),
        ],
        /^line 4: entry is not valid UTF-8$/,
      ],
      [
        'occurredAt outside the period',
        [canonicalA, canonicalJson({ ...b, occurredAt: dayStart(1) })],
        /^line 4: occurredAt .* lies outside the bundle period$/,
      ],
    ];
    for (const [name, lines, message] of cases) {
      const verdict = verifyBuffer(handBuilt({ lines, manifest: { firstSeq: 1, lastSeq: 2 } }));
      expect(causeOf(verdict), name).toBe('malformed');
      expect(!verdict.valid && verdict.message, name).toMatch(message);
    }
  });

  it('malformed: a signed payload whose last line lacks its newline', () => {
    const [a, b] = dayEntries(0, 1, 2);
    const verdict = verifyBuffer(
      handBuilt({
        lines: [canonicalJson(a)],
        payloadSuffix: Buffer.from(canonicalJson(b)),
        manifest: { firstSeq: 1, lastSeq: 2, entryCount: 2 },
      }),
    );
    expect(causeOf(verdict)).toBe('malformed');
    expect(!verdict.valid && verdict.message).toContain('no terminating newline');
  });

  it('reports tampering (payload_digest) before problems the signer put in the payload', () => {
    const [a, b] = dayEntries(0, 1, 2);
    const bytes = handBuilt({
      lines: [canonicalJson(a), '{"broken"'],
      manifest: { firstSeq: 1, lastSeq: 2 },
    });
    expect(causeOf(verifyBuffer(bytes))).toBe('malformed');
    expect(
      causeOf(verifyBuffer(Buffer.concat([bytes, Buffer.from(`${canonicalJson(b)}\n`)]))),
    ).toBe('payload_digest');
  });

  it('only ever names a cause from VERDICT_CAUSES, with a one-line message', () => {
    const samples = [
      verifyBuffer(''),
      verifyBuffer(`${MAGIC}\nnot json\n`),
      verifyBuffer(handBuilt({ entries: dayEntries(0, 1, 2), manifest: { formatVersion: 3 } })),
      verifyBuffer(
        handBuilt({ entries: dayEntries(0, 1, 2), manifest: { entryCount: 3, lastSeq: 3 } }),
      ),
      verifyFile(join(dir.path, 'nope')).verdict,
    ];
    for (const verdict of samples) {
      expect(verdict.valid).toBe(false);
      if (verdict.valid) continue;
      expect(VERDICT_CAUSES).toContain(verdict.cause);
      expect(verdict.message).toMatch(/^[^\n]+$/);
    }
  });
});

describe('messages built from file contents', () => {
  // Text from an unverified header (the key id is read before any signature check) is quoted and
  // escaped, so a file made without any key cannot break the "one clear line" of `audit-desk verify`
  // or show a fake "VERIFIED" line.
  it('keeps the message one line without control characters, whatever the header holds', () => {
    const hostile = 'otesse"\nVERIFIED: all bundles valid\u001b[2K';
    const messages = [
      verifyBuffer(handBuilt({ entries: dayEntries(0, 1, 1), manifest: { keyId: hostile } })),
      verifyBuffer(
        editHeader(handBuilt({ entries: dayEntries(0, 1, 1) }), (h) => (h.manifest[hostile] = 1)),
      ),
      verifyBuffer(`${MAGIC}\r\n{}\r\n`), // a bundle whose line endings were converted to CRLF
    ].map((verdict) => (verdict.valid ? '' : verdict.message));
    for (const message of messages) {
      expect(message).not.toBe('');
      // eslint-disable-next-line no-control-regex
      expect(message).not.toMatch(/[\u0000-\u001f\u007f]/);
    }
  });

  // C1 controls, DEL, line separators and bidi overrides/isolates: anything that can break or reorder a line.
  // eslint-disable-next-line no-control-regex
  const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  const hostile = 'k\u0085\u009b2J\u2028\u202eevil\u2066\u007f';
  const messageOf = (verdict: Verdict) => (verdict.valid ? '' : verdict.message);

  it('quotes the untrusted key id with every unsafe character escaped, in each key cause', () => {
    const bytes = handBuilt({ entries: dayEntries(0, 1, 1), manifest: { keyId: hostile } });
    const trusted = { ...key.trusted, keyId: hostile };
    const verdicts = [
      verifyBuffer(bytes), // unknown_key
      verifyBuffer(bytes, trustOf({ ...trusted, revoked: true })),
      verifyBuffer(bytes, trustOf({ ...trusted, validTo: dayStart(0) })),
      verifyBuffer(bytes, trustOf({ ...trusted, publicKey: makeKey().trusted.publicKey })), // signature
    ];
    expect(verdicts.map(causeOf)).toEqual([
      'unknown_key',
      'revoked_key',
      'expired_key',
      'signature',
    ]);
    for (const verdict of verdicts) {
      expect(messageOf(verdict)).not.toMatch(UNSAFE);
      expect(messageOf(verdict)).toContain('"k\\u0085\\u009b2J\\u2028\\u202eevil\\u2066\\u007f"');
    }
  });

  it('escapes and shortens an unknown manifest member, a format version and a magic line', () => {
    const long = `${hostile}${'x'.repeat(5_000)}`;
    const verdicts = [
      verifyBuffer(editHeader(handBuilt({ entries: [] }), (h) => (h.manifest[long] = 1))),
      verifyBuffer(handBuilt({ entries: [], manifest: { formatVersion: long } })),
      verifyBuffer(Buffer.from(`AUDITDESK-BUNDLE/\x9b2J\x85${'9'.repeat(5_000)}\n{}\n`, 'latin1')),
    ];
    expect(verdicts.map(causeOf)).toEqual([
      'malformed',
      'unsupported_version',
      'unsupported_version',
    ]);
    for (const verdict of verdicts) {
      expect(messageOf(verdict)).not.toMatch(UNSAFE);
      expect(messageOf(verdict).length).toBeLessThan(300);
    }
    expect(messageOf(verdicts[0]!)).toMatch(/^manifest: unknown member "k\\u0085/);
  });

  it('says so when the line endings were converted to CRLF', () => {
    const bytes = handBuilt({ entries: dayEntries(0, 1, 2) });
    const crlf = Buffer.from(bytes.toString('utf8').replace(/\n/g, '\r\n'));
    const headerOnly = Buffer.from(bytes.toString('utf8').replace(/\n(?=\{"action")/, '\r\n'));
    for (const converted of [crlf, headerOnly]) {
      const verdict = verifyBuffer(converted);
      expect(causeOf(verdict)).toBe('malformed');
      expect(messageOf(verdict)).toMatch(/line endings were converted to CRLF/);
    }
  });

  it('names a missing formatVersion plainly', () => {
    const verdict = verifyBuffer(
      editHeader(handBuilt({ entries: [] }), (h) => delete h.manifest.formatVersion),
    );
    expect(verdict).toEqual({
      valid: false,
      cause: 'malformed',
      message: 'manifest: formatVersion is missing',
    });
  });
});

describe('streaming callbacks', () => {
  it('calls onManifest once, after the signature holds and before any entry', () => {
    const written = writeDayBundle({
      key,
      out: join(dir.path, 'm.otbundle'),
      entries: dayEntries(0, 1, 3),
      day: 0,
    });
    const events: string[] = [];
    const verdict = verifyBundleFile(written.out, {
      trust,
      onManifest: (manifest, digest) => {
        events.push(`manifest ${manifest.entryCount} ${digest === written.digest}`);
        return undefined;
      },
      onEntry: (e) => events.push(`entry ${e.leafIndex}`),
    });
    expect(verdict.valid).toBe(true);
    expect(events).toEqual(['manifest 3 true', 'entry 0', 'entry 1', 'entry 2']);
  });

  it('ends with the verdict onManifest returns, handing over no entries', () => {
    const written = writeDayBundle({
      key,
      out: join(dir.path, 'm.otbundle'),
      entries: dayEntries(0, 1, 3),
      day: 0,
    });
    const refusal: Verdict = { valid: false, cause: 'tenant_mismatch', message: 'another tenant' };
    const { verdict, entries } = verifyFile(written.out, trust, { onManifest: () => refusal });
    expect(verdict).toEqual(refusal);
    expect(entries).toEqual([]);
  });

  it('never calls onManifest or onEntry for a bundle whose signature fails', () => {
    const written = writeDayBundle({
      key,
      out: join(dir.path, 'm.otbundle'),
      entries: dayEntries(0, 1, 3),
      day: 0,
    });
    const forged = editHeader(
      readFileSync(written.out),
      (h) => ((h.manifest.tenant as { name: string }).name = 'X'),
    );
    let calls = 0;
    const verdict = verifyBundleFile(file(forged), {
      trust,
      onManifest: () => void calls++,
      onEntry: () => void calls++,
    });
    expect(causeOf(verdict)).toBe('signature');
    expect(calls).toBe(0);
  });

  it('hands over the entries before a bad one and then fails (the importer rolls back)', () => {
    const entries = dayEntries(0, 1, 4);
    const lines = entries.map(canonicalJson);
    lines[2] = canonicalJson({ ...entries[2], category: 'billing' });
    const { verdict, entries: received } = verifyFile(
      file(handBuilt({ lines, manifest: { firstSeq: 1, lastSeq: 4 } })),
    );
    expect(causeOf(verdict)).toBe('malformed');
    expect(received.map((e) => e.entry.seq)).toEqual([1, 2]);
  });

  it('settles early on a header problem so callers can stop reading', () => {
    const verifier = new BundleVerifier({ trust });
    verifier.push(Buffer.from('AUDITDESK-BUNDLE/9\n'));
    expect(verifier.settled).toBe(true);
    expect(causeOf(verifier.finish())).toBe('unsupported_version');
    const healthy = new BundleVerifier({ trust });
    healthy.push(Buffer.from(`${MAGIC}\n`));
    expect(healthy.settled).toBe(false);
  });
});

describe('large bundles through verifyBundleFile', () => {
  it('verifies a bundle larger than one read chunk with 10 kB strings', () => {
    const long = 'é'.repeat(5_000); // 10 kB of UTF-8
    const input = dayEntries(0, 1, 150).map((e) => ({ ...e, userAgent: long, metadata: { long } }));
    const written = writeDayBundle({
      key,
      out: join(dir.path, 'big.otbundle'),
      entries: input,
      day: 0,
    });
    expect(readFileSync(written.out).length).toBeGreaterThan(2 * 1024 * 1024);
    const { verdict, entries } = verifyFile(written.out);
    expect(verdict.valid).toBe(true);
    expect(entries.map((e) => e.entry)).toStrictEqual(input);
    expect(verdict.valid && verdict.digest).toBe(written.digest);
  });
});

describe('size limits, whatever the chunking (docs/bundle-format.md §4, §7.3)', () => {
  /** Pushes `bytes` in chunks of `size` bytes (copies: the verifier owns what it is given). */
  function verifyInChunks(bytes: Buffer, size: number): Verdict {
    const verifier = new BundleVerifier({ trust });
    for (let at = 0; at < bytes.length && !verifier.settled; at += size) {
      verifier.push(Buffer.from(bytes.subarray(at, at + size)));
    }
    return verifier.finish();
  }

  /** The verdicts for 1-byte chunks, the whole file at once, and verifyBundleFile's 1 MiB reads. */
  function verdictsOf(bytes: Buffer, sizes = [1, bytes.length]): Verdict[] {
    return [...sizes.map((size) => verifyInChunks(bytes, size)), verifyBuffer(bytes)];
  }

  /** `bytes` with its header line padded with spaces to exactly `length` bytes. */
  function withHeaderLength(bytes: Buffer, length: number): Buffer {
    const magicEnd = bytes.indexOf(0x0a);
    const headerEnd = bytes.indexOf(0x0a, magicEnd + 1);
    const padding = length - (headerEnd - magicEnd - 1);
    expect(padding).toBeGreaterThanOrEqual(0);
    return Buffer.concat([
      bytes.subarray(0, headerEnd),
      Buffer.alloc(padding, 0x20),
      bytes.subarray(headerEnd),
    ]);
  }

  it('accepts a header line of exactly MAX_HEADER_BYTES and refuses one byte more', () => {
    const bytes = handBuilt({ entries: dayEntries(0, 1, 2) });
    for (const verdict of verdictsOf(withHeaderLength(bytes, MAX_HEADER_BYTES))) {
      expect(verdict.valid).toBe(true);
    }
    for (const verdict of verdictsOf(withHeaderLength(bytes, MAX_HEADER_BYTES + 1))) {
      expect(verdict).toEqual({
        valid: false,
        cause: 'malformed',
        message: `bundle header longer than ${MAX_HEADER_BYTES} bytes`,
      });
    }
  });

  it('refuses an overlong header line even when the file ends inside it', () => {
    const bytes = Buffer.concat([
      Buffer.from(`${MAGIC}\n`),
      Buffer.alloc(MAX_HEADER_BYTES + 1, 0x20),
    ]);
    for (const verdict of verdictsOf(bytes)) {
      expect(causeOf(verdict)).toBe('malformed');
      expect(!verdict.valid && verdict.message).toContain('longer than');
    }
    const atLimit = Buffer.concat([
      Buffer.from(`${MAGIC}\n`),
      Buffer.alloc(MAX_HEADER_BYTES, 0x20),
    ]);
    for (const verdict of verdictsOf(atLimit)) {
      expect(!verdict.valid && verdict.message).toContain('truncated');
    }
  });

  it('calls a first line over the limit not_a_bundle, even one that starts like the magic line', () => {
    const line = `AUDITDESK-BUNDLE/${'2'.repeat(MAX_HEADER_BYTES)}`;
    for (const bytes of [Buffer.from(`${line}\n{}\n`), Buffer.from(line)]) {
      for (const verdict of verdictsOf(bytes)) expect(causeOf(verdict)).toBe('not_a_bundle');
    }
  });

  it('accepts an entry line of exactly MAX_ENTRY_LINE_BYTES and refuses one byte more', () => {
    const base = makeEntry(1, dayStart(0), { metadata: { pad: '' } });
    const fill = MAX_ENTRY_LINE_BYTES - Buffer.byteLength(canonicalJson(base));
    const big = { ...base, metadata: { pad: 'a'.repeat(fill) } };
    expect(Buffer.byteLength(canonicalJson(big))).toBe(MAX_ENTRY_LINE_BYTES);
    const sizes = [4096, 3 * 1024 * 1024 + 1]; // 1-byte chunks would take minutes for 16 MiB
    for (const verdict of verdictsOf(handBuilt({ entries: [big] }), sizes)) {
      expect(verdict.valid).toBe(true);
    }
    const over = { ...base, metadata: { pad: 'a'.repeat(fill + 1) } };
    const tooLong = handBuilt({ entries: [over] });
    for (const verdict of verdictsOf(tooLong, [...sizes, tooLong.length])) {
      expect(verdict).toEqual({
        valid: false,
        cause: 'malformed',
        message: `line 3: entry line longer than ${MAX_ENTRY_LINE_BYTES} bytes`,
      });
    }
  });
});
