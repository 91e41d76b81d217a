// Where the _electron suite can run: a downloaded Electron binary that starts, and (on Linux) a
// display. Answers the binary's path or the reason to skip, in one line.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export type ElectronAvailability = { binary: string } | { skip: string };

export function findElectronBinary(): ElectronAvailability {
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { skip: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      skip:
        'the Electron binary was not downloaded (node_modules/electron/path.txt is missing; ' +
        'offline installs skip it). Run `node node_modules/electron/install.js` with network access.',
    };
  }
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { skip: `the Electron binary is missing at ${binary}` };
  const probe = spawnSync(binary, ['-e', 'process.exit(0)'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (probe.error || probe.status !== 0) {
    const why =
      probe.error?.message ?? (probe.stderr.trim().split('\n')[0] || `exit ${probe.status}`);
    return { skip: `the Electron binary does not run here: ${why}` };
  }
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) {
    return { skip: 'no display (DISPLAY and WAYLAND_DISPLAY unset); run under xvfb-run' };
  }
  return { binary };
}
