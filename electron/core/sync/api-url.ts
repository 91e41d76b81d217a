// The API address as given by the user, normalized: it keys the stored cursor (so
// `http://h:1/` and `http://h:1` share one) and is recorded with every synced bundle. The token
// goes in a header only: an address carrying credentials, or plain http to another machine (where
// the bearer token would cross the network in clear), is refused.
import { usageError } from '../errors';

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

export function normalizeApiUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw usageError(`--api must be an http(s) address such as https://api.otesse.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw usageError(`--api must be an http(s) address, not ${url.protocol}`);
  if (url.username !== '' || url.password !== '')
    throw usageError('--api must not carry credentials; the token comes from OTESSE_API_TOKEN');
  if (url.search !== '' || url.hash !== '')
    throw usageError('--api must be the API base address, without a query or fragment');
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname))
    throw usageError(
      `refusing to send the API token in clear over http to ${url.hostname}; use https`,
    );
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** `base` + an API path, e.g. `/v1/audit/keys`. */
export function apiEndpoint(base: string, path: string, query?: Record<string, string>): URL {
  const url = new URL(`${base}${path}`);
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
  return url;
}
