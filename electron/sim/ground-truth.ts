// The ground-truth file `sim generate` writes next to the bundles: which planted occurrences the
// trail holds, by entry id, so that review features (insights, the unusual-activity queue) can be
// scored against it.
import type { PlantedAnomaly } from './anomalies';
import { ANOMALY_KINDS, THRESHOLDS } from './anomalies';
import type { Simulation } from './trail';

export interface GroundTruth {
  version: 1;
  tenant: Simulation['tenant'];
  seed: string;
  days: number;
  perDay: number;
  startDate: string;
  anomaliesPlanted: boolean;
  /** Definitions are in docs/simulator.md; the thresholds are repeated here for tools. */
  kinds: readonly string[];
  thresholds: typeof THRESHOLDS;
  anomalies: PlantedAnomaly[];
}

/** The ground truth of a simulation whose trail has been generated. */
export function groundTruthOf(simulation: Simulation): GroundTruth {
  const { seed, days, perDay, anomalies } = simulation.options;
  return {
    version: 1,
    tenant: simulation.tenant,
    seed: String(seed),
    days,
    perDay,
    startDate: simulation.startDate,
    anomaliesPlanted: anomalies !== false,
    kinds: ANOMALY_KINDS,
    thresholds: THRESHOLDS,
    anomalies: simulation.groundTruth,
  };
}

export function serializeGroundTruth(simulation: Simulation): string {
  return `${JSON.stringify(groundTruthOf(simulation), null, 2)}\n`;
}
