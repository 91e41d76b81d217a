// The app service: the AuditApi implemented over the core, for both faces. The desktop shell
// (electron/ipc.ts) and the browser-mode server (electron/server/) each create one and pass every
// call through `dispatch`, which validates it with the shared schemas first.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { ApiResult, JobEvent } from '../../../shared/api';
import type { Reviewer } from '../review/reviewer';
import { openSettingsStore, type SettingsStore } from '../settings';
import { MemoryTokenVault, type AppContext, type Dialogs, type TokenVault } from './context';
import { ensureDemoWorkspace, type DemoPolicy } from './demo';
import { dispatch, type Handlers } from './dispatch';
import { FileRefs, noDownloads, type DownloadOffer } from './files';
import { appHandlers } from './handlers/app';
import { exportHandlers } from './handlers/export';
import { jobHandlers } from './handlers/jobs';
import { reviewHandlers } from './handlers/review';
import { searchHandlers } from './handlers/search';
import { workspaceHandlers } from './handlers/workspaces';
import { JobManager } from './jobs';
import { WorkspaceRegistry } from './registry';
import { ActionLog } from './review-log';
import { Vocabularies } from './vocabulary';
import { FacetColumnsHolder } from './facet-columns';

export interface AppServiceOptions {
  home: string;
  mode: 'desktop' | 'browser';
  version?: string;
  /** Default: conf in `<home>` (browser mode, CLI). The desktop passes its electron-store. */
  settings?: SettingsStore;
  /** Default: memory only, seeded from $OTESSE_API_TOKEN. */
  tokens?: TokenVault;
  downloads?: DownloadOffer;
  dialogs?: Dialogs | null;
  files?: FileRefs;
  /** Whether to create the demo workspace (default: on a first run without workspaces). */
  demo?: DemoPolicy;
  demoDir?: string;
  /** Where internal errors are reported (never to the caller); default: one line on stderr. */
  onInternalError?: (method: string, error: unknown) => void;
  progressIntervalMs?: number;
  /** How long a search's text must stay unchanged before it is recorded (review-log.ts). */
  searchSettleMs?: number;
}

export interface AppService {
  context: AppContext;
  handlers: Handlers;
  /** Each open workspace's facet columns (tests and benchmarks wait for them to be read). */
  facetColumns: FacetColumnsHolder;
  call(method: string, request: unknown): Promise<ApiResult<unknown>>;
  subscribe(listener: (event: JobEvent) => void): () => void;
  close(): Promise<void>;
}

export const PACKAGE_VERSION: string = (() => {
  try {
    const url = new URL('../../../package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

export async function createAppService(options: AppServiceOptions): Promise<AppService> {
  const registry = new WorkspaceRegistry(options.home);
  await ensureDemoWorkspace(registry, options.demo ?? 'first-run', options.demoDir);
  const settings = options.settings ?? openSettingsStore({ cwd: registry.home });
  const tokens = options.tokens ?? new MemoryTokenVault();
  const secrets = () => {
    const token = tokens.get();
    return token === null ? [] : [token];
  };
  const jobs = new JobManager({ progressIntervalMs: options.progressIntervalMs, secrets });
  const context: AppContext = {
    mode: options.mode,
    version: options.version ?? PACKAGE_VERSION,
    registry,
    settings,
    tokens,
    files: options.files ?? new FileRefs(),
    downloads: options.downloads ?? noDownloads,
    jobs,
    dialogs: options.dialogs ?? null,
    reviewer: () => reviewerOf(settings),
  };
  const log = new ActionLog(() => context, options.searchSettleMs);
  // A settled search is written before the workspace's connection closes (delete, shutdown).
  registry.onClose((id) => log.flush(id));
  const vocabularies = new Vocabularies(context);
  const facetColumns = new FacetColumnsHolder(context);
  const handlers: Handlers = {
    ...appHandlers(context),
    ...workspaceHandlers(context, log),
    ...searchHandlers(context, log, vocabularies, facetColumns),
    ...jobHandlers(context, log, (id) => {
      vocabularies.refresh(id);
      facetColumns.refresh(id);
    }),
    ...reviewHandlers(context, log),
    ...exportHandlers(context, log),
  };
  const onInternalError =
    options.onInternalError ??
    ((method: string, error: unknown) => {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      let line = text.replace(/\s+/g, ' ').slice(0, 500);
      for (const secret of secrets()) line = line.split(secret).join('[redacted]');
      process.stderr.write(`audit-desk: internal error in ${method}: ${line}\n`);
    });
  return {
    context,
    handlers,
    facetColumns,
    call: (method, request) => dispatch(handlers, method, request, { secrets, onInternalError }),
    subscribe: (listener) => jobs.subscribe(listener),
    async close() {
      await jobs.close();
      log.flushAll();
      registry.close();
      context.files.close();
    },
  };
}

function reviewerOf(settings: SettingsStore): Reviewer {
  const { name, email } = settings.get().reviewer;
  if (name.trim() !== '') return { name: name.trim(), email: email.trim() || null };
  try {
    return { name: userInfo().username || 'unknown reviewer', email: null };
  } catch {
    return { name: 'unknown reviewer', email: null };
  }
}
