import type { Entry } from '../../../shared/entry';
import { formatInZone } from '../../../shared/time';
import { usageError } from '../../core/errors';
import { openWorkspace } from '../../core/workspace/database';
import { listEntries } from '../../core/workspace/entries';
import { readTenant } from '../../core/workspace/tenant';
import { optionalInteger, requiredString } from '../args';
import type { Command } from '../command';

export const search: Command = {
  name: 'search',
  usage: 'search --workspace DIR [--limit N]',
  summary: 'entries, newest first, exactly as signed',
  positionals: 'optional',
  options: { workspace: { type: 'string' }, limit: { type: 'string' } },
  run(args) {
    if (args.positionals.length > 0) {
      throw usageError(
        'search queries are not supported by this version yet; run search without a query to list entries',
      );
    }
    const limit = optionalInteger(args, 'limit', { min: 0, max: 1_000_000 }) ?? 100;
    const ws = openWorkspace(requiredString(args, 'workspace'));
    try {
      const page = listEntries(ws, limit);
      const timeZone = readTenant(ws)?.timeZone ?? 'UTC';
      return { json: page, text: describe(page.entries, page.total, timeZone), exitCode: 0 };
    } finally {
      ws.close();
    }
  },
};

function describe(entries: Entry[], total: number, timeZone: string): string {
  const lines = entries.map((e) =>
    `${formatInZone(e.occurredAt, timeZone)}  #${e.seq}  ${e.action.padEnd(28)}  ${e.actor.name.padEnd(20)}  ${e.entity.label}`.replace(
      /[\r\n]+/g,
      ' ',
    ),
  );
  return `${lines.join('\n')}${lines.length > 0 ? '\n' : ''}${entries.length} of ${total} entries\n`;
}
