// RFC 6962 Merkle tree hashes, checked against the published Certificate Transparency test vectors
// (certificate-transparency / transparency-dev/merkle / trillian) and an independent reference.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_TREE_HASH,
  inclusionProof,
  leafHash,
  MerkleRootBuilder,
  nodeHash,
  rootFromLeafHashes,
  verifyInclusion,
} from './merkle';

const hex = (value: string) => Buffer.from(value, 'hex');

// The standard 8-leaf test data.
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(hex);

// MTH(D[0:n]) for n = 0..8, as published with that data.
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

// Published audit paths: [leaf index (0-based), tree size, path].
const INCLUSION_VECTORS: [number, number, string[]][] = [
  [0, 1, []],
  [
    0,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    5,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    1,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];

/** RFC 6962 §2.1 MTH, written straight from the definition (independent of the code under test). */
function referenceRoot(data: readonly Uint8Array[]): Buffer {
  const sha = (...parts: Uint8Array[]) => {
    const h = createHash('sha256');
    for (const part of parts) h.update(part);
    return h.digest();
  };
  if (data.length === 0) return sha();
  if (data.length === 1) return sha(Buffer.from([0]), data[0]!);
  let k = 1;
  while (k * 2 < data.length) k *= 2;
  return sha(Buffer.from([1]), referenceRoot(data.slice(0, k)), referenceRoot(data.slice(k)));
}

const leafData = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`entry ${i}`));

describe('RFC 6962 hashes', () => {
  it('hashes the empty tree to SHA-256 of nothing', () => {
    expect(EMPTY_TREE_HASH.toString('hex')).toBe(ROOTS[0]);
    expect(rootFromLeafHashes([]).toString('hex')).toBe(ROOTS[0]);
    expect(new MerkleRootBuilder().root().toString('hex')).toBe(ROOTS[0]);
  });

  it('domain-separates leaves (0x00) from nodes (0x01)', () => {
    expect(leafHash(Buffer.alloc(0)).toString('hex')).toBe(ROOTS[1]);
    const a = leafHash(Buffer.from('a'));
    const b = leafHash(Buffer.from('b'));
    expect(nodeHash(a, b)).toEqual(
      createHash('sha256')
        .update(Buffer.from([1]))
        .update(a)
        .update(b)
        .digest(),
    );
    // A leaf whose data looks like a node's input does not collide with that node.
    expect(leafHash(Buffer.concat([Buffer.from([1]), a, b]))).not.toEqual(nodeHash(a, b));
    // Node hashing of inputs that are not 32 bytes (slow path) follows the same definition.
    expect(nodeHash(Buffer.from('x'), Buffer.from('yz'))).toEqual(
      createHash('sha256').update(Buffer.from('\x01xyz', 'latin1')).digest(),
    );
  });

  it('gives the published tree heads for the standard test data, sizes 0 to 8', () => {
    for (let n = 0; n <= 8; n++) {
      const leaves = LEAVES.slice(0, n);
      expect(rootFromLeafHashes(leaves.map(leafHash)).toString('hex'), `size ${n}`).toBe(ROOTS[n]);
      const builder = new MerkleRootBuilder();
      for (const leaf of leaves) builder.addLeaf(leaf);
      expect(builder.leafCount).toBe(n);
      expect(builder.root().toString('hex'), `builder size ${n}`).toBe(ROOTS[n]);
      expect(referenceRoot(leaves).toString('hex'), `reference size ${n}`).toBe(ROOTS[n]);
    }
  });

  it('builds the same head leaf by leaf as from all leaves at once, for every size 0 to 70', () => {
    const data = leafData(70);
    const builder = new MerkleRootBuilder();
    for (let n = 0; n <= 70; n++) {
      if (n > 0) builder.addLeaf(data[n - 1]!);
      const expected = referenceRoot(data.slice(0, n));
      expect(builder.root().equals(expected), `builder size ${n}`).toBe(true);
      expect(
        rootFromLeafHashes(data.slice(0, n).map(leafHash)).equals(expected),
        `in memory size ${n}`,
      ).toBe(true);
    }
  });

  it('lets the running head be read at any point without disturbing later additions', () => {
    const data = leafData(13);
    const peeked = new MerkleRootBuilder();
    const quiet = new MerkleRootBuilder();
    for (const leaf of data) {
      peeked.addLeaf(leaf);
      peeked.root();
      quiet.addLeafHash(leafHash(leaf));
    }
    expect(peeked.root()).toEqual(quiet.root());
  });

  it('depends on leaf order', () => {
    const data = leafData(4);
    expect(rootFromLeafHashes(data.map(leafHash))).not.toEqual(
      rootFromLeafHashes([...data].reverse().map(leafHash)),
    );
  });
});

describe('inclusion proofs', () => {
  it.each(INCLUSION_VECTORS)(
    'gives the published audit path for leaf %i of %i and verifies it',
    (index, size, path) => {
      const leaves = LEAVES.slice(0, size).map(leafHash);
      const proof = inclusionProof(leaves, index);
      expect(proof.map((p) => p.toString('hex'))).toEqual(path);
      const root = hex(ROOTS[size]!);
      expect(verifyInclusion(leaves[index]!, index, size, proof, root)).toBe(true);
      // The same negative checks as the reference test suite.
      if (index > 0)
        expect(verifyInclusion(leaves[index]!, index - 1, size, proof, root)).toBe(false);
      expect(verifyInclusion(leaves[index]!, index + 1, size, proof, root)).toBe(false);
      expect(verifyInclusion(leaves[index]!, index ^ 2, size, proof, root)).toBe(false);
      expect(verifyInclusion(leaves[index]!, index, size * 2, proof, root)).toBe(false);
      expect(verifyInclusion(leaves[index]!, index, Math.floor(size / 2), proof, root)).toBe(false);
      expect(verifyInclusion(leafHash(Buffer.from('WrongLeaf')), index, size, proof, root)).toBe(
        false,
      );
      expect(verifyInclusion(leaves[index]!, index, size, proof, EMPTY_TREE_HASH)).toBe(false);
      for (let i = 0; i < proof.length; i++) {
        const altered = proof.map((p, j) => (j === i ? EMPTY_TREE_HASH : p));
        expect(verifyInclusion(leaves[index]!, index, size, altered, root)).toBe(false);
      }
      expect(verifyInclusion(leaves[index]!, index, size, [...proof, Buffer.alloc(0)], root)).toBe(
        false,
      );
      expect(verifyInclusion(leaves[index]!, index, size, [...proof, root], root)).toBe(false);
      if (proof.length > 0)
        expect(verifyInclusion(leaves[index]!, index, size, proof.slice(0, -1), root)).toBe(false);
      expect(verifyInclusion(leaves[index]!, index, size, [Buffer.alloc(0), ...proof], root)).toBe(
        false,
      );
      expect(verifyInclusion(leaves[index]!, index, size, [root, ...proof], root)).toBe(false);
    },
  );

  it('refuses indexes outside the tree', () => {
    const leaves = LEAVES.slice(0, 3).map(leafHash);
    expect(() => inclusionProof(leaves, 3)).toThrow(RangeError);
    expect(() => inclusionProof(leaves, -1)).toThrow(RangeError);
    expect(() => inclusionProof(leaves, 0.5)).toThrow(RangeError);
    expect(() => inclusionProof([], 0)).toThrow(RangeError);
    const root = hex(ROOTS[3]!);
    expect(verifyInclusion(leaves[0]!, -1, 3, [], root)).toBe(false);
    expect(verifyInclusion(leaves[0]!, 3, 3, [], root)).toBe(false);
    expect(verifyInclusion(leaves[0]!, 0.5, 3, [], root)).toBe(false);
    expect(verifyInclusion(EMPTY_TREE_HASH, 0, 0, [], EMPTY_TREE_HASH)).toBe(false);
  });

  it('verifies a one-leaf tree only with an empty path and the leaf hash as head', () => {
    const leaf = leafHash(Buffer.from('only'));
    expect(verifyInclusion(leaf, 0, 1, [], leaf)).toBe(true);
    expect(verifyInclusion(leaf, 0, 1, [leaf], nodeHash(leaf, leaf))).toBe(false);
  });

  // Distinct leaves: with duplicates, the "wrong" index may legitimately hold the same leaf.
  const tree = fc
    .uniqueArray(fc.uint8Array({ maxLength: 12 }), {
      minLength: 1,
      maxLength: 40,
      selector: (data) => Buffer.from(data).toString('hex'),
    })
    .chain((data) =>
      fc.record({
        data: fc.constant(data.map((d) => Buffer.from(d))),
        index: fc.nat({ max: data.length - 1 }),
      }),
    );

  it('accepts every leaf at its index, and nothing else (property)', () => {
    fc.assert(
      fc.property(
        tree,
        fc.nat(),
        fc.nat(),
        fc.uint8Array({ minLength: 1, maxLength: 12 }),
        ({ data, index }, pick, bit, other) => {
          const leaves = data.map(leafHash);
          const size = leaves.length;
          const root = rootFromLeafHashes(leaves);
          const proof = inclusionProof(leaves, index);
          const leaf = leaves[index]!;
          expect(verifyInclusion(leaf, index, size, proof, root)).toBe(true);

          // A wrong leaf.
          if (!Buffer.from(other).equals(data[index]!)) {
            expect(verifyInclusion(leafHash(other), index, size, proof, root)).toBe(false);
          }
          // The raw data instead of its leaf hash.
          expect(verifyInclusion(data[index]!, index, size, proof, root)).toBe(false);
          // Every wrong index.
          for (let wrong = 0; wrong < size; wrong++) {
            if (wrong !== index)
              expect(verifyInclusion(leaf, wrong, size, proof, root), `index ${wrong}`).toBe(false);
          }
          expect(verifyInclusion(leaf, size, size, proof, root)).toBe(false);
          // A wrong tree size: twice as large, or too small to hold the index.
          expect(verifyInclusion(leaf, index, size * 2, proof, root)).toBe(false);
          expect(verifyInclusion(leaf, index, index, proof, root)).toBe(false);
          // The proof presented against another tree head (a prefix of the same log).
          for (let m = index + 1; m < size; m++) {
            expect(
              verifyInclusion(leaf, index, m, proof, rootFromLeafHashes(leaves.slice(0, m))),
              `size ${m}`,
            ).toBe(false);
          }
          // One flipped bit anywhere in the path.
          if (proof.length > 0) {
            const element = pick % proof.length;
            const flipped = proof.map((p) => Buffer.from(p));
            flipped[element]![(bit >> 3) % 32]! ^= 1 << (bit & 7);
            expect(verifyInclusion(leaf, index, size, flipped, root)).toBe(false);
            expect(verifyInclusion(leaf, index, size, proof.slice(1), root)).toBe(false);
          }
          // An extra path element.
          expect(verifyInclusion(leaf, index, size, [...proof, leaf], root)).toBe(false);
          // A flipped bit in the head.
          const badRoot = Buffer.from(root);
          badRoot[bit % 32]! ^= 1;
          expect(verifyInclusion(leaf, index, size, proof, badRoot)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('produces paths whose length is the RFC 6962 bound (at most ceil(log2 n))', () => {
    for (let size = 1; size <= 70; size++) {
      const leaves = leafData(size).map(leafHash);
      for (let index = 0; index < size; index++) {
        expect(inclusionProof(leaves, index).length).toBeLessThanOrEqual(
          Math.ceil(Math.log2(size)),
        );
      }
    }
  });
});
