// The entries a query matches, as an ascending list of seqs, from the facet columns
// (facet-columns.ts) and as little SQL as possible. With the same meaning as compile.ts, clause
// group by clause group (each group is ANDed with the others there too):
// - dates, categories, actions and users are tested in JS: each dictionary value once, then each
//   entry by a table lookup of its code;
// - review status from the annotations (few) joined to their entries' seqs;
// - required free text: the FTS5 rowids of the MATCH (text exclusions are inside that MATCH);
//   free text that only excludes: its rowids are taken out;
// - entity, IP and tag: SQLite lists the seqs of the clause group's positive condition (compiled
//   by compile.ts from the group's own clauses, through the indexes), kept or taken out.
// `-x` in compile.ts is NOT coalesce(x, 0), which keeps rows where x is unknown: taking out the
// rows where x is true is exactly that.
import {
  queryFilters,
  queryRangeUtc,
  REVIEW_STATUSES,
  type AnyOf,
  type Clause,
  type Query,
} from '../../../shared/query';
import type { Workspace } from '../workspace/database';
import { actorResolver } from './actors';
import { compileParts } from './compile';
import type { FacetColumnsData } from './facet-columns';
import { FTS_TABLE } from './full-text';
import { textMatch, type ExpandWord } from './match';

export interface MatchOptions {
  timeZone: string;
  expandWord?: ExpandWord;
}

/** Seqs listed by SQLite, or every entry (`all`) or none (`none`) when the condition is constant. */
type SeqList = Uint32Array | 'all' | 'none';

/** Per dictionary code: 1 when the group keeps the value (any of anyOf, none of noneOf). */
function allowed<T>(
  dictionary: readonly string[],
  group: AnyOf<T>,
  test: (values: T[]) => (value: string) => boolean,
): Uint8Array | null {
  if (group.anyOf.length === 0 && group.noneOf.length === 0) return null;
  const any = group.anyOf.length > 0 ? test(group.anyOf) : null;
  const none = group.noneOf.length > 0 ? test(group.noneOf) : null;
  return Uint8Array.from(dictionary, (v) =>
    (any === null || any(v)) && (none === null || !none(v)) ? 1 : 0,
  );
}

/** compile.ts's actions(): exact values, or prefixes (a prefix range is exactly startsWith). */
const actionTest = (values: { value: string; prefix: boolean }[]) => (action: string) =>
  values.some((v) => (v.prefix ? action.startsWith(v.value) : action === v.value));

/**
 * The seqs a statement lists, read as one group_concat text and parsed here: about half the time
 * of one JS number per row (50 against 85 ms for 617k FTS5 rowids at 1M entries).
 */
function listedSeqs(ws: Workspace, sql: string, params: (string | number)[]): Uint32Array {
  const text = ws.db
    .prepare(`SELECT group_concat(seq, ',') FROM (${sql})`)
    .pluck()
    .get(...params) as string | null;
  if (text === null) return new Uint32Array(0);
  const out = new Uint32Array((text.length + 1) >>> 1);
  let n = 0;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      out[n++] = value;
      value = 0;
    } else value = value * 10 + (c - 48);
  }
  out[n++] = value;
  return out.subarray(0, n);
}

function ftsSeqs(ws: Workspace, match: string): Uint32Array {
  return listedSeqs(ws, `SELECT rowid AS seq FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?`, [
    match,
  ]);
}

/** The seqs matching `clauses` alone (one clause kind), as compile.ts writes their condition. */
function sqlSeqs(ws: Workspace, clauses: Clause[], timeZone: string): SeqList {
  const { filters } = compileParts({ clauses }, timeZone, actorResolver(ws.db));
  if (filters.sql === '1') return 'all';
  if (filters.sql === '0') return 'none';
  return listedSeqs(ws, `SELECT seq FROM entries WHERE ${filters.sql}`, filters.params);
}

/** The entries annotated with a status other than unreviewed, by seq. */
export function annotatedSeqs(ws: Workspace): { seq: number; status: string }[] {
  // statusCondition (review/search-conditions.ts): an entry's status is its annotation's, or
  // unreviewed without one.
  return ws.db
    .prepare(
      `SELECT e.seq AS seq, a.status AS status FROM annotations a
         JOIN entries e ON e.id = a.entry_id
        WHERE a.status != 'unreviewed'`,
    )
    .all() as { seq: number; status: string }[];
}

/**
 * The key of a query's matching set for a given data version (the columns' own). Review filters
 * depend on the annotations too, which change apart from the data: every change appends an event
 * (review/annotations.ts), so the newest event's id tells them apart.
 */
export function matchKey(ws: Workspace, query: Query, options: MatchOptions): string {
  const review = query.clauses.some((c) => c.kind === 'status' || c.kind === 'tag')
    ? (ws.db.prepare('SELECT max(id) FROM annotation_events').pluck().get() as number | null)
    : null;
  return JSON.stringify([
    options.timeZone,
    textMatch(query, options.expandWord),
    query.clauses,
    review,
  ]);
}

function ascending(list: Uint32Array): boolean {
  for (let i = 1; i < list.length; i++) if (list[i]! <= list[i - 1]!) return false;
  return true;
}

/**
 * The clause kinds evaluated here. A kind added to the query language fails the type check here
 * until it is handled; at run time an unknown kind leaves the query to SQL.
 */
const EVALUATED: Record<Clause['kind'], true> = {
  text: true,
  user: true,
  action: true,
  category: true,
  entity: true,
  ip: true,
  status: true,
  tag: true,
  date: true,
};

/** The query's matching seqs, ascending; null when it holds a clause not evaluated here. */
export function matchingSeqs(
  ws: Workspace,
  data: FacetColumnsData,
  query: Query,
  options: MatchOptions,
): Uint32Array | null {
  if (!query.clauses.every((c) => Object.hasOwn(EVALUATED, c.kind))) return null;
  const { timeZone } = options;
  const f = queryFilters(query);
  const { startMs, endMs } = queryRangeUtc(query, timeZone);
  const text = textMatch(query, options.expandWord);
  const resolve = actorResolver(ws.db);

  const categoryOk = allowed(
    data.categories,
    f.category,
    (values) => (v) => (values as string[]).includes(v),
  );
  const actionOk = allowed(data.actions, f.action, actionTest);
  const actorOk = allowed(data.actors, f.user, (values) => {
    const ids = new Set(resolve(values));
    return (v) => ids.has(v);
  });
  let statusOf: Uint8Array | null = null;
  let statusOk: Uint8Array | null = null;
  if (f.status.anyOf.length + f.status.noneOf.length > 0) {
    // Codes are indexes in REVIEW_STATUSES: 0 is unreviewed, every entry without an annotation.
    statusOk = allowed(
      [...REVIEW_STATUSES],
      f.status,
      (values) => (v) => (values as string[]).includes(v),
    );
    statusOf = new Uint8Array(data.maxSeq + 1);
    for (const { seq, status } of annotatedSeqs(ws))
      if (seq <= data.maxSeq)
        statusOf[seq] = (REVIEW_STATUSES as readonly string[]).indexOf(status);
  }

  // Lists every match must be in (keep) and lists no match may be in (drop).
  const keep: SeqList[] = [];
  const drop: SeqList[] = [];
  if (text.kind === 'require') keep.push(ftsSeqs(ws, text.match));
  if (text.kind === 'exclude') drop.push(ftsSeqs(ws, text.match));
  const positive = (c: Clause) => ({ ...c, negated: false }) as Clause;
  for (const kind of ['entity', 'ip'] as const) {
    const ofKind = query.clauses.filter((c) => c.kind === kind);
    const any = ofKind.filter((c) => !c.negated);
    const none = ofKind.filter((c) => c.negated).map(positive);
    if (any.length > 0) keep.push(sqlSeqs(ws, any, timeZone));
    if (none.length > 0) drop.push(sqlSeqs(ws, none, timeZone));
  }
  // Tags: every one of allOf (one AND condition), none of the others (each apart: an OR).
  const tags = query.clauses.filter((c) => c.kind === 'tag');
  const allOf = tags.filter((c) => !c.negated);
  if (allOf.length > 0) keep.push(sqlSeqs(ws, allOf, timeZone));
  for (const c of tags.filter((t) => t.negated)) drop.push(sqlSeqs(ws, [positive(c)], timeZone));

  const empty = new Uint32Array(0);
  if (keep.includes('none') || drop.includes('all')) return empty;
  const keepLists = keep.filter((l): l is Uint32Array => l !== 'all');
  const dropLists = drop.filter((l): l is Uint32Array => l !== 'none');

  // One ascending list (FTS5 rowids) and nothing to take out: walk it instead of every seq.
  const walk =
    keepLists.length === 1 && dropLists.length === 0 && ascending(keepLists[0]!)
      ? keepLists[0]!
      : null;
  // Otherwise marks: the number of keep lists holding the seq, or DROPPED.
  const DROPPED = 255;
  let mark: Uint8Array | null = null;
  if (walk === null && keepLists.length + dropLists.length > 0) {
    mark = new Uint8Array(data.maxSeq + 1);
    for (const list of keepLists) for (const s of list) if (s <= data.maxSeq) mark[s]!++;
    for (const list of dropLists) for (const s of list) if (s <= data.maxSeq) mark[s] = DROPPED;
  }
  const needed = keepLists.length;

  const { category, action, actor, occurredAt, maxSeq } = data;
  const lo = startMs ?? -Infinity;
  const hi = endMs ?? Infinity;
  const out = new Uint32Array(
    keepLists.length > 0 ? Math.min(...keepLists.map((l) => l.length)) : data.entries,
  );
  let n = 0;
  const end = walk === null ? maxSeq + 1 : walk.length;
  for (let i = walk === null ? 1 : 0; i < end; i++) {
    const s = walk === null ? i : walk[i]!;
    if (s > maxSeq) continue;
    const c = category[s]!;
    if (c === 0) continue;
    if (mark !== null && mark[s] !== needed) continue;
    if (categoryOk !== null && categoryOk[c - 1] !== 1) continue;
    if (actionOk !== null && actionOk[action[s]!] !== 1) continue;
    if (actorOk !== null && actorOk[actor[s]!] !== 1) continue;
    const t = occurredAt[s]!;
    if (t < lo || t >= hi) continue;
    if (statusOk !== null && statusOk[statusOf![s]!] !== 1) continue;
    out[n++] = s;
  }
  return out.slice(0, n);
}
