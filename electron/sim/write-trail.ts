// Writes a simulated trail as signed bundles, one per tenant-local day (empty days included), each
// naming its predecessor's digest, plus the trust store that verifies them. Everything is derived
// from the inputs, issue times included, so the same inputs give byte-identical files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tenant } from '../../shared/bundle';
import { serializeTrustStore } from '../core/bundle/trust-store';
import { BundleWriter, type WrittenBundle } from '../core/bundle/writer';
import type { PlantedAnomaly } from './anomalies';
import { isoOf } from './clock';
import { serializeGroundTruth } from './ground-truth';
import { simKeys, trustedSimKeys, type SimKey } from './sim-keys';
import type { SimDay, Simulation } from './trail';

/** Bundles are issued this long after their period ends (the format leaves issuedAt free). */
export const DEFAULT_ISSUE_DELAY_MS = 5 * 60_000;

export interface WriteTrailOptions {
  simulation: Simulation;
  outDir: string;
  /** Folder of the signing keys; without it, keys derived from the seed. */
  keyDir?: string;
  /** Day index from which key 2 signs (key 1 before it); null or absent: no rotation. */
  rotationDay?: number | null;
  issueDelayMs?: number;
  /** Also write `ground-truth.json` (planted unusual activity) into outDir. */
  groundTruth?: boolean;
  /** Called after each bundle, e.g. for progress. */
  onBundle?: (bundle: TrailBundle) => void;
}

export interface TrailBundle extends WrittenBundle {
  /** Local date of the day the bundle covers. */
  day: string;
  index: number;
  entryCount: number;
}

export interface WrittenTrail {
  tenant: Tenant;
  bundles: TrailBundle[];
  entries: number;
  trustStore: string;
  groundTruthFile: string | null;
  groundTruth: PlantedAnomaly[];
  /** Instant at which key 2 took over, or null without rotation. */
  rotatedAt: string | null;
}

export function bundleFileName(tenant: Tenant, day: { date: string }): string {
  return `${tenant.id}_${day.date}.otbundle`;
}

export function writeTrail(options: WriteTrailOptions): WrittenTrail {
  const { simulation, outDir } = options;
  const delay = options.issueDelayMs ?? DEFAULT_ISSUE_DELAY_MS;
  // Key 2 becomes valid at local noon of the rotation day: after the last bundle key 1 signs
  // (issued just after the day starts) and before the first one key 2 signs (after the day ends).
  if (!(delay >= 0 && delay <= 6 * 3_600_000))
    throw new RangeError('issueDelayMs must be between 0 and 6 hours');
  const rotationDay = options.rotationDay ?? null;
  if (rotationDay !== null && !(Number.isInteger(rotationDay) && rotationDay >= 0))
    throw new RangeError('rotationDay must be a day index, 0 or more');
  const rotatedAt =
    rotationDay === null ? null : isoOf(simulation.day(rotationDay).hourStartMs[12]!);
  const keys = simKeys({
    seed: simulation.options.seed,
    keyDir: options.keyDir,
    count: rotationDay === null ? 1 : 2,
  });

  mkdirSync(outDir, { recursive: true });
  const trustStore = join(outDir, 'trust.json');
  writeFileSync(trustStore, serializeTrustStore(trustedSimKeys(keys, rotatedAt)));

  const bundles: TrailBundle[] = [];
  let prevDigest: string | null = null;
  let entries = 0;
  for (const day of simulation.days()) {
    const key = keys[rotationDay !== null && day.index >= rotationDay ? 1 : 0]!;
    const bundle = writeDay(
      simulation.tenant,
      day,
      key,
      prevDigest,
      isoOf(day.endMs + delay),
      join(outDir, bundleFileName(simulation.tenant, day)),
    );
    bundles.push(bundle);
    entries += bundle.entryCount;
    prevDigest = bundle.digest;
    options.onBundle?.(bundle);
  }

  let groundTruthFile: string | null = null;
  if (options.groundTruth === true) {
    groundTruthFile = join(outDir, 'ground-truth.json');
    writeFileSync(groundTruthFile, serializeGroundTruth(simulation));
  }
  return {
    tenant: simulation.tenant,
    bundles,
    entries,
    trustStore,
    groundTruthFile,
    groundTruth: simulation.groundTruth,
    rotatedAt,
  };
}

function writeDay(
  tenant: Tenant,
  day: SimDay,
  key: SimKey,
  prevDigest: string | null,
  issuedAt: string,
  out: string,
): TrailBundle {
  const writer = new BundleWriter({
    out,
    tenant,
    periodStart: day.periodStart,
    periodEnd: day.periodEnd,
    prevDigest,
    keyId: key.keyId,
    privateKey: key.privateKey,
    issuedAt,
  });
  try {
    for (const entry of day.entries()) writer.add(entry);
    const entryCount = writer.entryCount;
    return { ...writer.finish(), day: day.date, index: day.index, entryCount };
  } catch (error) {
    writer.abort();
    throw error;
  }
}
