// Who may talk to the browser-mode server: only pages it served itself, reached as 127.0.0.1:PORT or
// localhost:PORT (a DNS-rebinding page arrives with its own Host name and is refused), from its own
// origin, and for the API only with the per-run token.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_SECURITY_POLICY } from '../../shared/api';

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function allowedOrigins(port: number): Set<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
}

/** The refusal, or null when the request may go on (the token is checked separately). */
export function checkHostAndOrigin(
  request: IncomingMessage,
  hosts: Set<string>,
  origins: Set<string>,
  api: boolean,
): string | null {
  const host = request.headers.host?.toLowerCase();
  if (host === undefined || !hosts.has(host)) return 'wrong Host';
  const origin = request.headers.origin;
  if (origin !== undefined && !origins.has(origin.toLowerCase())) return 'foreign Origin';
  // Browsers mark cross-site requests even where Origin is absent (e.g. some GETs): the API answers
  // only its own pages.
  const site = request.headers['sec-fetch-site'];
  if (api && site !== undefined && site !== 'same-origin' && site !== 'none')
    return 'cross-site request';
  return null;
}

export function hasToken(request: IncomingMessage, token: Buffer): boolean {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length).trim(), 'utf8');
  return given.length === token.length && timingSafeEqual(given, token);
}

/** Headers on every response: the desktop's CSP, no sniffing, no referrer, no framing. */
export function setSecurityHeaders(response: ServerResponse): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  response.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), usb=()');
}

export function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  response.end(`${text}\n`);
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  response.end(JSON.stringify(body));
}
