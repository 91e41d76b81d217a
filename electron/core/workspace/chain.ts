// The previous-bundle digest chain, checked against the bundles a workspace already holds. Bundles
// may arrive in any order and with gaps; only a contradiction with a stored neighbour is a break.
// Two different bundles that claim the same place in the chain (the same preceding bundle, or both
// to be the tenant's first) are a fork: a `conflict`, never resolved by silently linking one of them.
import type { Manifest } from '../../../shared/bundle';

export interface StoredLink {
  bundle_id: string;
  digest: string;
  prev_digest: string | null;
}

export interface Neighbours {
  /** Stored bundles whose period ends where this one starts (more than one only in a damaged workspace). */
  predecessors: StoredLink[];
  /** Stored bundles whose period starts where this one ends. */
  successors: StoredLink[];
  /** Any stored bundle of an earlier period. */
  earlier: StoredLink | undefined;
  /** A stored bundle with another digest that names the same previous bundle (null included). */
  sibling: StoredLink | undefined;
}

export interface ChainProblem {
  cause: 'chain_link' | 'conflict';
  message: string;
}

/** Why `manifest` contradicts its stored neighbours, or undefined when the chain holds. */
export function chainProblem(
  manifest: Manifest,
  digest: string,
  { predecessors, successors, earlier, sibling }: Neighbours,
): ChainProblem | undefined {
  if (predecessors.length > 1) {
    return {
      cause: 'conflict',
      message: `stored bundles ${predecessors.map((p) => p.bundle_id).join(' and ')} both cover the preceding period; cannot tell which one precedes this bundle`,
    };
  }
  if (successors.length > 1) {
    return {
      cause: 'conflict',
      message: `stored bundles ${successors.map((s) => s.bundle_id).join(' and ')} both cover the following period; cannot tell which one follows this bundle`,
    };
  }
  const [predecessor] = predecessors;
  const [successor] = successors;
  if (predecessor !== undefined && manifest.prevDigest !== predecessor.digest) {
    return {
      cause: 'chain_link',
      message: `previous-bundle digest does not match stored bundle ${predecessor.bundle_id} of the preceding period`,
    };
  }
  if (predecessor === undefined && manifest.prevDigest === null && earlier !== undefined) {
    return {
      cause: 'chain_link',
      message: `bundle claims to be the tenant's first, but stored bundle ${earlier.bundle_id} covers an earlier period`,
    };
  }
  if (successor !== undefined && successor.prev_digest !== digest) {
    return {
      cause: 'chain_link',
      message: `stored bundle ${successor.bundle_id} of the following period names a different previous bundle`,
    };
  }
  // Each bundle has one successor: a second bundle naming the same predecessor is a fork.
  if (sibling !== undefined) {
    return {
      cause: 'conflict',
      message:
        manifest.prevDigest === null
          ? `stored bundle ${sibling.bundle_id} also claims to be the tenant's first bundle`
          : `stored bundle ${sibling.bundle_id} names the same previous bundle; two bundles cannot both follow it`,
    };
  }
  return undefined;
}
