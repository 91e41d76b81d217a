import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { runtimeError } from '../../core/errors';
import { verifyPack } from '../../core/export';
import { configuredTrust } from '../../core/workspace/trust';
import { optionalString } from '../args';
import type { Command } from '../command';

export const verifyPackCommand: Command = {
  name: 'verify-pack',
  usage: 'verify-pack PACK.zip [--trust PATH]',
  summary: 're-checks an evidence pack offline: file hashes, signatures, proofs, CSV rows',
  positionals: 'some',
  options: { trust: { type: 'string' } },
  run(args) {
    // Only the pack and the trust store: --trust, else the configured store (no workspace keys).
    const { trust } = configuredTrust(optionalString(args, 'trust'));
    const [file, ...more] = args.positionals;
    if (more.length > 0) throw runtimeError('verify-pack checks one pack at a time');
    const path = resolve(file!);
    if (!existsSync(path) || !statSync(path).isFile())
      throw runtimeError(`${file} does not exist or is not a file`);
    const verdict = verifyPack(path, trust);
    const lines = verdict.valid
      ? [`valid  ${path}  (${verdict.entries} entries from ${verdict.bundles} bundles)`]
      : [`INVALID  ${path}`, ...verdict.problems.map((p) => `  ${p}`)];
    return {
      json: {
        file: path,
        valid: verdict.valid,
        problems: verdict.problems,
        entries: verdict.entries,
        bundles: verdict.bundles,
      },
      text: `${lines.join('\n')}\n`,
      exitCode: verdict.valid ? 0 : 1,
    };
  },
};
