// Child process for the crash test: imports bundle files into a workspace with the app's own code,
// announcing each step on stdout (a pipe: writes are synchronous, so what the parent has read
// happened before it killed us).
//
//   node --import tsx tests/integration/helpers/import-child.ts WORKSPACE TRUST.json WORKER_MIN_BYTES FILE...
//
// Lines: "opening", "ready" (workspace open and migrated), "start I", "done I STATUS", "finished".
import { openWorkspace } from '../../../electron/core/workspace/database';
import { importBundleFile } from '../../../electron/core/workspace/import';
import { loadTrust } from '../../../electron/core/workspace/trust';

const [workspace, trustPath, workerMinBytes, ...files] = process.argv.slice(2);
if (
  workspace === undefined ||
  trustPath === undefined ||
  workerMinBytes === undefined ||
  files.length === 0
) {
  process.stderr.write('usage: import-child.ts WORKSPACE TRUST.json WORKER_MIN_BYTES FILE...\n');
  process.exit(2);
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const { trust, source } = loadTrust(trustPath);
say('opening');
const ws = openWorkspace(workspace, { create: true });
say('ready');
for (const [index, file] of files.entries()) {
  say(`start ${index}`);
  const outcome = await importBundleFile(
    ws,
    file,
    { trust, trustSource: source, source: 'file' },
    { workerMinBytes: Number(workerMinBytes) },
  );
  say(`done ${index} ${outcome.status}`);
}
ws.close();
say('finished');
