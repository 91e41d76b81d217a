// Native open/save dialogs behind the two desktop-only AuditApi methods (pickFiles,
// pickSaveLocation; the app service calls them through its `Dialogs`). The chosen paths stay in the
// main process: the page receives `picked` tokens. Browser mode has no dialogs (`unsupported`).
import type { BrowserWindow, Dialog, FileFilter } from 'electron';
import type { Destination, FileRef } from '../shared/api';

export const BUNDLE_EXTENSION = 'otbundle';

type OpenPurpose = 'bundles' | 'pack' | 'annotations';
type SavePurpose = 'pack' | 'annotations';

const OPEN_FILTERS: Record<OpenPurpose, FileFilter[]> = {
  bundles: [{ name: 'Otesse log bundles', extensions: [BUNDLE_EXTENSION] }],
  pack: [{ name: 'Evidence packs', extensions: ['zip'] }],
  annotations: [{ name: 'Annotations', extensions: ['json'] }],
};

const SAVE_FILTERS: Record<SavePurpose, FileFilter[]> = {
  pack: [{ name: 'Evidence pack', extensions: ['zip'] }],
  annotations: [{ name: 'Annotations', extensions: ['json'] }],
};

/** Keeps only a plain file name from the page's suggestion (no folders, no control characters). */
export function safeSuggestedName(suggested: string): string {
  const base = (suggested.split(/[\\/]/).pop() ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return base === '.' || base === '..' ? '' : base.slice(0, 200);
}

export interface DesktopDialogsOptions {
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>;
  /** The parent window (dialogs are modal to it), null before it exists. */
  window: () => BrowserWindow | null;
  /** Registers an opened file; answers its token (the app service's FileRefs.addPicked). */
  addPicked: (path: string) => string;
  /** Registers a save location; answers its token (FileRefs.addSaveTarget): write-only. */
  addSaveTarget: (path: string) => string;
  /** Called with the bundle paths the user opened (OS recent documents). */
  onBundlesOpened?: (paths: string[]) => void;
}

/** Implements the app service's `Dialogs` (electron/core/app/context.ts). */
export function desktopDialogs(options: DesktopDialogsOptions) {
  const { dialog, addPicked, addSaveTarget } = options;

  return {
    async pickFiles(purpose: OpenPurpose): Promise<FileRef[]> {
      const window = options.window();
      const dialogOptions: Electron.OpenDialogOptions = {
        title: purpose === 'bundles' ? 'Open Bundles' : 'Open File',
        properties: purpose === 'bundles' ? ['openFile', 'multiSelections'] : ['openFile'],
        filters: OPEN_FILTERS[purpose],
      };
      const result = window
        ? await dialog.showOpenDialog(window, dialogOptions)
        : await dialog.showOpenDialog(dialogOptions);
      if (result.canceled) return [];
      if (purpose === 'bundles') options.onBundlesOpened?.(result.filePaths);
      return result.filePaths.map((path): FileRef => ({ kind: 'picked', token: addPicked(path) }));
    },

    async pickSaveLocation(
      purpose: SavePurpose,
      suggestedName: string,
    ): Promise<Destination | null> {
      const window = options.window();
      const dialogOptions: Electron.SaveDialogOptions = {
        title: purpose === 'pack' ? 'Save Evidence Pack' : 'Save Annotations',
        defaultPath: safeSuggestedName(suggestedName),
        filters: SAVE_FILTERS[purpose],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const result = window
        ? await dialog.showSaveDialog(window, dialogOptions)
        : await dialog.showSaveDialog(dialogOptions);
      if (result.canceled || !result.filePath) return null;
      return { kind: 'picked', token: addSaveTarget(result.filePath) };
    },
  };
}
