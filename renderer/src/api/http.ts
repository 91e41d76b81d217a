// The AuditApi over browser mode's HTTP protocol (shared/api/http.ts). The token arrives once in the
// page's fragment (`#token=…`), is kept in sessionStorage (this tab only) and the fragment is removed
// from the address bar at once, so it is never bookmarked, shared or sent as a Referer.
import type {
  ApiMethod,
  ApiRequest,
  ApiResponses,
  ApiResult,
  AuditApi,
  FileRef,
  JobEvent,
} from '../../../shared/api';
import {
  API_CALL_PATH,
  API_EVENTS_PATH,
  API_UPLOAD_PATH,
  TOKEN_FRAGMENT_KEY,
} from '../../../shared/api/http';

const STORAGE_KEY = 'audit-desk.token';

/** Reads the token from the fragment (then removes it) or from this tab's session storage. */
export function takeToken(): string | null {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromHash = fragment.get(TOKEN_FRAGMENT_KEY);
  if (fromHash) {
    sessionStorage.setItem(STORAGE_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(STORAGE_KEY);
}

function failure<T>(message: string): ApiResult<T> {
  return { ok: false, error: { code: 'runtime', message } };
}

async function readResult<T>(response: Response): Promise<ApiResult<T>> {
  if (response.status === 401)
    return failure(
      'The server refused this page: open the address printed by `audit-desk serve` again.',
    );
  if (response.status === 404)
    return failure('The server does not know this operation (update the app).');
  if (response.status === 413) return failure('The request or file is too large for the server.');
  try {
    return (await response.json()) as ApiResult<T>;
  } catch {
    return failure(`The server answered ${response.status} without a readable result.`);
  }
}

/** Splits an event-stream body into `data:` payloads (blocks end with a blank line). */
export function parseEventBlocks(buffer: string): { events: string[]; rest: string } {
  const events: string[] = [];
  let rest = buffer;
  for (;;) {
    const end = rest.search(/\r?\n\r?\n/);
    if (end < 0) break;
    const block = rest.slice(0, end);
    rest = rest.slice(end).replace(/^\r?\n\r?\n/, '');
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data) events.push(data);
  }
  return { events, rest };
}

export class HttpAuditApi implements AuditApi {
  private readonly listeners = new Set<(event: JobEvent) => void>();
  private stream: AbortController | null = null;

  constructor(private readonly token: string) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, ...extra };
  }

  async call<M extends ApiMethod>(
    method: M,
    request: ApiRequest<M>,
  ): Promise<ApiResult<ApiResponses[M]>> {
    try {
      const response = await fetch(`${API_CALL_PATH}${method}`, {
        method: 'POST',
        headers: this.headers({ 'content-type': 'application/json' }),
        body: JSON.stringify(request),
      });
      return await readResult<ApiResponses[M]>(response);
    } catch {
      return failure(
        'The Audit Desk server is not reachable: is `audit-desk serve` still running?',
      );
    }
  }

  async upload(name: string, data: Blob): Promise<ApiResult<FileRef>> {
    try {
      const response = await fetch(`${API_UPLOAD_PATH}?name=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: this.headers({ 'content-type': 'application/octet-stream' }),
        body: data,
      });
      return await readResult<FileRef>(response);
    } catch {
      return failure(`Could not send ${name} to the Audit Desk server.`);
    }
  }

  subscribe(listener: (event: JobEvent) => void): () => void {
    this.listeners.add(listener);
    if (!this.stream) this.openStream();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.stream?.abort();
        this.stream = null;
      }
    };
  }

  /** Reads the event stream with fetch (EventSource cannot send the header); reconnects after 1 s. */
  private openStream(): void {
    const controller = new AbortController();
    this.stream = controller;
    const run = async () => {
      while (!controller.signal.aborted) {
        try {
          const response = await fetch(API_EVENTS_PATH, {
            headers: this.headers({ accept: 'text/event-stream' }),
            signal: controller.signal,
          });
          if (!response.ok || !response.body) throw new Error(String(response.status));
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const parsed = parseEventBlocks(buffer + value);
            buffer = parsed.rest;
            for (const data of parsed.events) this.emit(data);
          }
        } catch {
          // Aborted, or the connection dropped: retry below unless unsubscribed.
        }
        if (!controller.signal.aborted) await new Promise((r) => setTimeout(r, 1000));
      }
    };
    void run();
  }

  private emit(data: string): void {
    let event: JobEvent;
    try {
      event = JSON.parse(data) as JobEvent;
    } catch {
      return;
    }
    for (const listener of this.listeners) listener(event);
  }
}
