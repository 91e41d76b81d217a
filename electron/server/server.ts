// Browser mode (shared/api/http.ts): the built renderer and the AuditApi over HTTP on 127.0.0.1
// only, guarded by a random per-run token, Host and Origin checks and the desktop's CSP.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  API_CALL_PATH,
  API_DOWNLOAD_PATH,
  API_EVENTS_PATH,
  API_UPLOAD_PATH,
  fail,
  MAX_CALL_BODY_BYTES,
  MAX_UPLOAD_BYTES,
  ok,
  TOKEN_FRAGMENT_KEY,
} from '../../shared/api';
import { createAppService, isApiMethod, type AppService, type DemoPolicy } from '../core/app';
import { readBody, saveBody, TooLarge } from './body';
import { Downloads } from './downloads';
import { EventStreams } from './events';
import {
  allowedHosts,
  allowedOrigins,
  checkHostAndOrigin,
  hasToken,
  sendJson,
  sendText,
  setSecurityHeaders,
} from './guard';
import { serveStatic } from './static-files';

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

export interface BrowserServerOptions {
  /** The app's home: registry, workspaces, settings. */
  home: string;
  /** 0 or absent: a free port. */
  port?: number;
  rendererDir?: string;
  /** true: make sure the demo workspace exists; false: never create it; absent: on a first run. */
  demo?: boolean;
  /** A workspace folder to register (and create when missing), as `serve --workspace DIR`. */
  workspace?: string;
  /** Largest upload (default MAX_UPLOAD_BYTES); tests lower it. */
  maxUploadBytes?: number;
  progressIntervalMs?: number;
}

export interface BrowserServer {
  /** The address to open: origin plus `#token=...`. */
  url: string;
  token: string;
  origin: string;
  /** The workspace registered from `workspace`, if one was given. */
  workspaceId: string | null;
  service: AppService;
  close(): Promise<void>;
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const demo: DemoPolicy =
    options.demo === undefined ? 'first-run' : options.demo ? 'always' : 'never';
  const downloads = new Downloads();
  const service = await createAppService({
    home: options.home,
    mode: 'browser',
    demo: options.workspace !== undefined && options.demo === undefined ? 'never' : demo,
    downloads,
    progressIntervalMs: options.progressIntervalMs,
  });
  const workspaceId =
    options.workspace === undefined
      ? null
      : service.context.registry.registerExternal(options.workspace).id;
  const token = randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token, 'utf8');
  const events = new EventStreams((listener) => service.subscribe(listener));
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  const maxUpload = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
  let hosts = new Set<string>();
  let origins = new Set<string>();

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    setSecurityHeaders(response);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const api = path.startsWith('/api/') || path === '/api';
    const refusal = checkHostAndOrigin(request, hosts, origins, api);
    if (refusal !== null) return sendText(response, 403, `forbidden: ${refusal}`);
    if (!api) return serveStatic(rendererDir, request, response);
    response.setHeader('Cache-Control', 'no-store');
    if (path.startsWith(API_DOWNLOAD_PATH) && request.method === 'GET')
      return downloads.serve(path.slice(API_DOWNLOAD_PATH.length), response);
    if (!hasToken(request, tokenBytes)) {
      response.setHeader('WWW-Authenticate', 'Bearer');
      return sendText(response, 401, 'missing or wrong token: open the address the server printed');
    }
    if (path === API_EVENTS_PATH && request.method === 'GET')
      return events.attach(request, response);
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST');
      return sendText(response, 405, 'method not allowed');
    }
    if (path.startsWith(API_CALL_PATH))
      return call(path.slice(API_CALL_PATH.length), request, response);
    if (path === API_UPLOAD_PATH) return upload(request, response);
    return sendText(response, 404, 'not found');
  };

  const call = async (method: string, request: IncomingMessage, response: ServerResponse) => {
    if (!isApiMethod(method))
      return sendJson(response, 404, fail('invalid_request', 'unknown method'));
    let body: Buffer;
    try {
      body = await readBody(request, MAX_CALL_BODY_BYTES);
    } catch (error) {
      if (error instanceof TooLarge) {
        // The rest of the body is not read: this connection cannot carry another request.
        response.setHeader('Connection', 'close');
        return sendJson(response, 413, fail('invalid_request', 'request too large'));
      }
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return sendJson(response, 200, fail('invalid_request', 'the request body is not JSON'));
    }
    sendJson(response, 200, await service.call(method, parsed));
  };

  const upload = async (request: IncomingMessage, response: ServerResponse) => {
    const name =
      new URL(request.url ?? '/', 'http://localhost').searchParams.get('name') ?? 'upload';
    const { uploadId, path } = service.context.files.newUploadPath();
    try {
      await saveBody(request, path, maxUpload);
    } catch (error) {
      if (error instanceof TooLarge) {
        response.setHeader('Connection', 'close');
        return sendJson(
          response,
          413,
          fail('invalid_request', `the file is larger than ${maxUpload} bytes`),
        );
      }
      return sendJson(response, 200, fail('runtime', 'the upload was cut off; try again'));
    }
    sendJson(response, 200, ok(service.context.files.addUpload(uploadId, path, name)));
  };

  const server = createServer((request, response) => {
    route(request, response).catch(() => {
      if (!response.headersSent) sendText(response, 500, 'internal error');
      else response.destroy();
    });
  });
  server.requestTimeout = 0; // uploads of large bundles and the event stream last long
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  hosts = allowedHosts(port);
  origins = allowedOrigins(port);
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#${TOKEN_FRAGMENT_KEY}=${token}`,
    token,
    origin,
    workspaceId,
    service,
    async close() {
      events.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await service.close();
      downloads.close();
    },
  };
}
