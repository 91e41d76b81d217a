// Sharing review work: export this workspace's annotations to a file, import a colleague's. A merge
// adds what does not conflict and lists conflicts; the reviewer then keeps theirs or mine for all
// conflicting entries, never silently.
import { useRef, useState } from 'react';
import type { ApiError, FileRef, MergeResult, WorkspaceSummary } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { ErrorLine } from '../../components/Messages';
import { formatCount } from '../../components/Progress';
import { STATUS_TEXT } from '../detail/AnnotationEditor';

export function ShareTab(props: { workspace: WorkspaceSummary }) {
  const api = useApi();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [exported, setExported] = useState<{
    fileName: string;
    count: number;
    url: string | null;
  } | null>(null);
  const [file, setFile] = useState<FileRef | null>(null);
  const [merge, setMerge] = useState<MergeResult | null>(null);
  const [resolved, setResolved] = useState<string | null>(null);

  const exportFile = async () => {
    const picked = await api.call('pickSaveLocation', {
      purpose: 'annotations',
      suggestedName: `${props.workspace.name.replace(/[^\w.-]+/g, '-')}-annotations.json`,
    });
    if (picked.ok && picked.value === null) return; // the desktop save dialog was cancelled
    const r = await api.call('exportAnnotations', {
      workspaceId: props.workspace.id,
      destination: picked.ok && picked.value ? picked.value : { kind: 'download' },
    });
    if (!r.ok) return setError(r.error);
    setError(null);
    setExported({ fileName: r.value.fileName, count: r.value.count, url: r.value.downloadUrl });
  };
  const importFile = async (chosen: File) => {
    setMerge(null);
    setResolved(null);
    const uploaded = await api.upload(chosen.name, chosen);
    if (!uploaded.ok) return setError(uploaded.error);
    setFile(uploaded.value);
    const r = await api.call('importAnnotations', {
      workspaceId: props.workspace.id,
      file: uploaded.value,
    });
    if (!r.ok) return setError(r.error);
    setError(null);
    setMerge(r.value);
  };
  const resolve = async (resolve: 'mine' | 'theirs') => {
    if (!file) return;
    const r = await api.call('importAnnotations', {
      workspaceId: props.workspace.id,
      file,
      resolve,
    });
    if (!r.ok) return setError(r.error);
    setResolved(
      resolve === 'mine'
        ? 'Kept your annotations for every conflict.'
        : 'Took theirs for every conflict.',
    );
    setMerge(r.value);
  };

  return (
    <div className="share">
      <section className="settings-section" aria-labelledby="share-export-title">
        <h2 id="share-export-title">Export my annotations</h2>
        <p className="muted small">
          A file a colleague can import into their copy of this workspace.
        </p>
        <div>
          <button type="button" onClick={() => void exportFile()}>
            Export annotations
          </button>
        </div>
        {exported ? (
          <p role="status">
            {formatCount(exported.count)} annotations in {exported.fileName}.{' '}
            {exported.url ? (
              <a href={exported.url} download={exported.fileName}>
                Download
              </a>
            ) : null}
          </p>
        ) : null}
      </section>
      <section className="settings-section" aria-labelledby="share-import-title">
        <h2 id="share-import-title">Import a colleague&apos;s annotations</h2>
        <div>
          <button type="button" onClick={() => input.current?.click()}>
            Choose file…
          </button>
        </div>
        <input
          ref={input}
          type="file"
          accept=".json,application/json"
          hidden
          aria-label="Annotations file to import"
          onChange={(e) => {
            const chosen = e.target.files?.[0];
            if (chosen) void importFile(chosen);
            e.target.value = '';
          }}
        />
        {merge ? (
          <div role="status">
            <p>
              Added {formatCount(merge.added)}, {formatCount(merge.identical)} already identical,{' '}
              {formatCount(merge.conflicts.length)} conflicts.
            </p>
            {resolved ? <p className="notice good">{resolved}</p> : null}
            {merge.conflicts.length > 0 && !resolved ? (
              <>
                <table className="data-table">
                  <thead>
                    <tr>
                      <th scope="col">Entry</th>
                      <th scope="col">Mine</th>
                      <th scope="col">Theirs</th>
                    </tr>
                  </thead>
                  <tbody>
                    {merge.conflicts.slice(0, 200).map((c) => (
                      <tr key={c.entryId}>
                        <td>
                          <code>{c.entryId}</code>
                        </td>
                        <td>
                          {STATUS_TEXT[c.mine.status]} {c.mine.tags.join(', ')} {c.mine.note}
                        </td>
                        <td>
                          {STATUS_TEXT[c.theirs.status]} {c.theirs.tags.join(', ')} {c.theirs.note}{' '}
                          ({c.theirs.author.name || c.theirs.author.email})
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <div className="actions">
                  <button type="button" onClick={() => void resolve('mine')}>
                    Keep mine
                  </button>
                  <button type="button" onClick={() => void resolve('theirs')}>
                    Take theirs
                  </button>
                </div>
              </>
            ) : null}
          </div>
        ) : null}
        <ErrorLine error={error} />
      </section>
    </div>
  );
}
