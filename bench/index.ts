// `npm run bench`: packs, verifies and imports BENCH_ENTRIES (default 1,000,000) realistic entries,
// beside the peer baseline of the same run (a bare better-sqlite3 insert of the same rows into the
// same schema, the ceiling); then the simulator's tenant of the same size as day bundles, imported
// from disk and synced over HTTP from the simulator (the peer of the sync). Writes the figures into
// docs/performance.md between its markers. Every phase but pack runs BENCH_ROUNDS times (default
// 3), interleaved; the tables show medians and ranges. Each phase runs in its own child process so each peak RSS is that phase's alone, from a bundle
// built with esbuild as the app ships (compiled JavaScript, no TypeScript loader in memory).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { format, resolveConfig } from 'prettier';
import { cpus, totalmem } from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExportBench } from './export';
import { runSearchBench } from './search';
import { median, thousands, writeSection } from './report';

interface PhaseResult {
  phase: string;
  entries: number;
  seconds: number;
  peakRssMB: number;
}

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TARGET_PER_SECOND = 100_000;
const RSS_BUDGET_MB = 300;
const ROOT = new URL('..', import.meta.url);
const BUILD_DIR = new URL('../out/bench/', import.meta.url);
const REPORT = new URL('../docs/performance.md', import.meta.url);
const SYNC_TARGET_PER_SECOND = 50_000;
const INDEXED_IMPORT_TARGET_PER_SECOND = 50_000;

/** Phases and the verify worker side by side, so the import finds its worker as in the app. */
async function buildPhases(): Promise<string> {
  await build({
    absWorkingDir: fileURLToPath(ROOT),
    entryPoints: ['bench/phases.ts', 'electron/core/workspace/verify-worker.ts'],
    entryNames: '[name]',
    outdir: fileURLToPath(BUILD_DIR),
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  return fileURLToPath(new URL('phases.js', BUILD_DIR));
}

function runPhase(
  script: string,
  phase: string,
  dir: string,
  env: NodeJS.ProcessEnv = {},
): PhaseResult {
  // Let the previous phase's gigabyte of writes reach the disk first, so it does not slow this one.
  try {
    execFileSync('sync');
  } catch {
    // no sync(1) here (Windows): measure anyway
  }
  process.stderr.write(`bench: ${phase} ${ENTRIES.toLocaleString('en-US')} entries...\n`);
  const out = execFileSync(process.execPath, [script, phase, dir, String(ENTRIES)], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as PhaseResult;
}

interface SimServerLine {
  url: string;
  token: string;
  entries: number;
  bundles: number;
}

/** Starts the simulator child (it first writes the day bundles) and waits for its address. */
async function startServer(
  script: string,
  dir: string,
): Promise<{ child: ChildProcess; line: SimServerLine }> {
  process.stderr.write(
    `bench: generating and serving ${ENTRIES.toLocaleString('en-US')} entries as day bundles...\n`,
  );
  const child = spawn(process.execPath, [script, 'serve-days', dir, String(ENTRIES)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const text of lines) return { child, line: JSON.parse(text) as SimServerLine };
  throw new Error('the simulator stopped before serving');
}

/** One phase over all rounds: median rate and time, the range of rates, the highest peak RSS. */
interface Summary {
  phase: string;
  entries: number;
  seconds: number;
  perSecond: number;
  slowest: number;
  fastest: number;
  peakRssMB: number;
}

function summarize(phase: string, runs: PhaseResult[]): Summary {
  const rates = runs.map((r) => r.entries / r.seconds);
  return {
    phase,
    entries: runs[0]!.entries,
    seconds: median(runs.map((r) => r.seconds)),
    perSecond: median(rates),
    slowest: Math.min(...rates),
    fastest: Math.max(...rates),
    peakRssMB: Math.max(...runs.map((r) => r.peakRssMB)),
  };
}

/** `relativeTo`: the peer each phase is compared with (a column of percentages), by phase name. */
function table(summaries: Summary[], relativeTo: (phase: string) => Summary | undefined): string {
  const rows = summaries.map((r) => {
    const peer = relativeTo(r.phase);
    const vsCeiling =
      peer === undefined ? '' : `${Math.round((r.perSecond / peer.perSecond) * 100)} %`;
    const range =
      r.slowest === r.fastest ? '' : `${thousands(r.slowest)} – ${thousands(r.fastest)}`;
    return `| ${r.phase} | ${thousands(r.entries)} | ${r.seconds.toFixed(1)} | ${thousands(r.perSecond)} | ${range} | ${vsCeiling} | ${Math.round(r.peakRssMB)} |`;
  });
  return [
    '| phase | entries | seconds (median) | entries/s (median) | entries/s range | of peer | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

// `npm run bench -- export`: the evidence-pack benchmark alone (bench/export.ts); otherwise it
// runs after the search benchmark.
if (process.argv.slice(2).includes('export')) {
  await runExportBench();
  process.exit(0);
}
// `npm run bench -- search`: the search benchmark alone (bench/search.ts); otherwise it runs last.
if (process.argv.slice(2).includes('search')) {
  await runSearchBench();
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'audit-desk-bench-'));
let server: ChildProcess | undefined;
try {
  const script = await buildPhases();
  const runs = new Map<string, PhaseResult[]>();
  const record = (phase: string, env?: NodeJS.ProcessEnv) =>
    runs.set(phase, [...(runs.get(phase) ?? []), runPhase(script, phase, dir, env)]);
  record('pack');
  const started = await startServer(script, dir);
  server = started.child;
  const simEnv = { BENCH_SIM_URL: started.line.url, BENCH_SIM_TOKEN: started.line.token };
  // Rounds interleave each phase with its peers, so drift of the machine (disk, other load) falls
  // on all of them alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const phase of [
      'verify',
      'import',
      'bare-insert',
      'bare-insert-full-text',
      'bare-insert-table-only',
      'import-days',
      'sync-days',
    ]) {
      record(phase, phase === 'sync-days' ? simEnv : {});
    }
  }
  server.kill();
  const summaries = new Map(
    [...runs].map(([phase, results]) => [phase, summarize(phase, results)]),
  );
  const byPhase = (name: string) => summaries.get(name)!;
  const pick = (...names: string[]) => names.map(byPhase);
  const percent = (a: Summary, b: Summary) => Math.round((a.perSecond / b.perSecond) * 100);
  const verdictOf = (met: boolean) => (met ? 'met' : 'NOT met');
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
  const measured = `_Measured by \`npm run bench\` on ${machine}, ${ROUNDS} rounds._`;

  const imported = byPhase('import');
  const ceiling = byPhase('bare-insert');
  const ingestTable = table(
    pick(
      'pack',
      'verify',
      'import',
      'bare-insert',
      'bare-insert-full-text',
      'bare-insert-table-only',
    ),
    (phase) => (phase === 'import' || phase.startsWith('bare-insert') ? ceiling : undefined),
  );
  // The budget is for the work users run (pack, verify, import), not for the baselines.
  const peakRss = Math.max(...pick('pack', 'verify', 'import').map((r) => r.peakRssMB));
  const ingest = [
    `- verify + store (import): ${thousands(imported.perSecond)} entries/s (median of ${ROUNDS}), target ${thousands(TARGET_PER_SECOND)}: ${verdictOf(imported.perSecond >= TARGET_PER_SECOND)}; ceiling (bare insert, same run): ${thousands(ceiling.perSecond)} entries/s, so the import runs at ${percent(imported, ceiling)} % of the ceiling.`,
    `- peak RSS of pack, verify and import: ${Math.round(peakRss)} MB, budget ${RSS_BUDGET_MB} MB: ${verdictOf(peakRss < RSS_BUDGET_MB)}.`,
    // Issue 4's target: the import includes the FTS5 rows and counts of the search index.
    `- search index kept current at import speed (verify + store + FTS5, issue 4): ${thousands(imported.perSecond)} entries/s for one bundle, ${thousands(byPhase('import-days').perSecond)} for day bundles, target ${thousands(INDEXED_IMPORT_TARGET_PER_SECOND)}: ${verdictOf(Math.min(imported.perSecond, byPhase('import-days').perSecond) >= INDEXED_IMPORT_TARGET_PER_SECOND)}; SQLite alone writing the same rows with their FTS5 rows (bare-insert-full-text, same run): ${thousands(byPhase('bare-insert-full-text').perSecond)} entries/s, so the import runs at ${percent(imported, byPhase('bare-insert-full-text'))} % of that ceiling.`,
  ].join('\n');

  const fromDisk = byPhase('import-days');
  const synced = byPhase('sync-days');
  // A year of a tenant on the enterprise plan: nothing is archived, so both hold every entry.
  if (synced.entries !== fromDisk.entries) {
    throw new Error(`sync stored ${synced.entries} entries, the import ${fromDisk.entries}`);
  }
  const syncTable = table(pick('import-days', 'sync-days'), (phase) =>
    phase === 'sync-days' ? fromDisk : undefined,
  );
  const sync = [
    `- ${thousands(started.line.entries)} entries in ${started.line.bundles} day bundles (the simulator's tenant, a year).`,
    `- sync end to end: ${thousands(synced.perSecond)} entries/s (median of ${ROUNDS}), target ${thousands(SYNC_TARGET_PER_SECOND)}: ${verdictOf(synced.perSecond >= SYNC_TARGET_PER_SECOND)}; import of the same bundles from disk (peer, same run): ${thousands(fromDisk.perSecond)} entries/s, so sync takes ${(fromDisk.perSecond / synced.perSecond).toFixed(2)}x its time, target at most 2x: ${verdictOf(fromDisk.perSecond / synced.perSecond <= 2)}.`,
  ].join('\n');

  process.stdout.write(`${ingestTable}\n\n${ingest}\n\n${syncTable}\n\n${sync}\n`);
  let report = readFileSync(REPORT, 'utf8');
  report = writeSection(report, 'ingest', `${measured}\n\n${ingestTable}\n\n${ingest}`);
  report = writeSection(report, 'sync', `${measured}\n\n${syncTable}\n\n${sync}`);
  // Formatted as the rest of the repository is (npm test checks it).
  const reportPath = fileURLToPath(REPORT);
  writeFileSync(
    REPORT,
    await format(report, { ...(await resolveConfig(reportPath)), filepath: reportPath }),
  );
  process.stderr.write('bench: figures written to docs/performance.md\n');
  // `npm run bench -- ingest`: the ingest and sync phases alone.
  if (!process.argv.slice(2).includes('ingest')) {
    await runSearchBench();
    await runExportBench();
  }
} finally {
  server?.kill();
  rmSync(dir, { recursive: true, force: true });
}
