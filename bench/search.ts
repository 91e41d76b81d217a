// The search benchmark (issue 4), part of `npm run bench`, or alone with `npm run bench -- search`.
// For each size (BENCH_SEARCH_SIZES, default 100,000 and 1,000,000): the simulator's realistic
// tenant imported as day bundles (the full-text index filled in the same transactions), the
// vocabulary built in its worker, a workspace opened in a fresh process, every query cold and warm
// with typo tolerance (expansion + FTS5) and without (plain FTS5), and the same queries over the
// peer design (MiniSearch monthly shards of the entries). Each in its own child process, built with
// esbuild as the app ships. Writes docs/performance.md between `<!-- bench:search:begin/end -->`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { format, resolveConfig } from 'prettier';
import { parseQuery } from '../shared/query';
import type { BenchQuery } from './search-phases';
import { thousands, writeSection } from './report';

const ROOT = new URL('..', import.meta.url);
const BUILD_DIR = new URL('../out/bench-search/', import.meta.url);
const REPORT = new URL('../docs/performance.md', import.meta.url);
const TARGETS = { pageMs: 30, facetsMs: 150, suggestMs: 20, openMs: 500, heapMB: 400 };

async function buildPhases(): Promise<string> {
  await build({
    absWorkingDir: fileURLToPath(ROOT),
    entryPoints: [
      'bench/search-phases.ts',
      'electron/core/workspace/verify-worker.ts',
      'electron/core/search/vocabulary-worker.ts',
      'electron/core/search/facet-columns-worker.ts',
    ],
    entryNames: '[name]',
    outdir: fileURLToPath(BUILD_DIR),
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  return fileURLToPath(new URL('search-phases.js', BUILD_DIR));
}

function runPhase<T>(
  script: string,
  phase: string,
  dir: string,
  entries: number,
  env: NodeJS.ProcessEnv = {},
  nodeFlags: string[] = [],
): T {
  try {
    execFileSync('sync');
  } catch {
    // no sync(1) here: measure anyway
  }
  process.stderr.write(`bench: search ${phase} ${entries.toLocaleString('en-US')} entries...\n`);
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', ...nodeFlags, script, phase, dir, String(entries)],
    {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
      maxBuffer: 64 * 2 ** 20,
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}

interface QueryRun extends BenchQuery {
  total?: number;
  found?: number;
  /** The first page alone (no total). */
  coldMs: number;
  warmMs: number[];
  /** The total apart (countEntries); the MiniSearch peer computes none. */
  countColdMs?: number;
  countWarmMs?: number[];
  facetsMs?: number[];
}
interface QueriesResult {
  results: QueryRun[];
  suggestions: { prefix: string; coldMs: number; warmMs: number[]; first: string | null }[];
  expansions: { text: string; alternatives: string[][] }[];
  heapMB: number;
  peakRssMB: number;
}
interface SizeResult {
  entries: number;
  /** Load averages (1, 5, 15 min) when the size started and ended: the machine is shared. */
  load: { before: number[]; after: number[] };
  prepare: { entries: number; seconds: number };
  vocabulary: {
    seconds: number;
    report: { terms: number; words: number; bytes: number };
    queries: BenchQuery[];
    peakRssMB: number;
  };
  open: {
    firstResultsMs: number;
    firstTextResultsMs: number;
    vocabularyLoadMs: number;
    facetColumnsLoadMs?: number;
  };
  typo: QueriesResult;
  plain: QueriesResult;
  shards: {
    buildSeconds: number;
    documents: number;
    heapMB: number;
    peakRssMB: number;
    results: QueryRun[];
  } | null;
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const ms = (v: number) => (Number.isNaN(v) ? '–' : v < 10 ? v.toFixed(1) : String(Math.round(v)));
const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
/** Queries with a bare word or phrase (qualifier-only queries are the structured filters' part). */
const withText = (runs: QueryRun[]) =>
  runs.filter((q) => {
    const parsed = parseQuery(q.text);
    return parsed.ok && parsed.query.clauses.some((c) => c.kind === 'text' && !c.negated);
  });

function runSize(script: string, dir: string, entries: number): SizeResult {
  const loadBefore = loadavg();
  const prepare = runPhase<SizeResult['prepare']>(script, 'prepare', dir, entries);
  const vocabulary = runPhase<SizeResult['vocabulary']>(script, 'vocabulary', dir, entries);
  const env = { BENCH_SEARCH_QUERIES: JSON.stringify(vocabulary.queries) };
  const open = runPhase<SizeResult['open']>(script, 'open', dir, entries, env);
  const typo = runPhase<QueriesResult>(script, 'queries', dir, entries, {
    ...env,
    BENCH_SEARCH_MODE: 'typo',
  });
  const plain = runPhase<QueriesResult>(script, 'queries', dir, entries, {
    ...env,
    BENCH_SEARCH_MODE: 'plain',
  });
  const shards =
    process.env.BENCH_SEARCH_SHARDS === '0'
      ? null
      : runPhase<NonNullable<SizeResult['shards']>>(script, 'shards', dir, entries, env, [
          '--max-old-space-size=8192',
        ]);
  return {
    entries,
    load: { before: loadBefore, after: loadavg() },
    prepare,
    vocabulary,
    open,
    typo,
    plain,
    shards,
  };
}

function summary(r: SizeResult): string {
  const warm = (runs: QueryRun[]) => runs.flatMap((q) => q.warmMs);
  const cold = (runs: QueryRun[]) => runs.map((q) => q.coldMs);
  const countWarm = (runs: QueryRun[]) => runs.flatMap((q) => q.countWarmMs ?? []);
  const countCold = (runs: QueryRun[]) => runs.map((q) => q.countColdMs ?? NaN);
  const facets = r.typo.results.flatMap((q) => q.facetsMs ?? []);
  const suggestWarm = r.typo.suggestions.flatMap((s) => s.warmMs);
  const suggestCold = r.typo.suggestions.map((s) => s.coldMs);
  const rows = [
    [
      'first page of 100 (no total), p95 warm (max cold)',
      `${ms(percentile(warm(r.typo.results), 95))} (${ms(Math.max(...cold(r.typo.results)))})`,
      `${ms(percentile(warm(r.plain.results), 95))} (${ms(Math.max(...cold(r.plain.results)))})`,
      r.shards
        ? `${ms(percentile(warm(r.shards.results), 95))} (${ms(Math.max(...cold(r.shards.results)))})`
        : 'not run',
      `≤ ${TARGETS.pageMs}`,
    ],
    [
      '… of the queries with free text only',
      `${ms(percentile(warm(withText(r.typo.results)), 95))} (${ms(Math.max(...cold(withText(r.typo.results))))})`,
      `${ms(percentile(warm(withText(r.plain.results)), 95))} (${ms(Math.max(...cold(withText(r.plain.results))))})`,
      r.shards
        ? `${ms(percentile(warm(withText(r.shards.results)), 95))} (${ms(Math.max(...cold(withText(r.shards.results))))})`
        : '',
      '',
    ],
    [
      'total (count apart; typo tolerance: from the facet columns), p95 warm (max cold)',
      `${ms(percentile(countWarm(r.typo.results), 95))} (${ms(Math.max(...countCold(r.typo.results)))})`,
      `${ms(percentile(countWarm(r.plain.results), 95))} (${ms(Math.max(...countCold(r.plain.results)))})`,
      r.shards ? 'no total (the page only)' : '',
      '',
    ],
    [
      'facets + histogram, p95 warm',
      facets.length > 0 ? ms(percentile(facets, 95)) : 'not yet in the engine',
      '',
      '',
      `≤ ${TARGETS.facetsMs}`,
    ],
    [
      'suggestions, p95 warm (max cold)',
      `${ms(percentile(suggestWarm, 95))} (${ms(Math.max(...suggestCold))})`,
      '',
      '',
      `≤ ${TARGETS.suggestMs}`,
    ],
    [
      'open workspace → first page of the log (→ first text query)',
      `${ms(r.open.firstResultsMs)} (${ms(r.open.firstTextResultsMs)})`,
      '',
      'all shards to load (not measured here; TOOLCHAIN.md: 11–12 s at 1M)',
      `≤ ${TARGETS.openMs}`,
    ],
    ['vocabulary loaded in the background after open', ms(r.open.vocabularyLoadMs), '', '', ''],
    [
      'facet columns read in the background (worker) after open',
      r.open.facetColumnsLoadMs === undefined ? '' : ms(r.open.facetColumnsLoadMs),
      '',
      '',
      '',
    ],
    [
      'heap after every query, MB (peak RSS)',
      `${Math.round(r.typo.heapMB)} (${Math.round(r.typo.peakRssMB)})`,
      `${Math.round(r.plain.heapMB)} (${Math.round(r.plain.peakRssMB)})`,
      r.shards ? `${Math.round(r.shards.heapMB)} (${Math.round(r.shards.peakRssMB)})` : '',
      `≤ ${TARGETS.heapMB}`,
    ],
    [
      'index build',
      `vocabulary ${(r.vocabulary.seconds * 1000).toFixed(0)} ms in its worker: ${thousands(r.vocabulary.report.terms)} terms (${thousands(r.vocabulary.report.words)} words), ${(r.vocabulary.report.bytes / 2 ** 20).toFixed(1)} MiB file`,
      Number.isFinite(r.prepare.seconds)
        ? `FTS5 filled by the import: ${thousands(r.prepare.entries / r.prepare.seconds)} entries/s (day bundles, verify + store + FTS5)`
        : 'import not measured (workspace reused)',
      r.shards
        ? `${r.shards.buildSeconds.toFixed(1)} s (${thousands(r.shards.documents)} entries)`
        : '',
      '',
    ],
  ];
  return [
    `**${thousands(r.prepare.entries)} entries** (simulator tenant, ${365} day bundles); milliseconds unless stated. Load average (1/5/15 min) ${r.load.before.map((l) => l.toFixed(1)).join('/')} when this size started, ${r.load.after.map((l) => l.toFixed(1)).join('/')} when it ended, on ${cpus().length} cores.`,
    '',
    '| measure | FTS5 + typo tolerance (vocabulary) | plain FTS5 | MiniSearch monthly shards (peer) | target at 1M |',
    '|---|---:|---:|---:|---:|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

function perQuery(r: SizeResult): string {
  const median = (v: number[]) => percentile(v, 50);
  const rows = r.typo.results.map((q, i) => {
    const plain = r.plain.results[i]!;
    const shard = r.shards?.results[i];
    const alternatives = r.typo.expansions[i]?.alternatives.flat() ?? [];
    const count = (run: QueryRun) =>
      `${ms(median(run.countWarmMs ?? []))} / ${ms(run.countColdMs ?? NaN)}`;
    return `| ${q.label} | \`${q.text.replaceAll('|', '\\|')}\` | ${thousands(q.total ?? 0)} | ${ms(median(q.warmMs))} / ${ms(q.coldMs)} | ${count(q)} | ${thousands(plain.total ?? 0)} | ${ms(median(plain.warmMs))} / ${ms(plain.coldMs)} | ${count(plain)} | ${shard ? `${ms(median(shard.warmMs))} / ${ms(shard.coldMs)}` : ''} | ${q.facetsMs && q.facetsMs.length > 0 ? ms(median(q.facetsMs)) : ''} | ${alternatives.slice(0, 4).join(', ')}${alternatives.length > 4 ? ', …' : ''} |`;
  });
  return [
    `Per query at ${thousands(r.prepare.entries)} entries: warm median / cold, milliseconds; "page" is the first page of 100 alone, "count" the total apart (total = matching entries).`,
    '',
    '| query | text | total (typo) | typo tolerance: page | count | total (plain) | plain FTS5: page | count | MiniSearch shards: page | facets + histogram (median) | added by the vocabulary |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows,
  ].join('\n');
}

function suggestTable(r: SizeResult): string {
  return [
    `Suggestions at ${thousands(r.prepare.entries)} entries (limit 10): warm median / cold, milliseconds.`,
    '',
    '| typed | time | first suggestion |',
    '|---|---:|---|',
    ...r.typo.suggestions.map(
      (s) =>
        `| \`${s.prefix}\` | ${ms(percentile(s.warmMs, 50))} / ${ms(s.coldMs)} | ${s.first === null ? '' : `\`${s.first.replaceAll('|', '\\|')}\``} |`,
    ),
  ].join('\n');
}

function verdicts(r: SizeResult): string {
  const typoP95 = percentile(
    r.typo.results.flatMap((q) => q.warmMs),
    95,
  );
  const plainP95 = percentile(
    r.plain.results.flatMap((q) => q.warmMs),
    95,
  );
  const countP95 = (runs: QueryRun[]) =>
    percentile(
      runs.flatMap((q) => q.countWarmMs ?? []),
      95,
    );
  const facets = r.typo.results.flatMap((q) => q.facetsMs ?? []);
  const suggestP95 = percentile(
    r.typo.suggestions.flatMap((s) => s.warmMs),
    95,
  );
  const lines = [
    `- first page (no total) p95 with typo tolerance: ${ms(typoP95)} ms, target ${TARGETS.pageMs}: ${verdict(typoP95 <= TARGETS.pageMs)}; plain FTS5 in the same run: ${ms(plainP95)} ms${
      r.shards
        ? `; MiniSearch monthly shards: ${ms(
            percentile(
              r.shards.results.flatMap((q) => q.warmMs),
              95,
            ),
          )} ms`
        : ''
    }. The total apart, p95: ${ms(countP95(r.typo.results))} ms with typo tolerance (counted from the facet columns, as the app does once they are read), ${ms(countP95(r.plain.results))} ms plain (SQL; the view says "at least N" until it comes).`,
    facets.length > 0
      ? `- facets + histogram p95: ${ms(percentile(facets, 95))} ms, target ${TARGETS.facetsMs}: ${verdict(percentile(facets, 95) <= TARGETS.facetsMs)}.`
      : `- facets + histogram: not measured (not in the engine when this ran).`,
    `- suggestions p95: ${ms(suggestP95)} ms, target ${TARGETS.suggestMs}: ${verdict(suggestP95 <= TARGETS.suggestMs)}.`,
    `- open to first results: ${ms(r.open.firstResultsMs)} ms (first text query ${ms(r.open.firstTextResultsMs)} ms), target ${TARGETS.openMs}: ${verdict(r.open.firstTextResultsMs <= TARGETS.openMs)}; typo tolerance ready ${ms(r.open.vocabularyLoadMs)} ms later.`,
    `- heap after every query (typo tolerance, vocabulary loaded): ${Math.round(r.typo.heapMB)} MB, target ${TARGETS.heapMB}: ${verdict(r.typo.heapMB <= TARGETS.heapMB)}${r.shards ? `; MiniSearch shards hold ${Math.round(r.shards.heapMB)} MB` : ''}.`,
  ];
  return lines.join('\n');
}

export async function runSearchBench(): Promise<void> {
  const sizes = (process.env.BENCH_SEARCH_SIZES ?? '100000,1000000')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);
  const kept = process.env.BENCH_SEARCH_DIR;
  const dir = kept ?? mkdtempSync(join(tmpdir(), 'audit-desk-bench-search-'));
  try {
    const script = await buildPhases();
    const results = sizes.map((entries) => runSize(script, dir, entries));
    const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
    const note = process.env.BENCH_NOTE ? ` ${process.env.BENCH_NOTE}` : '';
    const parts = [
      `_Measured by \`npm run bench -- search\` on ${machine}; ${process.env.BENCH_SEARCH_ROUNDS ?? 20} warm rounds per query of the first page and of the count (at least 3, fewer once one took 5 s in all; 5 of facets + histogram, 5 of the MiniSearch peer).${note}_`,
    ];
    for (const r of results) parts.push(summary(r), verdicts(r), perQuery(r), suggestTable(r));
    const body = parts.join('\n\n');
    process.stdout.write(`${body}\n`);
    const reportPath = fileURLToPath(REPORT);
    const report = writeSection(readFileSync(REPORT, 'utf8'), 'search', body);
    writeFileSync(
      REPORT,
      await format(report, { ...(await resolveConfig(reportPath)), filepath: reportPath }),
    );
    process.stderr.write('bench: search figures written to docs/performance.md\n');
  } finally {
    if (!kept) rmSync(dir, { recursive: true, force: true });
  }
}
