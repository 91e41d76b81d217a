// SQL functions the search statements call, registered on the connection that runs them. They hold
// the rules SQLite cannot express itself: case folding beyond ASCII, and matching an IP against a
// network bit by bit with the very matchesIp the query language defines.
import type { Database } from 'better-sqlite3';
import { matchesIp } from '../../../shared/query';

/** Case folding for `user:` names and e-mails and `entity:` labels ("ignoring case"). */
export function foldCase(text: string): string {
  return text.toLowerCase();
}

export const FOLD = 'audit_fold';
export const IP_MATCH = 'audit_ip_match';

const registered = new WeakSet<Database>();

/** Idempotent per connection. */
export function registerSearchFunctions(db: Database): void {
  if (registered.has(db)) return;
  db.function(FOLD, { deterministic: true }, (text: unknown) =>
    typeof text === 'string' ? foldCase(text) : null,
  );
  db.function(IP_MATCH, { deterministic: true }, (ip: unknown, address: unknown, bits: unknown) =>
    typeof ip === 'string' &&
    typeof address === 'string' &&
    matchesIp(
      {
        version: address.includes(':') ? 6 : 4,
        address,
        prefixLength: Number(bits),
        form: 'cidr',
      },
      ip,
    )
      ? 1
      : 0,
  );
  registered.add(db);
}
