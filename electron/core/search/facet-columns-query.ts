// What facets.ts and histogram.ts take from the facet columns: a query's counts by category,
// action, user and review status, and its counts per histogram bucket and category, each tallied
// in one pass over the query's matching seqs (facet-columns-match.ts). The last matching set is
// kept: the log view asks for facets and the histogram of the same query one after the other.
import { CATEGORIES } from '../../../shared/entry';
import { REVIEW_STATUSES, type Query } from '../../../shared/query';
import type { Workspace } from '../workspace/database';
import type { FacetColumnsData } from './facet-columns';
import type { FacetColumnsSource } from './facet-columns-live';
import { annotatedSeqs, matchingSeqs, matchKey, type MatchOptions } from './facet-columns-match';
import type { ExpandWord } from './match';
import { workspaceTimeZone } from './search';

export interface ColumnCounts {
  category: Map<string, number>;
  action: Map<string, number>;
  user: Map<string, number>;
  total: number;
}

function byCode(counts: Uint32Array, dictionary: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  counts.forEach((n, code) => {
    if (n > 0) out.set(dictionary[code]!, n);
  });
  return out;
}

/** First index i with sorted[i] > value (sorted ascending). */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when the ascending list holds `seq`. */
function holds(sorted: Uint32Array, seq: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] === seq;
}

export class FacetColumns {
  private last: { key: string; seqs: Uint32Array } | null = null;
  /** Category code + 1 → index in CATEGORIES (-1: not a category the histogram stacks). */
  private readonly stack: Int8Array;

  constructor(readonly data: FacetColumnsData) {
    this.stack = Int8Array.from([
      -1,
      ...data.categories.map((c) => CATEGORIES.indexOf(c as never)),
    ]);
  }

  /** The query's matching seqs, ascending (the last query's are reused); null: ask SQL. */
  matching(ws: Workspace, query: Query, options: MatchOptions): Uint32Array | null {
    const key = matchKey(ws, query, options);
    if (this.last?.key === key) return this.last.seqs;
    const seqs = matchingSeqs(ws, this.data, query, options);
    if (seqs !== null) this.last = { key, seqs };
    return seqs;
  }

  /** Drops the kept matching set (the benchmark times each query as if newly typed). */
  forgetMatches(): void {
    this.last = null;
  }

  counts(seqs: Uint32Array): ColumnCounts {
    const { category, action, actor } = this.data;
    const byCategory = new Uint32Array(this.data.categories.length + 1);
    const byAction = new Uint32Array(this.data.actions.length);
    const byActor = new Uint32Array(this.data.actors.length);
    for (const s of seqs) {
      byCategory[category[s]!]!++;
      byAction[action[s]!]!++;
      byActor[actor[s]!]!++;
    }
    return {
      category: byCode(byCategory.subarray(1), this.data.categories),
      action: byCode(byAction, this.data.actions),
      user: byCode(byActor, this.data.actors),
      total: seqs.length,
    };
  }

  /** Counts by review status: annotated matches by their status, the rest unreviewed. */
  statusCounts(ws: Workspace, seqs: Uint32Array): Map<string, number> {
    const counts = new Map<string, number>(REVIEW_STATUSES.map((s) => [s, 0]));
    let reviewed = 0;
    for (const { seq, status } of annotatedSeqs(ws))
      if (holds(seqs, seq)) {
        counts.set(status, (counts.get(status) ?? 0) + 1);
        reviewed++;
      }
    counts.set('unreviewed', seqs.length - reviewed);
    return counts;
  }

  /**
   * Counts per bucket (between consecutive boundaries) and category in CATEGORIES order, of the
   * matches with a time in [from, to).
   */
  buckets(seqs: Uint32Array, boundaries: number[], from: number, to: number): number[][] {
    const counts = boundaries.slice(0, -1).map(() => CATEGORIES.map(() => 0));
    const { category, occurredAt } = this.data;
    const lo = Math.max(from, boundaries[0]!);
    const hi = Math.min(to, boundaries[boundaries.length - 1]!);
    // Entries come in seq order, which is mostly time order: the last bucket is tried first.
    let i = 0;
    for (const s of seqs) {
      const t = occurredAt[s]!;
      if (t < lo || t >= hi) continue;
      const k = this.stack[category[s]!]!;
      if (k < 0) continue;
      if (!(t >= boundaries[i]! && t < boundaries[i + 1]!)) i = upperBound(boundaries, t) - 1;
      counts[i]![k]!++;
    }
    return counts;
  }
}

/**
 * The number of entries a query matches, from the facet columns while they cover the data, else
 * null (count in SQL then). For the log's total: the matching set is then kept for the facets and
 * the histogram the view asks for next.
 */
export function countFromColumns(
  ws: Workspace,
  query: Query,
  options: { columns: FacetColumnsSource | null | undefined; expandWord?: ExpandWord },
): number | null {
  const timeZone = workspaceTimeZone(ws);
  return ws.db.transaction(() => {
    const columns = options.columns?.current() ?? null;
    if (columns === null) return null;
    return (
      columns.matching(ws, query, { timeZone, expandWord: options.expandWord })?.length ?? null
    );
  })();
}
