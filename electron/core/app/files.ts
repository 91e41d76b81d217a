// File references the backend handed out: uploads (browser mode writes the bytes to a private temp
// folder) and picked files (the desktop's open/save dialogs keep the path in the main process and
// hand the renderer a random token). The renderer can only name files through these ids.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Destination, FileRef } from '../../../shared/api';
import { notFound, unsupported } from './errors';

export interface KnownFile {
  path: string;
  /** The name shown to the user (the uploaded or picked file's base name). */
  name: string;
}

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

/** Longest file name kept from an upload (displayed, never used as a path). */
const MAX_NAME = 200;

export function safeDisplayName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const controls = /[\u0000-\u001f\u007f]/g;
  const cleaned = basename(name.replace(/\\/g, '/')).replace(controls, '').trim();
  return (cleaned || 'file').slice(0, MAX_NAME);
}

export class FileRefs {
  private readonly uploads = new Map<string, KnownFile>();
  /** Files picked in an open dialog (or dropped): read, never written. */
  private readonly picked = new Map<string, KnownFile>();
  /** Locations picked in a save dialog: written, never read as input. */
  private readonly saveTargets = new Map<string, KnownFile>();
  private tempDir: string | null = null;

  /** A private folder for uploads and produced files, removed by close(). */
  temp(): string {
    this.tempDir ??= mkdtempSync(join(tmpdir(), 'audit-desk-'));
    return this.tempDir;
  }

  /** A fresh path in the temp folder for an upload; call addUpload once its bytes are written. */
  newUploadPath(): { uploadId: string; path: string } {
    const uploadId = newId('up');
    return { uploadId, path: join(this.temp(), uploadId) };
  }

  addUpload(uploadId: string, path: string, name: string): FileRef {
    this.uploads.set(uploadId, { path, name: safeDisplayName(name) });
    return { kind: 'upload', uploadId };
  }

  /** Desktop: a file the user opened (dialog or drop), as a token the renderer may send back. */
  addPicked(path: string): string {
    const token = newId('pick');
    this.picked.set(token, { path, name: basename(path) });
    return token;
  }

  /**
   * Desktop: a location the user chose in a save dialog. Its token is kept apart from opened
   * files', so a page can never hand an opened bundle back as the place to write over.
   */
  addSaveTarget(path: string): string {
    const token = newId('save');
    this.saveTargets.set(token, { path, name: basename(path) });
    return token;
  }

  resolve(ref: FileRef): KnownFile {
    const found =
      ref.kind === 'upload' ? this.uploads.get(ref.uploadId) : this.picked.get(ref.token);
    if (found === undefined)
      throw notFound('that file is no longer available; open or upload it again');
    return found;
  }

  /** A save location picked in a dialog (desktop), or null for a browser download. */
  destination(destination: Destination): KnownFile | null {
    if (destination.kind === 'download') return null;
    const found = this.saveTargets.get(destination.token);
    if (found === undefined)
      throw notFound('that save location is no longer available; pick it again');
    return found;
  }

  /** Removes an uploaded file once it has been used. */
  releaseUpload(ref: FileRef): void {
    if (ref.kind !== 'upload') return;
    const found = this.uploads.get(ref.uploadId);
    if (found === undefined) return;
    this.uploads.delete(ref.uploadId);
    rmSync(found.path, { force: true });
  }

  close(): void {
    if (this.tempDir !== null) rmSync(this.tempDir, { recursive: true, force: true });
    this.tempDir = null;
    this.uploads.clear();
    this.picked.clear();
    this.saveTargets.clear();
  }
}

/** Where a produced file can be fetched in browser mode; the desktop has none (it saves by dialog). */
export interface DownloadOffer {
  /** False on the desktop: files are saved where a dialog says instead. */
  readonly available: boolean;
  /** A single-use URL (same origin) for the file; the file is removed after download or expiry. */
  offer(path: string, fileName: string): string;
}

export const noDownloads: DownloadOffer = {
  available: false,
  offer() {
    throw unsupported('downloads are only available in browser mode; choose a save location');
  },
};
