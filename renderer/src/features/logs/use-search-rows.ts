// The rows of the log view for one query: the first page at once, then further pages with the
// keyset cursor (`before`) as the user scrolls towards them. Rows are kept by entry id (the index
// map), never identified by position: a selection survives a new query that still holds the entry.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, SearchPageResult } from '../../../../shared/api';
import type { Entry } from '../../../../shared/entry';
import { useApi } from '../../api/context';

const FIRST_PAGE = 200;
const NEXT_PAGE = 1000;

export interface SearchRows {
  /** Matching entries in all; null until the first answer. */
  total: number | null;
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
    void api.call('search', { workspaceId, query, limit: FIRST_PAGE }).then((r) => {
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
        total: r.value.total,
        entries: r.value.entries,
        nextBefore: r.value.nextBefore,
        typoTolerance: r.value.typoTolerance,
        expansions: r.value.expansions,
      };
      loadedRef.current = next;
      setLoaded(next);
    });
  }, [api, workspaceId, query, key]);

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
        const next = { ...prev, nextBefore: r.value.nextBefore };
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
