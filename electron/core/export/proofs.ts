// Inclusion proofs for the entries of one bundle, computed once per bundle from all its leaves
// (docs/evidence-pack.md, "Proofs"). RFC 6962's tree (split at the largest power of two) is the
// same as building it bottom up, pairing nodes level by level and carrying a lone last node up
// unchanged, so node (level L, index j) is the tree hash of leaves [j·2^L, min((j+1)·2^L, n)).
// A leaf's audit path is then, bottom up, the sibling (j xor 1) of its ancestor at every level
// where that sibling exists. The pack stores per bundle only the path nodes that cannot be
// computed from the exported entries themselves (a multiproof); every entry's full audit path is
// rebuilt from those and the exported leaves, and checked with RFC 9162's algorithm.
import { nodeHash, EMPTY_TREE_HASH, verifyInclusion } from '../bundle/merkle';

export interface ProofNode {
  level: number;
  index: number;
  hash: string;
}

/** The proof file of one bundle: proofs/<bundle-id>.json. */
export interface BundleProof {
  bundleId: string;
  merkleRoot: string;
  treeSize: number;
  /** How many of the bundle's entries the pack holds (their leaves are computed from entries.jsonl). */
  exported: number;
  /** The audit-path nodes not computable from exported leaves, by level then index. */
  nodes: ProofNode[];
}

/** Number of nodes on `level` of a tree of `size` leaves. */
export function levelSize(size: number, level: number): number {
  return Math.ceil(size / 2 ** level);
}

/** Every node of a tree over `size` leaf hashes held in one buffer (32 bytes each). */
export class MerkleLevels {
  private readonly levels: Buffer[];

  constructor(
    leaves: Buffer,
    readonly size: number,
  ) {
    this.levels = [leaves.subarray(0, size * 32)];
    let current = this.levels[0]!;
    let count = size;
    while (count > 1) {
      const next = Buffer.allocUnsafe(Math.ceil(count / 2) * 32);
      for (let j = 0; 2 * j < count; j++) {
        const left = current.subarray(64 * j, 64 * j + 32);
        const node =
          2 * j + 1 < count ? nodeHash(left, current.subarray(64 * j + 32, 64 * j + 64)) : left;
        next.set(node, 32 * j);
      }
      this.levels.push(next);
      current = next;
      count = Math.ceil(count / 2);
    }
  }

  node(level: number, index: number): Buffer {
    return this.levels[level]!.subarray(index * 32, index * 32 + 32);
  }

  root(): Buffer {
    return this.size === 0 ? EMPTY_TREE_HASH : Buffer.from(this.node(this.levels.length - 1, 0));
  }

  /** RFC 6962 audit path of leaf `index`, bottom up. */
  auditPath(index: number): Buffer[] {
    const path: Buffer[] = [];
    for (let level = 0; levelSize(this.size, level) > 1; level++) {
      const sibling = (index >> level) ^ 1;
      if (sibling < levelSize(this.size, level)) path.push(Buffer.from(this.node(level, sibling)));
    }
    return path;
  }
}

/**
 * The (level, index) of every audit-path node of the `exported` leaves (sorted, distinct) that
 * lies in a subtree without any exported leaf: the nodes a proof must carry.
 */
export function neededNodes(exported: readonly number[], size: number): [number, number][] {
  const needed: [number, number][] = [];
  let known = exported;
  for (let level = 0; levelSize(size, level) > 1; level++) {
    const count = levelSize(size, level);
    const next: number[] = [];
    for (let i = 0; i < known.length; i++) {
      const j = known[i]!;
      const sibling = j ^ 1;
      const siblingKnown = sibling < j ? known[i - 1] === sibling : known[i + 1] === sibling;
      if (sibling < count && !siblingKnown) needed.push([level, sibling]);
      const parent = j >> 1;
      if (next[next.length - 1] !== parent) next.push(parent);
    }
    known = next;
  }
  return needed.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

export function buildProof(
  bundleId: string,
  tree: MerkleLevels,
  exported: readonly number[],
): BundleProof {
  return {
    bundleId,
    merkleRoot: tree.root().toString('hex'),
    treeSize: tree.size,
    exported: exported.length,
    nodes: neededNodes(exported, tree.size).map(([level, index]) => ({
      level,
      index,
      hash: tree.node(level, index).toString('hex'),
    })),
  };
}

/** The proof's own statements against the signed manifest and the pack's entries. */
export function checkProofHeader(
  proof: BundleProof,
  exported: number,
  signedRoot: string,
  treeSize: number,
): string[] {
  const problems: string[] = [];
  if (proof.treeSize !== treeSize)
    problems.push(`treeSize ${proof.treeSize} differs from the signed entry count ${treeSize}`);
  if (proof.merkleRoot !== signedRoot) problems.push('merkleRoot differs from the signed manifest');
  if (proof.exported !== exported)
    problems.push(`says ${proof.exported} exported entries, entries.jsonl holds ${exported}`);
  return problems;
}

export interface LeafCheck {
  index: number;
  ok: boolean;
}

/**
 * Checks a proof file against the exported leaves of its bundle (leaf index → leaf hash) and the
 * bundle's signed root: the node list must be exactly the needed one (a node too many or too few
 * means entries were added or removed), and every leaf's rebuilt audit path must verify.
 * Returns one problem text per fault (without the file name) and the per-leaf results.
 */
export function checkProof(
  proof: BundleProof,
  leaves: Map<number, Buffer>,
  signedRoot: string,
  treeSize: number,
): { problems: string[]; leaves: LeafCheck[] } {
  const problems = checkProofHeader(proof, leaves.size, signedRoot, treeSize);
  const indices = [...leaves.keys()].sort((a, b) => a - b);
  const expected = neededNodes(indices, treeSize);
  const given = proof.nodes.map((n) => `${n.level}/${n.index}`);
  const wanted = expected.map(([l, i]) => `${l}/${i}`);
  if (given.join(',') !== wanted.join(','))
    problems.push(
      'its node list does not match the exported entries (entries were added to or removed from the pack)',
    );
  // Known nodes per level: the given ones and the exported leaves, combined upwards.
  const known: Map<number, Buffer>[] = [];
  for (let level = 0; level === 0 || levelSize(treeSize, level - 1) > 1; level++)
    known.push(new Map());
  for (const [index, hash] of leaves) known[0]!.set(index, hash);
  for (const n of proof.nodes) {
    if (/^[0-9a-f]{64}$/.test(n.hash)) known[n.level]?.set(n.index, Buffer.from(n.hash, 'hex'));
  }
  for (let level = 0; level + 1 < known.length; level++) {
    const count = levelSize(treeSize, level);
    for (const [j, hash] of known[level]!) {
      const parent = j >> 1;
      if (known[level + 1]!.has(parent)) continue;
      const left = 2 * parent;
      const right = left + 1;
      if (right >= count) known[level + 1]!.set(parent, hash);
      else {
        const l = known[level]!.get(left);
        const r = known[level]!.get(right);
        if (l !== undefined && r !== undefined) known[level + 1]!.set(parent, nodeHash(l, r));
      }
    }
  }
  const root = Buffer.from(signedRoot, 'hex');
  // The node list is exactly the needed one and the rebuilt root is the signed one: every leaf's
  // audit path is made of these nodes, so every path verifies (checked one by one otherwise, to
  // name the entries that fail).
  const top = known[known.length - 1]!.get(0);
  if (problems.length === 0 && top !== undefined && top.equals(root))
    return { problems, leaves: indices.map((index) => ({ index, ok: true })) };
  const results: LeafCheck[] = indices.map((index) => {
    const path: Buffer[] = [];
    for (let level = 0; levelSize(treeSize, level) > 1; level++) {
      const sibling = (index >> level) ^ 1;
      if (sibling >= levelSize(treeSize, level)) continue;
      const hash = known[level]?.get(sibling);
      if (hash === undefined) return { index, ok: false };
      path.push(hash);
    }
    return { index, ok: verifyInclusion(leaves.get(index)!, index, treeSize, path, root) };
  });
  return { problems, leaves: results };
}
