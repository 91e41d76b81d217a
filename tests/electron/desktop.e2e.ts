// The desktop app end to end through Playwright's `_electron`: the real main process, preload, IPC
// and app service, with a fresh home and user data per test. Native dialogs are the one thing
// replaced (in the main process, by path), so that "open a bundle" and "export" run the menu's
// code path: menu item → MenuCommand to the page → pickFiles / pickSaveLocation → the job.
// Skips with the reason where no runnable Electron binary exists (offline installs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import type { ApiResult, JobEvent } from '../../shared/api';
import { findElectronBinary } from './electron-binary';

const root = dirname(dirname(import.meta.dirname));
const demoBundles = join(root, 'resources', 'demo', 'bundles');
const availability = findElectronBinary();
if ('skip' in availability) console.warn(`Electron suite skipped: ${availability.skip}`);

interface Launched {
  app: ElectronApplication;
  page: Page;
  dirs: { home: string; userData: string; scratch: string };
}

async function launch(dirs?: Launched['dirs']): Promise<Launched> {
  const binary = 'binary' in availability ? availability.binary : '';
  const base = dirs ?? {
    home: mkdtempSync(join(tmpdir(), 'audit-desk-e2e-home-')),
    userData: mkdtempSync(join(tmpdir(), 'audit-desk-e2e-userdata-')),
    scratch: mkdtempSync(join(tmpdir(), 'audit-desk-e2e-files-')),
  };
  const args = [root];
  // Chromium refuses its sandbox as root (CI containers).
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const app = await _electron.launch({
    executablePath: binary,
    args,
    cwd: root,
    env: {
      ...process.env,
      AUDIT_DESK_HOME: base.home,
      AUDIT_DESK_USER_DATA: base.userData,
      // Bundles opened in the tests are demo bundles: trust the demo key for them.
      AUDIT_DESK_TRUST: join(root, 'resources', 'demo', 'trust.json'),
    },
  });
  const page = await app.firstWindow();
  await page.waitForFunction(() => 'auditDesk' in globalThis);
  return { app, page, dirs: base };
}

function cleanUp(launched: Launched): void {
  for (const dir of Object.values(launched.dirs)) rmSync(dir, { recursive: true, force: true });
}

/** window.auditDesk.api.call in the page (the real preload and IPC). */
function call<T>(page: Page, method: string, request: unknown): Promise<ApiResult<T>> {
  return page.evaluate(
    ([m, r]) =>
      (
        globalThis as unknown as {
          auditDesk: { api: { call(m: string, r: unknown): Promise<unknown> } };
        }
      ).auditDesk.api.call(m as string, r),
    [method, request] as const,
  ) as Promise<ApiResult<T>>;
}

async function value<T>(page: Page, method: string, request: unknown): Promise<T> {
  const result = await call<T>(page, method, request);
  if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Replaces the native dialogs in the main process with fixed answers. */
async function stubDialogs(app: ElectronApplication, open: string[], save: string | null) {
  await app.evaluate(
    ({ dialog }, [openPaths, savePath]) => {
      const d = dialog as unknown as Record<string, unknown>;
      d['showOpenDialog'] = async () => ({ canceled: false, filePaths: openPaths });
      d['showSaveDialog'] = async () =>
        savePath ? { canceled: false, filePath: savePath } : { canceled: true, filePath: '' };
    },
    [open, save] as const,
  );
}

async function clickMenuItem(app: ElectronApplication, id: string): Promise<void> {
  const clicked = await app.evaluate(({ Menu }, itemId) => {
    const item = Menu.getApplicationMenu()?.getMenuItemById(itemId);
    if (!item) return false;
    item.click();
    return true;
  }, id);
  expect(clicked, `menu item ${id}`).toBe(true);
}

/**
 * In the page: on the given menu command, run `steps` (pickFiles/pickSaveLocation then the job) and
 * resolve with the job's final event. This mirrors what the UI does for the command.
 */
function onCommandRunJob(
  page: Page,
  command: 'open-bundle' | 'export',
  job: { workspaceId: string },
): Promise<JobEvent> {
  return page.evaluate(
    ([name, workspaceId]) =>
      new Promise<JobEvent>((resolve, reject) => {
        type Api = {
          call(m: string, r: unknown): Promise<{ ok: boolean; value?: unknown; error?: unknown }>;
          subscribe(l: (e: JobEvent) => void): () => void;
        };
        const desk = (
          globalThis as unknown as {
            auditDesk: { api: Api; onMenuCommand(l: (c: { command: string }) => void): () => void };
          }
        ).auditDesk;
        let jobId: string | null = null;
        const finished = new Map<string, JobEvent>();
        desk.api.subscribe((event) => {
          if (event.state === 'running') return;
          finished.set(event.jobId, event);
          if (event.jobId === jobId) resolve(event);
        });
        const stop = desk.onMenuCommand(async (c) => {
          if (c.command !== name) return;
          stop();
          try {
            let started;
            if (name === 'open-bundle') {
              const files = await desk.api.call('pickFiles', { purpose: 'bundles' });
              if (!files.ok) throw new Error(JSON.stringify(files.error));
              started = await desk.api.call('importBundles', { workspaceId, files: files.value });
            } else {
              const destination = await desk.api.call('pickSaveLocation', {
                purpose: 'pack',
                suggestedName: 'evidence.zip',
              });
              if (!destination.ok || !destination.value) throw new Error('no save location');
              started = await desk.api.call('exportPack', {
                workspaceId,
                selection: { query: '' },
                annotations: false,
                destination: destination.value,
              });
            }
            if (!started.ok) throw new Error(JSON.stringify(started.error));
            jobId = (started.value as { jobId: string }).jobId;
            const done = finished.get(jobId);
            if (done) resolve(done);
          } catch (error) {
            reject(error);
          }
        });
      }),
    [command, job.workspaceId] as const,
  );
}

test.describe('desktop app (Electron)', () => {
  test.skip(
    'skip' in availability,
    `Electron suite skipped: ${'skip' in availability ? availability.skip : ''}`,
  );

  test.beforeAll(() => {
    const build = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(build.status, build.stderr).toBe(0);
  });

  let launched: Launched;
  test.afterEach(async () => {
    await launched?.app.close().catch(() => {});
    if (launched) cleanUp(launched);
  });

  test('first run opens the demo workspace, labelled, in a locked-down page', async () => {
    launched = await launch();
    const { page } = launched;
    const info = await value<{ mode: string; demoWorkspaceId: string | null }>(page, 'appInfo', {});
    expect(info.mode).toBe('desktop');
    expect(info.demoWorkspaceId).not.toBeNull();
    const workspaces = await value<{ id: string; isDemo: boolean; entryCount: number }[]>(
      page,
      'listWorkspaces',
      {},
    );
    const demo = workspaces.find((w) => w.id === info.demoWorkspaceId);
    expect(demo?.isDemo).toBe(true);
    expect(demo?.entryCount).toBeGreaterThan(0);
    await expect(page.getByText(/demo/i).first()).toBeVisible();

    const exposure = await page.evaluate(() => {
      const g = globalThis as unknown as Record<string, unknown>;
      const desk = g['auditDesk'] as Record<string, unknown>;
      return {
        require: typeof g['require'],
        process: typeof g['process'],
        frozen: Object.isFrozen(desk),
        keys: Object.keys(desk).sort(),
      };
    });
    expect(exposure).toEqual({
      require: 'undefined',
      process: 'undefined',
      frozen: true,
      keys: ['api', 'onMenuCommand', 'version'],
    });
    expect(await call(page, 'noSuchMethod', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });

  test('searches the demo workspace', async () => {
    launched = await launch();
    const { page } = launched;
    const { demoWorkspaceId } = await value<{ demoWorkspaceId: string }>(page, 'appInfo', {});
    const all = await value<{ total: number; entries: { action: string }[] }>(page, 'search', {
      workspaceId: demoWorkspaceId,
      query: '',
      limit: 20,
    });
    expect(all.total).toBeGreaterThan(0);
    const action = all.entries[0]?.action ?? '';
    const filtered = await value<{ total: number; entries: { action: string }[] }>(page, 'search', {
      workspaceId: demoWorkspaceId,
      query: `action:${action}`,
      limit: 50,
    });
    expect(filtered.total).toBeGreaterThan(0);
    expect(filtered.total).toBeLessThanOrEqual(all.total);
    expect(filtered.entries.every((e) => e.action === action)).toBe(true);
    expect(
      await call(page, 'search', { workspaceId: demoWorkspaceId, query: 'after:', limit: 5 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad_query' },
    });
  });

  test('opens a bundle through File > Open Bundle', async () => {
    launched = await launch();
    const { app, page } = launched;
    const bundle = readdirSync(demoBundles).find((f) => f.endsWith('.otbundle'));
    expect(bundle).toBeDefined();
    const target = await value<{ id: string }>(page, 'createWorkspace', {
      name: 'Opened from menu',
    });
    await stubDialogs(app, [join(demoBundles, bundle ?? '')], null);
    const done = onCommandRunJob(page, 'open-bundle', { workspaceId: target.id });
    await clickMenuItem(app, 'file.openBundle');
    const event = await done;
    expect(event.state, JSON.stringify(event.error)).toBe('succeeded');
    const after = await value<{ id: string; bundleCount: number; entryCount: number }[]>(
      page,
      'listWorkspaces',
      {},
    );
    expect(after.find((w) => w.id === target.id)?.bundleCount).toBe(1);
  });

  test('exports an evidence pack through File > Export', async () => {
    launched = await launch();
    const { app, page, dirs } = launched;
    const { demoWorkspaceId } = await value<{ demoWorkspaceId: string }>(page, 'appInfo', {});
    const out = join(dirs.scratch, 'evidence.zip');
    await stubDialogs(app, [], out);
    const done = onCommandRunJob(page, 'export', { workspaceId: demoWorkspaceId });
    await clickMenuItem(app, 'file.export');
    const event = await done;
    expect(event.state, JSON.stringify(event.error)).toBe('succeeded');
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  test('remembers the window size and position across runs', async () => {
    launched = await launch();
    await launched.app.evaluate(({ BrowserWindow }) => {
      BrowserWindow.getAllWindows()[0]?.setBounds({ x: 40, y: 60, width: 1000, height: 700 });
    });
    const dirs = launched.dirs;
    await launched.app.close();
    launched = await launch(dirs);
    const bounds = await launched.app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows()[0]?.getBounds(),
    );
    expect(bounds?.width).toBe(1000);
    expect(bounds?.height).toBe(700);
  });
});
