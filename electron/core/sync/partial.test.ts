// Resume decisions and the partial files, on a real folder.
import fc from 'fast-check';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers/bundles';
import {
  isStrongEtag,
  partialFiles,
  planResume,
  readMeta,
  removePartial,
  removeStalePartials,
  sha256File,
  writeMeta,
} from './partial';

const SHA = 'a'.repeat(64);
const descriptor = { size: 1000, sha256: SHA };
const meta = { etag: '"v1"', size: 1000, sha256: SHA };

let dir: { path: string; remove(): void };
beforeEach(() => {
  dir = tempDir('audit-desk-partial-');
});
afterEach(() => dir.remove());

describe('planResume', () => {
  it('resumes only bytes of the same listed bundle that came with a strong ETag', () => {
    expect(planResume(descriptor, 400, meta)).toEqual({
      kind: 'resume',
      offset: 400,
      etag: '"v1"',
    });
    expect(planResume(descriptor, 1000, meta)).toEqual({ kind: 'complete' });
    expect(planResume(descriptor, 0, meta)).toEqual({ kind: 'fresh' });
    expect(planResume(descriptor, 1001, meta)).toEqual({ kind: 'fresh' });
    expect(planResume(descriptor, 400, undefined)).toEqual({ kind: 'fresh' });
    expect(planResume(descriptor, 400, { ...meta, etag: 'W/"v1"' })).toEqual({ kind: 'fresh' });
    expect(planResume(descriptor, 400, { ...meta, etag: null })).toEqual({ kind: 'fresh' });
    expect(planResume(descriptor, 400, { ...meta, sha256: 'b'.repeat(64) })).toEqual({
      kind: 'fresh',
    });
    expect(planResume(descriptor, 400, { ...meta, size: 999 })).toEqual({ kind: 'fresh' });
  });

  it('a resume offset is always inside the file, never at or past its end', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.nat(2e6), (size, have) => {
        const plan = planResume({ size, sha256: SHA }, have, { ...meta, size });
        if (plan.kind === 'resume') expect(plan.offset > 0 && plan.offset < size).toBe(true);
        if (plan.kind === 'complete') expect(have).toBe(size);
      }),
    );
  });

  it('recognizes strong ETags', () => {
    expect(isStrongEtag('"abc"')).toBe(true);
    expect(isStrongEtag('""')).toBe(true);
    for (const weak of ['W/"abc"', 'abc', '"a"b"', undefined, null, '"a b"'])
      expect(isStrongEtag(weak)).toBe(false);
  });
});

describe('partial files', () => {
  it('live in downloads/ and round-trip their metadata', async () => {
    const files = partialFiles(dir.path, '20261124T000000Z-0123456789ab');
    expect(files.data).toBe(join(dir.path, 'downloads', '20261124T000000Z-0123456789ab.partial'));
    expect(readMeta(files)).toBeUndefined();
    writeMeta(files, meta);
    expect(readMeta(files)).toEqual(meta);
    writeFileSync(files.meta, '{broken');
    expect(readMeta(files)).toBeUndefined();
    writeFileSync(files.data, 'abc');
    expect(await sha256File(files.data)).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    removePartial(files);
    expect(existsSync(files.data) || existsSync(files.meta)).toBe(false);
  });

  it('stale partials of bundles no longer pending are removed, others kept', () => {
    const keep = partialFiles(dir.path, 'keep');
    const old = partialFiles(dir.path, 'old');
    for (const f of [keep.data, keep.meta, old.data, old.meta]) writeFileSync(f, 'x');
    writeFileSync(join(dir.path, 'downloads', '.sync.lock'), '1');
    expect(removeStalePartials(dir.path, new Set(['keep']))).toBe(2);
    expect(readdirSync(join(dir.path, 'downloads')).sort()).toEqual([
      '.sync.lock',
      'keep.partial',
      'keep.partial.json',
    ]);
  });
});
