// The native menu as plain data (Electron's MenuItemConstructorOptions), built from the platform, the
// current view settings and the recent workspaces: tested in Node without Electron. Items that act on
// the page send a MenuCommand; only About and Docs are handled by main itself. Every item has an id
// (tests and the _electron suite click items by id).
import type { MenuItemConstructorOptions } from 'electron';
import type { Theme, TimeDisplay } from '../shared/settings';
import type { MenuCommand } from './bridge-protocol';

export interface RecentWorkspace {
  id: string;
  name: string;
}

export interface MenuActions {
  send(command: MenuCommand): void;
  openDocs(): void;
  showAbout(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  theme: Theme;
  timeDisplay: TimeDisplay;
  recent: readonly RecentWorkspace[];
  actions: MenuActions;
}

const THEME_LABELS: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };
const TIME_LABELS: Record<TimeDisplay, string> = {
  business: "Tenant's Business Time",
  utc: 'UTC',
  local: 'This Computer’s Time',
};

type Item = MenuItemConstructorOptions;

function fileMenu(o: MenuOptions): Item {
  const { send } = o.actions;
  const recent: Item[] =
    o.recent.length === 0
      ? [{ id: 'file.openRecent.none', label: 'No Recent Workspaces', enabled: false }]
      : o.recent.map((ws, index) => ({
          id: `file.openRecent.${index}`,
          // `&` would become a mnemonic on Windows/Linux.
          label: ws.name.replaceAll('&', '&&'),
          click: () => send({ command: 'open-workspace', workspaceId: ws.id }),
        }));
  const items: Item[] = [
    {
      id: 'file.openBundle',
      label: 'Open Bundle…',
      accelerator: 'CmdOrCtrl+O',
      click: () => send({ command: 'open-bundle' }),
    },
    { type: 'separator' },
    {
      id: 'file.newWorkspace',
      label: 'New Workspace…',
      accelerator: 'CmdOrCtrl+N',
      click: () => send({ command: 'new-workspace' }),
    },
    {
      id: 'file.openWorkspace',
      label: 'Open Workspace…',
      accelerator: 'CmdOrCtrl+Shift+O',
      click: () => send({ command: 'open-workspace' }),
    },
    { id: 'file.openRecent', label: 'Open Recent', submenu: recent },
    { type: 'separator' },
    {
      id: 'file.export',
      label: 'Export Evidence Pack…',
      accelerator: 'CmdOrCtrl+E',
      click: () => send({ command: 'export' }),
    },
  ];
  if (o.platform !== 'darwin') {
    items.push(
      { type: 'separator' },
      {
        id: 'file.settings',
        label: 'Settings…',
        accelerator: 'Ctrl+,',
        click: () => send({ command: 'open-settings' }),
      },
      { type: 'separator' },
      { id: 'file.quit', role: 'quit' },
    );
  } else {
    items.push({ type: 'separator' }, { id: 'file.close', role: 'close' });
  }
  return { id: 'file', label: '&File', submenu: items };
}

function editMenu(o: MenuOptions): Item {
  return {
    id: 'edit',
    label: '&Edit',
    submenu: [
      { id: 'edit.undo', role: 'undo' },
      { id: 'edit.redo', role: 'redo' },
      { type: 'separator' },
      { id: 'edit.cut', role: 'cut' },
      { id: 'edit.copy', role: 'copy' },
      { id: 'edit.paste', role: 'paste' },
      { id: 'edit.selectAll', role: 'selectAll' },
      { type: 'separator' },
      {
        id: 'edit.find',
        label: 'Find in Log',
        accelerator: 'CmdOrCtrl+F',
        click: () => o.actions.send({ command: 'find' }),
      },
    ],
  };
}

function viewMenu(o: MenuOptions): Item {
  const { send } = o.actions;
  const themes = (Object.keys(THEME_LABELS) as Theme[]).map((theme): Item => ({
    id: `view.theme.${theme}`,
    label: THEME_LABELS[theme],
    type: 'radio',
    checked: o.theme === theme,
    click: () => send({ command: 'set-theme', theme }),
  }));
  const times = (Object.keys(TIME_LABELS) as TimeDisplay[]).map((timeDisplay): Item => ({
    id: `view.time.${timeDisplay}`,
    label: TIME_LABELS[timeDisplay],
    type: 'radio',
    checked: o.timeDisplay === timeDisplay,
    click: () => send({ command: 'set-time-display', timeDisplay }),
  }));
  return {
    id: 'view',
    label: '&View',
    submenu: [
      { id: 'view.theme', label: 'Theme', submenu: themes },
      {
        id: 'view.columns',
        label: 'Columns…',
        click: () => send({ command: 'choose-columns' }),
      },
      { id: 'view.timeZone', label: 'Time Zone', submenu: times },
      { type: 'separator' },
      { id: 'view.resetZoom', role: 'resetZoom' },
      { id: 'view.zoomIn', role: 'zoomIn' },
      { id: 'view.zoomOut', role: 'zoomOut' },
      { type: 'separator' },
      { id: 'view.fullscreen', role: 'togglefullscreen' },
    ],
  };
}

function helpMenu(o: MenuOptions): Item {
  const items: Item[] = [
    { id: 'help.docs', label: `${o.appName} Documentation`, click: () => o.actions.openDocs() },
  ];
  if (o.platform !== 'darwin') {
    items.push(
      { type: 'separator' },
      { id: 'help.about', label: `About ${o.appName}`, click: () => o.actions.showAbout() },
    );
  }
  return { id: 'help', label: '&Help', role: 'help', submenu: items };
}

/** macOS: the application menu (About, Settings ⌘, , Hide, Quit ⌘Q) comes first. */
function appMenu(o: MenuOptions): Item {
  return {
    id: 'app',
    label: o.appName,
    submenu: [
      { id: 'help.about', label: `About ${o.appName}`, click: () => o.actions.showAbout() },
      { type: 'separator' },
      {
        id: 'file.settings',
        label: 'Settings…',
        accelerator: 'Cmd+,',
        click: () => o.actions.send({ command: 'open-settings' }),
      },
      { type: 'separator' },
      { id: 'app.services', role: 'services' },
      { type: 'separator' },
      { id: 'app.hide', role: 'hide' },
      { id: 'app.hideOthers', role: 'hideOthers' },
      { id: 'app.unhide', role: 'unhide' },
      { type: 'separator' },
      { id: 'app.quit', role: 'quit' },
    ],
  };
}

export function buildMenuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const menus = [fileMenu(o), editMenu(o), viewMenu(o)];
  if (o.platform === 'darwin') {
    menus.unshift(appMenu(o));
    menus.push({ id: 'window', role: 'windowMenu' });
  }
  menus.push(helpMenu(o));
  return menus;
}

/** Finds an item by id anywhere in a template (tests, and main for enabling items). */
export function findMenuItem(
  template: readonly MenuItemConstructorOptions[],
  id: string,
): MenuItemConstructorOptions | undefined {
  for (const item of template) {
    if (item.id === id) return item;
    if (Array.isArray(item.submenu)) {
      const found = findMenuItem(item.submenu, id);
      if (found) return found;
    }
  }
  return undefined;
}
