// The built renderer (out/renderer) as static files. The request path is decoded once and refused if
// any segment could leave the folder (`..`, `.`, hidden names, backslashes, NUL); the resolved file
// must then lie inside the folder after symlinks are followed. Unknown paths without an extension
// get index.html (the app routes itself).
import { createReadStream, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { sendText } from './guard';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The file a URL path names inside `root`, or null when it names none (or tries to escape). */
export function resolveStatic(root: string, urlPath: string): string | null | 'bad' {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return 'bad';
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return 'bad';
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.' || s.startsWith('.') || s.includes(':')))
    return 'bad';
  const realRoot = safeRealpath(root);
  if (realRoot === null) return null;
  const candidate =
    segments.length === 0 ? join(realRoot, 'index.html') : join(realRoot, ...segments);
  const real = safeRealpath(candidate);
  if (real === null || !(real === realRoot || real.startsWith(realRoot + sep))) return null;
  try {
    return statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

function safeRealpath(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

export function serveStatic(
  root: string,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return sendText(response, 405, 'method not allowed');
  }
  const urlPath = new URL(request.url ?? '/', 'http://localhost').pathname;
  let file = resolveStatic(root, urlPath);
  if (file === 'bad') return sendText(response, 400, 'bad path');
  if (file === null && extname(urlPath) === '') file = resolveStatic(root, '/index.html');
  if (file === null || file === 'bad') {
    const missingApp = resolveStatic(root, '/index.html') === null;
    return sendText(
      response,
      404,
      missingApp ? 'the renderer is not built: run npm run build, then start again' : 'not found',
    );
  }
  const size = statSync(file).size;
  response.writeHead(200, {
    'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': size,
    'Cache-Control': 'no-cache',
  });
  if (request.method === 'HEAD') return void response.end();
  createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
}
