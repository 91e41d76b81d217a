// The desktop app end to end with Playwright's `_electron` (tests/electron/*.e2e.ts). It needs the
// Electron binary, which offline installs do not have: the suite then skips with the reason
// (tests/electron/electron-binary.ts). Browser-mode UI tests are in playwright.config.ts.
// Run: npx playwright test -c playwright.electron.config.ts (on Linux CI: under xvfb-run).
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests/electron',
  testMatch: '**/*.e2e.ts',
  outputDir: 'test-results/electron',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  // One Electron app at a time: each test launches its own with a fresh home and user data.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: process.env['CI'] ? [['list'], ['github']] : [['list']],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
});
