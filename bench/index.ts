// `npm run bench`: packs, verifies and imports BENCH_ENTRIES (default 1,000,000) realistic entries,
// beside the peer baseline of the same run (a bare better-sqlite3 insert of the same rows into the
// same schema, the ceiling), and writes the figures into docs/performance.md between its markers.
// Each phase runs in its own child process so each peak RSS is that phase's alone, from a bundle
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
  process.stderr.write(`bench: ${phase} ${ENTRIES.toLocaleString('en-US')} entries...\n`);
  const out = execFileSync(process.execPath, [script, phase, dir, String(ENTRIES)], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as PhaseResult;
}

const perSecond = (r: PhaseResult) => Math.round(r.entries / r.seconds);
const thousands = (n: number) => n.toLocaleString('en-US');

function table(results: PhaseResult[], ceiling: PhaseResult): string {
  const rows = results.map((r) => {
    const vsCeiling =
      r.phase === 'import' || r.phase.startsWith('bare-insert')
        ? `${Math.round((perSecond(r) / perSecond(ceiling)) * 100)} %`
        : '';
    return `| ${r.phase} | ${thousands(r.entries)} | ${r.seconds.toFixed(1)} | ${thousands(perSecond(r))} | ${vsCeiling} | ${Math.round(r.peakRssMB)} |`;
  });
  return [
    '| phase | entries | seconds | entries/s | of ceiling | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

const dir = mkdtempSync(join(tmpdir(), 'audit-desk-bench-'));
try {
  const script = await buildPhases();
  const results = ['pack', 'verify', 'import', 'bare-insert', 'bare-insert-table-only'].map(
    (phase) => runPhase(script, phase, dir),
  );
  const byPhase = (name: string) => results.find((r) => r.phase === name)!;
  const imported = byPhase('import');
  const ceiling = byPhase('bare-insert');
  const peakRss = Math.max(...results.map((r) => r.peakRssMB));
  const verdict = [
    `- verify + store (import): ${thousands(perSecond(imported))} entries/s, target ${thousands(TARGET_PER_SECOND)}: ${perSecond(imported) >= TARGET_PER_SECOND ? 'met' : 'NOT met'}; ceiling (bare insert, same run): ${thousands(perSecond(ceiling))} entries/s.`,
    `- peak RSS of any phase: ${Math.round(peakRss)} MB, budget ${RSS_BUDGET_MB} MB: ${peakRss < RSS_BUDGET_MB ? 'met' : 'NOT met'}.`,
  ].join('\n');
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
  const section = `${BEGIN}\n_Measured by \`npm run bench\` on ${machine}._\n\n${table(results, ceiling)}\n\n${verdict}\n${END}`;
  process.stdout.write(`${table(results, ceiling)}\n\n${verdict}\n`);

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
