// What the simulator serves: one record per bundle of the written trail, in period order, with the
// bytes to send (the original file, or an altered copy for a scenario fault) and their validators.
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import type { BundleDescriptor } from '../../../shared/otesse-api';
import { derivedKey } from '../sim-keys';
import type { Seed } from '../random';
import type { WrittenTrail } from '../write-trail';
import { FaultSpecError, type FaultSpec } from './faults';
import { FOREIGN_KEY_ID, writeForeignCopy, writeTamperedCopy } from './scenario';

export type Scenario = 'tamper' | 'foreign-key' | 'missing';

export interface CatalogBundle {
  /** The descriptor without `archived`, which depends on the simulated clock. */
  descriptor: Omit<BundleDescriptor, 'archived'>;
  /** Day index and local date. */
  index: number;
  day: string;
  /** The bytes served for this bundle. */
  path: string;
  fileName: string;
  /** Strong ETag: the quoted SHA-256 of the served bytes. */
  etag: string;
  /** HTTP date of the bundle's issue time. */
  lastModified: string;
  periodEndMs: number;
  issuedAtMs: number;
  scenario: Scenario | null;
}

export function sha256File(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Builds the catalog of `trail`; scenario faults write their altered copies into `faultDir`.
 * Throws FaultSpecError when a selector matches no bundle.
 */
export function buildCatalog(
  trail: WrittenTrail,
  faults: FaultSpec,
  seed: Seed,
  faultDir: string,
): CatalogBundle[] {
  const scenarios = new Map<number, Scenario>();
  const pick = (scenario: Scenario, selectors: readonly string[]) => {
    for (const selector of selectors) {
      const index = trail.bundles.findIndex(
        (b) => String(b.index) === selector || b.day === selector || b.bundleId === selector,
      );
      if (index === -1) {
        throw new FaultSpecError(
          `fault ${scenario}=${selector} matches no bundle (day indexes 0 to ${trail.bundles.length - 1}, dates ${trail.bundles[0]?.day ?? '-'} to ${trail.bundles.at(-1)?.day ?? '-'})`,
        );
      }
      if (scenarios.has(index))
        throw new FaultSpecError(`bundle ${selector} is picked by two scenario faults`);
      scenarios.set(index, scenario);
    }
  };
  pick('tamper', faults.tamper);
  pick('foreign-key', faults.foreignKey);
  pick('missing', faults.missing);
  if (scenarios.size > 0) mkdirSync(faultDir, { recursive: true });

  return trail.bundles.map((bundle, i) => {
    const { manifest } = bundle;
    const scenario = scenarios.get(i) ?? null;
    const fileName = basename(bundle.out);
    let path = bundle.out;
    let { digest, bundleId } = bundle;
    if (scenario === 'tamper') {
      path = join(faultDir, `tampered-${fileName}`);
      writeTamperedCopy(bundle.out, path);
    } else if (scenario === 'foreign-key') {
      path = join(faultDir, `foreign-${fileName}`);
      ({ digest, bundleId } = writeForeignCopy(bundle.out, path, derivedKey(seed, FOREIGN_KEY_ID)));
    }
    const sha256 = sha256File(path);
    return {
      descriptor: {
        id: bundleId,
        periodStart: manifest.periodStart,
        periodEnd: manifest.periodEnd,
        firstSeq: manifest.firstSeq,
        lastSeq: manifest.lastSeq,
        entryCount: manifest.entryCount,
        size: statSync(path).size,
        sha256,
        digest,
      },
      index: bundle.index,
      day: bundle.day,
      path,
      fileName,
      etag: `"${sha256}"`,
      lastModified: new Date(manifest.issuedAt).toUTCString(),
      periodEndMs: Date.parse(manifest.periodEnd),
      issuedAtMs: Date.parse(manifest.issuedAt),
      scenario,
    };
  });
}
