import { resolve } from 'node:path';
import type { Verdict } from '../../../shared/bundle';
import { verifyBundleFile } from '../../core/bundle/read-file';
import { resolveTrust } from '../../core/workspace/trust';
import { optionalString } from '../args';
import type { Command } from '../command';
import { describeVerdict } from '../verdicts';

export const verify: Command = {
  name: 'verify',
  usage: 'verify FILE... [--trust PATH]',
  summary: 'checks bundles: signature, digests, Merkle root, seq range and the chain between them',
  positionals: 'some',
  options: { trust: { type: 'string' } },
  run(args) {
    const { trust } = resolveTrust(optionalString(args, 'trust'));
    const files = args.positionals;
    const verdicts = files.map((file) => verifyBundleFile(file, { trust }));
    linkChain(verdicts);
    const results = files.map((file, i) => describeVerdict(resolve(file), verdicts[i]!));
    const valid = results.filter((r) => r.valid).length;
    const lines = results.map(
      (r) =>
        `${r.valid ? 'valid  ' : 'INVALID'}  ${r.file}${r.valid ? `  (${r.entryCount} entries)` : `  ${r.reason}`}`,
    );
    return {
      json: { results, valid, invalid: results.length - valid },
      text: `${lines.join('\n')}\n${valid}/${results.length} bundles valid\n`,
      exitCode: valid === results.length ? 0 : 1,
    };
  },
};

type Valid = { verdict: Extract<Verdict, { valid: true }>; index: number };

/**
 * Checks the digest chain among the bundles given together: a bundle whose period directly follows
 * another one's must name that bundle's digest. A missing neighbour is a gap, not an error. First,
 * two different bundles of one tenant for the same period or seqs, or naming the same previous
 * bundle, are a fork: both become `conflict` rather than one of them being linked silently.
 */
function linkChain(verdicts: Verdict[]): void {
  let valid = verdicts
    .map((verdict, index) => ({ verdict, index }))
    .filter((v): v is Valid => v.verdict.valid);
  const forks = new Map<number, string>();
  for (const [i, a] of valid.entries()) {
    for (const b of valid.slice(i + 1)) {
      const why = forkBetween(a.verdict, b.verdict);
      if (why === undefined) continue;
      if (!forks.has(a.index)) forks.set(a.index, why(b.verdict.bundleId));
      if (!forks.has(b.index)) forks.set(b.index, why(a.verdict.bundleId));
    }
  }
  for (const [index, message] of forks)
    verdicts[index] = { valid: false, cause: 'conflict', message };
  valid = valid.filter((v) => !forks.has(v.index));

  for (const current of valid) {
    const { manifest } = current.verdict;
    const predecessor = valid.find(
      (other) =>
        other.verdict.manifest.tenant.id === manifest.tenant.id &&
        other.verdict.manifest.periodEnd === manifest.periodStart,
    );
    if (predecessor !== undefined && predecessor.verdict.digest !== manifest.prevDigest) {
      verdicts[current.index] = {
        valid: false,
        cause: 'chain_link',
        message: `previous-bundle digest does not match ${predecessor.verdict.bundleId}, the bundle of the preceding period`,
      };
    }
  }
}

/** How two different bundles of one tenant contradict each other (worded for either), or undefined. */
function forkBetween(
  a: Valid['verdict'],
  b: Valid['verdict'],
): ((other: string) => string) | undefined {
  const [x, y] = [a.manifest, b.manifest];
  if (a.digest === b.digest || x.tenant.id !== y.tenant.id) return undefined; // the same bundle twice is fine
  const periods =
    Date.parse(x.periodStart) < Date.parse(y.periodEnd) &&
    Date.parse(y.periodStart) < Date.parse(x.periodEnd);
  const seqs =
    x.firstSeq !== null &&
    y.firstSeq !== null &&
    x.firstSeq <= y.lastSeq! &&
    y.firstSeq <= x.lastSeq!;
  if (periods || seqs)
    return (other) =>
      `bundle overlaps ${other}, given with it (same period or seq range, different content)`;
  if (x.prevDigest !== y.prevDigest) return undefined;
  if (x.prevDigest === null)
    return (other) => `${other}, given with it, also claims to be the tenant's first bundle`;
  return (other) =>
    `${other}, given with it, names the same previous bundle; two bundles cannot both follow it`;
}
