import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyBundleFile } from '../core/bundle/read-file';
import { loadTrustStore, TrustStore } from '../core/bundle/trust-store';
import type { GroundTruth } from './ground-truth';
import { Simulation } from './trail';
import { writeTrail, type WriteTrailOptions } from './write-trail';

const dirs: string[] = [];
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'audit-desk-sim-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function write(
  seed: string | number,
  days: number,
  perDay: number,
  extra: Partial<WriteTrailOptions> = {},
  anomalies = true,
) {
  const outDir = temp();
  const written = writeTrail({
    simulation: new Simulation({ seed, days, perDay, anomalies }),
    outDir,
    ...extra,
  });
  return { outDir, written };
}

function hashes(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [
        name,
        createHash('sha256')
          .update(readFileSync(join(dir, name)))
          .digest('hex'),
      ]),
  );
}

describe('writeTrail', () => {
  it('writes one valid, chained bundle per local day, empty days included', () => {
    const { written } = write('chain', 9, 15, { groundTruth: true });
    expect(written.bundles).toHaveLength(9);
    const trust = loadTrustStore(written.trustStore);
    let prev: string | null = null;
    let seq = 1;
    for (const bundle of written.bundles) {
      const verdict = verifyBundleFile(bundle.out, { trust });
      expect(verdict.valid, verdict.valid ? '' : verdict.message).toBe(true);
      if (!verdict.valid) continue;
      expect(verdict.manifest.prevDigest).toBe(prev);
      expect(verdict.digest).toBe(bundle.digest);
      expect(verdict.manifest.entryCount).toBe(bundle.entryCount);
      if (bundle.entryCount > 0) expect(verdict.manifest.firstSeq).toBe(seq);
      seq += bundle.entryCount;
      // Issued a fixed 5 minutes after the period ends.
      expect(Date.parse(verdict.manifest.issuedAt) - Date.parse(verdict.manifest.periodEnd)).toBe(
        5 * 60_000,
      );
      prev = verdict.digest;
    }
    expect(written.entries).toBe(seq - 1);
    // Adjacent periods: each starts where the previous ends.
    for (let i = 1; i < written.bundles.length; i++) {
      expect(written.bundles[i]!.manifest.periodStart).toBe(
        written.bundles[i - 1]!.manifest.periodEnd,
      );
    }
  });

  it('writes empty bundles for days without activity', () => {
    const { written } = write('quiet', 3, 0, {}, false);
    const trust = loadTrustStore(written.trustStore);
    expect(written.bundles.map((b) => [b.manifest.entryCount, b.manifest.firstSeq])).toEqual([
      [0, null],
      [0, null],
      [0, null],
    ]);
    for (const bundle of written.bundles)
      expect(verifyBundleFile(bundle.out, { trust }).valid).toBe(true);
    // A quiet day between busy ones keeps the chain: perDay 1 leaves weekend days empty.
    const sparse = write('sparse', 14, 1, {}, false).written;
    expect(sparse.bundles.some((b) => b.entryCount === 0)).toBe(true);
    const sparseTrust = loadTrustStore(sparse.trustStore);
    sparse.bundles.forEach((bundle, i) => {
      expect(verifyBundleFile(bundle.out, { trust: sparseTrust }).valid).toBe(true);
      expect(bundle.manifest.prevDigest).toBe(i === 0 ? null : sparse.bundles[i - 1]!.digest);
    });
  });

  it('is byte-identical for the same seed, days and perDay, and differs for another seed', () => {
    const a = write(11, 4, 40);
    const b = write(11, 4, 40);
    const c = write(12, 4, 40);
    expect(hashes(a.outDir)).toEqual(hashes(b.outDir));
    expect(Object.values(hashes(a.outDir))).not.toEqual(Object.values(hashes(c.outDir)));
  });

  it('creates keys in a key folder once and reuses them: same bytes on the next run', () => {
    const keyDir = join(temp(), 'keys');
    const a = write('keys', 3, 30, { keyDir, rotationDay: 1 });
    expect(readdirSync(keyDir).sort()).toEqual([
      'otesse-sim-1.private.pem',
      'otesse-sim-2.private.pem',
    ]);
    const b = write('keys', 3, 30, { keyDir, rotationDay: 1 });
    expect(hashes(a.outDir)).toEqual(hashes(b.outDir));
    // Keys from the folder are not the seed-derived ones.
    const derived = write('keys', 3, 30, { rotationDay: 1 });
    expect(readFileSync(derived.written.trustStore, 'utf8')).not.toBe(
      readFileSync(a.written.trustStore, 'utf8'),
    );
  });

  it('rotates keys: key 1 before the rotation day, key 2 from it, bounded in the trust store', () => {
    const { written } = write('rotate', 5, 20, { rotationDay: 2 });
    expect(written.bundles.map((b) => b.manifest.keyId)).toEqual([
      'otesse-sim-1',
      'otesse-sim-1',
      'otesse-sim-2',
      'otesse-sim-2',
      'otesse-sim-2',
    ]);
    const trust = loadTrustStore(written.trustStore);
    const [one, two] = trust.list();
    expect(one!.validTo).toBe(written.rotatedAt);
    expect(two!.validFrom).toBe(written.rotatedAt);
    for (const bundle of written.bundles)
      expect(verifyBundleFile(bundle.out, { trust }).valid).toBe(true);
    // Without key 2 the rotated bundles do not verify; key 1 alone past its validTo would be expired.
    const onlyOne = new TrustStore([one!]);
    const verdict = verifyBundleFile(written.bundles[3]!.out, { trust: onlyOne });
    expect(verdict.valid ? null : verdict.cause).toBe('unknown_key');
    expect(onlyOne.check('otesse-sim-1', written.bundles[3]!.manifest.issuedAt).ok).toBe(false);
  });

  it('writes the ground truth, whose entries are in the bundles', () => {
    const { outDir, written } = write('truth', 30, 30, { groundTruth: true });
    expect(written.groundTruthFile).toBe(join(outDir, 'ground-truth.json'));
    const truth = JSON.parse(readFileSync(written.groundTruthFile!, 'utf8')) as GroundTruth;
    expect(truth.anomalies.length).toBeGreaterThanOrEqual(6);
    expect(truth.tenant).toEqual(written.tenant);
    const payload = written.bundles.map((b) => readFileSync(b.out, 'utf8')).join('');
    for (const anomaly of truth.anomalies)
      for (const id of anomaly.entryIds) expect(payload).toContain(`"id":"${id}"`);
  });

  it('leaves no partial file behind', () => {
    const { outDir } = write('clean', 2, 10);
    expect(readdirSync(outDir).some((name) => name.endsWith('.partial'))).toBe(false);
    expect(existsSync(join(outDir, 'trust.json'))).toBe(true);
  });
});
