// Facet counts for the current query; a click toggles that value as a qualifier in the query text.
import { useEffect, useState } from 'react';
import type { ApiError, Facets, FacetCount } from '../../../../shared/api';
import { cacheKey, cachedAnswer, callCached } from '../../api/answer-cache';
import { useApi } from '../../api/context';
import { SETTLE_MS } from '../../app/constants';
import { ErrorLine } from '../../components/Messages';
import { hasTerm, termFor } from './query-edit';

const GROUPS: { key: keyof Facets; title: string; qualifier: string }[] = [
  { key: 'category', title: 'Category', qualifier: 'category' },
  { key: 'action', title: 'Action', qualifier: 'action' },
  { key: 'user', title: 'User', qualifier: 'user' },
  { key: 'status', title: 'Review status', qualifier: 'status' },
];

function Group(props: {
  title: string;
  qualifier: string;
  counts: FacetCount[];
  query: string;
  onToggle: (term: string) => void;
}) {
  const [all, setAll] = useState(false);
  const shown = all ? props.counts : props.counts.slice(0, 8);
  return (
    <section className="facet-group" aria-label={props.title}>
      <h3>{props.title}</h3>
      {props.counts.length === 0 ? <p className="muted small">none</p> : null}
      <ul>
        {shown.map((c) => {
          const term = termFor(props.qualifier, c.value);
          const on = hasTerm(props.query, term);
          return (
            <li key={c.value}>
              <button
                type="button"
                className={`facet${on ? ' on' : ''}`}
                aria-pressed={on}
                title={on ? `Remove ${term}` : `Add ${term}`}
                onClick={() => props.onToggle(term)}
              >
                <span className="facet-label">{c.label}</span>
                <span className="facet-count">{c.count.toLocaleString('en-US')}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {props.counts.length > 8 ? (
        <button type="button" className="link small" onClick={() => setAll(!all)}>
          {all ? 'Fewer' : `All ${props.counts.length}`}
        </button>
      ) : null}
    </section>
  );
}

export function FacetsPanel(props: {
  workspaceId: string;
  query: string;
  version: number;
  onToggle: (term: string) => void;
}) {
  const api = useApi();
  const [facets, setFacets] = useState<Facets | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    const request = { workspaceId: props.workspaceId, query: props.query, limitPerFacet: 50 };
    // Asked once typing pauses (they matter less than the table and would compete with it), unless
    // the answer is at hand.
    const cached = cachedAnswer<'facets'>(cacheKey(props.version, 'facets', request));
    const timer = window.setTimeout(
      () => {
        void callCached(api, props.version, 'facets', request).then((r) => {
          if (!live) return;
          if (r.ok) {
            setFacets(r.value);
            setError(null);
          } else setError(r.error.code === 'bad_query' ? null : r.error);
        });
      },
      cached ? 0 : SETTLE_MS,
    );
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [api, props.workspaceId, props.query, props.version]);
  return (
    <aside className="facets" aria-label="Facets">
      <ErrorLine error={error} />
      {facets
        ? GROUPS.map((g) => (
            <Group
              key={g.key}
              title={g.title}
              qualifier={g.qualifier}
              counts={facets[g.key]}
              query={props.query}
              onToggle={props.onToggle}
            />
          ))
        : null}
    </aside>
  );
}
