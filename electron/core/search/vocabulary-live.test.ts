// The vocabulary as the app holds it: built in a real worker thread, loaded in the background, never
// used for other data than the database holds (an import makes it stale until rebuilt), rebuilt
// from a damaged file, and a build killed at any moment (a real process, SIGKILL) never leaves a
// file that answers differently from a fresh build.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Entry } from '../../../shared/entry';
import {
  dayEntries,
  makeKey,
  tempDir,
  trustOf,
  writeDayBundle,
  type TestKey,
} from '../../../tests/helpers/bundles';
import type { WrittenBundle } from '../bundle/writer';
import { openWorkspace, type Workspace } from '../workspace/database';
import { importBundleFile } from '../workspace/import';
import { parseQuery } from '../../../shared/query';
import { FTS_TABLE, searchEntries } from './index';
import type { ExpandWord } from './match';
import { Vocabulary } from './vocabulary';
import { buildVocabularyFile, buildVocabularyInWorker } from './vocabulary-build';
import { LiveVocabulary } from './vocabulary-live';
import { readVocabularyFile, vocabularyPath } from './vocabulary-store';
import { readDataVersion, TERM_KINDS } from './vocabulary-terms';

const FTS = 'vocabulary_live_test_fts';
const ROOT = new URL('../../../', import.meta.url);

let dir: { path: string; remove(): void };
let key: TestKey;
let ws: Workspace;
let bundles: WrittenBundle[];

/** Day 0: Dana Reyes; day 1 adds Lee Hoffmann. */
function days(): Entry[][] {
  const first = dayEntries(0, 1, 30);
  const second = dayEntries(1, 31, 30).map((e, i) =>
    i % 3 === 0
      ? {
          ...e,
          actor: {
            id: 'usr_9',
            name: 'Lee Hoffmann',
            email: 'lee@example.com',
            type: 'user' as const,
          },
        }
      : e,
  );
  return [first, second];
}

/** The FTS5 table the test searches (kept current by hand: the import fills the app's own). */
function refreshFts(): void {
  ws.db.exec(`
    CREATE VIRTUAL TABLE IF NOT EXISTS ${FTS}
      USING fts5(body, tokenize = "unicode61 remove_diacritics 2", detail = none);
    DELETE FROM ${FTS};
    INSERT INTO ${FTS} (rowid, body) SELECT seq, raw FROM entries;
  `);
}

async function importDay(day: number): Promise<void> {
  const outcome = await importBundleFile(ws, bundles[day]!.out, {
    trust: trustOf(key),
    trustSource: 'test',
    source: 'file',
  });
  expect(outcome.status).toBe('imported');
  refreshFts();
}

beforeEach(async () => {
  dir = tempDir('audit-desk-vocabulary-');
  key = makeKey('otesse-vocabulary');
  bundles = [];
  days().forEach((entries, day) =>
    bundles.push(
      writeDayBundle({
        key,
        out: join(dir.path, `day-${day}.otbundle`),
        entries,
        day,
        prevDigest: bundles[day - 1]?.digest ?? null,
      }),
    ),
  );
  ws = openWorkspace(join(dir.path, 'ws'), { create: true });
  await importDay(0);
});
afterEach(() => {
  ws.close();
  dir.remove();
});

const inThread = {
  ftsTable: FTS,
  build: async (job: Parameters<typeof buildVocabularyFile>[0]) => buildVocabularyFile(job),
};
const QUERIES = ['dana', 'reyez', 'hofman', 'lee', 'cancelled', '203.0', 'booking #10', 'b'];
const ALL = new Set(TERM_KINDS);
const answersOf = (v: Vocabulary) =>
  QUERIES.map((q) => [v.completions(q, ALL, 10), v.typos(q, ALL, 10)]);

describe('LiveVocabulary', () => {
  it('gives no typo tolerance and no suggestions until loaded, then both', async () => {
    const live = new LiveVocabulary(ws, inThread);
    expect(live.expander()).toBeNull();
    expect(live.suggest('da')).toEqual([]);
    const opening = live.open();
    expect(live.expander()).toBeNull();
    await opening;
    expect(live.state).toBe('ready');
    expect(live.expander()!('reyez', false)).toEqual(['reyes']);
    expect(live.suggest('user:da')[0]?.insert).toBe('user:"Dana Reyes"');
  });

  it('an import makes it stale at once (plain search), refresh brings the new terms', async () => {
    const live = new LiveVocabulary(ws, inThread);
    await live.open();
    await importDay(1);
    expect(live.current()).toBeNull();
    expect(live.expander()).toBeNull();
    expect(live.suggest('lee')).toEqual([]);
    // Two refreshes at once (import and sync finishing together) fold into one more run.
    await Promise.all([live.refresh(), live.refresh()]);
    expect(live.current()?.version).toEqual(readDataVersion(ws.db));
    expect(live.suggest('user:lee')[0]?.label).toBe('Lee Hoffmann');
    expect(live.expander()!('hofmann', false)).toEqual(['hoffmann']);
  });

  it('builds in a real worker thread; the file answers as an in-thread build', async () => {
    const report = await buildVocabularyInWorker({ workspaceDir: ws.dir, ftsTable: FTS });
    expect(report.version).toEqual(readDataVersion(ws.db));
    expect(report.words).toBeGreaterThan(0);
    const file = readVocabularyFile(ws.dir, report.version);
    if (file.status !== 'ok') throw new Error(file.status);
    const fromWorker = await Vocabulary.fromData(file.data);
    buildVocabularyFile({ workspaceDir: ws.dir, ftsTable: FTS });
    const again = readVocabularyFile(ws.dir, report.version);
    if (again.status !== 'ok') throw new Error(again.status);
    expect(answersOf(fromWorker)).toEqual(answersOf(await Vocabulary.fromData(again.data)));
  });

  it('a worker build that fails rejects with its message (no FTS table of that name)', async () => {
    await expect(
      buildVocabularyInWorker({ workspaceDir: ws.dir, ftsTable: 'no_such_table' }),
    ).rejects.toThrow(/no_such_table/);
  });

  it('a damaged file is rebuilt at open, never used', async () => {
    buildVocabularyFile({ workspaceDir: ws.dir, ftsTable: FTS });
    const fresh = readVocabularyFile(ws.dir, readDataVersion(ws.db));
    if (fresh.status !== 'ok') throw new Error(fresh.status);
    writeFileSync(vocabularyPath(ws.dir), '{"kind":"audit-desk-vocabulary"}\n{"half":');
    const events: string[] = [];
    const live = new LiveVocabulary(ws, { ...inThread, onEvent: (e) => events.push(e.type) });
    await live.open();
    expect(events).toEqual(['rebuilding', 'built', 'loaded']);
    expect(answersOf(live.current()!)).toEqual(answersOf(await Vocabulary.fromData(fresh.data)));
  });
});

describe('typo tolerance in the search (the real FTS5 table the import fills)', () => {
  it('a misspelt name finds the entries only with the vocabulary, as the right spelling does', async () => {
    const live = new LiveVocabulary(ws, { ...inThread, ftsTable: FTS_TABLE });
    await importDay(1);
    await live.open();
    const run = (text: string, expandWord?: ExpandWord) => {
      const parsed = parseQuery(text);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return searchEntries(ws, parsed.query, { limit: 5, ...(expandWord ? { expandWord } : {}) });
    };
    const right = run('hoffmann');
    expect(right.total).toBe(10);
    expect(run('hofmann').total).toBe(0);
    const expander = live.expander()!;
    expect(expander('hofmann', true)).toEqual(['hoffmann']);
    const typo = run('hofmann', expander);
    expect(typo.total).toBe(right.total);
    expect(typo.entries.map((e) => e.seq)).toEqual(right.entries.map((e) => e.seq));
    // The word being typed with a typo in it: `hofm` completes to hoffmann.
    expect(run('hofm', expander).total).toBe(right.total);
    expect(run('lee hofm', expander).total).toBe(right.total);
  });
});

describe('a build killed at any moment', () => {
  it('leaves the previous file, the new one or none: each answers as a fresh build', async () => {
    const fresh = buildVocabularyFile({ workspaceDir: ws.dir, ftsTable: FTS });
    const file = readVocabularyFile(ws.dir, fresh.version);
    if (file.status !== 'ok') throw new Error(file.status);
    const expected = answersOf(await Vocabulary.fromData(file.data));
    // A child process rebuilding the file in a loop, killed with SIGKILL after a random delay.
    const child = join(dir.path, 'build-loop.mts');
    writeFileSync(
      child,
      `import { buildVocabularyFile } from ${JSON.stringify(new URL('electron/core/search/vocabulary-build.ts', ROOT).href)};
       process.stdout.write('ready\\n');
       for (;;) buildVocabularyFile({ workspaceDir: ${JSON.stringify(ws.dir)}, ftsTable: ${JSON.stringify(FTS)} });`,
    );
    const runTs = new URL('bin/run-ts.mjs', ROOT);
    for (let round = 0; round < 6; round++) {
      const process_ = spawn(process.execPath, [runTs.pathname, child], {
        cwd: new URL('.', ROOT).pathname,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise((r) => process_.once('exit', r));
      await new Promise<void>((resolve, reject) => {
        process_.stdout!.once('data', () => resolve());
        process_.once('exit', (code) => reject(new Error(`build loop exited with ${code}`)));
      });
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 300));
      process_.kill('SIGKILL');
      await exited;
      const after = readVocabularyFile(ws.dir, fresh.version);
      expect(after.status).toBe('ok');
      if (after.status !== 'ok') continue;
      expect(answersOf(await Vocabulary.fromData(after.data))).toEqual(expected);
      // And the app at open: loads it (or rebuilds), answering the same.
      const live = new LiveVocabulary(ws, inThread);
      await live.open();
      expect(answersOf(live.current()!)).toEqual(expected);
    }
  }, 60_000);
});
