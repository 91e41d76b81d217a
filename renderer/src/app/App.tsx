// The app shell: loads app info, settings and workspaces, applies the theme, and switches screens.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppInfo, AuditApi, FileRef, Settings, WorkspaceSummary } from '../../../shared/api';
import type { SettingsPatch } from '../../../shared/settings';
import { ApiContext } from '../api/context';
import { onMenuCommand } from '../api/menu-commands';
import { chooseApi } from '../api/transport';
import { ErrorLine } from '../components/Messages';
import { LogView, type ViewCommand } from '../features/logs/LogView';
import { ReviewScreen } from '../features/review/ReviewScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { JobsPanel } from '../features/sync/JobsPanel';
import { WorkspacesScreen } from '../features/workspaces/WorkspacesScreen';
import { AppContext, type AppState } from './app-context';
import { useJobs } from './use-jobs';

export type Route =
  | { screen: 'workspaces' }
  | { screen: 'settings' }
  | { screen: 'log'; workspaceId: string; query?: string }
  | { screen: 'review'; workspaceId: string };

const api = chooseApi();

export function App() {
  if (!api) return <NoToken />;
  return <Connected api={api} />;
}

function NoToken() {
  return (
    <main className="center-page">
      <h1>Audit Desk</h1>
      <p>
        This page was opened without its access token. Open the full address that{' '}
        <code>audit-desk serve</code> (or <code>npm start</code>) printed, including the part after
        <code>#</code>.
      </p>
    </main>
  );
}

function useTheme(theme: Settings['theme'] | undefined) {
  useEffect(() => {
    document.documentElement.dataset.theme = theme ?? 'system';
  }, [theme]);
}

function Connected({ api }: { api: AuditApi }) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [workspaces, setWorkspaces] = useState<WorkspaceSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [route, setRoute] = useState<Route>({ screen: 'workspaces' });
  // A command for the open screen (export, find, columns), numbered so a repeat is seen as new.
  const [viewCommand, setViewCommand] = useState<{ name: ViewCommand; n: number } | null>(null);
  // Bundle files handed over by the OS while no workspace was open: the user picks one for them.
  const [pendingFiles, setPendingFiles] = useState<FileRef[]>([]);
  const { jobs, dismissJob, dataVersion } = useJobs(api);
  useTheme(settings?.theme);

  const refreshInfo = useCallback(async () => {
    const r = await api.call('appInfo', {});
    if (r.ok) setInfo(r.value);
    else setError(r.error.message);
  }, [api]);
  const refreshWorkspaces = useCallback(async () => {
    const r = await api.call('listWorkspaces', {});
    if (r.ok) setWorkspaces(r.value);
    else setError(r.error.message);
  }, [api]);
  const updateSettings = useCallback(
    async (patch: SettingsPatch) => {
      const r = await api.call('updateSettings', patch);
      if (!r.ok) return r.error.message;
      setSettings(r.value);
      return null;
    },
    [api],
  );

  useEffect(() => {
    void api.call('appInfo', {}).then((r) => (r.ok ? setInfo(r.value) : setError(r.error.message)));
    void api.call('getSettings', {}).then((r) => {
      if (r.ok) setSettings(r.value);
      else setError(r.error.message);
    });
  }, [api]);

  // Loaded at start, and again when finished imports and syncs change counts, periods and states.
  const versionSum = Object.values(dataVersion).reduce((a, b) => a + b, 0);
  useEffect(() => {
    void api
      .call('listWorkspaces', {})
      .then((r) => (r.ok ? setWorkspaces(r.value) : setError(r.error.message)));
  }, [api, versionSum]);

  const routeRef = useRef(route);
  useEffect(() => {
    routeRef.current = route;
  }, [route]);
  useEffect(
    () =>
      onMenuCommand((command) => {
        const current = routeRef.current;
        const workspaceId =
          current.screen === 'log' || current.screen === 'review' ? current.workspaceId : null;
        const toView = (name: ViewCommand) => {
          if (workspaceId) {
            setRoute({ screen: 'log', workspaceId });
            setViewCommand((c) => ({ name, n: (c?.n ?? 0) + 1 }));
          }
        };
        switch (command.command) {
          case 'open-bundle':
            void api.call('pickFiles', { purpose: 'bundles' }).then((r) => {
              if (!r.ok || r.value.length === 0) return;
              if (workspaceId) void api.call('importBundles', { workspaceId, files: r.value });
              else {
                setPendingFiles(r.value);
                setRoute({ screen: 'workspaces' });
              }
            });
            return;
          case 'open-files':
            if (workspaceId) void api.call('importBundles', { workspaceId, files: command.files });
            else {
              setPendingFiles(command.files);
              setRoute({ screen: 'workspaces' });
            }
            return;
          case 'new-workspace':
            setRoute({ screen: 'workspaces' });
            window.setTimeout(() => document.getElementById('new-workspace-name')?.focus(), 50);
            return;
          case 'open-workspace':
            setRoute(
              command.workspaceId
                ? { screen: 'log', workspaceId: command.workspaceId }
                : { screen: 'workspaces' },
            );
            return;
          case 'export':
          case 'find':
          case 'choose-columns':
            toView(command.command);
            return;
          case 'set-theme':
            void updateSettings({ theme: command.theme });
            return;
          case 'set-time-display':
            void updateSettings({ timeDisplay: command.timeDisplay });
            return;
          case 'open-settings':
            setRoute({ screen: 'settings' });
            return;
        }
      }),
    [api, updateSettings],
  );

  const state = useMemo<AppState | null>(
    () =>
      info && settings
        ? {
            info,
            settings,
            updateSettings,
            refreshInfo,
            workspaces,
            refreshWorkspaces,
            jobs,
            dismissJob,
            dataVersion,
          }
        : null,
    [
      info,
      settings,
      updateSettings,
      refreshInfo,
      workspaces,
      refreshWorkspaces,
      jobs,
      dismissJob,
      dataVersion,
    ],
  );

  if (!state)
    return (
      <main className="center-page" aria-busy={!error}>
        <h1>Audit Desk</h1>
        {error ? <ErrorLine error={error} /> : <p>Loading…</p>}
      </main>
    );

  const current =
    route.screen === 'log' || route.screen === 'review'
      ? workspaces.find((w) => w.id === route.workspaceId)
      : undefined;

  return (
    <ApiContext.Provider value={api}>
      <AppContext.Provider value={state}>
        <div className="app">
          <header className="topbar">
            <span className="brand">Audit Desk</span>
            <nav aria-label="Screens" className="topnav">
              <button
                type="button"
                aria-current={route.screen === 'workspaces' ? 'page' : undefined}
                onClick={() => setRoute({ screen: 'workspaces' })}
              >
                Workspaces
              </button>
              {current ? (
                <>
                  <span className="crumb" title={current.name}>
                    {current.name}
                    {current.isDemo ? <span className="badge badge-demo">demo key</span> : null}
                  </span>
                  <button
                    type="button"
                    aria-current={route.screen === 'log' ? 'page' : undefined}
                    onClick={() => setRoute({ screen: 'log', workspaceId: current.id })}
                  >
                    Log
                  </button>
                  <button
                    type="button"
                    aria-current={route.screen === 'review' ? 'page' : undefined}
                    onClick={() => setRoute({ screen: 'review', workspaceId: current.id })}
                  >
                    Review
                  </button>
                </>
              ) : null}
              <button
                type="button"
                aria-current={route.screen === 'settings' ? 'page' : undefined}
                onClick={() => setRoute({ screen: 'settings' })}
              >
                Settings
              </button>
            </nav>
            <span className="mode" title="Where this window's data lives">
              {info?.mode === 'browser' ? 'browser mode · 127.0.0.1' : 'desktop'}
            </span>
          </header>
          {error ? <ErrorLine error={error} /> : null}
          <div className="screen">
            {route.screen === 'workspaces' ? (
              <WorkspacesScreen
                onOpen={(id) => setRoute({ screen: 'log', workspaceId: id })}
                pendingFiles={pendingFiles}
                onPendingDone={() => setPendingFiles([])}
              />
            ) : route.screen === 'settings' ? (
              <SettingsScreen />
            ) : current ? (
              route.screen === 'log' ? (
                <LogView
                  key={current.id}
                  workspace={current}
                  initialQuery={route.query ?? ''}
                  command={viewCommand}
                />
              ) : (
                <ReviewScreen
                  workspace={current}
                  onShowQuery={(query) =>
                    setRoute({ screen: 'log', workspaceId: current.id, query })
                  }
                />
              )
            ) : (
              <p className="notice" role="status">
                This workspace no longer exists.
              </p>
            )}
          </div>
          <JobsPanel />
        </div>
      </AppContext.Provider>
    </ApiContext.Provider>
  );
}
