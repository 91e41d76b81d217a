// `npm run security:electron`: Electronegativity (Doyensec's static checker for Electron
// misconfigurations) over the Electron shell: electron/*.ts (main, preload, IPC, security — not the
// tests), the renderer's index.html (its CSP) and package.json. Fails on any HIGH-severity finding or
// on a file it could not parse (an unparsed file is an unchecked file); lower findings are listed.
// The shell's files are copied to a scratch folder so the scan does not walk the core, tests or
// node_modules. Electronegativity tries to fetch Electron's release list; offline it says so and goes on.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = dirname(import.meta.dirname);
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const electronVersion = String(pkg.devDependencies?.electron ?? '').replace(/^[^\d]*/, '');

let run;
try {
  run = require('@doyensec/electronegativity');
} catch {
  console.error('electronegativity: @doyensec/electronegativity is not installed (npm install)');
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'audit-desk-electronegativity-'));
try {
  const shellFiles = readdirSync(join(root, 'electron')).filter(
    (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'),
  );
  for (const name of shellFiles) copyFileSync(join(root, 'electron', name), join(scratch, name));
  copyFileSync(join(root, 'renderer', 'index.html'), join(scratch, 'index.html'));
  copyFileSync(join(root, 'package.json'), join(scratch, 'package.json'));

  // Its progress bar and release fetch print through console.log: keep the output to our summary.
  const log = console.log;
  const info = console.info;
  console.log = () => {};
  console.info = () => {};
  let result;
  try {
    result = await run({
      input: scratch,
      isRelative: true,
      electronVersionOverride: electronVersion,
      severitySet: 'informational',
      confidenceSet: 'tentative',
      parserPlugins: [],
    });
  } finally {
    console.log = log;
    console.info = info;
  }

  const parseErrors = result.errors.filter((e) => !e.tolerable);
  const issues = result.issues.map((i) => ({
    id: i.id,
    severity: i.severity.name ?? String(i.severity.format?.() ?? i.severity),
    confidence: i.confidence.name ?? String(i.confidence.format?.() ?? i.confidence),
    file: i.file,
    line: i.location?.line,
    review: Boolean(i.manualReview),
  }));
  const high = issues.filter((i) => String(i.severity).toUpperCase() === 'HIGH');
  for (const i of issues) {
    console.log(
      `electronegativity: ${i.severity} ${i.id} ${i.file}:${i.line} (${i.confidence}${i.review ? ', review' : ''})`,
    );
  }
  for (const e of parseErrors)
    console.error(`electronegativity: could not parse ${e.file}: ${e.message}`);
  console.log(
    `electronegativity: ${shellFiles.length + 2} files, ${result.atomicChecks + result.globalChecks} checks, ` +
      `${issues.length} findings, ${high.length} high, ${parseErrors.length} parse errors`,
  );
  if (high.length > 0 || parseErrors.length > 0) process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
