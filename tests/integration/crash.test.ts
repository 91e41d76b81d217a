// kill -9 at random moments of an import: a real child process imports several bundles of a few
// thousand entries each into a fresh workspace and is killed with SIGKILL after a random delay,
// sometimes while it starts up and creates the workspace, mostly while it imports (inside the
// bundles' transactions). After each kill the database must pass PRAGMA integrity_check and hold
// each bundle whole or not at all, every bundle whose commit the child reported must be there, and
// resuming the import must complete the workspace with exactly the content of an uninterrupted run.
// Full-text search is part of that content: right after each kill its index holds exactly the
// entries stored, and after the resume every query answers what the uninterrupted run answers.
// So are the facet and histogram counts (migration 0006): after each kill they equal a recount of
// the entries stored.
//
// The delays come from a seeded RNG: set CRASH_SEED to replay a failing run.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeTrustStore } from '../../electron/core/bundle/trust-store';
import type { WrittenBundle } from '../../electron/core/bundle/writer';
import { computeCoverage } from '../../electron/core/workspace/coverage';
import { openWorkspace } from '../../electron/core/workspace/database';
import { importBundleFile } from '../../electron/core/workspace/import';
import { loadTrust } from '../../electron/core/workspace/trust';
import type { Entry } from '../../shared/entry';
import { parseQuery } from '../../shared/query';
import { searchEntries } from '../../electron/core/search';
import { countsMismatches } from '../../electron/core/search/counts-check';
import type { Workspace } from '../../electron/core/workspace/database';
import { dayEntries, makeKey, tempDir, writeDayBundle, type TestKey } from '../helpers/bundles';
import { ACTORS, AGENTS, CHANGES, LABELS, METADATA } from '../helpers/search-fixture';
import {
  checkAfterCrash,
  CLI,
  contentHash,
  IMPORT_TIMESTAMPS,
  jsonOf,
  openRaw,
  REPO_ROOT,
  runCli,
} from './helpers/workspace';
import { mulberry32 } from '../../shared/seeded-random';

const SEED = Number(process.env.CRASH_SEED ?? 20261125);
const ITERATIONS = 36;
const PER_BUNDLE = [3000, 2500, 0, 3000, 3500];
const TOTAL = PER_BUNDLE.reduce((a, b) => a + b, 0);
const CHILD = join(REPO_ROOT, 'tests', 'integration', 'helpers', 'import-child.ts');
const IN_THREAD = String(2 ** 40);
const IN_WORKER = '0';
const KEY = makeKey('otesse-crash');

interface Run {
  child: ChildProcess;
  lines: string[];
  /** Milliseconds from spawn to each line. */
  times: number[];
  exited: Promise<void>;
  waitFor(line: string): Promise<number>;
}

function start(args: string[]): Run {
  const began = Date.now();
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const times: number[] = [];
  const waiters: { line: string; resolve: (ms: number) => void }[] = [];
  let partial = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    partial += chunk;
    let newline;
    while ((newline = partial.indexOf('\n')) !== -1) {
      const line = partial.slice(0, newline);
      partial = partial.slice(newline + 1);
      lines.push(line);
      times.push(Date.now() - began);
      for (const w of waiters.filter((x) => x.line === line)) w.resolve(Date.now() - began);
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    child,
    lines,
    times,
    exited,
    waitFor: (line) =>
      lines.includes(line)
        ? Promise.resolve(times[lines.indexOf(line)]!)
        : new Promise((resolve, reject) => {
            waiters.push({ line, resolve });
            void exited.then(() => reject(new Error(`child exited before "${line}": ${stderr}`)));
          }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Day bundles like writeChain's, with varied texts for full-text search to tell apart. */
function writeVariedChain(dir: string, key: TestKey, perDay: number[]): WrittenBundle[] {
  const written: WrittenBundle[] = [];
  let seq = 1;
  perDay.forEach((count, day) => {
    const entries = dayEntries(day, seq, count).map((e): Entry => ({
      ...e,
      actor: ACTORS[e.seq % ACTORS.length]!,
      entity: { ...e.entity, label: e.seq % 5 === 0 ? LABELS[e.seq % 3]! : e.entity.label },
      changes: CHANGES[e.seq % CHANGES.length]!,
      userAgent: AGENTS[e.seq % AGENTS.length]!,
      metadata: METADATA[(e.seq >> 3) % METADATA.length]!,
    }));
    written.push(
      writeDayBundle({
        key,
        out: join(dir, `day-${String(day).padStart(2, '0')}.otbundle`),
        entries,
        day,
        prevDigest: written[written.length - 1]?.digest ?? null,
      }),
    );
    seq += count;
  });
  return written;
}

/** Free-text queries (with filters) whose answers the crash must not change. */
const SEARCHES = [
  'confirmed',
  'refund',
  '"Booking #1501"',
  'iphone -refund',
  'émile',
  'koln user:usr_2',
  '2026-11-04',
  '-confirmed -curl',
  'example category:bookings',
];

function searchAnswers(ws: Workspace): Record<string, number[]> {
  return Object.fromEntries(
    SEARCHES.map((text) => {
      const parsed = parseQuery(text);
      if (!parsed.ok) throw new Error(parsed.error.message);
      const page = searchEntries(ws, parsed.query, { limit: 1_000_000 });
      return [text, page.entries.map((e) => e.seq)];
    }),
  );
}

/** The full-text index is sound and holds one row for each stored entry, no more. */
function checkFullText(ws: Workspace, what: string): void {
  ws.db.prepare("INSERT INTO entries_fts (entries_fts) VALUES ('integrity-check')").run();
  const stored = ws.db.prepare('SELECT count(*) FROM entries').pluck().get() as number;
  expect(ws.db.prepare('SELECT count(*) FROM entries_fts').pluck().get(), what).toBe(stored);
  // Every entry holds "example" or not: the two searches split the workspace exactly.
  const withWord = searchEntries(ws, { clauses: [textClause('example', false)] }, { limit: 0 });
  const without = searchEntries(ws, { clauses: [textClause('example', true)] }, { limit: 0 });
  expect(withWord.total + without.total, what).toBe(stored);
  // The counts the import keeps for facets and histograms are exactly a recount of the entries.
  expect(countsMismatches(ws.db), what).toEqual({ entry_counts: 0, entry_actor_counts: 0 });
}

const textClause = (text: string, negated: boolean) =>
  ({ kind: 'text', negated, text, phrase: false }) as const;

let dir: { path: string; remove(): void };
let chain: WrittenBundle[];
let trustPath: string;
beforeAll(() => {
  dir = tempDir('audit-desk-crash-');
  chain = writeVariedChain(dir.path, KEY, PER_BUNDLE);
  trustPath = join(dir.path, 'trust.json');
  writeFileSync(trustPath, serializeTrustStore([KEY.trusted]));
}, 30_000);
afterAll(() => dir.remove());

const childArgs = (workspace: string, workerMinBytes: string) => [
  '--import',
  'tsx',
  CHILD,
  workspace,
  trustPath,
  workerMinBytes,
  ...chain.map((b) => b.out),
];

describe('kill -9 during import', () => {
  it(`leaves a sound database every time (${ITERATIONS} kills, seed ${SEED})`, async () => {
    const { trust } = loadTrust(trustPath);
    const options = { trust, trustSource: trustPath, source: 'file' as const };

    // Calibration and reference: uninterrupted runs on both import paths.
    const timing: Record<string, { opening: number; ready: number; imports: number }> = {};
    let reference = '';
    let answers: Record<string, number[]> = {};
    for (const [name, minBytes] of [
      ['thread', IN_THREAD],
      ['worker', IN_WORKER],
    ] as const) {
      const ws = join(dir.path, `reference-${name}`);
      const run = start(childArgs(ws, minBytes));
      const opening = await run.waitFor('opening');
      const ready = await run.waitFor('ready');
      const finished = await run.waitFor('finished');
      await run.exited;
      timing[name] = { opening, ready, imports: finished - ready };
      const opened = openWorkspace(ws);
      const hash = contentHash(opened.db, { ignore: IMPORT_TIMESTAMPS });
      if (name === 'thread') answers = searchAnswers(opened);
      else expect(searchAnswers(opened)).toEqual(answers);
      expect(computeCoverage(opened)).toMatchObject({
        complete: true,
        entries: TOTAL,
        bundles: chain.length,
      });
      opened.close();
      if (reference === '') reference = hash;
      else expect(hash).toBe(reference);
    }

    // Each search finds something and leaves something out.
    for (const [text, seqs] of Object.entries(answers)) {
      expect(seqs.length, text).toBeGreaterThan(0);
      expect(seqs.length, text).toBeLessThan(TOTAL);
    }

    const random = mulberry32(SEED);
    const tally = { none: 0, partial: 0, all: 0, duringImport: 0, duringStartup: 0, cli: 0 };
    const log: string[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const ws = join(dir.path, `ws-${i}`);
      // Every 6th kill hits the real CLI, every 6th a child still starting up, the rest imports.
      const mode = i % 6 === 0 ? 'cli' : i % 6 === 1 ? 'startup' : 'import';
      // The CLI verifies bundles of this size in its own thread (its worker threshold is 16 MiB);
      // the child takes the worker path a third of the time.
      const path = mode === 'cli' || random() >= 1 / 3 ? 'thread' : 'worker';
      const { opening, ready, imports } = timing[path]!;
      let run: Run;
      let delay: number;
      if (mode === 'cli') {
        // The real CLI, killed anywhere from its start to the end of its imports.
        tally.cli++;
        run = start([
          CLI,
          'import',
          ...chain.map((b) => b.out),
          '--workspace',
          ws,
          '--trust',
          trustPath,
        ]);
        delay = random() * (ready + imports) * 1.1;
        await sleep(delay);
      } else if (mode === 'startup') {
        // While the child creates the workspace folder and migrates the new database (a few ms).
        run = start(childArgs(ws, path === 'worker' ? IN_WORKER : IN_THREAD));
        await run.waitFor('opening');
        delay = random() * Math.max(ready - opening, 5) * 2;
        await sleep(delay);
      } else {
        // While it imports: inside the bundles' transactions most of the time.
        run = start(childArgs(ws, path === 'worker' ? IN_WORKER : IN_THREAD));
        await run.waitFor('ready');
        delay = random() * imports * 1.05;
        await sleep(delay);
      }
      run.child.kill('SIGKILL');
      await run.exited;

      const started = run.lines
        .filter((l) => l.startsWith('start '))
        .map((l) => Number(l.split(' ')[1]));
      const done = run.lines
        .filter((l) => l.startsWith('done '))
        .map((l) => Number(l.split(' ')[1]));
      const inFlight = started.length > done.length;
      if (mode !== 'cli') {
        if (inFlight) tally.duringImport++;
        if (!run.lines.includes('ready')) tally.duringStartup++;
      }
      const check = checkAfterCrash(ws);
      const what = `iteration ${i} (seed ${SEED}, ${mode}, ${path}, kill after ${delay.toFixed(0)} ms, child said ${JSON.stringify(run.lines)})`;
      log.push(
        `${i}: ${mode}/${path} ${delay.toFixed(0)}ms -> ${check.bundles} bundles, ${check.entries} entries${inFlight ? ' (in a transaction)' : ''}`,
      );
      expect(check.integrity, what).toBe('ok');
      expect(check.partialBundles, what).toEqual([]);
      expect(check.orphanEntries, what).toBe(0);
      expect(check.misplacedEntries, what).toBe(0);
      // Committed bundles survive: everything reported done is there; nothing not yet started is.
      expect(check.bundles, what).toBeGreaterThanOrEqual(done.length);
      if (mode !== 'cli') expect(check.bundles, what).toBeLessThanOrEqual(started.length);
      if (check.bundles === 0) tally.none++;
      else if (check.bundles < chain.length) tally.partial++;
      else tally.all++;

      // Resume: what is stored is "already present", the rest imports, and the result is exactly
      // the uninterrupted run's.
      const resumed = openWorkspace(ws, { create: true });
      try {
        checkFullText(resumed, what);
        const stored = new Set(
          resumed.db.prepare('SELECT digest FROM bundles').pluck().all() as string[],
        );
        for (const bundle of chain) {
          const outcome = await importBundleFile(resumed, bundle.out, options);
          expect(outcome.status, what).toBe(
            stored.has(bundle.digest) ? 'already_present' : 'imported',
          );
        }
        expect(computeCoverage(resumed).complete, what).toBe(true);
        expect(contentHash(resumed.db, { ignore: IMPORT_TIMESTAMPS }), what).toBe(reference);
        expect(searchAnswers(resumed), what).toEqual(answers);
        checkFullText(resumed, what);
      } finally {
        resumed.close();
      }
    }

    console.log(`crash test seed ${SEED}: ${JSON.stringify(tally)}\n  ${log.join('\n  ')}`);
    // The kills must have landed everywhere: before any bundle, between and inside transactions.
    expect(tally.none, JSON.stringify(tally)).toBeGreaterThan(0);
    expect(tally.partial, JSON.stringify(tally)).toBeGreaterThan(0);
    // (A floor, not a proportion to hit exactly: where the kills land moves with machine load.)
    expect(tally.duringImport, JSON.stringify(tally)).toBeGreaterThanOrEqual(ITERATIONS / 6);
    expect(tally.duringStartup + tally.cli, JSON.stringify(tally)).toBeGreaterThan(0);
  }, 300_000);

  it('a killed workspace is completed by running the CLI import again', async () => {
    const ws = join(dir.path, 'cli-resume');
    // Kill a CLI import midway through its imports (after the first commit, from the timing of the run).
    const run = start([
      CLI,
      'import',
      ...chain.map((b) => b.out),
      '--workspace',
      ws,
      '--trust',
      trustPath,
    ]);
    for (let waited = 0; waited < 10_000 && committedBundles(ws) === 0; waited += 5) await sleep(5);
    run.child.kill('SIGKILL');
    await run.exited;
    const killed = checkAfterCrash(ws);
    expect(killed).toMatchObject({ integrity: 'ok', partialBundles: [], orphanEntries: 0 });

    const result = await runCli([
      'import',
      ...chain.map((b) => b.out),
      '--workspace',
      ws,
      '--trust',
      trustPath,
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const out = jsonOf<{
      imported: { status: string }[];
      rejected: unknown[];
      entriesAdded: number;
    }>(result);
    expect(out.rejected).toEqual([]);
    expect(out.imported.filter((i) => i.status === 'already_present')).toHaveLength(killed.bundles);
    const coverage = jsonOf<{ complete: boolean; entries: number }>(
      await runCli(['coverage', '--workspace', ws, '--json']),
    );
    expect(coverage).toMatchObject({ complete: true, entries: TOTAL });
  }, 30_000);
});

/** Number of bundles committed so far by a running writer (0 while there are none, or no database yet). */
function committedBundles(ws: string): number {
  try {
    const db = openRaw(ws, { readonly: true });
    try {
      return db.prepare('SELECT count(*) FROM bundles').pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}
