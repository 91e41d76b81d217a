// The search benchmark's tenant: the simulator's realistic trail (electron/sim) of ENTRIES entries as
// a year of signed day bundles, imported into a workspace the way `audit-desk import` does (which
// fills the full-text index in the same transactions). Kept under the bench folder between phases.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadTrustStore } from '../electron/core/bundle/trust-store';
import { openWorkspace } from '../electron/core/workspace/database';
import { Simulation, writeTrail } from '../electron/sim';
import { dayBundleFiles, importAll } from './day-bundles';

export const SEARCH_DAYS = 365;

export function searchPaths(dir: string, entries: number) {
  const root = join(dir, `search-${entries}`);
  return { root, days: join(root, 'days'), workspace: join(root, 'ws') };
}

/** Writes the day bundles (unless already there) and imports them into a new workspace; the
 * import alone is timed. */
export async function prepareSearchWorkspace(
  dir: string,
  entries: number,
): Promise<{ entries: number; importSeconds: number }> {
  const paths = searchPaths(dir, entries);
  if (!existsSync(join(paths.days, 'trust.json'))) {
    writeTrail({
      simulation: new Simulation({
        seed: 'bench-search',
        days: SEARCH_DAYS,
        perDay: Math.ceil(entries / SEARCH_DAYS),
        plan: 'enterprise',
      }),
      outDir: paths.days,
    });
  }
  rmSync(paths.workspace, { recursive: true, force: true });
  const files = dayBundleFiles(paths.days);
  const trust = loadTrustStore(join(paths.days, 'trust.json'));
  const started = performance.now();
  const ws = openWorkspace(paths.workspace, { create: true });
  let imported: number;
  try {
    imported = await importAll(ws, files, trust);
  } finally {
    ws.close();
  }
  return { entries: imported, importSeconds: (performance.now() - started) / 1000 };
}
