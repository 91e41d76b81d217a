// Query text from the renderer to a parsed query, or a bad_query answer with the position.
import { parseQuery, type Query } from '../../../shared/query';
import { AuditDeskError } from '../errors';
import { ApiFailure } from './errors';

export function parseOrFail(text: string): Query {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new ApiFailure('bad_query', parsed.error.message, parsed.error.position);
  return parsed.query;
}

/** Runs a query over the core; a query the core cannot run yet (usage error) is a bad_query. */
export function runQuery<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof AuditDeskError && error.kind === 'usage')
      throw new ApiFailure('bad_query', error.message);
    throw error;
  }
}
