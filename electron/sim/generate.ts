// The one way `audit-desk sim generate` and `audit-desk sim serve` turn their flags into bundles,
// so that the same seed, days, per-day and key folder give byte-identical files in both.
import type { Plan } from '../../shared/bundle';
import type { Seed } from './random';
import { Simulation } from './trail';
import { writeTrail, type WrittenTrail } from './write-trail';

export const SIM_DEFAULTS = { seed: 'demo', days: 30, perDay: 200 } as const;

export interface TrailOptions {
  seed?: Seed;
  days?: number;
  perDay?: number;
  /** Folder of signing keys (created or reused); without it, keys derived from the seed. */
  keyDir?: string;
  /** Day index from which key 2 signs; absent or null: one key. */
  rotationDay?: number | null;
  anomalies?: boolean;
  startDate?: string;
  plan?: Plan;
}

/** Writes the trail's bundles, trust.json and ground-truth.json into `outDir`. */
export function generateTrail(options: TrailOptions & { outDir: string }): WrittenTrail {
  return writeTrail({
    simulation: new Simulation({
      seed: options.seed ?? SIM_DEFAULTS.seed,
      days: options.days ?? SIM_DEFAULTS.days,
      perDay: options.perDay ?? SIM_DEFAULTS.perDay,
      anomalies: options.anomalies,
      startDate: options.startDate,
      plan: options.plan,
    }),
    outDir: options.outDir,
    keyDir: options.keyDir,
    rotationDay: options.rotationDay ?? null,
    groundTruth: true,
  });
}
