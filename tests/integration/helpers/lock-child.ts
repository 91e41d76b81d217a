// Child process of the sync-lock race test: waits until `startAt` (ms since the epoch), tries to
// take the sync lock of `workspaceDir`, holds it `holdMs`, and prints one JSON line: when it held
// the lock, or the refusal.
import { acquireSyncLock } from '../../../electron/core/sync/lock';

const [workspaceDir, startAt, holdMs] = [
  process.argv[2]!,
  Number(process.argv[3]),
  Number(process.argv[4]),
];
while (Date.now() < startAt) {
  // Spin, so that every child tries at the same moment.
}
try {
  const release = acquireSyncLock(workspaceDir);
  const from = Date.now();
  setTimeout(() => {
    const to = Date.now();
    release();
    process.stdout.write(`${JSON.stringify({ pid: process.pid, got: true, from, to })}\n`);
  }, holdMs);
} catch (error) {
  process.stdout.write(
    `${JSON.stringify({ pid: process.pid, got: false, message: (error as Error).message })}\n`,
  );
}
