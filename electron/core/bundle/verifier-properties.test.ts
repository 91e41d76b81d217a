// Properties of streaming verification over real bundles: the verdict does not depend on how the
// bytes arrive, and no damage to a valid bundle (one changed byte, truncation, appended bytes) is
// ever accepted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERDICT_CAUSES, type Verdict, type VerdictCause } from '../../../shared/bundle';
import {
  dayEntries,
  makeEntry,
  makeKey,
  tempDir,
  trustOf,
  writeDayBundle,
} from '../../../tests/helpers/bundles';
import { verifyBundleFile } from './read-file';
import { BundleVerifier, type VerifiedEntry } from './verifier';

const key = makeKey('otesse-prop');
const trust = trustOf(key);

let empty: Buffer; // a period without activity
let small: Buffer; // 3 entries with awkward text
let medium: Buffer; // 20 entries
let mediumPath: string;
const dir = tempDir();

beforeAll(() => {
  empty = readFileSync(
    writeDayBundle({ key, out: join(dir.path, 'empty.otbundle'), entries: [], day: 0 }).out,
  );
  small = readFileSync(
    writeDayBundle({
      key,
      out: join(dir.path, 'small.otbundle'),
      day: 0,
      entries: [
        makeEntry(1, '2026-11-01T01:00:00.000Z', {
          metadata: { '10': 1, '9': 2, text: 'a\nb "c", =d' },
        }),
        makeEntry(2, '2026-11-01T02:00:00.000Z', {
          actor: { id: 'u', name: 'Zoë 😀\t', email: null, type: 'user' },
        }),
        makeEntry(3, '2026-11-01T03:00:00.000Z', { changes: [], ip: null, userAgent: null }),
      ],
    }).out,
  );
  mediumPath = writeDayBundle({
    key,
    out: join(dir.path, 'medium.otbundle'),
    entries: dayEntries(0, 100, 20),
    day: 0,
  }).out;
  medium = readFileSync(mediumPath);
});
afterAll(() => dir.remove());

/** Pushes `bytes` split at `cuts` (copies: the verifier owns what it is given). */
function verifyChunks(
  bytes: Buffer,
  cuts: readonly number[] = [],
): { verdict: Verdict; entries: VerifiedEntry[] } {
  const entries: VerifiedEntry[] = [];
  const verifier = new BundleVerifier({ trust, onEntry: (e) => entries.push(e) });
  let previous = 0;
  for (const cut of [...[...cuts].sort((a, b) => a - b), bytes.length]) {
    if (cut > previous) verifier.push(Buffer.from(bytes.subarray(previous, cut)));
    previous = Math.max(previous, cut);
  }
  return { verdict: verifier.finish(), entries };
}

const fixedCuts = (length: number, size: number) =>
  Array.from({ length: Math.ceil(length / size) }, (_, i) => i * size);

interface Regions {
  /** Index of the newline ending the magic line. */
  magicEnd: number;
  /** Index of the newline ending the header line. */
  headerEnd: number;
  /** First index of the spaces padding the header JSON. */
  paddingStart: number;
}

function regionsOf(bytes: Buffer): Regions {
  const magicEnd = bytes.indexOf(0x0a);
  const headerEnd = bytes.indexOf(0x0a, magicEnd + 1);
  return { magicEnd, headerEnd, paddingStart: bytes.lastIndexOf(0x7d, headerEnd) + 1 };
}

const HEADER_CAUSES: VerdictCause[] = [
  'malformed',
  'unsupported_version',
  'unknown_key',
  'revoked_key',
  'expired_key',
  'signature',
];

/** The causes a single byte changed to `replacement` at `position` may be reported as. */
function expectedCauses(bytes: Buffer, position: number, replacement: number): VerdictCause[] {
  const { magicEnd, headerEnd, paddingStart } = regionsOf(bytes);
  if (position <= magicEnd) return ['not_a_bundle', 'unsupported_version'];
  // A newline in the padding ends the header early: the rest of the padding becomes payload.
  if (position >= paddingStart && position < headerEnd && replacement === 0x0a)
    return ['payload_digest'];
  if (position <= headerEnd) return HEADER_CAUSES;
  return ['payload_digest'];
}

function expectRefused(verdict: Verdict, allowed: readonly VerdictCause[] = VERDICT_CAUSES): void {
  expect(verdict.valid).toBe(false);
  if (verdict.valid) return;
  expect(VERDICT_CAUSES).toContain(verdict.cause);
  expect(allowed).toContain(verdict.cause);
  expect(verdict.message).toMatch(/^[^\n]+$/);
}

describe('fixtures', () => {
  it('are valid bundles, with header padding to exercise', () => {
    for (const bytes of [empty, small, medium]) {
      expect(verifyChunks(bytes).verdict.valid).toBe(true);
      const { paddingStart, headerEnd } = regionsOf(bytes);
      expect(headerEnd - paddingStart).toBeGreaterThan(0);
    }
    expect(verifyChunks(small).entries).toHaveLength(3);
  });
});

describe('the verdict does not depend on chunking', () => {
  it('is the same for fixed chunk sizes from 1 byte up to the whole file', () => {
    for (const bytes of [empty, small]) {
      const whole = verifyChunks(bytes);
      // Every size for the empty bundle; for the larger one every size up to 256, then a spread.
      const sizes = Array.from({ length: bytes.length }, (_, i) => i + 1).filter(
        (size) => bytes === empty || size <= 256 || size % 17 === 0 || size === bytes.length,
      );
      for (const size of sizes) {
        const chunked = verifyChunks(bytes, fixedCuts(bytes.length, size));
        expect(chunked.verdict, `chunks of ${size}`).toEqual(whole.verdict);
        expect(chunked.entries, `chunks of ${size}`).toEqual(whole.entries);
      }
    }
  });

  it('is the same for damaged bundles, in chunks of 1 and 7 bytes', () => {
    const { headerEnd } = regionsOf(small);
    const damaged = [
      Buffer.concat([
        small.subarray(0, headerEnd + 20),
        Buffer.from('X'),
        small.subarray(headerEnd + 21),
      ]), // payload
      Buffer.concat([small.subarray(0, 40), Buffer.from('X'), small.subarray(41)]), // manifest
      small.subarray(0, small.length - 5), // truncated
      Buffer.concat([small, Buffer.from('{}\n')]), // appended
    ];
    for (const bytes of damaged) {
      const whole = verifyChunks(bytes);
      expect(whole.verdict.valid).toBe(false);
      for (const size of [1, 7])
        expect(verifyChunks(bytes, fixedCuts(bytes.length, size)).verdict).toEqual(whole.verdict);
    }
  });

  it('is the same for random splits of intact and damaged bundles (property)', () => {
    const whole = verifyChunks(medium);
    expect(whole.verdict.valid).toBe(true);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat({ max: medium.length }), { maxLength: 30 }),
        fc.option(fc.tuple(fc.nat({ max: medium.length - 1 }), fc.integer({ min: 1, max: 255 })), {
          nil: undefined,
        }),
        (cuts, damage) => {
          let bytes = medium;
          let expected = whole;
          if (damage !== undefined) {
            bytes = Buffer.from(medium);
            bytes[damage[0]]! ^= damage[1];
            expected = verifyChunks(bytes);
          }
          const chunked = verifyChunks(bytes, cuts);
          expect(chunked.verdict).toEqual(expected.verdict);
          expect(chunked.entries).toEqual(expected.entries);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives verifyBundleFile (1 MiB reads) the same verdict as pushing bytes', () => {
    expect(verifyBundleFile(mediumPath, { trust })).toEqual(verifyChunks(medium).verdict);
  });
});

describe('no damage is ever accepted', () => {
  it('refuses any single changed byte anywhere, with a cause fitting where it is (property)', () => {
    for (const bytes of [empty, small]) {
      fc.assert(
        fc.property(
          fc.nat({ max: bytes.length - 1 }),
          fc.integer({ min: 0, max: 255 }),
          (position, replacement) => {
            fc.pre(replacement !== bytes[position]);
            const changed = Buffer.from(bytes);
            changed[position] = replacement;
            expectRefused(
              verifyChunks(changed).verdict,
              expectedCauses(bytes, position, replacement),
            );
          },
        ),
        { numRuns: 400 },
      );
    }
  });

  it('refuses single-bit flips at every position (exhaustive)', () => {
    for (const bytes of [empty, small]) {
      const { headerEnd } = regionsOf(bytes);
      for (let position = 0; position < bytes.length; position++) {
        // Three different bits in the magic line and header; one in the payload (each costs a full verification).
        for (const mask of position <= headerEnd ? [0x01, 0x20, 0x80] : [0x01]) {
          const changed = Buffer.from(bytes);
          changed[position]! ^= mask;
          const verdict = verifyChunks(changed).verdict;
          if (verdict.valid) throw new Error(`byte ${position} ^ 0x${mask.toString(16)} accepted`);
          expect(expectedCauses(bytes, position, changed[position]!)).toContain(verdict.cause);
        }
      }
    }
  });

  it('refuses truncation at every offset', () => {
    for (const bytes of [empty, small]) {
      const { magicEnd, headerEnd } = regionsOf(bytes);
      for (let length = 0; length < bytes.length; length++) {
        const verdict = verifyChunks(bytes.subarray(0, length)).verdict;
        if (verdict.valid) throw new Error(`truncation to ${length} bytes accepted`);
        const expected: VerdictCause =
          length <= magicEnd
            ? 'not_a_bundle'
            : length <= headerEnd
              ? 'malformed'
              : 'payload_digest';
        expect(verdict.cause, `truncated to ${length}`).toBe(expected);
      }
    }
  });

  it('refuses any bytes appended after the last entry (property)', () => {
    for (const bytes of [empty, medium]) {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (garbage) => {
          expectRefused(verifyChunks(Buffer.concat([bytes, garbage])).verdict, ['payload_digest']);
        }),
        { numRuns: 150 },
      );
      // Even what looks like one more legitimate line.
      const lines = medium.toString('utf8').split('\n');
      expectRefused(
        verifyChunks(Buffer.concat([bytes, Buffer.from(`${lines[lines.length - 2]}\n`)])).verdict,
        ['payload_digest'],
      );
      expectRefused(verifyChunks(Buffer.concat([bytes, Buffer.from('\n')])).verdict, [
        'payload_digest',
      ]);
    }
  });

  it('refuses bytes inserted or deleted anywhere (property)', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: small.length - 1 }),
        fc.uint8Array({ maxLength: 4 }),
        fc.nat({ max: 4 }),
        (position, inserted, deleted) => {
          fc.pre(inserted.length > 0 || deleted > 0);
          const changed = Buffer.concat([
            small.subarray(0, position),
            inserted,
            small.subarray(position + deleted),
          ]);
          fc.pre(!changed.equals(small));
          // By design (docs/bundle-format.md §4) spaces in the header line are not significant (the
          // signature covers the canonical manifest): only spaces inserted into, or deleted from, the
          // header line may leave it valid. Any other whitespace (tab, CR) is refused.
          const { magicEnd, headerEnd } = regionsOf(small);
          const isSpace = (b: number) => b === 0x20;
          const onlySpaces =
            position > magicEnd &&
            position + deleted <= headerEnd &&
            inserted.every(isSpace) &&
            small.subarray(position, position + deleted).every(isSpace);
          fc.pre(!onlySpaces);
          expectRefused(verifyChunks(changed).verdict);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('files that are not bundles', () => {
  it('calls random bytes not_a_bundle (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        fc.pre(!Buffer.from(bytes).toString('latin1').startsWith('AUDITDESK-BUNDLE/'));
        expectRefused(verifyChunks(Buffer.from(bytes)).verdict, ['not_a_bundle']);
      }),
      { numRuns: 300 },
    );
  });

  it('calls any JSON document not_a_bundle (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value);
        expectRefused(verifyChunks(Buffer.from(`${text}\n`)).verdict, ['not_a_bundle']);
      }),
      { numRuns: 200 },
    );
  });

  it('never accepts random bytes after a correct magic line (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        expectRefused(
          verifyChunks(Buffer.concat([Buffer.from('AUDITDESK-BUNDLE/1\n'), bytes])).verdict,
          ['malformed'],
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('header padding (docs/bundle-format.md §4, §12.5)', () => {
  // Padding is not covered by the signature or any digest (both cover the canonical manifest), so
  // the only padding accepted is spaces: otherwise the file's bytes could be changed without any
  // verdict noticing. Every other byte in the padding, JSON whitespace included, is refused.
  it('refuses every byte other than a space in the padding, at its first and last position', () => {
    for (const bytes of [empty, small]) {
      const { paddingStart, headerEnd } = regionsOf(bytes);
      for (const position of [paddingStart, headerEnd - 1]) {
        for (let replacement = 0; replacement < 256; replacement++) {
          if (replacement === 0x20) continue;
          const changed = Buffer.from(bytes);
          changed[position] = replacement;
          expectRefused(
            verifyChunks(changed).verdict,
            expectedCauses(bytes, position, replacement),
          );
        }
      }
    }
  });

  it('refuses a tab or carriage return in the padding as malformed, in any chunking', () => {
    for (const bytes of [empty, small]) {
      const { paddingStart } = regionsOf(bytes);
      for (const replacement of [0x09, 0x0d]) {
        const changed = Buffer.from(bytes);
        changed[paddingStart] = replacement;
        const verdict = verifyChunks(changed).verdict;
        expect(verdict).toMatchObject({ valid: false, cause: 'malformed' });
        expect(verifyChunks(changed, fixedCuts(changed.length, 1)).verdict).toEqual(verdict);
      }
    }
  });

  it('accepts more or fewer padding spaces (the manifest, digest and bundle id are unchanged)', () => {
    for (const bytes of [empty, small]) {
      const { paddingStart, headerEnd } = regionsOf(bytes);
      const intact = verifyChunks(bytes).verdict;
      const unpadded = Buffer.concat([bytes.subarray(0, paddingStart), bytes.subarray(headerEnd)]);
      const morePadded = Buffer.concat([
        bytes.subarray(0, headerEnd),
        Buffer.alloc(10, 0x20),
        bytes.subarray(headerEnd),
      ]);
      expect(verifyChunks(unpadded).verdict).toEqual(intact);
      expect(verifyChunks(morePadded).verdict).toEqual(intact);
    }
  });
});
