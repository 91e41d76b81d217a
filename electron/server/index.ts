// Browser mode: the renderer and the AuditApi over HTTP on 127.0.0.1 (docs/browser-mode.md).
export {
  startBrowserServer,
  DEFAULT_RENDERER_DIR,
  type BrowserServer,
  type BrowserServerOptions,
} from './server';
