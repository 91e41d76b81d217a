// The e2e fixture: a fresh temporary home (AUDIT_DESK_HOME) and a browser-mode server per test,
// started in-process with startBrowserServer, and the page opened at its tokened address.
import { test as base, expect, type Page } from '@playwright/test';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startBrowserServer, type BrowserServer } from '../../electron/server';
import { CHROMIUM } from '../../playwright.config';

// Screenshots of the main screens: into test-results/ on every run (so `npm test` leaves the tree
// clean), into docs/screenshots/ when refreshing the documented ones (E2E_SCREENSHOTS=docs).
export const SCREENSHOTS = resolve(
  process.env.E2E_SCREENSHOTS === 'docs' ? 'docs/screenshots' : 'test-results/screenshots',
);

// Not a bug: Chromium noting that the meta CSP cannot carry frame-ancestors
// (the server's header does).
const IGNORED_CONSOLE = /'frame-ancestors' is ignored/;

export interface AppFixture {
  server: BrowserServer;
  home: string;
  page: Page;
  /** Saves a screenshot of the page as NAME.png (see SCREENSHOTS). */
  shot(name: string): Promise<void>;
}

export const test = base.extend<{ demo: boolean; app: AppFixture }>({
  demo: [true, { option: true }],
  app: async ({ page, demo }, use) => {
    test.skip(!existsSync(CHROMIUM) && !process.env.CI, `Chromium not installed at ${CHROMIUM}`);
    const home = mkdtempSync(join(tmpdir(), 'audit-desk-e2e-'));
    const server = await startBrowserServer({ home, demo });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(server.url);
    await use({
      server,
      home,
      page,
      shot: async (name) => {
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
      },
    });
    await server.close();
    rmSync(home, { recursive: true, force: true });
    // A CSP violation or an uncaught error in the page is a bug even when the test passed.
    expect(errors.filter((e) => !IGNORED_CONSOLE.test(e))).toEqual([]);
  },
});

export { expect };

/** Opens the demo workspace's log view and waits for its rows. */
export async function openDemo(page: Page): Promise<void> {
  await page.getByRole('button', { name: /demo/i }).first().click();
  await expect(page.getByRole('grid', { name: 'Log entries' })).toBeVisible();
  await expect(page.getByRole('row').nth(1)).toHaveAttribute('data-entry-id', /.+/);
}
