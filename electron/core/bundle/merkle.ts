// RFC 6962 Merkle tree hashes: leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right),
// empty tree = SHA-256(""). The same functions serve bundle verification and (later) the
// per-entry inclusion proofs of evidence packs.
import { createHash, hash } from 'node:crypto';

export const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export function leafHash(data: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

const nodeInput = Buffer.alloc(65, 0x01);

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== 32 || right.length !== 32) {
    return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
  }
  // Hot path (a node per leaf in bundle verification): one call on a reused buffer.
  nodeInput.set(left, 1);
  nodeInput.set(right, 33);
  return hash('sha256', nodeInput, 'buffer');
}

export const EMPTY_TREE_HASH = createHash('sha256').digest();

/**
 * Tree head computed leaf by leaf in O(log n) memory: keeps one perfect subtree per set bit of the
 * leaf count (largest first), which is exactly the left-to-right split RFC 6962 prescribes.
 */
export class MerkleRootBuilder {
  private readonly stack: { size: number; hash: Buffer }[] = [];
  private count = 0;

  addLeaf(data: Uint8Array): void {
    this.addLeafHash(leafHash(data));
  }

  addLeafHash(hash: Buffer): void {
    let node = { size: 1, hash };
    let top = this.stack[this.stack.length - 1];
    while (top !== undefined && top.size === node.size) {
      this.stack.pop();
      node = { size: top.size * 2, hash: nodeHash(top.hash, node.hash) };
      top = this.stack[this.stack.length - 1];
    }
    this.stack.push(node);
    this.count++;
  }

  get leafCount(): number {
    return this.count;
  }

  root(): Buffer {
    const last = this.stack[this.stack.length - 1];
    if (last === undefined) return EMPTY_TREE_HASH;
    let hash = last.hash;
    for (let i = this.stack.length - 2; i >= 0; i--) hash = nodeHash(this.stack[i]!.hash, hash);
    return hash;
  }
}

/** Largest power of two strictly smaller than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Tree head over leaf hashes held in memory (small trees, tests, proofs). */
export function rootFromLeafHashes(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_TREE_HASH;
  if (leaves.length === 1) return leaves[0]!;
  const k = splitPoint(leaves.length);
  return nodeHash(rootFromLeafHashes(leaves.slice(0, k)), rootFromLeafHashes(leaves.slice(k)));
}

/** RFC 6962 §2.1.1 audit path for leaf `index` among `leaves`. */
export function inclusionProof(leaves: readonly Buffer[], index: number): Buffer[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`leaf index ${index} outside a tree of ${leaves.length}`);
  }
  if (leaves.length === 1) return [];
  const k = splitPoint(leaves.length);
  return index < k
    ? [...inclusionProof(leaves.slice(0, k), index), rootFromLeafHashes(leaves.slice(k))]
    : [...inclusionProof(leaves.slice(k), index - k), rootFromLeafHashes(leaves.slice(0, k))];
}

/** RFC 9162 §2.1.3.2 verification of an audit path against a tree head. */
export function verifyInclusion(
  leaf: Buffer,
  index: number,
  treeSize: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let hash = leaf;
  for (const sibling of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      hash = nodeHash(sibling, hash);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      hash = nodeHash(hash, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && hash.equals(root);
}
