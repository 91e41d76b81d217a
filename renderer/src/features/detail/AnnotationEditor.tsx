// The reviewer's annotation of one entry: status, tags and a note (Markdown rendered safely: raw
// HTML is skipped, so a note can never run script or load anything), with its full history.
import { useState, type FormEvent } from 'react';
import Markdown from 'react-markdown';
import type { EntryDetail } from '../../../../shared/api';
import { REVIEW_STATUSES, type ReviewStatus } from '../../../../shared/query';
import { useApi } from '../../api/context';
import { useAppState } from '../../app/app-context';
import { ErrorLine } from '../../components/Messages';
import { formatCell } from '../logs/time';

export const STATUS_TEXT: Record<ReviewStatus, string> = {
  unreviewed: 'Unreviewed',
  reviewed: 'Reviewed',
  exception: 'Exception',
  follow_up: 'Follow up',
};

/** Links only to the web, never to app-internal or script schemes. */
function safeUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '';
}

export function SafeMarkdown(props: { text: string }) {
  return (
    <div className="markdown">
      <Markdown skipHtml urlTransform={safeUrl}>
        {props.text}
      </Markdown>
    </div>
  );
}

export function AnnotationEditor(props: {
  workspaceId: string;
  detail: EntryDetail;
  zone: string;
  onSaved: () => void;
}) {
  const api = useApi();
  const { settings } = useAppState();
  const current = props.detail.annotation;
  const [status, setStatus] = useState<ReviewStatus>(current?.status ?? 'unreviewed');
  const [tags, setTags] = useState((current?.tags ?? []).join(', '));
  const [note, setNote] = useState(current?.note ?? '');
  const [preview, setPreview] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const wanted = [
      ...new Set(
        tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ];
    const had = current?.tags ?? [];
    setSaving(true);
    const r = await api.call('annotate', {
      workspaceId: props.workspaceId,
      target: { entryIds: [props.detail.entry.id] },
      status,
      addTags: wanted.filter((t) => !had.includes(t)),
      removeTags: had.filter((t) => !wanted.includes(t)),
      note,
    });
    setSaving(false);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    props.onSaved();
  };

  return (
    <section className="detail-section" aria-labelledby="annotation-title">
      <h3 id="annotation-title">Review</h3>
      {!settings.reviewer.name ? (
        <p className="notice small">
          Set your reviewer name and e-mail in Settings: annotations record who made them.
        </p>
      ) : null}
      <form className="form annotation-form" onSubmit={(e) => void save(e)}>
        <fieldset className="status-choice">
          <legend>Status</legend>
          {REVIEW_STATUSES.map((s) => (
            <label key={s} className={`status-option status-${s}`}>
              <input
                type="radio"
                name="status"
                value={s}
                checked={status === s}
                onChange={() => setStatus(s)}
              />
              {STATUS_TEXT[s]}
            </label>
          ))}
        </fieldset>
        <label>
          Tags (comma separated)
          <input value={tags} onChange={(e) => setTags(e.target.value)} placeholder="sox, access" />
        </label>
        <div className="note-head">
          <span id="note-label">Note (Markdown)</span>
          <button type="button" className="link small" onClick={() => setPreview(!preview)}>
            {preview ? 'Edit' : 'Preview'}
          </button>
        </div>
        {preview ? (
          <SafeMarkdown text={note || '_(empty)_'} />
        ) : (
          <textarea
            aria-labelledby="note-label"
            rows={4}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        )}
        <ErrorLine error={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save annotation'}
          </button>
        </div>
      </form>
      {props.detail.history.length > 0 ? (
        <details className="history">
          <summary>History ({props.detail.history.length})</summary>
          <ol>
            {props.detail.history.map((h, i) => (
              <li key={i}>
                <span className="muted">{formatCell(h.at, props.zone)}</span>{' '}
                <strong>{h.author.name || h.author.email || 'unknown reviewer'}</strong>{' '}
                {h.change === 'removed'
                  ? 'removed the annotation'
                  : `set ${STATUS_TEXT[h.status]}${h.tags.length ? `, tags ${h.tags.join(', ')}` : ''}`}
                {h.note ? <SafeMarkdown text={h.note} /> : null}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </section>
  );
}
