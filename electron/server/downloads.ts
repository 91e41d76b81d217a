// Produced files (evidence packs, annotation exports) handed to the browser: a random single-use id
// valid for 10 minutes, because a download link cannot carry the Authorization header. The file is
// removed once fetched or expired.
import { randomBytes } from 'node:crypto';
import { createReadStream, rmSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { API_DOWNLOAD_PATH } from '../../shared/api';
import type { DownloadOffer } from '../core/app';
import { safeDisplayName } from '../core/app';
import { sendText } from './guard';

export const DOWNLOAD_TTL_MS = 10 * 60_000;

interface Offered {
  path: string;
  fileName: string;
  expires: number;
}

export class Downloads implements DownloadOffer {
  readonly available = true;
  private readonly offered = new Map<string, Offered>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly ttlMs = DOWNLOAD_TTL_MS) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  offer(path: string, fileName: string): string {
    const id = randomBytes(24).toString('base64url');
    this.offered.set(id, {
      path,
      fileName: safeDisplayName(fileName),
      expires: Date.now() + this.ttlMs,
    });
    return `${API_DOWNLOAD_PATH}${id}`;
  }

  /** Serves and forgets the file: a second request with the same id finds nothing. */
  serve(id: string, response: ServerResponse): void {
    const offered = this.offered.get(id);
    this.offered.delete(id);
    if (offered === undefined || offered.expires < Date.now()) {
      if (offered !== undefined) rmSync(offered.path, { force: true });
      return sendText(response, 404, 'this download link was already used or has expired');
    }
    let size: number;
    try {
      size = statSync(offered.path).size;
    } catch {
      return sendText(response, 404, 'the file is no longer available');
    }
    const ascii = offered.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
    response.writeHead(200, {
      'Content-Type': offered.fileName.endsWith('.zip')
        ? 'application/zip'
        : 'application/octet-stream',
      'Content-Length': size,
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(offered.fileName)}`,
      'Cache-Control': 'no-store',
    });
    createReadStream(offered.path)
      .on('error', () => response.destroy())
      .on('close', () => rmSync(offered.path, { force: true }))
      .pipe(response);
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const offered of this.offered.values()) rmSync(offered.path, { force: true });
    this.offered.clear();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, offered] of this.offered)
      if (offered.expires < now) {
        this.offered.delete(id);
        rmSync(offered.path, { force: true });
      }
  }
}
