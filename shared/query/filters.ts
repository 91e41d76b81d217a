// From the clause list to what a search engine needs: clauses grouped per field with the
// combination rules of docs/search.md, and the date filters as one UTC range in the tenant's zone.
import type { Category } from '../entry';
import { localDayStartUtc } from '../time';
import type { EntityMatch, IpMatch, Query, ReviewStatus, TextClause } from './ast';
import { intersectDays, specDays, type LocalDays } from './dates';

/** Values of a single-valued field: an entry matches if it has any of `anyOf` (or `anyOf` is
 * empty) and none of `noneOf`. */
export interface AnyOf<T> {
  anyOf: T[];
  noneOf: T[];
}

export interface QueryFilters {
  /** Every `include` term must match and no `exclude` term may. */
  text: {
    include: Omit<TextClause, 'kind' | 'negated'>[];
    exclude: Omit<TextClause, 'kind' | 'negated'>[];
  };
  user: AnyOf<string>;
  action: AnyOf<{ value: string; prefix: boolean }>;
  category: AnyOf<Category>;
  entity: AnyOf<EntityMatch>;
  ip: AnyOf<IpMatch>;
  status: AnyOf<ReviewStatus>;
  /** Tags are many per entry: the entry must carry every one of `allOf` and none of `noneOf`. */
  tag: { allOf: string[]; noneOf: string[] };
  /** Local calendar days, `from` inclusive and `to` exclusive (YYYY-MM-DD); null = open end. */
  days: LocalDays;
}

const anyOf = <T>(): AnyOf<T> => ({ anyOf: [], noneOf: [] });

/**
 * Groups a parsed query. Repeating a single-valued qualifier widens it (`user:a user:b` = either),
 * because an entry has one user and "both" could never match; different qualifiers, free text and
 * tags narrow (AND); a `-` clause always excludes.
 */
export function queryFilters(query: Query): QueryFilters {
  const f: QueryFilters = {
    text: { include: [], exclude: [] },
    user: anyOf(),
    action: anyOf(),
    category: anyOf(),
    entity: anyOf(),
    ip: anyOf(),
    status: anyOf(),
    tag: { allOf: [], noneOf: [] },
    days: { from: null, to: null },
  };
  for (const c of query.clauses) {
    switch (c.kind) {
      case 'text':
        (c.negated ? f.text.exclude : f.text.include).push({ text: c.text, phrase: c.phrase });
        break;
      case 'user':
      case 'category':
      case 'status': {
        const group = f[c.kind] as AnyOf<string>;
        (c.negated ? group.noneOf : group.anyOf).push(c.value);
        break;
      }
      case 'action':
        (c.negated ? f.action.noneOf : f.action.anyOf).push({ value: c.value, prefix: c.prefix });
        break;
      case 'entity':
        (c.negated ? f.entity.noneOf : f.entity.anyOf).push(c.match);
        break;
      case 'ip':
        (c.negated ? f.ip.noneOf : f.ip.anyOf).push(c.match);
        break;
      case 'tag':
        (c.negated ? f.tag.noneOf : f.tag.allOf).push(c.value);
        break;
      case 'date':
        f.days = intersectDays(f.days, specDays(c.spec));
        break;
    }
  }
  return f;
}

/** The local days a query's date filters leave (all of them intersected); open ends are null. */
export function queryDays(query: Query): LocalDays {
  return queryFilters(query).days;
}

/**
 * The query's date filters as UTC milliseconds `[startMs, endMs)` in `timeZone` (IANA), null for
 * an open end; both null when the query has no date filter. Each end is the start of a local day
 * (shared/time.ts), so DST days of 23 or 25 hours and zones whose midnight is skipped are right.
 * Throws RangeError for an unknown time zone (configuration, not user input).
 */
export function queryRangeUtc(
  query: Query,
  timeZone: string,
): { startMs: number | null; endMs: number | null } {
  localDayStartUtc('2000-01-01', timeZone); // an unknown zone fails even without dates
  const days = queryDays(query);
  return {
    startMs: days.from === null ? null : localDayStartUtc(days.from, timeZone),
    endMs: days.to === null ? null : localDayStartUtc(days.to, timeZone),
  };
}
