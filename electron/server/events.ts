// GET /api/events: JobEvents as a text/event-stream (`data: <json>` blocks), read by the page with
// fetch (EventSource cannot send the Authorization header); a keepalive comment every 15 s.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JobEvent } from '../../shared/api';

export const KEEPALIVE_MS = 15_000;

export class EventStreams {
  private readonly open = new Set<ServerResponse>();

  constructor(subscribe: (listener: (event: JobEvent) => void) => () => void) {
    this.unsubscribe = subscribe((event) => this.broadcast(event));
  }

  private readonly unsubscribe: () => void;

  attach(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.write(': connected\n\n');
    this.open.add(response);
    const keepalive = setInterval(() => response.write(': keepalive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    const detach = () => {
      clearInterval(keepalive);
      this.open.delete(response);
    };
    request.on('close', detach);
    response.on('close', detach);
  }

  close(): void {
    this.unsubscribe();
    for (const response of this.open) response.end();
    this.open.clear();
  }

  private broadcast(event: JobEvent): void {
    const block = `data: ${JSON.stringify(event)}\n\n`;
    for (const response of this.open) response.write(block);
  }
}
