// Export an evidence pack of the current query (or a sample): fields, annotations, progress (the
// job panel shows it too), the download, and an in-app verification of the written pack.
import { useEffect, useState, type FormEvent } from 'react';
import type {
  ApiError,
  ExportResult,
  JobEvent,
  PackVerification,
  Sample,
  WorkspaceSummary,
} from '../../../../shared/api';
import { useApi } from '../../api/context';
import { Dialog } from '../../components/Dialog';
import { ErrorLine } from '../../components/Messages';
import { formatCount, formatRate, Progress } from '../../components/Progress';
import { claimDownload } from './claimed-downloads';
import { EXPORT_FIELD_GROUPS, exportFields } from './fields';
import { VerifyResult } from './VerifyPack';

export function ExportDialog(props: {
  workspace: WorkspaceSummary;
  query: string;
  total: number;
  onClose: () => void;
}) {
  const api = useApi();
  const [fields, setFields] = useState<string[]>(EXPORT_FIELD_GROUPS.map((f) => f.id));
  const [annotations, setAnnotations] = useState(true);
  const [source, setSource] = useState<string>('query');
  const [samples, setSamples] = useState<Sample[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [job, setJob] = useState<JobEvent | null>(null);
  const [verification, setVerification] = useState<PackVerification | null>(null);
  // The download URL is single-use: once the pack was read back to verify it, it is offered from
  // this in-memory copy instead.
  const [blobUrl, setBlobUrl] = useState<string | null>(null);
  useEffect(
    () => () => {
      if (blobUrl) URL.revokeObjectURL(blobUrl);
    },
    [blobUrl],
  );

  useEffect(() => {
    void api.call('listSamples', { workspaceId: props.workspace.id }).then((r) => {
      if (r.ok) setSamples(r.value);
    });
  }, [api, props.workspace.id]);
  useEffect(() => {
    if (!jobId) return;
    return api.subscribe((event) => {
      if (event.jobId === jobId) setJob(event);
    });
  }, [api, jobId]);

  const start = async (e: FormEvent) => {
    e.preventDefault();
    const destination = await api.call('pickSaveLocation', {
      purpose: 'pack',
      suggestedName: `${props.workspace.name.replace(/[^\w.-]+/g, '-')}-evidence.zip`,
    });
    // Desktop: a save dialog the user may cancel; browser mode answers unsupported and downloads.
    if (destination.ok && destination.value === null) return;
    const r = await api.call('exportPack', {
      workspaceId: props.workspace.id,
      selection: source === 'query' ? { query: props.query } : { sampleId: source },
      fields: exportFields(fields, annotations),
      annotations,
      destination: destination.ok && destination.value ? destination.value : { kind: 'download' },
    });
    if (!r.ok) return setError(r.error);
    setError(null);
    setJobId(r.value.jobId);
  };

  const verify = async (url: string, fileName: string) => {
    // The produced pack goes back through the same door as any other pack: read, upload, verify.
    claimDownload(url);
    const response = await fetch(url);
    if (!response.ok)
      return setError({
        code: 'runtime',
        message: 'The pack could not be read back for verification.',
      });
    const blob = await response.blob();
    setBlobUrl(URL.createObjectURL(blob));
    const uploaded = await api.upload(fileName, blob);
    if (!uploaded.ok) return setError(uploaded.error);
    const r = await api.call('verifyPack', { file: uploaded.value });
    if (!r.ok) return setError(r.error);
    setVerification(r.value);
  };

  const result = job?.state === 'succeeded' ? (job.result as ExportResult) : null;
  return (
    <Dialog title="Export evidence pack" onClose={props.onClose} wide>
      {jobId ? (
        <div className="export-progress">
          {job?.state === 'running' || !job ? (
            <>
              <Progress
                done={job?.progress.done ?? 0}
                total={job?.progress.total ?? null}
                label="Export progress"
              />
              <p role="status">
                {formatCount(job?.progress.done ?? 0)} of{' '}
                {formatCount(job?.progress.total ?? props.total)} rows
                {job?.progress.rate ? ` · ${formatRate(job.progress.rate, 'rows')}` : ''}
              </p>
              <button type="button" onClick={() => void api.call('cancelJob', { jobId })}>
                Cancel
              </button>
            </>
          ) : result ? (
            <div role="status">
              <p>
                Wrote <strong>{result.fileName}</strong>: {formatCount(result.entries)} entries in{' '}
                {result.files.length} files.
              </p>
              <div className="actions">
                {result.downloadUrl || blobUrl ? (
                  <>
                    <a
                      className="button primary"
                      href={blobUrl ?? result.downloadUrl ?? undefined}
                      download={result.fileName}
                    >
                      Download
                    </a>
                    {!blobUrl && !verification ? (
                      <button
                        type="button"
                        onClick={() => void verify(result.downloadUrl!, result.fileName)}
                      >
                        Verify pack
                      </button>
                    ) : null}
                  </>
                ) : (
                  <p className="small muted">
                    Saved where you chose. Verify it under Settings › Verify an evidence pack.
                  </p>
                )}
              </div>
              {verification ? <VerifyResult result={verification} /> : null}
            </div>
          ) : (
            <ErrorLine error={job.error?.message ?? 'The export stopped.'} />
          )}
        </div>
      ) : (
        <form className="form" onSubmit={(e) => void start(e)}>
          <label>
            Entries
            <select value={source} onChange={(e) => setSource(e.target.value)}>
              <option value="query">
                This query: {formatCount(props.total)} entries ({props.query || 'all entries'})
              </option>
              {samples.map((s) => (
                <option key={s.id} value={s.id}>
                  Sample of {formatCount(s.entryIds.length)} (seed {s.seed})
                </option>
              ))}
            </select>
          </label>
          <fieldset className="field-choice">
            <legend>Fields</legend>
            {EXPORT_FIELD_GROUPS.map((f) => (
              <label key={f.id} className="check">
                <input
                  type="checkbox"
                  checked={fields.includes(f.id)}
                  onChange={(e) =>
                    setFields(
                      e.target.checked ? [...fields, f.id] : fields.filter((x) => x !== f.id),
                    )
                  }
                />
                {f.label}
              </label>
            ))}
          </fieldset>
          <label className="check">
            <input
              type="checkbox"
              checked={annotations}
              onChange={(e) => setAnnotations(e.target.checked)}
            />
            Include annotations and review status
          </label>
          <p className="small muted">
            The pack holds the signed entries, their Merkle proofs, the bundle manifests, your
            review log and a manifest with hashes; anyone can re-check it offline with{' '}
            <code>audit-desk verify-pack</code>.
          </p>
          <ErrorLine error={error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={fields.length === 0}>
              Export
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
