// The previous-bundle digest chain, checked against the bundles a workspace already holds. Bundles
// may arrive in any order and with gaps; only a contradiction with a stored neighbour is a break.
import type { Manifest } from '../../../shared/bundle';

export interface StoredLink {
  bundle_id: string;
  digest: string;
  prev_digest: string | null;
}

export interface Neighbours {
  /** Stored bundle whose period ends where this one starts. */
  predecessor: StoredLink | undefined;
  /** Stored bundle whose period starts where this one ends. */
  successor: StoredLink | undefined;
  /** Any stored bundle of an earlier period. */
  earlier: StoredLink | undefined;
}

/** Why `manifest` contradicts its stored neighbours, or undefined when the chain holds. */
export function chainProblem(manifest: Manifest, digest: string, { predecessor, successor, earlier }: Neighbours): string | undefined {
  if (predecessor !== undefined && manifest.prevDigest !== predecessor.digest) {
    return `previous-bundle digest does not match stored bundle ${predecessor.bundle_id} of the preceding period`;
  }
  if (predecessor === undefined && manifest.prevDigest === null && earlier !== undefined) {
    return `bundle claims to be the tenant's first, but stored bundle ${earlier.bundle_id} covers an earlier period`;
  }
  if (successor !== undefined && successor.prev_digest !== digest) {
    return `stored bundle ${successor.bundle_id} of the following period names a different previous bundle`;
  }
  return undefined;
}
