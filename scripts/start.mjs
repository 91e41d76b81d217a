// `npm start`: build and launch the desktop app when a runnable Electron binary is installed.
// Where it is not (offline installs skip the download, see scripts/install-electron.mjs) print one
// line saying why and exit 0: the CLI works without Electron. Never a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const projectRoot = dirname(import.meta.dirname);
const require = createRequire(import.meta.url);
const FALLBACK =
  'browser mode will be available in a later version; for now use the CLI: npx audit-desk --help';

/** Prints the one-line explanation and exits successfully: no Electron is not an error here. */
function cannotStart(reason) {
  console.log(`audit-desk: Electron could not start (${reason}); ${FALLBACK}`);
  process.exit(0);
}

function fail(message) {
  console.error(`audit-desk: ${message}`);
  process.exit(1);
}

function firstLine(text) {
  return (
    String(text ?? '')
      .trim()
      .split('\n')[0] ?? ''
  );
}

/** Path of a runnable Electron binary, or the reason there is none. */
function findElectron() {
  let packageDir;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      reason: 'the Electron binary was not downloaded: node_modules/electron/path.txt is missing',
    };
  }
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { reason: `the Electron binary is missing at ${binary}` };
  const probe = spawnSync(binary, ['-e', 'process.exit(0)'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (probe.error || probe.status !== 0) {
    const why = probe.error
      ? probe.error.message
      : firstLine(probe.stderr) || `exit ${probe.status}`;
    return { reason: `the Electron binary does not run: ${why}` };
  }
  return { binary };
}

function hasDisplay() {
  if (process.platform !== 'linux') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function build() {
  let cli;
  try {
    const pkgPath = require.resolve('electron-vite/package.json');
    const bin = JSON.parse(readFileSync(pkgPath, 'utf8')).bin;
    cli = join(dirname(pkgPath), typeof bin === 'string' ? bin : bin['electron-vite']);
  } catch {
    fail('electron-vite is not installed; run npm install');
  }
  const result = spawnSync(process.execPath, [cli, 'build'], {
    cwd: projectRoot,
    stdio: 'inherit',
  });
  if (result.status !== 0) fail('the build failed (see the messages above)');
}

function launch(binary) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, ['.', ...process.argv.slice(2)], {
    cwd: projectRoot,
    env,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('error', (error) => fail(`Electron could not be launched: ${error.message}`));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

try {
  const found = findElectron();
  if (!found.binary) cannotStart(found.reason);
  if (!hasDisplay()) cannotStart('no graphical display: DISPLAY and WAYLAND_DISPLAY are unset');
  build();
  launch(found.binary);
} catch (error) {
  fail(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
}
