// Where a produced file is written: a location picked in a desktop save dialog, or a private temp
// file offered to the browser as a single-use download.
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Destination } from '../../../shared/api';
import type { AppContext } from './context';
import { unsupported } from './errors';
import { safeDisplayName } from './files';

export interface SaveTarget {
  path: string;
  /** The name the user sees (the picked file's, or the download's). */
  name: string;
  /** Call once the file is complete: the download URL in browser mode, null on the desktop. */
  finish(): string | null;
}

export function saveTarget(
  ctx: AppContext,
  destination: Destination,
  suggestedName: string,
): SaveTarget {
  const picked = ctx.files.destination(destination);
  if (picked !== null) return { path: picked.path, name: picked.name, finish: () => null };
  if (!ctx.downloads.available)
    throw unsupported('no browser downloads in the desktop app: choose a save location');
  const name = safeDisplayName(suggestedName);
  const path = join(ctx.files.temp(), `out_${randomBytes(8).toString('hex')}`);
  return { path, name, finish: () => ctx.downloads.offer(path, name) };
}
