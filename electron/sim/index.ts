// The Otesse simulator's data side: a seeded tenant, its streamed activity trail with planted
// unusual activity, and signed day bundles. The server and `audit-desk sim` build on these.
export { Simulation, DEFAULT_START_DATE, type SimulationOptions, type SimDay } from './trail';
export {
  ANOMALY_KINDS,
  THRESHOLDS,
  type AnomalyKind,
  type PlantedAnomaly,
  type PlannedAnomaly,
} from './anomalies';
export { groundTruthOf, serializeGroundTruth, type GroundTruth } from './ground-truth';
export {
  writeTrail,
  bundleFileName,
  DEFAULT_ISSUE_DELAY_MS,
  type WriteTrailOptions,
  type WrittenTrail,
  type TrailBundle,
} from './write-trail';
export { simKeys, trustedSimKeys, SIM_KEY_IDS, type SimKey } from './sim-keys';
export { generateTrail, SIM_DEFAULTS, type TrailOptions } from './generate';
