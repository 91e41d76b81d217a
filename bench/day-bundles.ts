// A folder of day bundles (as `sim generate` writes it) imported into a workspace, for the
// benchmarks that need a realistic year of data.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TrustStore } from '../electron/core/bundle/trust-store';
import type { Workspace } from '../electron/core/workspace/database';
import { importBundleFile } from '../electron/core/workspace/import';

/** The folder's bundle files, in period order (their names start with the day). */
export function dayBundleFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.otbundle'))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Imports each file; any outcome but `imported` stops the benchmark. Answers the entries added.
 * Each file names the next one (verified ahead while it commits), as `audit-desk import` does,
 * unless `verifyAhead` is false.
 */
export async function importAll(
  ws: Workspace,
  files: readonly string[],
  trust: TrustStore,
  { verifyAhead = true }: { verifyAhead?: boolean } = {},
): Promise<number> {
  let entries = 0;
  for (const [index, file] of files.entries()) {
    const outcome = await importBundleFile(ws, file, {
      trust,
      trustSource: 'bench',
      source: 'file',
      next: verifyAhead ? files[index + 1] : undefined,
    });
    if (outcome.status !== 'imported')
      throw new Error(`bench import failed: ${JSON.stringify(outcome)}`);
    entries += outcome.entryCount;
  }
  return entries;
}
