// A parsed query as SQL over `entries`, values always bound as parameters: the structured and
// review filters as one condition, the free text as one FTS5 MATCH expression (match.ts).
// docs/search.md ("How filters run in SQLite") gives the index behind each qualifier.
import {
  queryFilters,
  queryRangeUtc,
  type AnyOf,
  type EntityMatch,
  type IpMatch,
  type Query,
} from '../../../shared/query';
import { statusCondition, tagCondition } from '../review/search-conditions';
import { FTS_TABLE } from './full-text';
import { FOLD, foldCase, IP_MATCH } from './functions';
import { labelPrefilter, textMatch, type ExpandWord } from './match';
import { ipPlan, prefixRange } from './ranges';

export interface SqlCondition {
  /** An expression over `entries` columns; `1` when the query filters nothing. */
  sql: string;
  params: (string | number)[];
}

const TRUE: SqlCondition = { sql: '1', params: [] };
const FALSE: SqlCondition = { sql: '0', params: [] };

const marks = (n: number) => Array<string>(n).fill('?').join(', ');

function and(parts: SqlCondition[]): SqlCondition {
  if (parts.some((p) => p.sql === '0')) return FALSE;
  const kept = parts.filter((p) => p.sql !== '1');
  if (kept.length === 0) return TRUE;
  return {
    sql: kept.map((p) => (kept.length === 1 ? p.sql : `(${p.sql})`)).join(' AND '),
    params: kept.flatMap((p) => p.params),
  };
}

function or(parts: SqlCondition[]): SqlCondition {
  if (parts.length === 0) return FALSE;
  if (parts.some((p) => p.sql === '1')) return TRUE;
  if (parts.length === 1) return parts[0]!;
  return {
    sql: parts.map((p) => `(${p.sql})`).join(' OR '),
    params: parts.flatMap((p) => p.params),
  };
}

/** NOT that treats "unknown" (a NULL ip, say) as "does not match", so the entry is kept. */
function not(part: SqlCondition): SqlCondition {
  if (part.sql === '1') return FALSE;
  if (part.sql === '0') return TRUE;
  return { sql: `NOT coalesce((${part.sql}), 0)`, params: part.params };
}

/** anyOf (OR) must match, none of noneOf may. */
function group<T>(values: AnyOf<T>, one: (values: T[]) => SqlCondition): SqlCondition {
  return and([
    values.anyOf.length > 0 ? one(values.anyOf) : TRUE,
    values.noneOf.length > 0 ? not(one(values.noneOf)) : TRUE,
  ]);
}

function inList(column: string, values: readonly string[]): SqlCondition {
  return values.length === 1
    ? { sql: `${column} = ?`, params: [values[0]!] }
    : { sql: `${column} IN (${marks(values.length)})`, params: [...values] };
}

function range(column: string, prefix: string): SqlCondition {
  const { lo, hi } = prefixRange(prefix);
  return hi === null
    ? { sql: `${column} >= ?`, params: [lo] }
    : { sql: `${column} >= ? AND ${column} < ?`, params: [lo, hi] };
}

/** Finds the ids of the actors a `user:` value names (actors.ts). */
export type ActorResolver = (values: string[]) => string[];

/** One id is an equality on the actor index, which keeps seq order (no sort for the page). */
function actorIds(ids: string[]): SqlCondition {
  if (ids.length === 0) return FALSE;
  if (ids.length <= 500) return inList('actor_id', ids);
  return { sql: 'actor_id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(ids)] };
}

function actions(values: { value: string; prefix: boolean }[]): SqlCondition {
  const exact = values.filter((v) => !v.prefix).map((v) => v.value);
  const prefixes = values.filter((v) => v.prefix).map((v) => v.value);
  if (prefixes.includes('')) return TRUE;
  return or([
    ...(exact.length > 0 ? [inList('action', exact)] : []),
    ...prefixes.map((p) => range('action', p)),
  ]);
}

/**
 * The label is not a column: the exact test reads it from the signed line. The FTS5 label column
 * selects the candidates first (the label's words as a phrase, labelPrefilter), so the exact test
 * runs on those few rows instead of every row the other filters leave.
 */
function entityLabel(label: string): SqlCondition {
  const exact = {
    sql: `${FOLD}(json_extract(raw, '$.entity.label')) = ?`,
    params: [foldCase(label)],
  };
  const candidates = labelPrefilter(label);
  return candidates === null ? exact : and([fullTextCondition(candidates), exact]);
}

function entities(matches: EntityMatch[]): SqlCondition {
  const types = matches.flatMap((m) => (m.by === 'type' ? [m.type] : []));
  return or([
    ...(types.length > 0 ? [inList('entity_type', types)] : []),
    ...matches.flatMap((m) =>
      m.by === 'id'
        ? [{ sql: 'entity_type = ? AND entity_id = ?', params: [m.type, m.id] }]
        : m.by === 'label'
          ? [entityLabel(m.label)]
          : [],
    ),
  ]);
}

function ips(matches: IpMatch[]): SqlCondition {
  const exact: string[] = [];
  const parts: SqlCondition[] = [];
  for (const match of matches) {
    const plan = ipPlan(match);
    const check = { sql: `${IP_MATCH}(ip, ?, ?)`, params: [match.address, match.prefixLength] };
    if (plan.kind === 'exact') exact.push(...plan.texts);
    else if (plan.kind === 'scan') parts.push(and([{ sql: 'ip IS NOT NULL', params: [] }, check]));
    else
      for (const prefix of plan.prefixes)
        parts.push(and([range('ip', prefix), ...(plan.check ? [check] : [])]));
  }
  return or([...(exact.length > 0 ? [inList('ip', [...new Set(exact)])] : []), ...parts]);
}

export interface CompileOptions {
  /** Typo tolerance and completions for bare words (the vocabulary, expand.ts); see match.ts. */
  expandWord?: ExpandWord;
}

/** A query as the search statements need it (search.ts). */
export interface CompiledQuery {
  /**
   * FTS5 MATCH expression of the free text (to bind as a parameter), when the query has a word or
   * phrase that must match; its exclusions are in it too. Null otherwise.
   */
  match: string | null;
  /** Everything else, over `entries` (exclusions of a query without required text included). */
  filters: SqlCondition;
}

/** Entries whose full-text row matches `match`: a rowid set of the FTS5 index. */
export function fullTextCondition(match: string): SqlCondition {
  return {
    sql: `seq IN (SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?)`,
    params: [match],
  };
}

/** The parts of a parsed query in the tenant's zone. */
export function compileParts(
  query: Query,
  timeZone: string,
  resolveActors: ActorResolver,
  options: CompileOptions = {},
): CompiledQuery {
  const f = queryFilters(query);
  const { startMs, endMs } = queryRangeUtc(query, timeZone);
  const text = textMatch(query, options.expandWord);
  const filters = and([
    startMs === null ? TRUE : { sql: 'occurred_at >= ?', params: [startMs] },
    endMs === null ? TRUE : { sql: 'occurred_at < ?', params: [endMs] },
    group(f.user, (values) => actorIds(resolveActors(values))),
    group(f.action, actions),
    group(f.category, (v) => inList('category', v)),
    group(f.entity, entities),
    group(f.ip, ips),
    group(f.status, (statuses) => or(statuses.map(statusCondition))),
    and(f.tag.allOf.map(tagCondition)),
    f.tag.noneOf.length > 0 ? not(or(f.tag.noneOf.map(tagCondition))) : TRUE,
    text.kind === 'exclude' ? not(fullTextCondition(text.match)) : TRUE,
  ]);
  return { match: text.kind === 'require' ? text.match : null, filters };
}

/**
 * The whole query as one condition over `entries` (free text as a rowid set of the FTS5 index):
 * for counts and facets. The search page uses compileParts to walk the FTS5 index itself.
 */
export function compileQuery(
  query: Query,
  timeZone: string,
  resolveActors: ActorResolver,
  options: CompileOptions = {},
): SqlCondition {
  return combine(compileParts(query, timeZone, resolveActors, options));
}

export function combine({ match, filters }: CompiledQuery): SqlCondition {
  return match === null ? filters : and([fullTextCondition(match), filters]);
}
