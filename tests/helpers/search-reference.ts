// The meaning of a structured query written the plain way, entry by entry in memory, for the tests
// to hold the SQL to (not shipped code): docs/search.md's rules and nothing from compile.ts.
import type { Entry } from '../../shared/entry';
import {
  matchesIp,
  queryFilters,
  queryRangeUtc,
  type AnyOf,
  type EntityMatch,
  type Query,
} from '../../shared/query';

function anyOf<T>(group: AnyOf<T>, test: (value: T) => boolean): boolean {
  return (group.anyOf.length === 0 || group.anyOf.some(test)) && !group.noneOf.some((v) => test(v));
}

const lower = (s: string) => s.toLowerCase();

function entityMatches(entry: Entry, m: EntityMatch): boolean {
  if (m.by === 'type') return entry.entity.type === m.type;
  if (m.by === 'id') return entry.entity.type === m.type && entry.entity.id === m.id;
  return lower(entry.entity.label) === lower(m.label);
}

/** The entries of `all` the query keeps, newest first. */
export function referenceSearch(all: Entry[], query: Query, timeZone: string): Entry[] {
  const f = queryFilters(query);
  const { startMs, endMs } = queryRangeUtc(query, timeZone);
  return all
    .filter((e) => {
      const at = Date.parse(e.occurredAt);
      return (
        (startMs === null || at >= startMs) &&
        (endMs === null || at < endMs) &&
        anyOf(
          f.user,
          (v) =>
            e.actor.id === v ||
            lower(e.actor.name) === lower(v) ||
            (e.actor.email !== null && lower(e.actor.email) === lower(v)),
        ) &&
        anyOf(f.action, (a) => (a.prefix ? e.action.startsWith(a.value) : e.action === a.value)) &&
        anyOf(f.category, (c) => e.category === c) &&
        anyOf(f.entity, (m) => entityMatches(e, m)) &&
        anyOf(f.ip, (m) => matchesIp(m, e.ip))
      );
    })
    .sort((a, b) => b.seq - a.seq);
}
