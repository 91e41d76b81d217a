// One search benchmark phase per child process (fresh SQLite cache and heap each).
// Usage (bench/search.ts builds and runs it): node out/bench-search/search-phases.js <phase> <dir> <entries>
// Results: one JSON line on stdout. BENCH_SEARCH_QUERIES (JSON) carries the query list chosen by
// the vocabulary phase; BENCH_SEARCH_MODE is `typo` or `plain` for the queries phase.
import { existsSync } from 'node:fs';
import { openWorkspace } from '../electron/core/workspace/database';
import { LiveVocabulary } from '../electron/core/search/vocabulary-live';
import { LiveFacetColumns } from '../electron/core/search/facet-columns-live';
import { buildVocabularyInWorker } from '../electron/core/search/vocabulary-build';
import { readVocabularyFile } from '../electron/core/search/vocabulary-store';
import { dataTerms } from '../electron/core/search/vocabulary';
import { readDataVersion, type VocabularyTerm } from '../electron/core/search/vocabulary-terms';
import { FTS_TABLE, workspaceTimeZone } from '../electron/core/search';
import { parseQuery, quote, type Query } from '../shared/query';
import { facetsAndHistogram, firstPage, total, type ExpandWord } from './search-engine';
import { prepareSearchWorkspace, searchPaths } from './search-data';
import { MonthlyShards } from './search-minisearch';

const [phase, dir, countText] = process.argv.slice(2) as [string, string, string];
const entries = Number(countText);
const paths = searchPaths(dir, entries);
const PAGE = 100;
const WARM_ROUNDS = Number(process.env.BENCH_SEARCH_ROUNDS ?? 20);

export interface BenchQuery {
  label: string;
  text: string;
}

/** Prefixes typed in the filter bar, as a reviewer would (qualifier or not, short and long). */
export const SUGGEST_PREFIXES = [
  'b',
  'hof',
  'user:da',
  'action:book',
  'entity:#51',
  'ip:203.0.1',
  'cleening',
  'INV-2026-01',
  'resched',
  'sven h',
];

const parsed = (text: string): Query => {
  const result = parseQuery(text);
  if (!result.ok) throw new Error(`bench query ${text}: ${result.error.message}`);
  return result.query;
};

function timed<T>(run: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = run();
  return { ms: performance.now() - started, value };
}

/** Up to `rounds` runs, fewer (but `least`) once they took SLOW_QUERY_BUDGET_MS in all. */
function repeat(rounds: number, least: number, run: () => number): number[] {
  const times: number[] = [];
  let spent = 0;
  for (let i = 0; i < rounds && (i < least || spent < SLOW_QUERY_BUDGET_MS); i++) {
    times.push(run());
    spent += times[times.length - 1]!;
  }
  return times;
}

const SLOW_QUERY_BUDGET_MS = 5000;

function queries(): BenchQuery[] {
  return JSON.parse(process.env.BENCH_SEARCH_QUERIES ?? '[]') as BenchQuery[];
}

function heapMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** The queries of issue 4, made from this tenant's own vocabulary (names and rare words exist). */
function chooseQueries(terms: VocabularyTerm[]): BenchQuery[] {
  const people = terms
    .filter(
      (t) =>
        t.kind === 'user' &&
        (t.also?.length ?? 0) > 1 &&
        /^[A-Z][a-z]+ [A-Z][a-z]+$/u.test(t.value),
    )
    .sort((a, b) => b.count - a.count);
  const person = people[0]!.value;
  const [first, last] = person.toLowerCase().split(' ') as [string, string];
  // A misspelling: one letter of a doubled pair dropped, else one vowel changed (one edit).
  const doubled = /([a-z])\1/u.exec(last);
  const misspelt = doubled
    ? last.slice(0, doubled.index) + last.slice(doubled.index + 1)
    : last.replace(/[aeiou](?=[^aeiou]*$)/u, (v) => (v === 'e' ? 'a' : 'e'));
  // The rarest real-looking word (not a request id's letters): 5 to 12 letters, at least twice.
  const rare = terms
    .filter((t) => t.kind === 'word' && /^[a-z]{5,12}$/u.test(t.value) && t.count >= 2)
    .sort((a, b) => a.count - b.count || (a.value < b.value ? -1 : 1))[0]!.value;
  const label = terms
    .filter((t) => t.kind === 'entity' && t.value.startsWith('Customer '))
    .sort((a, b) => b.count - a.count)[0]!.value;
  return [
    { label: "a person's name", text: `${first} ${last}` },
    { label: 'a misspelt name', text: misspelt },
    { label: 'a word prefix as typed', text: `${last.slice(0, 4)}` },
    { label: 'an entity label', text: `entity:${quote(label)}` },
    { label: 'an action qualifier with text', text: 'action:booking.* oven' },
    { label: 'an IP prefix', text: 'ip:203.0.113.*' },
    { label: 'a date range with category', text: 'date:2026-06-01..2026-06-30 category:invoices' },
    { label: 'a negation', text: 'category:bookings -action:booking.created -cancelled' },
    { label: 'a rare word', text: rare },
    { label: 'a very common word', text: 'booking' },
    { label: 'a common word AND a rare one', text: `booking ${rare}` },
    { label: 'a user with text', text: `user:${quote(person)} cancelled` },
    { label: 'a misspelt common word', text: 'cleening' },
    { label: 'a misspelt word being typed', text: misspelt.slice(0, -1) },
  ];
}

const phases: Record<string, () => Promise<object> | object> = {
  async prepare() {
    // BENCH_SEARCH_REUSE=1 keeps a workspace already imported (for repeated runs while developing).
    if (process.env.BENCH_SEARCH_REUSE === '1' && existsSync(paths.workspace)) {
      const ws = openWorkspace(paths.workspace, { readonly: true });
      const { entries: kept } = readDataVersion(ws.db);
      ws.close();
      return { entries: kept, seconds: NaN };
    }
    const prepared = await prepareSearchWorkspace(dir, entries);
    return { entries: prepared.entries, seconds: prepared.importSeconds };
  },

  /** The vocabulary build as the app runs it (a worker thread), then the bench's queries from it. */
  async vocabulary() {
    const started = performance.now();
    const report = await buildVocabularyInWorker({
      workspaceDir: paths.workspace,
      ftsTable: FTS_TABLE,
    });
    const seconds = (performance.now() - started) / 1000;
    const ws = openWorkspace(paths.workspace, { readonly: true });
    const file = readVocabularyFile(paths.workspace, readDataVersion(ws.db));
    ws.close();
    if (file.status !== 'ok') throw new Error(`vocabulary file: ${file.status}`);
    return { seconds, report, queries: chooseQueries(dataTerms(file.data)) };
  },

  /** A workspace opened in a fresh process: to the first page of the log, and of a text query. */
  async open() {
    const started = performance.now();
    const ws = openWorkspace(paths.workspace);
    const log = firstPage(ws, parsed(''), PAGE, null);
    const firstResultsMs = performance.now() - started;
    const text = firstPage(ws, parsed(queries()[0]!.text), PAGE, null);
    const firstTextResultsMs = performance.now() - started;
    const live = new LiveVocabulary(ws, { ftsTable: FTS_TABLE });
    const loading = performance.now();
    await live.open();
    const vocabularyLoadMs = performance.now() - loading;
    if (live.state !== 'ready') throw new Error(`vocabulary ${live.state}`);
    // The facet columns, read in their worker as the app starts them at the first search.
    const columns = new LiveFacetColumns(ws);
    const reading = performance.now();
    await columns.open();
    const facetColumnsLoadMs = performance.now() - reading;
    if (columns.state !== 'ready') throw new Error(`facet columns ${columns.state}`);
    ws.close();
    return {
      firstResultsMs,
      firstTextResultsMs,
      vocabularyLoadMs,
      facetColumnsLoadMs,
      facetColumnsReadMs: columns.lastReadMs,
      shown: log.entries.length + text.entries.length,
    };
  },

  /** Every query cold (first run in this process), then warm rounds; suggestions; heap after all. */
  async queries() {
    const mode = process.env.BENCH_SEARCH_MODE ?? 'typo';
    const ws = openWorkspace(paths.workspace);
    const live = new LiveVocabulary(ws, { ftsTable: FTS_TABLE });
    if (mode === 'typo') {
      await live.open();
      if (live.state !== 'ready') throw new Error(`vocabulary ${live.state}`);
    }
    const expand: ExpandWord | null = mode === 'typo' ? live.expander() : null;
    // Facets and the histogram as the app serves them once the facet columns are read.
    const columns = new LiveFacetColumns(ws);
    if (mode === 'typo') {
      await columns.open();
      if (columns.state !== 'ready') throw new Error(`facet columns ${columns.state}`);
    }
    const results = queries().map((q) => {
      const query = parsed(q.text);
      const cold = timed(() => firstPage(ws, query, PAGE, expand));
      const warm = repeat(WARM_ROUNDS, 3, () => timed(() => firstPage(ws, query, PAGE, expand)).ms);
      // The count apart, as the view runs it after showing the page.
      // With typo tolerance from the facet columns, as the app counts once they are read; plain
      // FTS5 counts in SQL.
      const counter = mode === 'typo' ? columns : null;
      const countCold = timed(() => total(ws, query, expand, counter));
      const countWarm = repeat(
        WARM_ROUNDS,
        3,
        () => timed(() => total(ws, query, expand, counter)).ms,
      );
      // Each round as a newly typed query: the matching set kept from the last round is dropped.
      const facets =
        mode === 'typo'
          ? repeat(5, 2, () => {
              columns.current()?.forgetMatches();
              return timed(() => facetsAndHistogram(ws, query, expand, columns)).ms;
            })
          : [];
      return {
        ...q,
        total: countCold.value,
        found: cold.value.entries.length,
        coldMs: cold.ms,
        warmMs: warm,
        countColdMs: countCold.ms,
        countWarmMs: countWarm,
        facetsMs: facets,
      };
    });
    const suggestions =
      mode === 'typo'
        ? SUGGEST_PREFIXES.map((prefix) => {
            const cold = timed(() => live.suggest(prefix, { limit: 10 }));
            const warm: number[] = [];
            for (let i = 0; i < WARM_ROUNDS; i++)
              warm.push(timed(() => live.suggest(prefix, { limit: 10 })).ms);
            return { prefix, coldMs: cold.ms, warmMs: warm, first: cold.value[0]?.insert ?? null };
          })
        : [];
    // What the vocabulary adds per bare word, as the search's hook is called (match.ts).
    const expansions =
      mode === 'typo'
        ? queries().map((q) => {
            const clauses = parsed(q.text).clauses;
            return {
              text: q.text,
              alternatives: clauses.flatMap((c, i) =>
                c.kind === 'text' && !c.negated && !c.phrase
                  ? [expand!(c.text, i === clauses.length - 1)]
                  : [],
              ),
            };
          })
        : [];
    const heap = heapMB();
    ws.close();
    return { mode, results, suggestions, expansions, heapMB: heap };
  },

  /** The peer: entries in MiniSearch by month (public API), the same queries. */
  async shards() {
    const ws = openWorkspace(paths.workspace, { readonly: true });
    const timeZone = workspaceTimeZone(ws);
    const building = timed(() => MonthlyShards.build(ws.db));
    ws.close();
    const shards = building.value;
    const heapAfterBuild = heapMB();
    const rounds = Math.max(3, Math.floor(WARM_ROUNDS / 4));
    const results = queries().map((q) => {
      const query = parsed(q.text);
      const cold = timed(() => shards.search(query, timeZone, PAGE));
      const warm = repeat(rounds, 3, () => timed(() => shards.search(query, timeZone, PAGE)).ms);
      return { ...q, found: cold.value.length, coldMs: cold.ms, warmMs: warm };
    });
    return {
      buildSeconds: building.ms / 1000,
      documents: shards.documentCount,
      heapMB: Math.max(heapAfterBuild, heapMB()),
      results,
    };
  },
};

const run = phases[phase];
if (run === undefined) throw new Error(`unknown search phase ${phase}`);
const result = await run();
process.stdout.write(
  `${JSON.stringify({ phase, entries, ...result, peakRssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
