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
    const lines = results.map((r) => `${r.valid ? 'valid  ' : 'INVALID'}  ${r.file}${r.valid ? `  (${r.entryCount} entries)` : `  ${r.reason}`}`);
    return {
      json: { results, valid, invalid: results.length - valid },
      text: `${lines.join('\n')}\n${valid}/${results.length} bundles valid\n`,
      exitCode: valid === results.length ? 0 : 1,
    };
  },
};

/**
 * Checks the digest chain among the bundles given together: a bundle whose period directly follows
 * another one's must name that bundle's digest. A missing neighbour is a gap, not an error.
 */
function linkChain(verdicts: Verdict[]): void {
  const valid = verdicts
    .map((verdict, index) => ({ verdict, index }))
    .filter((v): v is { verdict: Extract<Verdict, { valid: true }>; index: number } => v.verdict.valid);
  for (const current of valid) {
    const { manifest } = current.verdict;
    const predecessor = valid.find(
      (other) => other.verdict.manifest.tenant.id === manifest.tenant.id && other.verdict.manifest.periodEnd === manifest.periodStart,
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
