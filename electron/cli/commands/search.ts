import type { Entry } from '../../../shared/entry';
import { formatQuery, parseQuery, type Query } from '../../../shared/query';
import { formatInZone } from '../../../shared/time';
import { usageError } from '../../core/errors';
import { searchEntries, workspaceTimeZone } from '../../core/search';
import { openWorkspace } from '../../core/workspace/database';
import { optionalInteger, requiredString } from '../args';
import type { Command } from '../command';

export const search: Command = {
  name: 'search',
  usage: 'search --workspace DIR [QUERY] [--limit N] [--before SEQ]',
  summary: 'entries matching a query (docs/search.md), newest first, exactly as signed',
  positionals: 'optional',
  options: {
    workspace: { type: 'string' },
    limit: { type: 'string' },
    before: { type: 'string' },
  },
  run(args) {
    // Several arguments are one query (`search user:dana action:booking.*` unquoted in a shell).
    const text = args.positionals.join(' ');
    const query = parse(text);
    const limit = optionalInteger(args, 'limit', { min: 0, max: 1_000_000 }) ?? 100;
    const before = optionalInteger(args, 'before', { min: 0, max: Number.MAX_SAFE_INTEGER });
    const ws = openWorkspace(requiredString(args, 'workspace'));
    try {
      const page = searchEntries(ws, query, { limit, before: before ?? null });
      const timeZone = workspaceTimeZone(ws);
      return {
        json: {
          query: formatQuery(query),
          total: page.total,
          entries: page.entries,
          nextBefore: page.nextBefore,
        },
        text: describe(page.entries, page.total, page.nextBefore, timeZone),
        exitCode: 0,
      };
    } finally {
      ws.close();
    }
  },
};

/** A malformed query is a usage error naming the column (1-based) where the problem starts. */
function parse(text: string): Query {
  const parsed = parseQuery(text);
  if (!parsed.ok)
    throw usageError(`query error at column ${parsed.error.position + 1}: ${parsed.error.message}`);
  return parsed.query;
}

function describe(
  entries: Entry[],
  total: number,
  nextBefore: number | null,
  timeZone: string,
): string {
  const lines = entries.map((e) =>
    `${formatInZone(e.occurredAt, timeZone)}  #${e.seq}  ${e.action.padEnd(28)}  ${e.actor.name.padEnd(20)}  ${e.entity.label}`.replace(
      /[\r\n]+/g,
      ' ',
    ),
  );
  const more = nextBefore === null ? '' : ` (next page: --before ${nextBefore})`;
  return `${lines.join('\n')}${lines.length > 0 ? '\n' : ''}${entries.length} of ${total} entries${more}\n`;
}
