// Search, facets, histogram, suggestions, entry detail: the log view's reads. All use the
// workspace's live vocabulary for typo tolerance once it is loaded.
import type { BundleInfo, EntryDetail, SearchPageResult } from '../../../../shared/api';
import type { Entry } from '../../../../shared/entry';
import type { Workspace } from '../../workspace/database';
import { annotationHistory, getAnnotation } from '../../review/annotations';
import {
  countEntries,
  countFromColumns,
  facetCounts,
  histogram,
  searchEntries,
  searchPageOnly,
  type ExpandWord,
} from '../../search';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';
import { notFound } from '../errors';
import { parseOrFail, runQuery } from '../query';
import type { ActionLog } from '../review-log';
import { toAnnotation, toHistory } from '../review-mapping';
import type { Vocabularies } from '../vocabulary';
import type { FacetColumnsHolder } from '../facet-columns';

type SearchHandlers = Pick<
  Handlers,
  'search' | 'count' | 'facets' | 'histogram' | 'entryDetail' | 'suggest'
>;

interface DetailRow {
  raw: string;
  bundle_id: string;
  digest: string;
  period_start: number;
  period_end: number;
  key_id: string;
  issued_at: string;
  verdict: string;
  source: 'file' | 'sync';
  source_name: string | null;
}

export function searchHandlers(
  ctx: AppContext,
  log: ActionLog,
  vocabularies: Vocabularies,
  facetColumns: FacetColumnsHolder,
): SearchHandlers {
  return {
    search: ({ workspaceId, query, limit, before, count }) => {
      const parsed = parseOrFail(query);
      const ws = ctx.registry.connection(workspaceId);
      log.opening(workspaceId, ws);
      facetColumns.of(workspaceId); // read in the background from the first search on
      // Typo tolerance once the vocabulary covers the data; the alternatives each word got are
      // reported so the UI can say "also searched: ...".
      const expander = vocabularies.of(workspaceId).expander();
      const expansions: SearchPageResult['expansions'] = [];
      const expandWord: ExpandWord | undefined =
        expander === null
          ? undefined
          : (word, isLastWord) => {
              const alternatives = expander(word, isLastWord);
              const added = alternatives.filter((a) => a !== word);
              if (added.length > 0 && !expansions.some((e) => e.word === word))
                expansions.push({ word, alternatives: added });
              return alternatives;
            };
      const options = { limit, before: before ?? null, expandWord };
      // `count: false`: the page alone, so a view shows rows before a broad query's count (which
      // may read every match) is done; the view asks `count` next, and that records the search.
      if (count === false) {
        const page = runQuery(() => searchPageOnly(ws, parsed, options));
        return { ...page, expansions, typoTolerance: expander !== null };
      }
      const page = runQuery(() => searchEntries(ws, parsed, options));
      if (before === undefined || before === null)
        log.search(workspaceId, ws, query.trim(), page.total);
      return { ...page, expansions, typoTolerance: expander !== null };
    },
    count: async ({ workspaceId, query }) => {
      const parsed = parseOrFail(query);
      // From the facet columns once read: at most ~80 ms at 1M where SQL may read every match
      // (0.5 s for a negation), and the facets and histogram asked next reuse the matching set.
      const columns = await facetColumns.forQuery(workspaceId, parsed);
      const ws = ctx.registry.connection(workspaceId);
      log.opening(workspaceId, ws);
      // The same expansion as search, so the count is the total that search would have given.
      const expandWord = vocabularies.of(workspaceId).expander() ?? undefined;
      const total = runQuery(
        () =>
          countFromColumns(ws, parsed, { columns, expandWord }) ??
          countEntries(ws, parsed, { expandWord }),
      );
      log.search(workspaceId, ws, query.trim(), total);
      return { total };
    },
    facets: async ({ workspaceId, query, limitPerFacet }) => {
      const parsed = parseOrFail(query);
      const columns = await facetColumns.forQuery(workspaceId, parsed);
      const ws = ctx.registry.connection(workspaceId);
      const expandWord = vocabularies.of(workspaceId).expander() ?? undefined;
      return runQuery(() => facetCounts(ws, parsed, { limitPerFacet, expandWord, columns }));
    },
    histogram: async ({ workspaceId, query, targetBuckets }) => {
      const parsed = parseOrFail(query);
      const columns = await facetColumns.forQuery(workspaceId, parsed);
      const ws = ctx.registry.connection(workspaceId);
      const expandWord = vocabularies.of(workspaceId).expander() ?? undefined;
      return runQuery(() => histogram(ws, parsed, { targetBuckets, expandWord, columns }));
    },
    suggest: ({ workspaceId, prefix, kinds, limit }) =>
      vocabularies.of(workspaceId).suggest(prefix, { kinds, limit }),
    entryDetail: ({ workspaceId, entryId }) => {
      const ws = ctx.registry.connection(workspaceId);
      const row = ws.db
        .prepare(
          `SELECT e.raw, b.bundle_id, b.digest, b.period_start, b.period_end, b.key_id, b.issued_at,
                  b.verdict, b.source, b.source_name
             FROM entries e JOIN bundles b ON b.ref = e.bundle_ref WHERE e.id = ?`,
        )
        .get(entryId) as DetailRow | undefined;
      if (row === undefined) throw notFound('no such entry in this workspace');
      const detail: EntryDetail = {
        entry: JSON.parse(row.raw) as Entry,
        bundle: bundleInfo(row),
        annotation: annotationOf(ws, entryId),
        history: annotationHistory(ws, entryId).map(toHistory),
      };
      return detail;
    },
  };
}

function annotationOf(ws: Workspace, entryId: string) {
  const annotation = getAnnotation(ws, entryId);
  return annotation === null ? null : toAnnotation(annotation);
}

function bundleInfo(row: DetailRow): BundleInfo {
  return {
    bundleId: row.bundle_id,
    digest: row.digest,
    periodStart: new Date(row.period_start).toISOString(),
    periodEnd: new Date(row.period_end).toISOString(),
    keyId: row.key_id,
    issuedAt: row.issued_at,
    verdict: row.verdict,
    source: row.source,
    sourceName: row.source_name,
  };
}
