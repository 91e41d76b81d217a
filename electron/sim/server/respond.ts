// Writing responses: JSON bodies, error bodies (apiErrorSchema), and bundle bytes from disk, each
// optionally cut after N bytes (the `cut` fault: the connection closes before Content-Length is met).
import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { ApiError, ApiErrorCode } from '../../../shared/otesse-api';

export interface Reply {
  res: ServerResponse;
  /** HEAD: headers only. */
  head: boolean;
  /** The `cut` fault for this request: bytes of a 200/206 body to send before closing. */
  cutAfter: ((length: number) => number) | null;
  /** Called with the number of bytes when a body is cut. */
  onCut?: (sent: number, length: number) => void;
}

type Headers = Record<string, string | number>;

export function sendJson(reply: Reply, status: number, body: unknown, headers: Headers = {}): void {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  reply.res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': bytes.length,
    'cache-control': 'no-store',
    ...headers,
  });
  if (reply.head) {
    reply.res.end();
    return;
  }
  const cut = status < 300 ? cutPoint(reply, bytes.length) : null;
  if (cut === null) {
    reply.res.end(bytes);
    return;
  }
  if (cut > 0) reply.res.write(bytes.subarray(0, cut));
  else reply.res.flushHeaders();
  hangUp(reply.res);
}

export function sendError(
  reply: Reply,
  status: number,
  code: ApiErrorCode,
  message: string,
  headers: Headers = {},
): void {
  const body: ApiError = { error: { code, message } };
  sendJson({ ...reply, cutAfter: null }, status, body, headers);
}

/** Sends bytes [start, end] of a file as the body (headers already set by the caller). */
export function sendFileRange(reply: Reply, path: string, start: number, end: number): void {
  const { res } = reply;
  if (reply.head) {
    res.end();
    return;
  }
  const length = end - start + 1;
  const cut = cutPoint(reply, length);
  if (cut === 0) {
    res.flushHeaders();
    hangUp(res);
    return;
  }
  const stream = createReadStream(path, {
    start,
    end: cut === null ? end : start + cut - 1,
    highWaterMark: 1024 * 1024,
  });
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  if (cut === null) {
    stream.pipe(res);
    return;
  }
  stream.pipe(res, { end: false });
  stream.on('end', () => hangUp(res));
}

function cutPoint(reply: Reply, length: number): number | null {
  if (reply.cutAfter === null || length === 0) return null;
  const cut = reply.cutAfter(length);
  reply.onCut?.(cut, length);
  return cut;
}

/** Closes the connection after what was written so far is flushed, without finishing the response. */
function hangUp(res: ServerResponse): void {
  const socket = res.socket;
  if (socket === null) return;
  socket.end();
  setTimeout(() => socket.destroy(), 2000).unref();
}
