// chainProblem on its own: what a bundle's stored neighbours say about its place in the chain.
// (The import tests cover the same rules end to end on real workspaces.)
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../../shared/bundle';
import { TENANT } from '../../../tests/helpers/bundles';
import { chainProblem, type Neighbours, type StoredLink } from './chain';

const digest = (c: string) => c.repeat(64);
const link = (id: string, prev: string | null): StoredLink => ({
  bundle_id: id,
  digest: digest(id),
  prev_digest: prev,
});
const manifest = (prevDigest: string | null): Manifest => ({
  formatVersion: 1,
  tenant: TENANT,
  periodStart: '2026-11-02T00:00:00.000Z',
  periodEnd: '2026-11-03T00:00:00.000Z',
  firstSeq: 5,
  lastSeq: 6,
  entryCount: 2,
  payloadSha256: digest('0'),
  merkleRoot: digest('0'),
  prevDigest,
  keyId: 'k',
  issuedAt: '2026-11-03T00:05:00.000Z',
});
const none: Neighbours = {
  predecessors: [],
  successors: [],
  earlier: undefined,
  sibling: undefined,
};
const SELF = digest('c');

describe('chainProblem', () => {
  it('holds with matching neighbours, and with none stored', () => {
    expect(
      chainProblem(manifest(digest('a')), SELF, {
        ...none,
        predecessors: [link('a', null)],
        successors: [link('d', SELF)],
      }),
    ).toBeUndefined();
    expect(chainProblem(manifest(digest('f')), SELF, none)).toBeUndefined();
  });

  it('two stored bundles for the preceding period: a conflict, not a link to one of them', () => {
    const predecessors = [link('a', null), link('b', null)];
    // even though the bundle names one of them
    expect(chainProblem(manifest(digest('a')), SELF, { ...none, predecessors })).toEqual({
      cause: 'conflict',
      message:
        'stored bundles a and b both cover the preceding period; cannot tell which one precedes this bundle',
    });
  });

  it('two stored bundles for the following period: a conflict', () => {
    const successors = [link('d', SELF), link('e', SELF)];
    expect(chainProblem(manifest(null), SELF, { ...none, successors })).toMatchObject({
      cause: 'conflict',
    });
  });

  it('a stored bundle naming the same predecessor: a conflict (fork); the same for two first bundles', () => {
    expect(
      chainProblem(manifest(digest('a')), SELF, { ...none, sibling: link('e', digest('a')) }),
    ).toEqual({
      cause: 'conflict',
      message: 'stored bundle e names the same previous bundle; two bundles cannot both follow it',
    });
    expect(chainProblem(manifest(null), SELF, { ...none, sibling: link('e', null) })).toEqual({
      cause: 'conflict',
      message: "stored bundle e also claims to be the tenant's first bundle",
    });
  });

  it('a contradicted link is chain_link', () => {
    expect(
      chainProblem(manifest(digest('f')), SELF, { ...none, predecessors: [link('a', null)] }),
    ).toMatchObject({ cause: 'chain_link' });
    expect(chainProblem(manifest(null), SELF, { ...none, earlier: link('a', null) })).toMatchObject(
      { cause: 'chain_link' },
    );
    expect(
      chainProblem(manifest(null), SELF, { ...none, successors: [link('d', digest('f'))] }),
    ).toMatchObject({ cause: 'chain_link' });
  });
});
