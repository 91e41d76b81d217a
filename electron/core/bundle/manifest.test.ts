// The signed manifest: its rules, its canonical bytes and the identity derived from them.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../../shared/bundle';
import { TENANT } from '../../../tests/helpers/bundles';
import { bundleDigest, bundleIdOf, checkManifest, manifestBytes, parseTenant } from './manifest';

const MANIFEST: Manifest = {
  formatVersion: 1,
  tenant: TENANT,
  periodStart: '2026-11-24T05:00:00.000Z',
  periodEnd: '2026-11-25T05:00:00.000Z',
  firstSeq: 18000,
  lastSeq: 18421,
  entryCount: 422,
  payloadSha256: 'a'.repeat(64),
  merkleRoot: 'b'.repeat(64),
  prevDigest: 'c'.repeat(64),
  keyId: 'otesse-2026',
  issuedAt: '2026-11-25T05:00:01.000Z',
};

const problemOf = (value: unknown) => {
  const checked = checkManifest(value);
  return 'problem' in checked ? checked.problem : null;
};

describe('checkManifest', () => {
  it('accepts a complete manifest, a first bundle (prevDigest null) and an empty period', () => {
    expect(checkManifest(MANIFEST)).toEqual({ manifest: MANIFEST });
    expect(problemOf({ ...MANIFEST, prevDigest: null })).toBeNull();
    expect(problemOf({ ...MANIFEST, entryCount: 0, firstSeq: null, lastSeq: null })).toBeNull();
  });

  it.each([
    ['an unknown field', { ...MANIFEST, extra: true }],
    ['a missing field', { ...MANIFEST, keyId: undefined }],
    ['upper-case hex', { ...MANIFEST, payloadSha256: 'A'.repeat(64) }],
    ['short hex', { ...MANIFEST, merkleRoot: 'b'.repeat(63) }],
    ['a negative seq', { ...MANIFEST, firstSeq: -1, lastSeq: 420 }],
    ['a fractional count', { ...MANIFEST, entryCount: 1.5 }],
    ['a seq range that disagrees with the count', { ...MANIFEST, lastSeq: 18422 }],
    ['null seqs with entries', { ...MANIFEST, firstSeq: null, lastSeq: null }],
    ['seqs without entries', { ...MANIFEST, entryCount: 0 }],
    ['an empty period', { ...MANIFEST, periodEnd: MANIFEST.periodStart }],
    ['a reversed period', { ...MANIFEST, periodEnd: '2026-11-23T05:00:00.000Z' }],
    [
      'a period bound that is not a UTC instant',
      { ...MANIFEST, periodStart: '2026-11-24T00:00:00-05:00' },
    ],
    ['an unknown time zone', { ...MANIFEST, tenant: { ...TENANT, timeZone: 'America/Gotham' } }],
    ['an unknown plan', { ...MANIFEST, tenant: { ...TENANT, plan: 'free' } }],
    ['an extra tenant field', { ...MANIFEST, tenant: { ...TENANT, region: 'eu' } }],
    ['an empty key id', { ...MANIFEST, keyId: '' }],
  ])('refuses %s with a one-line problem', (_name, value) => {
    const checked = checkManifest(value);
    expect('problem' in checked).toBe(true);
    if ('problem' in checked) {
      expect(checked.problem).toMatch(/^[^\n]+$/);
      expect(checked.version).toBeUndefined();
    }
  });

  it('names the field at fault', () => {
    expect(problemOf({ ...MANIFEST, tenant: { ...TENANT, timeZone: 'America/Gotham' } })).toMatch(
      /^tenant\.timeZone: /,
    );
    expect(problemOf({ ...MANIFEST, issuedAt: 'yesterday' })).toMatch(/^issuedAt: /);
  });

  it('reports another format version as such, so it can be told from damage', () => {
    const checked = checkManifest({ ...MANIFEST, formatVersion: 2 });
    expect(checked).toMatchObject({ version: 2 });
    expect('problem' in checked && checked.problem).toMatch(/format version 2 is not supported/);
  });
});

describe('manifest bytes and identity', () => {
  it('signs the RFC 8785 form, whatever the property order', () => {
    const shuffled = Object.fromEntries(Object.entries(MANIFEST).reverse()) as unknown as Manifest;
    expect(manifestBytes(shuffled)).toEqual(manifestBytes(MANIFEST));
    const text = manifestBytes(MANIFEST).toString('utf8');
    expect(
      text.startsWith('{"entryCount":422,"firstSeq":18000,"formatVersion":1,"issuedAt":'),
    ).toBe(true);
    expect(text).toContain(
      '"tenant":{"id":"ten_acme","name":"Acme Cleaning","plan":"professional","timeZone":"America/New_York"}',
    );
    // For plain strings and integers, RFC 8785 is JSON.stringify with keys sorted at every level.
    const sorted = (value: unknown): unknown =>
      typeof value === 'object' && value !== null
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
          )
        : value;
    expect(text).toBe(JSON.stringify(sorted(MANIFEST)));
  });

  it('identifies a bundle by SHA-256 of those bytes, and any manifest change changes it', () => {
    const digest = bundleDigest(MANIFEST);
    expect(digest).toBe(createHash('sha256').update(manifestBytes(MANIFEST)).digest('hex'));
    expect(bundleDigest({ ...MANIFEST, entryCount: 421, lastSeq: 18420 })).not.toBe(digest);
    expect(bundleDigest({ ...MANIFEST, prevDigest: null })).not.toBe(digest);
  });

  it('makes a sortable bundle id from the period start and the digest', () => {
    expect(bundleIdOf(MANIFEST, 'f'.repeat(64))).toBe('20261124T050000Z-ffffffffffff');
  });
});

describe('parseTenant', () => {
  it('accepts a tenant and refuses a bad one with a one-line reason', () => {
    expect(parseTenant({ ...TENANT })).toEqual(TENANT);
    expect(() => parseTenant({ ...TENANT, timeZone: 'Nowhere/Special' })).toThrow(
      /^timeZone: must be an IANA time zone/,
    );
    expect(() => parseTenant({ ...TENANT, plan: 'gold' })).toThrow(/^plan: /);
    expect(() => parseTenant({ ...TENANT, id: '' })).toThrow(/^id: /);
    expect(() => parseTenant(null)).toThrow();
  });
});
