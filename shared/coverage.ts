// What a workspace proves about the completeness of its trail (electron/core/workspace/coverage.ts
// computes it; the CLI prints it and the UI draws it as the coverage map).
import type { Tenant } from './bundle';

export interface CoverageGap {
  kind: 'period' | 'seq';
  /** Start and end of the missing time (period gaps), ISO UTC. */
  from: string;
  to: string;
  /** Missing seq numbers, inclusive, when known. */
  fromSeq: number | null;
  toSeq: number | null;
  afterBundle: string;
  beforeBundle: string;
}

export interface ChainBreak {
  afterBundle: string;
  beforeBundle: string;
  expectedPrevDigest: string;
  foundPrevDigest: string | null;
}

export interface ProvenRun {
  from: string;
  to: string;
  bundles: number;
  entries: number;
}

export interface Coverage {
  tenant: Tenant | null;
  entries: number;
  bundles: number;
  from: string | null;
  to: string | null;
  complete: boolean;
  /** The first stored bundle names a predecessor: the trail began before this workspace. */
  startsMidChain: boolean;
  proven: ProvenRun[];
  gaps: CoverageGap[];
  chainBreaks: ChainBreak[];
  /** Bundles older than the plan's retention: the API no longer serves them. */
  archived: {
    bundles: number;
    entries: number;
    before: string | null;
    retentionDays: number | null;
  };
}
