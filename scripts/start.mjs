// `npm start`: build and launch the desktop app when a runnable Electron binary is installed.
// Where it is not (offline installs skip the download, see scripts/install-electron.mjs) or there is
// no display, print one line saying why and start browser mode with the demo workspace instead
// (`audit-desk serve --demo`), building the renderer first when out/renderer is missing or older
// than its sources. `npm run serve` (`--browser`) goes to browser mode directly. Never a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const projectRoot = dirname(import.meta.dirname);
const require = createRequire(import.meta.url);
const args = process.argv.slice(2).filter((a) => a !== '--browser');
const browserOnly = process.argv.includes('--browser');

/** Prints the one-line explanation and serves the UI in the browser instead. */
function cannotStart(reason) {
  console.log(
    `audit-desk: Electron cannot start here (${reason}); starting browser mode with the demo workspace instead`,
  );
  browserMode();
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

/** electron-vite build; `quiet` shows its output only when it fails (browser mode's one-line start). */
function build({ quiet = false } = {}) {
  let cli;
  try {
    const pkgPath = require.resolve('electron-vite/package.json');
    const bin = JSON.parse(readFileSync(pkgPath, 'utf8')).bin;
    cli = join(dirname(pkgPath), typeof bin === 'string' ? bin : bin['electron-vite']);
  } catch {
    fail('electron-vite is not installed; run npm install');
  }
  if (quiet)
    console.log(
      'audit-desk: building the renderer (out/renderer is missing or older than its sources)',
    );
  const result = spawnSync(process.execPath, [cli, 'build'], {
    cwd: projectRoot,
    stdio: quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    if (quiet) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    fail('the build failed (see the messages above)');
  }
}

/** Newest modification time of the files under `dir` (0 when it does not exist). */
function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if (path.includes('node_modules')) continue;
    newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function rendererIsStale() {
  const built = join(projectRoot, 'out', 'renderer', 'index.html');
  if (!existsSync(built)) return true;
  const sources = Math.max(
    newestMtime(join(projectRoot, 'renderer')),
    newestMtime(join(projectRoot, 'shared')),
  );
  return sources > statSync(built).mtimeMs;
}

/** `audit-desk serve --demo`: prints the address to open; runs until Ctrl+C. */
function browserMode() {
  if (rendererIsStale()) build({ quiet: true });
  const child = spawn(
    process.execPath,
    [join(projectRoot, 'bin', 'audit-desk.mjs'), 'serve', '--demo', ...args],
    { cwd: projectRoot, stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => fail(`browser mode could not start: ${error.message}`));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

function launch(binary) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, ['.', ...args], {
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
  if (browserOnly) browserMode();
  else {
    const found = findElectron();
    if (!found.binary) cannotStart(found.reason);
    else if (!hasDisplay())
      cannotStart('no graphical display: DISPLAY and WAYLAND_DISPLAY are unset');
    else {
      build();
      launch(found.binary);
    }
  }
} catch (error) {
  fail(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
}
