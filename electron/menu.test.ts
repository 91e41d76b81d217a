// The native menu template as data: the named items exist on every platform with their shortcuts,
// clicking them sends the right command, and the macOS application menu comes first.
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { MenuCommand } from './bridge-protocol';
import { buildMenuTemplate, findMenuItem, type MenuOptions } from './menu';

function options(overrides: Partial<MenuOptions> = {}) {
  const sent: MenuCommand[] = [];
  const actions = {
    send: (c: MenuCommand) => void sent.push(c),
    openDocs: vi.fn(),
    showAbout: vi.fn(),
  };
  const o: MenuOptions = {
    platform: 'linux',
    appName: 'Audit Desk',
    theme: 'dark',
    timeDisplay: 'utc',
    recent: [
      { id: 'ws_a', name: 'Acme & Co' },
      { id: 'ws_b', name: 'Demo workspace' },
    ],
    actions,
    ...overrides,
  };
  return { o, sent, actions };
}

function click(template: MenuItemConstructorOptions[], id: string): void {
  const item = findMenuItem(template, id);
  if (!item?.click) throw new Error(`no clickable item ${id}`);
  (item.click as () => void)();
}

const NAMED = [
  'file.openBundle',
  'file.newWorkspace',
  'file.openWorkspace',
  'file.openRecent',
  'file.export',
  'file.settings',
  'edit.copy',
  'edit.find',
  'view.theme',
  'view.columns',
  'view.timeZone',
  'help.docs',
  'help.about',
];

describe('buildMenuTemplate', () => {
  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`has the named items on ${platform}`, () => {
      const template = buildMenuTemplate(options({ platform }).o);
      for (const id of NAMED) expect(findMenuItem(template, id), id).toBeDefined();
      expect(findMenuItem(template, 'file.openBundle')?.accelerator).toBe('CmdOrCtrl+O');
      expect(findMenuItem(template, 'file.export')?.accelerator).toBe('CmdOrCtrl+E');
    });
  }

  it('puts the application menu first on macOS only, with Cmd+, for settings', () => {
    const mac = buildMenuTemplate(options({ platform: 'darwin' }).o);
    expect(mac[0]?.id).toBe('app');
    expect(findMenuItem(mac, 'file.settings')?.accelerator).toBe('Cmd+,');
    expect(findMenuItem(mac, 'app.quit')?.role).toBe('quit');
    const linux = buildMenuTemplate(options().o);
    expect(linux.map((m) => m.id)).toEqual(['file', 'edit', 'view', 'help']);
    expect(findMenuItem(linux, 'file.settings')?.accelerator).toBe('Ctrl+,');
    expect(findMenuItem(linux, 'file.quit')?.role).toBe('quit');
  });

  it('sends the page commands for file, view and edit items', () => {
    const { o, sent } = options();
    const template = buildMenuTemplate(o);
    for (const id of [
      'file.openBundle',
      'file.newWorkspace',
      'file.openWorkspace',
      'file.export',
      'edit.find',
      'view.columns',
      'view.theme.light',
      'view.time.local',
      'file.openRecent.1',
    ]) {
      click(template, id);
    }
    expect(sent).toEqual([
      { command: 'open-bundle' },
      { command: 'new-workspace' },
      { command: 'open-workspace' },
      { command: 'export' },
      { command: 'find' },
      { command: 'choose-columns' },
      { command: 'set-theme', theme: 'light' },
      { command: 'set-time-display', timeDisplay: 'local' },
      { command: 'open-workspace', workspaceId: 'ws_b' },
    ]);
  });

  it('handles docs and about in main', () => {
    const { o, actions, sent } = options();
    const template = buildMenuTemplate(o);
    click(template, 'help.docs');
    click(template, 'help.about');
    expect(actions.openDocs).toHaveBeenCalledOnce();
    expect(actions.showAbout).toHaveBeenCalledOnce();
    expect(sent).toEqual([]);
  });

  it('checks the current theme and time display, escapes & in names, and says when no recent', () => {
    const template = buildMenuTemplate(options().o);
    expect(findMenuItem(template, 'view.theme.dark')?.checked).toBe(true);
    expect(findMenuItem(template, 'view.theme.light')?.checked).toBe(false);
    expect(findMenuItem(template, 'view.time.utc')?.checked).toBe(true);
    expect(findMenuItem(template, 'file.openRecent.0')?.label).toBe('Acme && Co');
    const empty = buildMenuTemplate(options({ recent: [] }).o);
    expect(findMenuItem(empty, 'file.openRecent.none')?.enabled).toBe(false);
  });
});
