// Best-effort download of the Electron binary. package.json's "allowScripts" stops electron's own
// postinstall (it fails the whole `npm install` where the download host is unreachable); here we try
// the same download and only warn when it fails, so offline machines still install and online ones
// still get a runnable Electron.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let installScript;
try {
  installScript = require.resolve('electron/install.js');
} catch {
  process.exit(0); // electron is a dev dependency: absent in production installs
}
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) process.exit(0);
const result = spawnSync(process.execPath, [installScript], { stdio: 'pipe', timeout: 180_000 });
const pathFile = new URL('../node_modules/electron/path.txt', import.meta.url);
if (result.status === 0 && existsSync(pathFile)) {
  console.log('audit-desk: Electron binary installed.');
} else {
  console.warn(
    'audit-desk: Electron binary could not be downloaded; the desktop window is unavailable, ' +
      'browser mode and the CLI work (`npm start` falls back to browser mode).',
  );
}
