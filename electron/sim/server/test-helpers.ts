// For the simulator server's tests: raw HTTP requests that also report a body cut or a reset
// (fetch hides both behind one TypeError), and a helper to page through the whole listing.
import { request } from 'node:http';
import type { BundlePage } from '../../../shared/otesse-api';
import type { SimServer } from './server';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The connection ended before the body was complete (cut), or was reset before any response. */
  aborted: boolean;
  error: string | null;
}

export function get(
  server: Pick<SimServer, 'url'>,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<RawResponse> {
  return new Promise((resolve) => {
    const req = request(`${server.url}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let aborted = false;
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('aborted', () => (aborted = true));
      res.on('error', () => (aborted = true));
      res.on('close', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          aborted: aborted || !res.complete,
          error: null,
        }),
      );
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({
        status: 0,
        headers: {},
        body: Buffer.alloc(0),
        aborted: true,
        error: error.code ?? error.message,
      }),
    );
    req.end();
  });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function json<T>(response: RawResponse): T {
  return JSON.parse(response.body.toString('utf8')) as T;
}

/** Every page of the listing with the given limit. */
export async function allPages(server: SimServer, limit: number): Promise<BundlePage[]> {
  const pages: BundlePage[] = [];
  let after: string | null = null;
  do {
    const query: string = `?limit=${limit}${after === null ? '' : `&after=${after}`}`;
    const response = await get(server, `/v1/audit/bundles${query}`, bearer(server.token));
    if (response.status !== 200) throw new Error(`listing answered ${response.status}`);
    const page = json<BundlePage>(response);
    pages.push(page);
    after = page.nextCursor;
  } while (after !== null);
  return pages;
}
