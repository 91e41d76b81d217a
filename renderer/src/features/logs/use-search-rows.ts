// The rows of the log view for one query: the first page at once, then further pages with the
// keyset cursor (`before`) as the user scrolls towards them. Rows are kept by entry id (the index
// map), never identified by position: a selection survives a new query that still holds the entry.
// The first page is asked without its total (`count: false`): a broad query's count reads every
// match, so the rows show first and the total is asked apart (`count`) once typing pauses.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, SearchPageResult } from '../../../../shared/api';
import type { Entry } from '../../../../shared/entry';
import { cachedAnswer, cacheKey, callCached } from '../../api/answer-cache';
import { useApi } from '../../api/context';
import { SETTLE_MS } from '../../app/constants';

const FIRST_PAGE = 200;
const NEXT_PAGE = 1000;

export interface SearchRows {
  /** Matching entries in all; null until known (the rows may already show: see `counting`). */
  total: number | null;
  /** The rows of this query are shown and their total is being counted. */
  counting: boolean;
  entries: Entry[];
  indexById: ReadonlyMap<string, number>;
  /** The query these rows answer (the bar may already show a newer one). */
  query: string;
  /** A search for a newer query is running; the rows shown are the previous query's. */
  searching: boolean;
  loadingMore: boolean;
  error: ApiError | null;
  typoTolerance: boolean;
  expansions: SearchPageResult['expansions'];
  /** Milliseconds the last first-page search took (keystroke to rows). */
  elapsedMs: number | null;
  /** Ask for rows up to this index (called with the last visible row). */
  ensureLoaded(index: number): void;
}

interface Loaded {
  /** Which request these rows answer (workspace, query, data version). */
  key: string;
  query: string;
  /** Append-only for one query, like entries (pages only add rows); rebuilt for a new query. */
  indexById: Map<string, number>;
  total: number | null;
  entries: Entry[];
  nextBefore: number | null;
  typoTolerance: boolean;
  expansions: SearchPageResult['expansions'];
}

const EMPTY: Loaded = {
  key: '',
  query: '',
  indexById: new Map(),
  total: null,
  entries: [],
  nextBefore: null,
  typoTolerance: true,
  expansions: [],
};

export function useSearchRows(workspaceId: string, query: string, version: number): SearchRows {
  const api = useApi();
  const [loaded, setLoaded] = useState<Loaded>(EMPTY);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [elapsedMs, setElapsedMs] = useState<number | null>(null);
  const generation = useRef(0);
  const countTimer = useRef<number | undefined>(undefined);
  const more = useRef(false);
  const wanted = useRef(0);
  const loadedRef = useRef(loaded);
  useEffect(() => {
    loadedRef.current = loaded;
  }, [loaded]);
  const key = `${workspaceId}\u0000${version}\u0000${query}`;
  const [failedKey, setFailedKey] = useState<string | null>(null);
  const searching = loaded.key !== key && failedKey !== key;

  useEffect(() => {
    const mine = ++generation.current;
    const started = performance.now();
    more.current = false;
    wanted.current = 0;
    window.clearTimeout(countTimer.current);
    const countRequest = { workspaceId, query };
    const countKey = cacheKey(version, 'count', countRequest);
    // The total of this query, unless a newer query (or data version) came meanwhile.
    const applyTotal = (total: number) => {
      if (mine !== generation.current || loadedRef.current.key !== key) return;
      const next = { ...loadedRef.current, total };
      loadedRef.current = next;
      setLoaded(next);
    };
    const askCount = () => {
      void callCached(api, version, 'count', countRequest).then((r) => {
        if (r.ok) applyTotal(r.value.total);
        else if (mine === generation.current) setError(r.error);
      });
    };
    void api.call('search', { workspaceId, query, limit: FIRST_PAGE, count: false }).then((r) => {
      if (mine !== generation.current) return;
      if (!r.ok) {
        setError(r.error);
        setFailedKey(key);
        return;
      }
      setError(null);
      setElapsedMs(performance.now() - started);
      const indexById = new Map<string, number>();
      r.value.entries.forEach((e, i) => indexById.set(e.id, i));
      const next: Loaded = {
        key,
        query,
        indexById,
        // A last page holds every match: its length is the total, nothing to count.
        total:
          r.value.nextBefore === null
            ? r.value.entries.length
            : (cachedAnswer<'count'>(countKey)?.total ?? null),
        entries: r.value.entries,
        nextBefore: r.value.nextBefore,
        typoTolerance: r.value.typoTolerance,
        expansions: r.value.expansions,
      };
      loadedRef.current = next;
      setLoaded(next);
      // Counting waits for a pause in typing: a count may take a few hundred milliseconds at a
      // million entries, and the next keystroke's page would wait behind it.
      if (next.total === null) countTimer.current = window.setTimeout(askCount, SETTLE_MS);
    });
  }, [api, workspaceId, query, key, version]);

  useEffect(() => () => window.clearTimeout(countTimer.current), []);

  const fetchMore = useCallback(() => {
    const current = loadedRef.current;
    if (more.current || current.nextBefore === null || current.entries.length > wanted.current)
      return;
    more.current = true;
    setLoadingMore(true);
    const mine = generation.current;
    void api
      .call('search', {
        workspaceId,
        query: current.query,
        limit: NEXT_PAGE,
        before: current.nextBefore,
        count: false,
      })
      .then((r) => {
        more.current = false;
        setLoadingMore(false);
        if (mine !== generation.current) return;
        if (!r.ok) {
          setError(r.error);
          return;
        }
        const prev = loadedRef.current;
        const offset = prev.entries.length;
        r.value.entries.forEach((e, i) => prev.indexById.set(e.id, offset + i));
        // Appended in place (a million-row array is not copied per page); the new Loaded object
        // re-renders, and consumers depend on entries.length, not the array's identity.
        prev.entries.push(...r.value.entries);
        const next = {
          ...prev,
          nextBefore: r.value.nextBefore,
          // Paged to the end before the count came: the rows are the total.
          total:
            prev.total === null && r.value.nextBefore === null ? prev.entries.length : prev.total,
        };
        loadedRef.current = next;
        setLoaded(next);
      });
  }, [api, workspaceId]);

  // Keep fetching pages (one at a time) until the wanted row is loaded.
  useEffect(() => {
    if (!searching && !loadingMore) fetchMore();
  }, [loaded, searching, loadingMore, fetchMore]);

  const ensureLoaded = useCallback(
    (index: number) => {
      if (index > wanted.current) wanted.current = index;
      fetchMore();
    },
    [fetchMore],
  );

  return {
    total: loaded.total,
    counting: !searching && loaded.total === null && error === null,
    entries: loaded.entries,
    indexById: loaded.indexById,
    query: loaded.query,
    searching,
    loadingMore,
    error,
    typoTolerance: loaded.typoTolerance,
    expansions: loaded.expansions,
    elapsedMs,
    ensureLoaded,
  };
}
