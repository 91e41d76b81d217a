// `npm run bench`: packs, verifies and imports BENCH_ENTRIES (default 1,000,000) realistic entries,
// beside the peer baseline of the same run (a bare better-sqlite3 insert of the same rows into the
// same schema, the ceiling), and writes the figures into docs/performance.md between its markers.
// Verify, import and the baselines run BENCH_ROUNDS times (default 3), interleaved; the table shows
// medians and ranges. Each phase runs in its own child process so each peak RSS is that phase's alone, from a bundle
// built with esbuild as the app ships (compiled JavaScript, no TypeScript loader in memory).
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { cpus, totalmem } from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
const BEGIN = '<!-- bench:ingest:begin -->';
const END = '<!-- bench:ingest:end -->';

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

function runPhase(script: string, phase: string, dir: string): PhaseResult {
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
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as PhaseResult;
}

const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const median = (values: number[]) =>
  [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

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

function table(summaries: Summary[], ceiling: Summary): string {
  const rows = summaries.map((r) => {
    const vsCeiling =
      r.phase === 'import' || r.phase.startsWith('bare-insert')
        ? `${Math.round((r.perSecond / ceiling.perSecond) * 100)} %`
        : '';
    const range =
      r.slowest === r.fastest ? '' : `${thousands(r.slowest)} – ${thousands(r.fastest)}`;
    return `| ${r.phase} | ${thousands(r.entries)} | ${r.seconds.toFixed(1)} | ${thousands(r.perSecond)} | ${range} | ${vsCeiling} | ${Math.round(r.peakRssMB)} |`;
  });
  return [
    '| phase | entries | seconds (median) | entries/s (median) | entries/s range | of ceiling | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

const dir = mkdtempSync(join(tmpdir(), 'audit-desk-bench-'));
try {
  const script = await buildPhases();
  const runs = new Map<string, PhaseResult[]>([['pack', [runPhase(script, 'pack', dir)]]]);
  // Rounds interleave the import with its baselines, so drift of the machine (disk, other load)
  // falls on all of them alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const phase of ['verify', 'import', 'bare-insert', 'bare-insert-table-only']) {
      runs.set(phase, [...(runs.get(phase) ?? []), runPhase(script, phase, dir)]);
    }
  }
  const summaries = [...runs].map(([phase, results]) => summarize(phase, results));
  const byPhase = (name: string) => summaries.find((r) => r.phase === name)!;
  const imported = byPhase('import');
  const ceiling = byPhase('bare-insert');
  // The budget is for the work users run (pack, verify, import), not for the baselines.
  const peakRss = Math.max(...['pack', 'verify', 'import'].map((name) => byPhase(name).peakRssMB));
  const verdict = [
    `- verify + store (import): ${thousands(imported.perSecond)} entries/s (median of ${ROUNDS}), target ${thousands(TARGET_PER_SECOND)}: ${imported.perSecond >= TARGET_PER_SECOND ? 'met' : 'NOT met'}; ceiling (bare insert, same run): ${thousands(ceiling.perSecond)} entries/s, so the import runs at ${Math.round((imported.perSecond / ceiling.perSecond) * 100)} % of the ceiling.`,
    `- peak RSS of pack, verify and import: ${Math.round(peakRss)} MB, budget ${RSS_BUDGET_MB} MB: ${peakRss < RSS_BUDGET_MB ? 'met' : 'NOT met'}.`,
  ].join('\n');
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
  const section = `${BEGIN}\n_Measured by \`npm run bench\` on ${machine}, ${ROUNDS} rounds._\n\n${table(summaries, ceiling)}\n\n${verdict}\n${END}`;
  process.stdout.write(`${table(summaries, ceiling)}\n\n${verdict}\n`);

  const report = readFileSync(REPORT, 'utf8');
  const start = report.indexOf(BEGIN);
  const end = report.indexOf(END);
  if (start === -1 || end === -1)
    throw new Error(`docs/performance.md lacks the ${BEGIN} / ${END} markers`);
  writeFileSync(REPORT, report.slice(0, start) + section + report.slice(end + END.length));
  process.stderr.write('bench: figures written to docs/performance.md\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
