// GET over node:http / node:https. Chosen over the global fetch (undici) because a resumable,
// byte-checked download needs the bytes exactly as sent: fetch decodes Content-Encoding on its own
// (so Range offsets and the listed size/sha256 would refer to other bytes than those counted), and
// it reports resets, premature ends and timeouts as a generic "fetch failed"/"terminated" whose
// cause differs between versions. Here the socket's own error codes (ECONNRESET, ECONNREFUSED...)
// decide what is retried, the idle timeout covers headers and body alike, and the body is a Node
// stream written to disk with backpressure. No new dependency.
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { runtimeError } from '../errors';
import { TransientError } from './retry';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
}

export interface HttpGet {
  url: URL;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Overall limit for the whole exchange, headers and body: a server trickling bytes in time to
   * beat the idle timeout is still cut off. */
  deadlineMs?: number;
  signal?: AbortSignal;
}

/** Keep-alive connections, one pool per sync: listing and downloads reuse the same sockets. */
export class HttpPool {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 4 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 4 }),
  };

  get({ url, headers, timeoutMs, deadlineMs, signal }: HttpGet): Promise<HttpResponse> {
    const protocol = url.protocol as 'http:' | 'https:';
    const request = protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = request(url, {
        method: 'GET',
        headers: { 'accept-encoding': 'identity', ...headers },
        agent: this.agents[protocol],
        signal,
      });
      // Idle timeout on the socket: covers a server that never answers and a body that stalls.
      req.setTimeout(timeoutMs, () => {
        req.destroy(Object.assign(new Error(`no data for ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      });
      let response: IncomingMessage | undefined;
      const deadline =
        deadlineMs === undefined
          ? undefined
          : setTimeout(() => {
              const error = Object.assign(new Error(`took longer than ${deadlineMs} ms in all`), {
                code: 'ETIMEDOUT',
              });
              if (response !== undefined && !response.complete) response.destroy(error);
              req.destroy(error);
            }, deadlineMs);
      deadline?.unref();
      const done = () => clearTimeout(deadline);
      req.on('close', () => {
        if (response === undefined) done();
      });
      req.on('response', (body) => {
        response = body;
        body.on('close', done);
        resolve({ status: body.statusCode ?? 0, headers: body.headers, body });
      });
      req.on('error', (error) => reject(describeNetworkError(error, url)));
      req.end();
    });
  }

  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/**
 * A network failure as a one-line error naming the host (never the request headers, which hold
 * the token): transient ones are retried, the rest (bad host name, TLS failures) are not.
 */
export function describeNetworkError(error: unknown, url: URL): Error {
  const { code, name } = error as { code?: string; name?: string };
  if (name === 'AbortError') return error as Error;
  const where = url.host;
  const what =
    code === 'ECONNREFUSED'
      ? `cannot connect to ${where} (connection refused)`
      : code === 'ECONNRESET'
        ? `connection to ${where} was reset`
        : code === 'ETIMEDOUT'
          ? `${where} stopped answering (${(error as Error).message})`
          : code === 'ENOTFOUND'
            ? `cannot resolve host ${url.hostname}`
            : `network error talking to ${where} (${code ?? (error as Error).message})`;
  return code !== undefined && TRANSIENT_CODES.has(code)
    ? new TransientError(what)
    : runtimeError(what);
}

/** Reads a whole (small) body, refusing more than `maxBytes`; a cut body is a transient error. */
export async function readBody(res: HttpResponse, url: URL, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        res.body.destroy();
        throw runtimeError(`response from ${url.host} is larger than ${maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    throw error instanceof TransientError || (error as Error).name === 'AuditDeskError'
      ? error
      : describeNetworkError(error, url);
  }
  if (!res.body.complete) throw new TransientError(`response from ${url.host} was cut short`);
  return Buffer.concat(chunks);
}

export function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
