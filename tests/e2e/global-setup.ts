// Builds the renderer (and the rest of the electron-vite build, < 2 s) so the tests always run the
// current UI; checks that Chromium exists (a failure in CI, a skip elsewhere: see fixtures.ts).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM } from '../../playwright.config';

export default function globalSetup(): void {
  if (!existsSync(CHROMIUM)) {
    const message = `Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
    if (process.env.CI) throw new Error(message);
    console.warn(`${message}: the e2e tests are skipped.`);
    return;
  }
  if (process.env.E2E_SKIP_BUILD) return;
  execFileSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
