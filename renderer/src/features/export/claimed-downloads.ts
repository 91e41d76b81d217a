// Download links of browser mode are single-use. When the export dialog reads a finished pack back
// (to verify it and offer it from memory), it claims the link so the jobs panel stops offering it.
import { useSyncExternalStore } from 'react';

const claimed = new Set<string>();
const listeners = new Set<() => void>();
let version = 0;

export function claimDownload(url: string): void {
  claimed.add(url);
  version++;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether the link was already used by the export dialog (re-renders when that changes). */
export function useClaimed(url: string | null): boolean {
  useSyncExternalStore(subscribe, () => version);
  return url !== null && claimed.has(url);
}
