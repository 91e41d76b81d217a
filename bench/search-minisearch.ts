// The peer the design was chosen against (issue 4): the entries themselves indexed in MiniSearch,
// one index per month, through its public API only. A query runs the months newest first and stops
// once a page of 100 is found; structured filters are MiniSearch `filter` callbacks over stored
// fields; a query without free text is a wildcard search with the filter. Kept in the benchmark so
// "FTS5 holds postings, MiniSearch holds vocabulary" stays checked.
import MiniSearch, { type Query as MiniQuery, type SearchOptions } from 'minisearch';
import type { Database } from 'better-sqlite3';
import type { Entry } from '../shared/entry';
import { matchesIp, queryFilters, queryRangeUtc, type Query } from '../shared/query';

interface EntryDocument {
  seq: number;
  text: string;
  at: number;
  category: string;
  action: string;
  actor: string;
  actorName: string;
  actorEmail: string;
  label: string;
  ip: string;
}

const OPTIONS = {
  idField: 'seq',
  fields: ['text'],
  storeFields: ['at', 'category', 'action', 'actor', 'actorName', 'actorEmail', 'label', 'ip'],
};

/** The text of an entry as FTS5 indexes it (same fields), one string. */
function textOf(e: Entry): string {
  const parts = [e.action, e.actor.name, e.actor.email ?? '', e.entity.label, e.ip ?? ''];
  for (const c of e.changes) parts.push(c.field, String(c.old ?? ''), String(c.new ?? ''));
  if (e.userAgent) parts.push(e.userAgent);
  for (const v of Object.values(e.metadata))
    parts.push(typeof v === 'string' ? v : JSON.stringify(v));
  return parts.join(' ');
}

export class MonthlyShards {
  /** Newest month first. */
  private readonly shards: MiniSearch<EntryDocument>[];

  private constructor(shards: MiniSearch<EntryDocument>[]) {
    this.shards = shards;
  }

  static build(db: Database): MonthlyShards {
    const byMonth = new Map<string, MiniSearch<EntryDocument>>();
    for (const row of db.prepare('SELECT raw FROM entries ORDER BY seq').pluck().iterate()) {
      const e = JSON.parse(row as string) as Entry;
      const month = e.occurredAt.slice(0, 7);
      let shard = byMonth.get(month);
      if (!shard) byMonth.set(month, (shard = new MiniSearch<EntryDocument>(OPTIONS)));
      shard.add({
        seq: e.seq,
        text: textOf(e),
        at: Date.parse(e.occurredAt),
        category: e.category,
        action: e.action,
        actor: e.actor.id,
        actorName: e.actor.name.toLowerCase(),
        actorEmail: (e.actor.email ?? '').toLowerCase(),
        label: e.entity.label.toLowerCase(),
        ip: e.ip ?? '',
      });
    }
    return new MonthlyShards(
      [...byMonth.entries()].sort((a, b) => (a[0] < b[0] ? 1 : -1)).map((s) => s[1]),
    );
  }

  get documentCount(): number {
    return this.shards.reduce((n, s) => n + s.documentCount, 0);
  }

  /** Sizes of the shards as MiniSearch JSON (what persisting them would write). */
  jsonBytes(): number {
    return this.shards.reduce((n, s) => n + Buffer.byteLength(JSON.stringify(s)), 0);
  }

  /** The newest `limit` matching seqs, newest first. */
  search(query: Query, timeZone: string, limit: number): number[] {
    const f = queryFilters(query);
    const { startMs, endMs } = queryRangeUtc(query, timeZone);
    const text = (t: { text: string }) => t.text;
    const words = f.text.include.map(text);
    const excluded = f.text.exclude.map(text);
    const filter = (r: Record<string, unknown>): boolean => {
      const at = r.at as number;
      if (startMs !== null && at < startMs) return false;
      if (endMs !== null && at >= endMs) return false;
      if (!anyOf(f.category, (v) => r.category === v)) return false;
      if (
        !anyOf(f.action, (a) =>
          a.prefix ? (r.action as string).startsWith(a.value) : r.action === a.value,
        )
      )
        return false;
      if (
        !anyOf(f.user, (u) => {
          const v = u.toLowerCase();
          return r.actor === u || r.actorName === v || r.actorEmail === v;
        })
      )
        return false;
      if (!anyOf(f.entity, (m) => (m.by === 'label' ? r.label === m.label.toLowerCase() : true)))
        return false;
      if (!anyOf(f.ip, (m) => r.ip !== '' && matchesIp(m, r.ip as string))) return false;
      return true;
    };
    const positive: MiniQuery =
      words.length === 0 ? MiniSearch.wildcard : { queries: words, combineWith: 'AND' };
    const miniQuery: MiniQuery =
      excluded.length === 0
        ? positive
        : { queries: [positive, ...excluded], combineWith: 'AND_NOT' };
    const options: SearchOptions = {
      prefix: (_term, i, terms) => i === terms.length - 1,
      fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
      filter,
    };
    const found: number[] = [];
    for (const shard of this.shards) {
      const ids = shard.search(miniQuery, options).map((r) => r.id as number);
      ids.sort((a, b) => b - a);
      for (const id of ids) {
        found.push(id);
        if (found.length >= limit) return found;
      }
    }
    return found;
  }
}

function anyOf<T>(group: { anyOf: T[]; noneOf: T[] }, test: (value: T) => boolean): boolean {
  if (group.anyOf.length > 0 && !group.anyOf.some(test)) return false;
  return !group.noneOf.some(test);
}
