// Audit sampling (docs/review.md "Audit sampling"): the population is the ids of the entries a query
// matches; its fingerprint and the seed let anyone re-draw the same sample from the same data.
//
// - Fingerprint: SHA-256 (hex) of the UTF-8 bytes of the JSON array of the population's ids sorted
//   by their UTF-8 bytes (RFC 8785 / JSON.stringify string escaping, no spaces): `["id1","id2"]`.
// - Draw (algorithm `sha256-rank-v1`): every id gets the key
//   SHA-256("audit-desk/sample/v1" 0x00 seed 0x00 id) (strings as UTF-8); the sample is the n ids
//   with the smallest keys (compared bytewise), listed in increasing key order. Independent of the
//   population's order; a smaller sample with the same seed is a prefix of a larger one.
import { createHash } from 'node:crypto';
import type { Query } from '../../../shared/query';
import { formatQuery, parseQuery } from '../../../shared/query';
import { usageError } from '../errors';
import { actorResolver } from '../search/actors';
import { compileQuery } from '../search/compile';
import { workspaceTimeZone } from '../search/search';
import type { Workspace } from '../workspace/database';
import { appendReviewLog } from './review-log';
import type { Reviewer } from './reviewer';

export const SAMPLE_ALGORITHM = 'sha256-rank-v1';
const DOMAIN = 'audit-desk/sample/v1';
const MAX_SEED_LENGTH = 200;

/** z for a two-sided confidence level (normal distribution), to 6 decimals. */
export const Z_SCORES = { 90: 1.644854, 95: 1.959964, 99: 2.575829 } as const;
export type ConfidenceLevel = keyof typeof Z_SCORES;

export type SampleMethod =
  | { method: 'size'; size: number }
  | { method: 'percent'; percent: number }
  /** `marginPercent`: margin of error in percentage points (5 = ±5 %). */
  | { method: 'statistical'; confidence: ConfidenceLevel; marginPercent: number };

/**
 * The sample size for a population of `population`:
 * - size: min(N, population);
 * - percent: ceil(population × P / 100);
 * - statistical: n0 = z² · p(1−p) / e² with p = 0.5 and e = margin / 100, then the finite population
 *   correction n = ceil(n0 / (1 + (n0 − 1) / population)), at most the population.
 */
export function sampleSize(method: SampleMethod, population: number): number {
  if (population <= 0) return 0;
  switch (method.method) {
    case 'size':
      return Math.min(method.size, population);
    case 'percent':
      return Math.min(population, Math.ceil((population * method.percent) / 100 - 1e-9));
    case 'statistical': {
      const z = Z_SCORES[method.confidence];
      const e = method.marginPercent / 100;
      const n0 = (z * z * 0.25) / (e * e);
      return Math.min(population, Math.ceil(n0 / (1 + (n0 - 1) / population)));
    }
  }
}

export function checkSampleMethod(method: SampleMethod): SampleMethod {
  if (method.method === 'size' && (!Number.isInteger(method.size) || method.size < 1))
    throw usageError('a sample size is a whole number of 1 or more');
  if (method.method === 'percent' && !(method.percent > 0 && method.percent <= 100))
    throw usageError('a sample percentage is above 0 and at most 100');
  if (method.method === 'statistical') {
    if (!(method.confidence in Z_SCORES))
      throw usageError('the confidence level is 90, 95 or 99 (percent)');
    if (!(method.marginPercent >= 0.1 && method.marginPercent <= 50))
      throw usageError('the margin of error is in percentage points from 0.1 to 50 (5 means ±5 %)');
  }
  return method;
}

export function checkSeed(seed: string): string {
  if (seed === '' || seed.length > MAX_SEED_LENGTH || seed.includes('\u0000'))
    throw usageError(`a seed is 1 to ${MAX_SEED_LENGTH} characters without NUL`);
  return seed;
}

/** The population's ids in UTF-8 byte order (SQLite's BINARY collation on TEXT). */
export function populationIds(ws: Workspace, query: Query): string[] {
  const read = ws.db.transaction(() => {
    const condition = compileQuery(query, workspaceTimeZone(ws), actorResolver(ws.db));
    if (condition.sql === '0') return [];
    return ws.db
      .prepare(`SELECT id FROM entries WHERE ${condition.sql} ORDER BY id`)
      .pluck()
      .all(...condition.params) as string[];
  });
  return read();
}

/** SHA-256 over the sorted ids' canonical JSON array, streamed (see the top of this file). */
export function populationFingerprint(sortedIds: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update('[');
  sortedIds.forEach((id, i) => hash.update(`${i > 0 ? ',' : ''}${JSON.stringify(id)}`, 'utf8'));
  hash.update(']');
  return hash.digest('hex');
}

export function drawKey(seed: string, id: string): Buffer {
  return createHash('sha256').update(`${DOMAIN}\u0000${seed}\u0000${id}`, 'utf8').digest();
}

/** The n ids with the smallest draw keys, smallest first (a bounded max-heap on the keys). */
export function drawSample(ids: readonly string[], n: number, seed: string): string[] {
  if (n <= 0) return [];
  const heap: { key: Buffer; id: string }[] = [];
  const less = (a: { key: Buffer }, b: { key: Buffer }) => Buffer.compare(a.key, b.key) < 0;
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);
  for (const id of ids) {
    const item = { key: drawKey(seed, id), id };
    if (heap.length < n) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (!less(heap[parent]!, heap[i]!)) break;
        swap(i, parent);
        i = parent;
      }
    } else if (less(item, heap[0]!)) {
      heap[0] = item;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let top = i;
        if (l < heap.length && less(heap[top]!, heap[l]!)) top = l;
        if (r < heap.length && less(heap[top]!, heap[r]!)) top = r;
        if (top === i) break;
        swap(i, top);
        i = top;
      }
    }
  }
  return heap.sort((a, b) => Buffer.compare(a.key, b.key)).map((x) => x.id);
}

export interface SampleDraw {
  query: string;
  method: SampleMethod;
  seed: string;
  algorithm: string;
  population: number;
  populationFingerprint: string;
  /** In draw order. */
  entryIds: string[];
}

/** Computes a sample without storing it. */
export function computeSample(
  ws: Workspace,
  query: Query,
  method: SampleMethod,
  seed: string,
): SampleDraw {
  checkSampleMethod(method);
  checkSeed(seed);
  const ids = populationIds(ws, query);
  return {
    query: formatQuery(query),
    method,
    seed,
    algorithm: SAMPLE_ALGORITHM,
    population: ids.length,
    populationFingerprint: populationFingerprint(ids),
    entryIds: drawSample(ids, sampleSize(method, ids.length), seed),
  };
}

export interface StoredSample extends SampleDraw {
  id: number;
  name: string;
  createdAt: string;
  author: Reviewer;
}

/** Draws a sample and keeps it as a review batch; the draw goes into the review log. */
export function drawAndStoreSample(
  ws: Workspace,
  query: Query,
  method: SampleMethod,
  seed: string,
  author: Reviewer,
  name = '',
): StoredSample {
  const createdAt = new Date().toISOString();
  return ws.db
    .transaction(() => {
      const draw = computeSample(ws, query, method, seed);
      const label = name.trim() || `Sample of ${draw.query || 'all entries'} (seed ${seed})`;
      const id = Number(
        ws.db
          .prepare(
            `INSERT INTO samples (name, created_at, author_name, author_email, query, method, parameters, seed, algorithm, population, population_fingerprint, size)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            label,
            createdAt,
            author.name,
            author.email,
            draw.query,
            method.method,
            JSON.stringify(method),
            seed,
            draw.algorithm,
            draw.population,
            draw.populationFingerprint,
            draw.entryIds.length,
          ).lastInsertRowid,
      );
      const insert = ws.db.prepare(
        'INSERT INTO sample_entries (sample_id, position, entry_id) VALUES (?, ?, ?)',
      );
      draw.entryIds.forEach((entryId, position) => insert.run(id, position, entryId));
      appendReviewLog(ws, {
        actor: author,
        action: 'sample.drawn',
        at: createdAt,
        details: {
          sampleId: id,
          query: draw.query,
          method: { ...method },
          seed,
          algorithm: draw.algorithm,
          population: draw.population,
          populationFingerprint: draw.populationFingerprint,
          size: draw.entryIds.length,
        },
      });
      return { ...draw, id, name: label, createdAt, author };
    })
    .immediate();
}

interface SampleRow {
  id: number;
  name: string;
  created_at: string;
  author_name: string;
  author_email: string | null;
  query: string;
  parameters: string;
  seed: string;
  algorithm: string;
  population: number;
  population_fingerprint: string;
}

function rowToSample(ws: Workspace, row: SampleRow): StoredSample {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    author: { name: row.author_name, email: row.author_email },
    query: row.query,
    method: JSON.parse(row.parameters) as SampleMethod,
    seed: row.seed,
    algorithm: row.algorithm,
    population: row.population,
    populationFingerprint: row.population_fingerprint,
    entryIds: ws.db
      .prepare('SELECT entry_id FROM sample_entries WHERE sample_id = ? ORDER BY position')
      .pluck()
      .all(row.id) as string[],
  };
}

const SELECT_SAMPLE =
  'SELECT id, name, created_at, author_name, author_email, query, parameters, seed, algorithm, population, population_fingerprint FROM samples';

export function getSample(ws: Workspace, id: number): StoredSample | null {
  const row = ws.db.prepare(`${SELECT_SAMPLE} WHERE id = ?`).get(id) as SampleRow | undefined;
  return row === undefined ? null : rowToSample(ws, row);
}

export function listSamples(ws: Workspace): StoredSample[] {
  return (ws.db.prepare(`${SELECT_SAMPLE} ORDER BY id`).all() as SampleRow[]).map((r) =>
    rowToSample(ws, r),
  );
}

export interface SampleProgress {
  size: number;
  reviewed: number;
  exceptions: number;
  followUp: number;
  /** Still unreviewed (follow-ups are counted apart: they are looked at but not closed). */
  remaining: number;
}

/** Progress of a review batch from the current annotations of its entries. */
export function sampleProgress(ws: Workspace, sampleId: number): SampleProgress {
  const rows = ws.db
    .prepare(
      `SELECT coalesce(a.status, 'unreviewed') AS status, count(*) AS n
       FROM sample_entries s LEFT JOIN annotations a ON a.entry_id = s.entry_id
       WHERE s.sample_id = ? GROUP BY 1`,
    )
    .all(sampleId) as { status: string; n: number }[];
  const n = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
  return {
    size: rows.reduce((sum, r) => sum + r.n, 0),
    reviewed: n('reviewed'),
    exceptions: n('exception'),
    followUp: n('follow_up'),
    remaining: n('unreviewed'),
  };
}

export interface RedrawCheck {
  sampleId: number;
  /** The population now, by the stored query. */
  population: number;
  populationFingerprint: string;
  /** Same fingerprint as when drawn: the population is exactly the one sampled. */
  populationMatches: boolean;
  /** Drawing again with the stored seed gives the stored entries in the same order. */
  sampleMatches: boolean;
}

/**
 * Re-draws a stored sample from its query, method and seed on today's data: proves the population
 * unchanged (fingerprint) and the draw reproducible.
 */
export function redrawSample(ws: Workspace, sampleId: number): RedrawCheck | null {
  const stored = getSample(ws, sampleId);
  if (stored === null) return null;
  // The stored query is canonical text (formatQuery), which parses back to the same query.
  const parsed = parseQuery(stored.query);
  if (!parsed.ok) throw usageError(`sample ${sampleId} holds a query that no longer parses`);
  const again = computeSample(ws, parsed.query, stored.method, stored.seed);
  return {
    sampleId,
    population: again.population,
    populationFingerprint: again.populationFingerprint,
    populationMatches: again.populationFingerprint === stored.populationFingerprint,
    sampleMatches:
      again.entryIds.length === stored.entryIds.length &&
      again.entryIds.every((id, i) => id === stored.entryIds[i]),
  };
}
