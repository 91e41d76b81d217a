// Workspaces: one per tenant or engagement. Create, open, rename, delete (typing the name to
// confirm), and open bundle files into one by file picker or drag-and-drop.
import { useRef, useState, type DragEvent, type FormEvent } from 'react';
import type { FileRef, WorkspaceSummary } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { useAppState } from '../../app/app-context';
import { Dialog } from '../../components/Dialog';
import { EmptyState, ErrorLine } from '../../components/Messages';
import { formatCount } from '../../components/Progress';
import { formatCell, localDay } from '../logs/time';
import { droppedFiles, importFiles } from './import-files';

const VERIFICATION_TEXT: Record<WorkspaceSummary['verification'], string> = {
  verified: 'Verified, complete',
  problems: 'Gaps or chain breaks',
  empty: 'No bundles yet',
};

function period(w: WorkspaceSummary): string {
  if (!w.period) return '—';
  const zone = w.tenant?.timeZone ?? 'UTC';
  return `${localDay(w.period.from, zone)} → ${localDay(Date.parse(w.period.to) - 1, zone)}`;
}

function lastSync(w: WorkspaceSummary): string {
  if (!w.lastSync) return 'never';
  const at = formatCell(w.lastSync.at, w.tenant?.timeZone ?? 'UTC');
  return w.lastSync.error ? `${at} (failed)` : `${at} (${w.lastSync.status})`;
}

function RenameDialog(props: { workspace: WorkspaceSummary; onClose: () => void }) {
  const api = useApi();
  const { refreshWorkspaces } = useAppState();
  const [name, setName] = useState(props.workspace.name);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await api.call('renameWorkspace', { workspaceId: props.workspace.id, name });
    if (!r.ok) return setError(r.error.message);
    await refreshWorkspaces();
    props.onClose();
  };
  return (
    <Dialog title={`Rename ${props.workspace.name}`} onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)} className="form">
        <label>
          New name
          <input value={name} onChange={(e) => setName(e.target.value)} autoFocus required />
        </label>
        <ErrorLine error={error} />
        <div className="actions">
          <button type="submit" className="primary">
            Rename
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteDialog(props: { workspace: WorkspaceSummary; onClose: () => void }) {
  const api = useApi();
  const { refreshWorkspaces } = useAppState();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await api.call('deleteWorkspace', {
      workspaceId: props.workspace.id,
      confirmName: typed,
    });
    if (!r.ok) return setError(r.error.message);
    await refreshWorkspaces();
    props.onClose();
  };
  return (
    <Dialog title={`Delete ${props.workspace.name}?`} onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)} className="form">
        <p>
          This removes its {formatCount(props.workspace.entryCount)} entries, annotations and review
          log from this computer. Bundle files you opened stay where they are.
        </p>
        <label>
          Type <strong>{props.workspace.name}</strong> to confirm
          <input value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus />
        </label>
        <ErrorLine error={error} />
        <div className="actions">
          <button type="submit" className="danger" disabled={typed !== props.workspace.name}>
            Delete workspace
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function WorkspaceRow(props: {
  workspace: WorkspaceSummary;
  onOpen: () => void;
  onRename: () => void;
  onDelete: () => void;
  onImport: (files: File[]) => void;
}) {
  const w = props.workspace;
  const fileInput = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    props.onImport(droppedFiles(e));
  };
  return (
    <tr
      className={over ? 'drop-over' : undefined}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <th scope="row">
        <button type="button" className="link" onClick={props.onOpen}>
          {w.name}
        </button>
        {w.isDemo ? (
          <span className="badge badge-demo" title="Signed with a demo key, not by Otesse">
            demo key
          </span>
        ) : null}
      </th>
      <td>{w.tenant?.name ?? '—'}</td>
      <td>{w.tenant?.timeZone ?? '—'}</td>
      <td>{w.tenant?.plan ?? '—'}</td>
      <td className="num">{formatCount(w.entryCount)}</td>
      <td>{period(w)}</td>
      <td>{lastSync(w)}</td>
      <td>
        <span className={`badge badge-${w.verification}`}>{VERIFICATION_TEXT[w.verification]}</span>
      </td>
      <td className="row-actions">
        <button type="button" onClick={props.onOpen}>
          Open
        </button>
        <button type="button" onClick={() => fileInput.current?.click()}>
          Add bundles…
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          aria-label={`Bundle files for ${w.name}`}
          onChange={(e) => {
            props.onImport([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
        <button type="button" onClick={props.onRename}>
          Rename
        </button>
        <button type="button" onClick={props.onDelete}>
          Delete
        </button>
      </td>
    </tr>
  );
}

export function WorkspacesScreen(props: {
  onOpen: (id: string) => void;
  /** Bundle files the OS handed over while no workspace was open. */
  pendingFiles?: FileRef[];
  onPendingDone?: () => void;
}) {
  const api = useApi();
  const { workspaces, refreshWorkspaces } = useAppState();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<WorkspaceSummary | null>(null);
  const [deleting, setDeleting] = useState<WorkspaceSummary | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const r = await api.call('createWorkspace', { name });
    if (!r.ok) return setError(r.error.message);
    setName('');
    setError(null);
    await refreshWorkspaces();
  };
  const importInto = (workspaceId: string, files: File[]) => {
    void importFiles(api, workspaceId, files).then(setError);
  };

  return (
    <main className="page" aria-labelledby="workspaces-title">
      <h1 id="workspaces-title">Workspaces</h1>
      <p className="lede">
        One workspace per tenant or engagement. Drop bundle files on a workspace to verify and add
        them; nothing unverified is ever stored.
      </p>
      <ErrorLine error={error} />
      {props.pendingFiles && props.pendingFiles.length > 0 ? (
        <div className="notice pending-files" role="status">
          {props.pendingFiles.length} bundle file{props.pendingFiles.length === 1 ? '' : 's'} to
          open: choose the workspace they belong to.{' '}
          {workspaces.map((w) => (
            <button
              key={w.id}
              type="button"
              onClick={() => {
                void api
                  .call('importBundles', { workspaceId: w.id, files: props.pendingFiles ?? [] })
                  .then((r) => setError(r.ok ? null : r.error.message));
                props.onPendingDone?.();
              }}
            >
              Add to {w.name}
            </button>
          ))}
          <button type="button" onClick={props.onPendingDone}>
            Cancel
          </button>
        </div>
      ) : null}
      {workspaces.length === 0 ? (
        <EmptyState title="No workspaces yet">
          Create one below, then add bundle files or sync it from the Otesse API (set the API URL
          and token in Settings).
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Tenant</th>
                <th scope="col">Time zone</th>
                <th scope="col">Plan</th>
                <th scope="col" className="num">
                  Entries
                </th>
                <th scope="col">Period</th>
                <th scope="col">Last sync</th>
                <th scope="col">Verification</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {workspaces.map((w) => (
                <WorkspaceRow
                  key={w.id}
                  workspace={w}
                  onOpen={() => props.onOpen(w.id)}
                  onRename={() => setRenaming(w)}
                  onDelete={() => setDeleting(w)}
                  onImport={(files) => importInto(w.id, files)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="inline-form" onSubmit={(e) => void create(e)}>
        <label>
          New workspace
          <input
            id="new-workspace-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. Acme Cleaning – SOC 2 2026"
            required
          />
        </label>
        <button type="submit" className="primary">
          Create
        </button>
      </form>
      {renaming ? <RenameDialog workspace={renaming} onClose={() => setRenaming(null)} /> : null}
      {deleting ? <DeleteDialog workspace={deleting} onClose={() => setDeleting(null)} /> : null}
    </main>
  );
}
