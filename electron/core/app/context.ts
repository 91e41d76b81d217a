// Everything the handlers need, passed in by the face that runs them: the desktop shell (electron/
// ipc.ts) and the browser-mode server (electron/server/) build one each with their own settings
// store, token vault, dialogs and download mechanism.
import type { Destination, FileRef } from '../../../shared/api';
import type { Reviewer } from '../review/reviewer';
import type { SettingsStore } from '../settings';
import type { DownloadOffer, FileRefs } from './files';
import type { JobManager } from './jobs';
import type { WorkspaceRegistry } from './registry';

/** Where the Otesse API token lives: memory (browser mode, CLI) or the OS secret store (desktop). */
export interface TokenVault {
  has(): boolean;
  /** The token for a sync; never returned by any API method. */
  get(): string | null;
  set(token: string, options: { allowWeakStorage: boolean }): void;
  clear(): void;
  /** Whether the token is kept where nobody else can read it (memory, a real OS secret store). */
  readonly secure: boolean;
}

/** Desktop only: native dialogs; browser mode has none. */
export interface Dialogs {
  pickFiles(purpose: 'bundles' | 'pack' | 'annotations'): Promise<FileRef[]>;
  pickSaveLocation(
    purpose: 'pack' | 'annotations',
    suggestedName: string,
  ): Promise<Destination | null>;
}

export interface AppContext {
  mode: 'desktop' | 'browser';
  version: string;
  registry: WorkspaceRegistry;
  settings: SettingsStore;
  tokens: TokenVault;
  files: FileRefs;
  downloads: DownloadOffer;
  jobs: JobManager;
  dialogs: Dialogs | null;
  /** The reviewer recorded in the review log (settings, else the OS user). */
  reviewer(): Reviewer;
}

/** The browser mode's and CLI's vault: memory only, for this run; seeded from $OTESSE_API_TOKEN. */
export class MemoryTokenVault implements TokenVault {
  readonly secure = true;
  private token: string | null;

  constructor(initial: string | undefined = process.env['OTESSE_API_TOKEN']) {
    this.token = initial?.trim() ? initial.trim() : null;
  }

  has(): boolean {
    return this.token !== null;
  }

  get(): string | null {
    return this.token;
  }

  set(token: string): void {
    this.token = token.trim() || null;
  }

  clear(): void {
    this.token = null;
  }
}
