// Review: audit samples as batches with progress, the unusual-activity queue (all, or the weekly
// review of the last 7 days), and the reviewer's own tamper-evident log.
import { useEffect, useState, type FormEvent } from 'react';
import type {
  ApiError,
  Finding,
  ReviewLogView,
  Sample,
  WorkspaceSummary,
} from '../../../../shared/api';
import { useApi } from '../../api/context';
import { ErrorLine, EmptyState } from '../../components/Messages';
import { formatCount } from '../../components/Progress';
import { formatCell, presetDays } from '../logs/time';
import { dayRange, setDates } from '../filters/query-edit';
import { EntryList } from './EntryList';
import { ShareTab } from './ShareTab';

type Tab = 'samples' | 'insights' | 'weekly' | 'share' | 'log';

function SamplesTab(props: { workspace: WorkspaceSummary; zone: string }) {
  const api = useApi();
  const [samples, setSamples] = useState<Sample[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    void api.call('listSamples', { workspaceId: props.workspace.id }).then((r) => {
      if (r.ok) setSamples(r.value);
      else setError(r.error);
    });
  }, [api, props.workspace.id, reloads]);
  if (error) return <ErrorLine error={error} />;
  if (!samples) return <p className="muted">Loading…</p>;
  if (samples.length === 0)
    return (
      <EmptyState title="No samples yet">
        In the Log, filter to the population you test and choose <strong>Sample…</strong>.
      </EmptyState>
    );
  const current = samples.find((s) => s.id === open);
  return (
    <div>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Drawn</th>
            <th scope="col">Population</th>
            <th scope="col">Method</th>
            <th scope="col">Seed</th>
            <th scope="col">Progress</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {samples.map((s) => {
            const n = s.entryIds.length;
            return (
              <tr key={s.id}>
                <td>{formatCell(s.createdAt, props.zone)}</td>
                <td>
                  {formatCount(s.population)} · <code>{s.query || '(all)'}</code>
                </td>
                <td>
                  {s.method.kind === 'size'
                    ? `${s.method.size} entries`
                    : s.method.kind === 'percent'
                      ? `${s.method.percent} %`
                      : `${s.method.confidence} % ± ${s.method.margin}`}
                </td>
                <td>
                  <code>{s.seed}</code>
                </td>
                <td>
                  <progress
                    value={s.progress.reviewed + s.progress.exceptions}
                    max={n}
                    aria-label="Sample progress"
                  />{' '}
                  {s.progress.reviewed} reviewed · {s.progress.exceptions} exceptions ·{' '}
                  {s.progress.remaining} left
                </td>
                <td>
                  <button type="button" onClick={() => setOpen(open === s.id ? null : s.id)}>
                    {open === s.id ? 'Close' : 'Work through'}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {current ? (
        <EntryList
          workspaceId={props.workspace.id}
          entryIds={current.entryIds}
          zone={props.zone}
          label="Sample entries"
          onChanged={() => setReloads((n) => n + 1)}
        />
      ) : null}
    </div>
  );
}

function DismissForm(props: { onDismiss: (reason: string) => void }) {
  const [reason, setReason] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim()) props.onDismiss(reason.trim());
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <label>
        Reason
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="expected: quarterly cleanup"
        />
      </label>
      <button type="submit" disabled={!reason.trim()}>
        Dismiss
      </button>
    </form>
  );
}

function InsightsTab(props: {
  workspace: WorkspaceSummary;
  zone: string;
  weekly: boolean;
  onShowQuery: (q: string) => void;
}) {
  const api = useApi();
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [dismissing, setDismissing] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    const since = props.weekly ? new Date(Date.now() - 7 * 86_400_000).toISOString() : undefined;
    void api
      .call('insights', { workspaceId: props.workspace.id, ...(since ? { since } : {}) })
      .then((r) => {
        if (r.ok) setFindings(r.value);
        else setError(r.error);
      });
  }, [api, props.workspace.id, props.weekly, reloads]);
  const dismiss = async (findingId: string, reason: string) => {
    const r = await api.call('dismissFinding', {
      workspaceId: props.workspace.id,
      findingId,
      reason,
    });
    if (!r.ok) return setError(r.error);
    setDismissing(null);
    setReloads((n) => n + 1);
  };
  const week = presetDays('last7', props.zone);
  return (
    <div>
      {props.weekly ? (
        <p className="lede">
          Weekly review: findings of the last 7 days first, then{' '}
          <button
            type="button"
            className="link"
            onClick={() => props.onShowQuery(setDates('', dayRange(week.from, week.to)))}
          >
            every entry of {week.from} → {week.to}
          </button>
          .
        </p>
      ) : null}
      <ErrorLine error={error} />
      {findings === null && !error ? <p className="muted">Running the rules…</p> : null}
      {findings && findings.length === 0 ? (
        <EmptyState title="No unusual activity found">
          The rules and their thresholds are in Settings; the weekly review looks at the last 7
          days.
        </EmptyState>
      ) : null}
      <ul className="findings">
        {(findings ?? []).map((f) => (
          <li
            key={f.id}
            className={`finding severity-${f.severity}${f.dismissed ? ' dismissed' : ''}`}
          >
            <div className="finding-head">
              <span className={`badge sev-${f.severity}`}>{f.severity}</span>
              <strong>{f.summary}</strong>
              <span className="muted small">{f.rule}</span>
              <span className="muted small">
                {formatCount(f.entryIds.length)} {f.entryIds.length === 1 ? 'entry' : 'entries'}
              </span>
            </div>
            {f.dismissed ? (
              <p className="small muted">
                Dismissed by {f.dismissed.by}: {f.dismissed.reason}
              </p>
            ) : null}
            <div className="finding-actions">
              <button type="button" onClick={() => setOpen(open === f.id ? null : f.id)}>
                {open === f.id ? 'Hide entries' : 'Review entries'}
              </button>
              {!f.dismissed ? (
                <button
                  type="button"
                  onClick={() => setDismissing(dismissing === f.id ? null : f.id)}
                >
                  Dismiss…
                </button>
              ) : null}
            </div>
            {dismissing === f.id ? (
              <DismissForm onDismiss={(reason) => void dismiss(f.id, reason)} />
            ) : null}
            {open === f.id ? (
              <EntryList
                workspaceId={props.workspace.id}
                entryIds={f.entryIds}
                zone={props.zone}
                label={`Entries of ${f.summary}`}
              />
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ReviewLogTab(props: { workspace: WorkspaceSummary; zone: string }) {
  const api = useApi();
  const [log, setLog] = useState<ReviewLogView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    void api.call('reviewLog', { workspaceId: props.workspace.id }).then((r) => {
      if (r.ok) setLog(r.value);
      else setError(r.error);
    });
  }, [api, props.workspace.id]);
  if (error) return <ErrorLine error={error} />;
  if (!log) return <p className="muted">Loading…</p>;
  return (
    <div>
      <p className={log.valid ? 'notice good' : 'error-line'} role="status">
        {log.valid
          ? `The review log's hash chain is intact (${formatCount(log.records.length)} records).`
          : `The review log was altered: ${log.problems.join('; ')}`}
      </p>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {log.records
            .slice(-500)
            .reverse()
            .map((r) => (
              <tr key={r.seq}>
                <td className="num">{r.seq}</td>
                <td>{formatCell(r.at, props.zone)}</td>
                <td>{r.actor}</td>
                <td>{r.action}</td>
                <td className="small break">{JSON.stringify(r.details)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}

export function ReviewScreen(props: {
  workspace: WorkspaceSummary;
  onShowQuery: (query: string) => void;
}) {
  const [tab, setTab] = useState<Tab>('insights');
  const zone = props.workspace.tenant?.timeZone ?? 'UTC';
  const tabs: { id: Tab; label: string }[] = [
    { id: 'insights', label: 'Unusual activity' },
    { id: 'weekly', label: 'Weekly review' },
    { id: 'samples', label: 'Samples' },
    { id: 'share', label: 'Share' },
    { id: 'log', label: 'Review log' },
  ];
  return (
    <main className="page" aria-labelledby="review-title">
      <h1 id="review-title">Review · {props.workspace.name}</h1>
      <div role="tablist" aria-label="Review" className="tabs">
        {tabs.map((t) => (
          <button
            key={t.id}
            role="tab"
            type="button"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls="review-panel"
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <section role="tabpanel" id="review-panel" aria-labelledby={`tab-${tab}`}>
        {tab === 'samples' ? <SamplesTab workspace={props.workspace} zone={zone} /> : null}
        {tab === 'insights' || tab === 'weekly' ? (
          <InsightsTab
            key={tab}
            workspace={props.workspace}
            zone={zone}
            weekly={tab === 'weekly'}
            onShowQuery={props.onShowQuery}
          />
        ) : null}
        {tab === 'share' ? <ShareTab workspace={props.workspace} /> : null}
        {tab === 'log' ? <ReviewLogTab workspace={props.workspace} zone={zone} /> : null}
      </section>
    </main>
  );
}
