// The evidence-pack benchmark (issue 7), part of `npm run bench`, or alone with
// `npm run bench -- export`. Builds the ingest bench's workspace (bench/phases.ts: `pack` one
// signed bundle of BENCH_ENTRIES entries, default 1,000,000, then `import` it), then runs, in
// BENCH_EXPORT_ROUNDS interleaved rounds (default BENCH_ROUNDS, else 3), the full export of every
// entry beside its peer, a bare papaparse `unparse` of the same rows; then verify-pack once. Each
// phase in its own child process (peak RSS its own), built with esbuild as the app ships.
// Writes docs/performance.md between `<!-- bench:export:begin/end -->`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { format, resolveConfig } from 'prettier';
import { median, thousands, writeSection } from './report';

const ROOT = new URL('..', import.meta.url);
const BUILD_DIR = new URL('../out/bench-export/', import.meta.url);
const REPORT = new URL('../docs/performance.md', import.meta.url);
const TARGET_SECONDS = 20;
const RSS_GROWTH_BUDGET_MB = 250;

interface Measured {
  phase: string;
  entries: number;
  seconds: number;
  startRssMB: number;
  peakRssMB: number;
  bytes?: number;
  cpuSeconds?: number;
}

async function buildPhases(): Promise<{ ingest: string; exporter: string }> {
  await build({
    absWorkingDir: fileURLToPath(ROOT),
    entryPoints: [
      'bench/phases.ts',
      'bench/export-phases.ts',
      'electron/core/workspace/verify-worker.ts',
      'electron/core/export/csv-worker.ts',
    ],
    entryNames: '[name]',
    outdir: fileURLToPath(BUILD_DIR),
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  return {
    ingest: fileURLToPath(new URL('phases.js', BUILD_DIR)),
    exporter: fileURLToPath(new URL('export-phases.js', BUILD_DIR)),
  };
}

function run(script: string, args: string[], label: string): Measured {
  try {
    execFileSync('sync');
  } catch {
    // no sync(1) here: measure anyway
  }
  process.stderr.write(`bench: export ${label}...\n`);
  const out = execFileSync(process.execPath, [script, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Measured;
}

const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
const growth = (m: Measured) => m.peakRssMB - m.startRssMB;

export async function runExportBench(): Promise<void> {
  const entries = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
  const rounds = Number(process.env.BENCH_EXPORT_ROUNDS ?? process.env.BENCH_ROUNDS ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'audit-desk-bench-export-'));
  try {
    const { ingest, exporter } = await buildPhases();
    const size = `${thousands(entries)} entries`;
    run(ingest, ['pack', dir, String(entries)], `workspace: pack ${size}`);
    run(ingest, ['import', dir, String(entries)], `workspace: import ${size}`);
    const runs: Record<'export' | 'papaparse', Measured[]> = { export: [], papaparse: [] };
    for (let round = 0; round < rounds; round++) {
      for (const phase of ['export', 'papaparse'] as const)
        runs[phase].push(run(exporter, [phase, dir], `${phase} ${size} (round ${round + 1})`));
    }
    const verified = run(exporter, ['verify-pack', dir], `verify-pack ${size}`);

    const summary = (phase: 'export' | 'papaparse') => {
      const list = runs[phase];
      return {
        seconds: median(list.map((r) => r.seconds)),
        slowest: Math.max(...list.map((r) => r.seconds)),
        fastest: Math.min(...list.map((r) => r.seconds)),
        peakRssMB: Math.max(...list.map((r) => r.peakRssMB)),
        growthMB: Math.max(...list.map(growth)),
        cpuSeconds: median(list.map((r) => r.cpuSeconds ?? Number.NaN)),
        bytes: list[0]!.bytes ?? 0,
      };
    };
    const ex = summary('export');
    const peer = summary('papaparse');
    const row = (name: string, s: ReturnType<typeof summary>, what: string) =>
      `| ${name} | ${what} | ${s.seconds.toFixed(1)} | ${s.fastest === s.slowest ? '' : `${s.fastest.toFixed(1)} – ${s.slowest.toFixed(1)}`} | ${s.cpuSeconds.toFixed(1)} | ${thousands(entries / s.seconds)} | ${Math.round(s.peakRssMB)} | ${Math.round(s.growthMB)} | ${thousands(s.bytes / 2 ** 20)} |`;
    const table = [
      '| phase | writes | seconds (median) | seconds range | CPU seconds, all threads (median) | entries/s | peak RSS MB | RSS growth MB | output MiB |',
      '|---|---|---:|---:|---:|---:|---:|---:|---:|',
      row(
        'export',
        ex,
        'the pack: entries.csv, entries.jsonl, proofs, bundle manifests, manifest.json',
      ),
      row('papaparse (peer)', peer, 'one CSV of the same rows, bare `Papa.unparse`'),
      `| verify-pack | (reads the pack) | ${verified.seconds.toFixed(1)} | | ${(verified.cpuSeconds ?? Number.NaN).toFixed(1)} | ${thousands(entries / verified.seconds)} | ${Math.round(verified.peakRssMB)} | ${Math.round(growth(verified))} | |`,
    ].join('\n');
    const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
    const notes = [
      `- ${size} in one signed bundle (the ingest bench's workspace), all exported with every field.`,
      `- export: ${ex.seconds.toFixed(1)} s (median of ${rounds}), target at most ${TARGET_SECONDS} s: ${verdict(ex.slowest <= TARGET_SECONDS)} (slowest round ${ex.slowest.toFixed(1)} s); peak RSS growth ${Math.round(ex.growthMB)} MB, budget under ${RSS_GROWTH_BUDGET_MB} MB: ${verdict(ex.growthMB < RSS_GROWTH_BUDGET_MB)}.`,
      `- peer, same run: a bare papaparse \`unparse\` of the same rows into one CSV file takes ${peer.seconds.toFixed(1)} s, so the whole pack takes ${(ex.seconds / peer.seconds).toFixed(2)}x the time of the CSV alone (CPU: ${ex.cpuSeconds.toFixed(1)} s against ${peer.cpuSeconds.toFixed(1)} s; the export spreads it over two threads).`,
      `- load average when the run ended: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(', ')} (1, 5, 15 min) on ${cpus().length} cores, shared with other work.`,
    ].join('\n');
    const body = `_Measured by \`npm run bench -- export\` on ${machine}, ${rounds} round${rounds === 1 ? '' : 's'}._\n\n${table}\n\n${notes}`;
    process.stdout.write(`${table}\n\n${notes}\n`);
    const reportPath = fileURLToPath(REPORT);
    const report = writeSection(readFileSync(reportPath, 'utf8'), 'export', body);
    writeFileSync(
      reportPath,
      await format(report, { ...(await resolveConfig(reportPath)), filepath: reportPath }),
    );
    process.stderr.write('bench: export figures written to docs/performance.md\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
