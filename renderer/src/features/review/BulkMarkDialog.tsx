// Marks every entry of the current query at once: the count is shown and must be confirmed, and the
// backend refuses if the query's count changed since (expectedCount).
import { useState, type FormEvent } from 'react';
import type { ApiError } from '../../../../shared/api';
import { REVIEW_STATUSES, type ReviewStatus } from '../../../../shared/query';
import { useApi } from '../../api/context';
import { Dialog } from '../../components/Dialog';
import { ErrorLine } from '../../components/Messages';
import { formatCount } from '../../components/Progress';
import { STATUS_TEXT } from '../detail/AnnotationEditor';

export function BulkMarkDialog(props: {
  workspaceId: string;
  query: string;
  total: number;
  onClose: () => void;
  onDone: () => void;
}) {
  const api = useApi();
  const [status, setStatus] = useState<ReviewStatus>('reviewed');
  const [tag, setTag] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await api.call('annotate', {
      workspaceId: props.workspaceId,
      target: { query: props.query, expectedCount: props.total },
      status,
      ...(tag.trim() ? { addTags: [tag.trim()] } : {}),
    });
    if (!r.ok) return setError(r.error);
    setDone(r.value.count);
    props.onDone();
  };
  return (
    <Dialog title="Mark every entry of this query" onClose={props.onClose}>
      {done !== null ? (
        <>
          <p role="status">
            Marked {formatCount(done)} entries as {STATUS_TEXT[status]}.
          </p>
          <div className="actions">
            <button type="button" className="primary" onClick={props.onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <form className="form" onSubmit={(e) => void submit(e)}>
          <p>
            Query: <code>{props.query || '(all entries)'}</code>
          </p>
          <label>
            Status
            <select value={status} onChange={(e) => setStatus(e.target.value as ReviewStatus)}>
              {REVIEW_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_TEXT[s]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Add tag (optional)
            <input value={tag} onChange={(e) => setTag(e.target.value)} />
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={confirmed}
              onChange={(e) => setConfirmed(e.target.checked)}
            />
            Yes, mark all {formatCount(props.total)} entries
          </label>
          <ErrorLine error={error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={!confirmed}>
              Mark {formatCount(props.total)} entries
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
