// The log view: query bar, quick filters and facets, timeline and coverage, the virtualized table
// and the detail pane. The query text is the one source of truth: every filter edits it.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { WorkspaceSummary } from '../../../../shared/api';
import { describeQuery, parseQuery, type QueryError } from '../../../../shared/query';
import type { TimeDisplay } from '../../../../shared/settings';
import { TIME_DISPLAYS } from '../../app/constants';
import { useApi } from '../../api/context';
import { useAppState } from '../../app/app-context';
import { EmptyState, ErrorLine } from '../../components/Messages';
import { formatCount } from '../../components/Progress';
import { DetailPane } from '../detail/DetailPane';
import { ExportDialog } from '../export/ExportDialog';
import { FacetsPanel } from '../filters/FacetsPanel';
import { dayRange, setDates, toggleTerm as toggle } from '../filters/query-edit';
import { QueryBar } from '../filters/QueryBar';
import { QuickFilters } from '../filters/QuickFilters';
import { BulkMarkDialog } from '../review/BulkMarkDialog';
import { SampleDialog } from '../review/SampleDialog';
import { CoverageMap } from '../timeline/CoverageMap';
import { Histogram } from '../timeline/Histogram';
import { droppedFiles, importFiles } from '../workspaces/import-files';
import { ColumnsDialog } from './ColumnsMenu';
import { LogTable } from './LogTable';
import { displayZone } from './time';
import { useSearchRows } from './use-search-rows';

const TIME_LABEL: Record<TimeDisplay, string> = {
  business: 'Business',
  utc: 'UTC',
  local: 'Local',
};
// Searches start at once (a zero timeout only coalesces changes made in one task, such as a paste);
// facets and the timeline follow the rows (they ask for the query the table shows), so they never
// delay the table.
const DEBOUNCE_MS = 0;

type DialogName = 'columns' | 'export' | 'mark' | 'sample' | null;

/** What the desktop menu can ask of the log view. */
export type ViewCommand = 'export' | 'find' | 'choose-columns';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    target.closest('dialog') !== null
  );
}

export function LogView(props: {
  workspace: WorkspaceSummary;
  initialQuery: string;
  command?: { name: ViewCommand; n: number } | null;
}) {
  const api = useApi();
  const { settings, updateSettings, dataVersion } = useAppState();
  const ws = props.workspace;
  const businessZone = ws.tenant?.timeZone ?? 'UTC';
  const zone = displayZone(settings.timeDisplay, businessZone);
  const version = dataVersion[ws.id] ?? 0;

  const [text, setText] = useState(props.initialQuery);
  const [query, setQuery] = useState(props.initialQuery);
  // Bulk marks change which entries a status:/tag: query holds; one annotation only the facets.
  const [bulkVersion, setBulkVersion] = useState(0);
  const [noteVersion, setNoteVersion] = useState(0);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [detailOpen, setDetailOpen] = useState(false);
  const [dialog, setDialog] = useState<DialogName>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [dropping, setDropping] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const timer = useRef<number | undefined>(undefined);

  const parsed = useMemo(() => parseQuery(text), [text]);
  const rows = useSearchRows(ws.id, query, version + bulkVersion);
  const serverError: QueryError | null =
    rows.error?.code === 'bad_query' && rows.query !== text
      ? null
      : rows.error?.code === 'bad_query'
        ? { message: rows.error.message, position: rows.error.position ?? 0, length: 1 }
        : null;
  const queryError = parsed.ok ? serverError : parsed.error;
  const summary = parsed.ok ? describeQuery(parsed.query) : '';

  const edit = useCallback((next: string) => {
    setText(next);
    window.clearTimeout(timer.current);
    if (parseQuery(next).ok) timer.current = window.setTimeout(() => setQuery(next), DEBOUNCE_MS);
  }, []);
  const commitNow = useCallback((next: string) => {
    window.clearTimeout(timer.current);
    setText(next);
    if (parseQuery(next).ok) setQuery(next);
  }, []);

  // Menu commands (desktop): each new command number acts once.
  const seenCommand = useRef(props.command?.n ?? 0);
  useEffect(() => {
    const command = props.command;
    if (!command || command.n === seenCommand.current) return;
    seenCommand.current = command.n;
    if (command.name === 'find') inputRef.current?.focus();
    else queueMicrotask(() => setDialog(command.name === 'export' ? 'export' : 'columns'));
  }, [props.command]);

  // "/" focuses the query bar, from anywhere in the view.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '/' && !isTyping(e.target) && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        inputRef.current?.focus();
        inputRef.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // The selection is an entry id: kept while the rows hold it (or its detail is open), else the
  // first row.
  const firstId = rows.entries[0]?.id ?? null;
  const selectionHeld =
    selectedId !== null && (rows.indexById.has(selectedId) || detailOpen || rows.searching);
  const currentId = selectionHeld ? selectedId : firstId;

  const openDetail = useCallback(() => setDetailOpen(true), []);
  const closeDetail = useCallback(() => setDetailOpen(false), []);

  const sync = async () => {
    const r = await api.call('startSync', { workspaceId: ws.id });
    setActionError(r.ok ? null : r.error.message);
  };
  const fileInput = useRef<HTMLInputElement>(null);
  const addFiles = (files: File[]) => {
    void importFiles(api, ws.id, files).then(setActionError);
  };

  const total = rows.total;
  const empty = !rows.searching && total === 0;
  const pendingCount = rows.searching && rows.query !== query;
  return (
    <main
      className={`log-view${detailOpen && currentId ? ' with-detail' : ''}${dropping ? ' drop-over' : ''}`}
      aria-label={`Log of ${ws.name}`}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDropping(true);
        }
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDropping(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDropping(false);
        addFiles(droppedFiles(e));
      }}
    >
      <a
        href="#log-grid"
        className="skip-link"
        onClick={(e) => {
          e.preventDefault();
          gridRef.current?.focus();
        }}
      >
        Skip to the entries
      </a>
      <div className="log-top">
        <QueryBar
          workspaceId={ws.id}
          text={text}
          error={queryError}
          summary={summary}
          onChange={edit}
          onCommit={() => commitNow(text)}
          onEscape={() => gridRef.current?.focus()}
          inputRef={inputRef}
        />
        <div className="toolbar" role="toolbar" aria-label="Log actions">
          <span className="result-count" aria-live="polite" data-testid="result-count">
            {rows.counting
              ? `At least ${formatCount(rows.entries.length)} entries · counting…`
              : total === null
                ? 'Searching…'
                : pendingCount
                  ? `Counting… (was ${formatCount(total)})`
                  : `${formatCount(total)} ${total === 1 ? 'entry' : 'entries'}`}
            {queryError && total !== null ? (
              <span className="muted small"> for the last valid query</span>
            ) : null}
            {rows.elapsedMs !== null && !pendingCount && !queryError ? (
              <span className="muted small"> · {Math.round(rows.elapsedMs)} ms</span>
            ) : null}
          </span>
          {!rows.typoTolerance ? (
            <span className="muted small" title="The typo-tolerant vocabulary is still loading">
              exact words only (index loading)
            </span>
          ) : null}
          {rows.expansions.some((e) => e.alternatives.length > 0) ? (
            <span className="muted small" data-testid="expansions">
              also matching{' '}
              {rows.expansions
                .filter((e) => e.alternatives.length > 0)
                .map((e) => `${e.alternatives.slice(0, 4).join(', ')} for ${e.word}`)
                .join('; ')}
            </span>
          ) : null}
          <span className="segmented" role="group" aria-label="Time zone of times">
            {TIME_DISPLAYS.map((d) => (
              <button
                key={d}
                type="button"
                aria-pressed={settings.timeDisplay === d}
                onClick={() => void updateSettings({ timeDisplay: d })}
              >
                {TIME_LABEL[d]}
              </button>
            ))}
          </span>
          <button type="button" onClick={() => setDialog('columns')}>
            Columns…
          </button>
          <button type="button" onClick={() => void sync()}>
            Sync now
          </button>
          <button type="button" onClick={() => fileInput.current?.click()}>
            Add bundles…
          </button>
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            aria-label="Bundle files to add"
            onChange={(e) => {
              addFiles([...(e.target.files ?? [])]);
              e.target.value = '';
            }}
          />
          <button type="button" disabled={!total} onClick={() => setDialog('mark')}>
            Mark all…
          </button>
          <button type="button" disabled={!total} onClick={() => setDialog('sample')}>
            Sample…
          </button>
          <button type="button" disabled={!total} onClick={() => setDialog('export')}>
            Export…
          </button>
        </div>
        <ErrorLine error={actionError} />
        <QuickFilters query={text} zone={businessZone} onQuery={commitNow} />
      </div>
      <FacetsPanel
        workspaceId={ws.id}
        query={rows.query}
        version={version + bulkVersion + noteVersion}
        onToggle={(term) => commitNow(toggle(text, term))}
      />
      <section
        className={`log-center${queryError ? ' stale' : ''}`}
        aria-label="Timeline and entries"
        data-rows-query={rows.searching ? undefined : rows.query}
      >
        <Histogram
          workspaceId={ws.id}
          query={rows.query}
          version={version + bulkVersion + noteVersion}
          zone={businessZone}
          onRange={(from, to) => commitNow(setDates(text, dayRange(from, to)))}
        />
        <CoverageMap workspaceId={ws.id} version={version} zone={businessZone} />
        {rows.error && rows.error.code !== 'bad_query' ? <ErrorLine error={rows.error} /> : null}
        {empty ? (
          ws.entryCount === 0 ? (
            <EmptyState title="This workspace has no entries yet">
              Drop bundle files here, use <strong>Add bundles…</strong>, or{' '}
              <strong>Sync now</strong> after setting the Otesse API URL and token in Settings.
            </EmptyState>
          ) : (
            <EmptyState title="No entries match this query">
              Remove a filter (click it again in the facets), widen the dates, or press <kbd>/</kbd>{' '}
              and edit the query. Words match whole words and their beginnings.
            </EmptyState>
          )
        ) : (
          <LogTable
            rows={rows}
            columns={settings.columns}
            zone={zone}
            selectedId={currentId}
            onSelect={setSelectedId}
            onOpen={openDetail}
            onClose={closeDetail}
            gridRef={gridRef}
          />
        )}
      </section>
      {detailOpen && currentId ? (
        <DetailPane
          workspaceId={ws.id}
          entryId={currentId}
          zone={zone}
          businessZone={businessZone}
          version={version}
          onQuery={(q) => commitNow(q)}
          onSaved={() => setNoteVersion((n) => n + 1)}
          onClose={() => {
            setDetailOpen(false);
            gridRef.current?.focus();
          }}
        />
      ) : null}
      {dialog === 'columns' ? <ColumnsDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'export' ? (
        <ExportDialog
          workspace={ws}
          query={query}
          total={total ?? 0}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog === 'mark' ? (
        <BulkMarkDialog
          workspaceId={ws.id}
          query={query}
          total={total ?? 0}
          onClose={() => setDialog(null)}
          onDone={() => setBulkVersion((n) => n + 1)}
        />
      ) : null}
      {dialog === 'sample' ? (
        <SampleDialog
          workspaceId={ws.id}
          query={query}
          total={total ?? 0}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </main>
  );
}
