// The meaning of a query written the plain way, entry by entry in memory, for the tests to hold the
// SQL and FTS5 to (not shipped code): docs/search.md's rules and nothing from compile.ts or
// match.ts. Which text of an entry is indexed is fullTextColumns (the definition of the index);
// how words match it (tokens, folding, phrases, prefixes) is written here again, independently.
import type { Entry } from '../../shared/entry';
import { fullTextColumns } from '../../electron/core/search/full-text';
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

/** Lower case without accents, then split at anything that is not a letter or a digit. */
export function referenceTokens(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}\p{Co}]+/u)
    .filter((t) => t !== '');
}

interface Term {
  tokens: string[];
  /** The last token matches any word starting with it. */
  prefix: boolean;
}

/** The term's tokens appear one after the other within one indexed text of the entry. */
function termMatches(columns: string[][], { tokens, prefix }: Term): boolean {
  return columns.some((words) => {
    for (let i = 0; i + tokens.length <= words.length; i++) {
      if (
        tokens.every((t, k) =>
          prefix && k === tokens.length - 1 ? words[i + k]!.startsWith(t) : words[i + k] === t,
        )
      )
        return true;
    }
    return false;
  });
}

export interface ReferenceOptions {
  /** As compileQuery's hook: alternatives for a required bare word. */
  expandWord?: (word: string, isLastWord: boolean) => string[];
  /** Review state by entry id (absent: unreviewed, no tags). */
  reviews?: Map<string, { status: string; tags: string[] }>;
}

/** The free text of a query as alternatives of terms per required text, and excluded terms. */
function textTerms(query: Query, expandWord: ReferenceOptions['expandWord']) {
  const required: Term[][] = [];
  const excluded: Term[] = [];
  query.clauses.forEach((c, i) => {
    if (c.kind !== 'text') return;
    const tokens = referenceTokens(c.text);
    if (tokens.length === 0) return; // nothing to look for: ignored
    if (c.negated) excluded.push({ tokens, prefix: false });
    else if (c.phrase || expandWord === undefined) required.push([{ tokens, prefix: false }]);
    else {
      const isLast = i === query.clauses.length - 1;
      const prefix = isLast && [...tokens[tokens.length - 1]!].length >= 3;
      required.push([
        { tokens, prefix },
        ...expandWord(c.text, isLast)
          .map((a) => ({ tokens: referenceTokens(a), prefix: false }))
          .filter((t) => t.tokens.length > 0),
      ]);
    }
  });
  return { required, excluded };
}

/** The entries of `all` the query keeps, newest first. */
export function referenceSearch(
  all: Entry[],
  query: Query,
  timeZone: string,
  options: ReferenceOptions = {},
): Entry[] {
  const f = queryFilters(query);
  const { startMs, endMs } = queryRangeUtc(query, timeZone);
  const text = textTerms(query, options.expandWord);
  const review = (e: Entry) => options.reviews?.get(e.id) ?? { status: 'unreviewed', tags: [] };
  const lowerTags = (e: Entry) => review(e).tags.map(lower);
  return all
    .filter((e) => {
      const at = Date.parse(e.occurredAt);
      const columns =
        text.required.length + text.excluded.length === 0
          ? []
          : fullTextColumns(e).flatMap((c) => (c === null ? [] : [referenceTokens(c)]));
      return (
        text.required.every((alternatives) => alternatives.some((t) => termMatches(columns, t))) &&
        !text.excluded.some((t) => termMatches(columns, t)) &&
        anyOf(f.status, (s) => review(e).status === s) &&
        f.tag.allOf.every((t) => lowerTags(e).includes(lower(t))) &&
        !f.tag.noneOf.some((t) => lowerTags(e).includes(lower(t))) &&
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
