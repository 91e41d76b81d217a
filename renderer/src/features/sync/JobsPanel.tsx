// Background jobs (imports, syncs, exports): a bar with counts and rate, cancel, and the outcome.
import { useState } from 'react';
import type { ExportResult, JobEvent } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { useAppState } from '../../app/app-context';
import { formatBytes, formatCount, formatRate, Progress } from '../../components/Progress';
import { useClaimed } from '../export/claimed-downloads';
import { counterText, JOB_TITLES, resultLines } from './job-text';

function counters(event: JobEvent): string {
  return Object.entries(event.progress.counters)
    .map(([name, n]) => counterText(name, n))
    .join(' · ');
}

function JobRow({ event }: { event: JobEvent }) {
  const api = useApi();
  const { dismissJob, workspaces } = useAppState();
  const [cancelError, setCancelError] = useState<string | null>(null);
  const { progress } = event;
  const workspace = workspaces.find((w) => w.id === event.workspaceId);
  const running = event.state === 'running';
  const download = event.kind === 'export' ? (event.result as ExportResult | undefined) : undefined;
  const claimed = useClaimed(download?.downloadUrl ?? null);
  return (
    <li className={`job job-${event.state}`} aria-label={JOB_TITLES[event.kind]}>
      <div className="job-head">
        <strong>{JOB_TITLES[event.kind]}</strong>
        {workspace ? <span className="muted"> · {workspace.name}</span> : null}
        <span className="job-state">{running ? progress.message || 'running' : event.state}</span>
        {running ? (
          <button
            type="button"
            onClick={() => {
              void api.call('cancelJob', { jobId: event.jobId }).then((r) => {
                if (!r.ok) setCancelError(r.error.message);
              });
            }}
          >
            Cancel
          </button>
        ) : (
          <button type="button" onClick={() => dismissJob(event.jobId)}>
            Dismiss
          </button>
        )}
      </div>
      {running ? (
        <div className="job-progress">
          <Progress done={progress.done} total={progress.total} label={JOB_TITLES[event.kind]} />
          <span className="job-numbers" data-testid="job-numbers">
            {progress.unit === 'bytes' ? formatBytes(progress.done) : formatCount(progress.done)}
            {progress.total !== null
              ? ` of ${progress.unit === 'bytes' ? formatBytes(progress.total) : `${formatCount(progress.total)} ${progress.unit}`}`
              : ` ${progress.unit}`}
            {progress.rate !== null ? ` · ${formatRate(progress.rate, progress.unit)}` : ''}
            {counters(event) ? ` · ${counters(event)}` : ''}
          </span>
        </div>
      ) : (
        <ul className="job-result">
          {resultLines(event).map((line, i) => (
            <li key={i} className={line.bad ? 'bad' : undefined}>
              {line.text}
            </li>
          ))}
          {download?.downloadUrl && claimed ? (
            <li>Download it from the export dialog (the link was used to verify the pack).</li>
          ) : download?.downloadUrl ? (
            <li>
              <a href={download.downloadUrl} download={download.fileName}>
                Download {download.fileName}
              </a>
            </li>
          ) : null}
        </ul>
      )}
      {cancelError ? <p className="error-line">{cancelError}</p> : null}
    </li>
  );
}

export function JobsPanel() {
  const { jobs: all } = useAppState();
  // The vocabulary index is background upkeep: shown while it runs or if it failed, not when done.
  const jobs = all.filter((j) => !(j.kind === 'index' && j.state === 'succeeded'));
  if (jobs.length === 0) return null;
  return (
    <section className="jobs" aria-label="Background jobs">
      <ul>
        {jobs.slice(0, 4).map((event) => (
          <JobRow key={event.jobId} event={event} />
        ))}
      </ul>
    </section>
  );
}
