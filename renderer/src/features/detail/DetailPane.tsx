// Everything about one entry: every field, the changes as a diff, the parsed user agent, links to
// related events, the bundle it came from with its verdict, and the reviewer's annotation.
import { useEffect, useState } from 'react';
import type { ApiError, EntryDetail } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { ErrorLine } from '../../components/Messages';
import { termFor } from '../filters/query-edit';
import { formatFull } from '../logs/time';
import { AnnotationEditor } from './AnnotationEditor';
import { ChangesDiff } from './Diff';
import { parseUserAgent } from './user-agent';

function Field(props: { name: string; children: React.ReactNode }) {
  return (
    <>
      <dt>{props.name}</dt>
      <dd>{props.children}</dd>
    </>
  );
}

export function DetailPane(props: {
  workspaceId: string;
  entryId: string;
  zone: string;
  businessZone: string;
  version: number;
  onQuery: (query: string) => void;
  onClose: () => void;
  onSaved?: () => void;
}) {
  const api = useApi();
  const [detail, setDetail] = useState<EntryDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(0);
  useEffect(() => {
    let live = true;
    void api
      .call('entryDetail', { workspaceId: props.workspaceId, entryId: props.entryId })
      .then((r) => {
        if (!live) return;
        if (r.ok) {
          setDetail(r.value);
          setError(null);
        } else setError(r.error);
      });
    return () => {
      live = false;
    };
  }, [api, props.workspaceId, props.entryId, props.version, saved]);

  const e = detail?.entry.id === props.entryId ? detail.entry : null;
  const agent = e?.userAgent ? parseUserAgent(e.userAgent) : null;
  return (
    <aside className="detail" aria-label="Entry detail">
      <header className="detail-head">
        <h2>{e ? e.action : 'Entry'}</h2>
        <button
          type="button"
          className="icon-button"
          aria-label="Close detail (Esc)"
          onClick={props.onClose}
        >
          ×
        </button>
      </header>
      <ErrorLine error={error} />
      {e && detail ? (
        <div className="detail-body">
          <dl className="fields">
            <Field name={`Time (${props.businessZone})`}>
              {formatFull(e.occurredAt, props.businessZone)}
            </Field>
            <Field name="Time (UTC)">{e.occurredAt}</Field>
            {props.zone !== props.businessZone && props.zone !== 'UTC' ? (
              <Field name={`Time (${props.zone})`}>{formatFull(e.occurredAt, props.zone)}</Field>
            ) : null}
            <Field name="Category">{e.category}</Field>
            <Field name="Action">{e.action}</Field>
            <Field name="User">
              {e.actor.name}{' '}
              <span className="muted">
                ({e.actor.type}, {e.actor.id})
              </span>
              {e.actor.email ? <div>{e.actor.email}</div> : null}
            </Field>
            <Field name="Entity">
              {e.entity.label}{' '}
              <span className="muted">
                ({e.entity.type} {e.entity.id})
              </span>
            </Field>
            <Field name="IP address">{e.ip ?? <span className="muted">none (system)</span>}</Field>
            <Field name="User agent">
              {agent ? (
                <>
                  <div>
                    {agent.browser} on {agent.os} · {agent.device}
                  </div>
                  <div className="muted small break">{e.userAgent}</div>
                </>
              ) : (
                <span className="muted">none</span>
              )}
            </Field>
            <Field name="Entry id">
              <code>{e.id}</code> · seq {e.seq}
            </Field>
          </dl>
          <div className="related" role="group" aria-label="Related events">
            <button
              type="button"
              onClick={() => props.onQuery(termFor('entity', `${e.entity.type}:${e.entity.id}`))}
            >
              All events of this {e.entity.type}
            </button>
            <button type="button" onClick={() => props.onQuery(termFor('user', e.actor.id))}>
              All events by {e.actor.name || e.actor.id}
            </button>
            {e.ip ? (
              <button type="button" onClick={() => props.onQuery(`ip:${e.ip}`)}>
                All events from {e.ip}
              </button>
            ) : null}
          </div>
          <section className="detail-section" aria-labelledby="changes-title">
            <h3 id="changes-title">Changes</h3>
            <ChangesDiff changes={e.changes} />
          </section>
          {Object.keys(e.metadata).length > 0 ? (
            <section className="detail-section" aria-labelledby="meta-title">
              <h3 id="meta-title">Metadata</h3>
              <pre className="json">{JSON.stringify(e.metadata, null, 2)}</pre>
            </section>
          ) : null}
          <section className="detail-section" aria-labelledby="bundle-title">
            <h3 id="bundle-title">Signed bundle</h3>
            <dl className="fields">
              <Field name="Verification">
                <span
                  className={`badge ${detail.bundle.verdict === 'valid' ? 'badge-verified' : 'badge-problems'}`}
                >
                  {detail.bundle.verdict === 'valid'
                    ? 'Signature and Merkle root verified'
                    : detail.bundle.verdict}
                </span>
              </Field>
              <Field name="Bundle">{detail.bundle.bundleId}</Field>
              <Field name="Period">
                {formatFull(detail.bundle.periodStart, props.businessZone)} →{' '}
                {formatFull(detail.bundle.periodEnd, props.businessZone)}
              </Field>
              <Field name="Signed by key">{detail.bundle.keyId}</Field>
              <Field name="Digest">
                <code className="break">{detail.bundle.digest}</code>
              </Field>
              <Field name="Source">
                {detail.bundle.source === 'sync' ? 'Otesse API sync' : 'bundle file'}
                {detail.bundle.sourceName ? ` · ${detail.bundle.sourceName}` : ''}
              </Field>
            </dl>
          </section>
          <AnnotationEditor
            key={`${e.id}-${detail.history.length}`}
            workspaceId={props.workspaceId}
            detail={detail}
            zone={props.businessZone}
            onSaved={() => {
              setSaved((n) => n + 1);
              props.onSaved?.();
            }}
          />
        </div>
      ) : !error ? (
        <p className="muted">Loading…</p>
      ) : null}
    </aside>
  );
}
