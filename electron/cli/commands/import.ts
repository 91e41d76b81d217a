import { resolve } from 'node:path';
import { importBundleFile } from '../../core/workspace/import';
import { openWorkspace } from '../../core/workspace/database';
import { configuredTrust, withRecordedKeys } from '../../core/workspace/trust';
import { optionalString, requiredString } from '../args';
import type { Command } from '../command';
import { reasonOf } from '../verdicts';

export const importCommand: Command = {
  name: 'import',
  usage: 'import FILE... --workspace DIR [--trust PATH]',
  summary:
    'verifies bundles, then stores each whole in the workspace (a rejected one stores nothing)',
  positionals: 'some',
  options: { workspace: { type: 'string' }, trust: { type: 'string' } },
  async run(args) {
    const dir = requiredString(args, 'workspace');
    // The trust store first: a missing or invalid one must not leave a new, empty workspace behind.
    const configured = configuredTrust(optionalString(args, 'trust'));
    const ws = openWorkspace(dir, { create: true });
    try {
      const { trust, source } = withRecordedKeys(configured, ws);
      const imported = [];
      const rejected = [];
      let entriesAdded = 0;
      for (const [index, file] of args.positionals.entries()) {
        const outcome = await importBundleFile(ws, file, {
          trust,
          trustSource: source,
          source: 'file',
          next: args.positionals[index + 1], // verified ahead while this one is stored
        });
        if (outcome.status === 'rejected') {
          rejected.push({
            file: resolve(file),
            cause: outcome.cause,
            reason: reasonOf(outcome.cause, outcome.message),
          });
        } else {
          imported.push({ file: resolve(file), ...outcome });
          if (outcome.status === 'imported') entriesAdded += outcome.entryCount;
        }
      }
      const lines = [
        ...imported.map(
          (i) =>
            `${i.status === 'imported' ? 'imported' : 'present '}  ${i.file}  (${i.entryCount} entries)`,
        ),
        ...rejected.map((r) => `REJECTED  ${r.file}  ${r.reason}`),
      ];
      return {
        json: { imported, rejected, entriesAdded },
        text: `${lines.join('\n')}\n${entriesAdded} entries added to ${ws.dir}\n`,
        exitCode: rejected.length === 0 ? 0 : 1,
      };
    } finally {
      ws.close();
    }
  },
};
