// The app service (AuditApi over the core) for the desktop shell and the browser-mode server.
export {
  createAppService,
  PACKAGE_VERSION,
  type AppService,
  type AppServiceOptions,
} from './service';
export {
  dispatch,
  isApiMethod,
  type Handlers,
  type Handler,
  type DispatchOptions,
} from './dispatch';
export { MemoryTokenVault, type AppContext, type Dialogs, type TokenVault } from './context';
export {
  FileRefs,
  noDownloads,
  safeDisplayName,
  type DownloadOffer,
  type KnownFile,
} from './files';
export { JobManager, type JobContext, type JobSpec } from './jobs';
export { WorkspaceRegistry, type RegistryEntry } from './registry';
export { ensureDemoWorkspace, DEMO_DIR, DEMO_KEY_ID, type DemoPolicy } from './demo';
export { defaultHome, HOME_ENV } from './home';
export { ApiFailure, toApiError, cleanMessage } from './errors';
