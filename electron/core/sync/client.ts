// The Otesse audit API as the sync uses it (CONTRACTS.md §3, docs/otesse-api.md): every JSON
// answer is validated with the schemas shared with the simulator (shared/otesse-api.ts) before
// use, and every HTTP status is turned into either data, a retry, or a one-line error.
import type { z } from 'zod';
import {
  API_PREFIX,
  apiErrorSchema,
  apiKeysSchema,
  bundlePageSchema,
  type ApiKeys,
  type BundlePage,
} from '../../../shared/otesse-api';
import { formatPath } from '../bundle/untrusted';
import { AuditDeskError, runtimeError } from '../errors';
import { apiEndpoint } from './api-url';
import type { SyncClock } from './clock';
import { header, HttpPool, readBody, type HttpResponse } from './http';
import { TransientError, withRetries, type RetryContext } from './retry';
import { cleanLine, type Redact } from './redact';
import { parseRetryAfter } from './retry-after';

const MAX_JSON_BYTES = 32 * 1024 * 1024;
const MAX_SERVER_MESSAGE = 300;
const MAX_ISSUE_PATH = 120;

export interface ClientOptions {
  apiUrl: string;
  token: string;
  /** Scrubs the token from server text before it is shortened (redact.ts). */
  redact: Redact;
  retry: RetryContext;
}

export type BundleResponse =
  | { kind: 'body'; res: HttpResponse; status: 200 | 206 }
  | { kind: 'archived'; message: string }
  | { kind: 'missing'; message: string }
  | { kind: 'range_not_satisfiable' };

export class OtesseClient {
  private readonly pool = new HttpPool();

  constructor(private readonly options: ClientOptions) {}

  get retry(): RetryContext {
    return this.options.retry;
  }

  /** True when `text` (from the server) contains the token: such text is never stored. */
  mentionsToken(text: string): boolean {
    return text.includes(this.options.token);
  }

  keys(): Promise<ApiKeys> {
    return this.getJson('GET /v1/audit/keys', `${API_PREFIX}/keys`, {}, apiKeysSchema);
  }

  /** A page of descriptors; `cursor_rejected` when the server cannot place `after` (400). */
  async listPage(after: string | null, limit: number): Promise<BundlePage | 'cursor_rejected'> {
    const query: Record<string, string> = { limit: String(limit) };
    if (after !== null) query.after = after;
    try {
      return await this.getJson(
        'GET /v1/audit/bundles',
        `${API_PREFIX}/bundles`,
        query,
        bundlePageSchema,
      );
    } catch (error) {
      if (after !== null && error instanceof BadRequest) return 'cursor_rejected';
      throw error;
    }
  }

  /**
   * One attempt at a bundle's bytes, from `range.offset` when resuming. Not retried here: the
   * download decides how to resume after each failure (download.ts).
   */
  async getBundle(
    id: string,
    range: { offset: number; etag: string } | undefined,
    /** Bytes this attempt asks for: sets its overall deadline (RetryPolicy.minBytesPerSecond). */
    bytes: number,
  ): Promise<BundleResponse> {
    const url = apiEndpoint(this.options.apiUrl, `${API_PREFIX}/bundles/${encodeURIComponent(id)}`);
    const headers: Record<string, string> = {};
    if (range !== undefined) {
      headers.range = `bytes=${range.offset}-`;
      // If the bundle changed since the partial file was started, the server sends it whole (200).
      headers['if-range'] = range.etag;
    }
    const { timeoutMs, minBytesPerSecond } = this.options.retry.policy;
    const res = await this.send(
      url,
      headers,
      timeoutMs + Math.ceil((bytes / minBytesPerSecond) * 1000),
    );
    if (res.status === 200 || res.status === 206) return { kind: 'body', res, status: res.status };
    const text = await this.drain(res, url);
    const redact = this.options.redact;
    if (res.status === 410) return { kind: 'archived', message: serverMessage(text, redact) };
    if (res.status === 404) return { kind: 'missing', message: serverMessage(text, redact) };
    if (res.status === 416) return { kind: 'range_not_satisfiable' };
    throw statusError(res, url, `bundle ${id}`, text, this.clock.now(), redact);
  }

  close(): void {
    this.pool.close();
  }

  private get clock(): SyncClock {
    return this.options.retry.clock;
  }

  private getJson<T>(
    what: string,
    path: string,
    query: Record<string, string>,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const url = apiEndpoint(this.options.apiUrl, path, query);
    return withRetries(
      what,
      async () => {
        const res = await this.send(
          url,
          { accept: 'application/json' },
          this.options.retry.policy.requestDeadlineMs,
        );
        const body = await readBody(res, url, MAX_JSON_BYTES);
        if (res.status !== 200)
          throw statusError(
            res,
            url,
            what,
            body.toString('utf8'),
            this.clock.now(),
            this.options.redact,
          );
        let json: unknown;
        try {
          json = JSON.parse(body.toString('utf8'));
        } catch {
          throw runtimeError(`${what} returned a body that is not JSON`);
        }
        const parsed = schema.safeParse(json);
        if (!parsed.success) {
          // Code and path only: zod's own message can quote server-chosen text (an unexpected
          // key's name), which could hold newlines, escape sequences or megabytes.
          const issue = parsed.error.issues[0];
          const where =
            issue === undefined || issue.path.length === 0 ? 'body' : formatPath(issue.path);
          throw runtimeError(
            `${what} returned an unexpected response (${cleanLine(issue?.code ?? 'invalid', 40)} at ${cleanLine(where, MAX_ISSUE_PATH, this.options.redact)})`,
          );
        }
        return parsed.data;
      },
      this.options.retry,
    );
  }

  private send(
    url: URL,
    headers: Record<string, string>,
    deadlineMs: number,
  ): Promise<HttpResponse> {
    return this.pool.get({
      url,
      headers: { ...headers, authorization: `Bearer ${this.options.token}` },
      timeoutMs: this.options.retry.policy.timeoutMs,
      deadlineMs,
      signal: this.options.retry.signal,
    });
  }

  private async drain(res: HttpResponse, url: URL): Promise<string> {
    try {
      return (await readBody(res, url, 64 * 1024)).toString('utf8');
    } catch {
      return '';
    }
  }
}

/** A 400: for a listing with a stored cursor, the server no longer knows that cursor. */
class BadRequest extends AuditDeskError {
  constructor(message: string) {
    super(message, 'runtime');
  }
}

/** What an error status means for the sync: retry (429, 5xx) or a one-line error. */
export function statusError(
  res: HttpResponse,
  url: URL,
  what: string,
  body: string,
  nowMs: number,
  redact: Redact = (text) => text,
): Error {
  const { status } = res;
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(header(res, 'retry-after'), nowMs);
    const label = status === 429 ? 'rate limited (429)' : `server error ${status}`;
    return new TransientError(`${url.host} answered ${label}`, retryAfterMs);
  }
  if (status === 401)
    return runtimeError(
      `token rejected by the Otesse API at ${url.host} (401): check the API token`,
    );
  if (status === 403)
    return runtimeError(
      `token lacks audit scope (403): the Otesse API at ${url.host} refused it; use a token with the audit scope`,
    );
  if (status === 404)
    return runtimeError(`${what}: not found (404) at ${url.host}; is the API address right?`);
  if (status === 410) return runtimeError(`${what}: gone (410): ${serverMessage(body, redact)}`);
  const detail = serverMessage(body, redact);
  if (status === 400)
    return new BadRequest(
      `${what}: refused as a bad request (400) by ${url.host}${detail === '' ? '' : `: ${detail}`}`,
    );
  return runtimeError(
    `${what}: unexpected HTTP ${status} from ${url.host}${detail === '' ? '' : `: ${detail}`}`,
  );
}

/**
 * The `error.message` of an API error body, on one line and shortened (it is untrusted text), the
 * token scrubbed before the cut so that no part of it survives.
 */
export function serverMessage(body: string, redact: Redact = (text) => text): string {
  let message = '';
  try {
    const parsed = apiErrorSchema.safeParse(JSON.parse(body));
    if (parsed.success) message = parsed.data.error.message;
  } catch {
    message = '';
  }
  return cleanLine(message, MAX_SERVER_MESSAGE, redact);
}
