// The workspace's distinct terms, each with a kind and a frequency: what the vocabulary index
// (vocabulary.ts) is built from. Words come from the full-text index's own vocabulary (an fts5vocab
// table over it), so an expansion only ever names terms FTS5 can find; users, actions, entity
// labels and IPs come from the entries and actors tables through their indexes.
import type { Database } from 'better-sqlite3';

/** The kinds the filter bar suggests (shared/api SuggestionKind). */
export const TERM_KINDS = ['word', 'user', 'action', 'entity', 'ip'] as const;
export type TermKind = (typeof TERM_KINDS)[number];

export interface VocabularyTerm {
  kind: TermKind;
  /** The term as FTS5 stores it (words), or the value a filter takes (name, action, label, IP). */
  value: string;
  /** Entries it occurs in (documents for words). */
  count: number;
  /** Other texts that find it: a user's id and e-mail. */
  also?: string[];
}

/** Which data a vocabulary covers: it is current only while every figure here is unchanged. */
export interface DataVersion {
  schema: number;
  bundles: number;
  maxBundleRef: number;
  entries: number;
  maxSeq: number;
}

export function readDataVersion(db: Database): DataVersion {
  const row = db
    .prepare(
      `SELECT count(*) AS bundles, coalesce(max(ref), 0) AS maxBundleRef,
              coalesce(sum(entry_count), 0) AS entries, coalesce(max(last_seq), 0) AS maxSeq
         FROM bundles`,
    )
    .get() as Omit<DataVersion, 'schema'>;
  return { schema: db.pragma('user_version', { simple: true }) as number, ...row };
}

export function sameDataVersion(a: DataVersion, b: DataVersion): boolean {
  return (
    a.schema === b.schema &&
    a.bundles === b.bundles &&
    a.maxBundleRef === b.maxBundleRef &&
    a.entries === b.entries &&
    a.maxSeq === b.maxSeq
  );
}

/**
 * Words worth typo tolerance: no digit (ids, request ids, amounts and dates are matched exactly or
 * by prefix, never "corrected"), a letter, 2 to 40 characters. This keeps the index to the
 * workspace's language (names, actions, labels, notes) instead of its millions of identifiers.
 */
export function isWordTerm(term: string): boolean {
  return term.length >= 2 && term.length <= 40 && !/\p{Nd}/u.test(term) && /\p{L}/u.test(term);
}

export interface CollectOptions {
  /** The FTS5 table whose vocabulary gives the words; null when there is none (no words then). */
  ftsTable: string | null;
}

const VOCAB_TABLE = 'audit_vocabulary_rows';
const LONG_ONCE = 12;

/** Every term, read in one read transaction with the data version it reflects. */
export function collectTerms(
  db: Database,
  { ftsTable }: CollectOptions,
): { terms: VocabularyTerm[]; version: DataVersion } {
  return db.transaction(() => ({
    version: readDataVersion(db),
    terms: [
      ...(ftsTable === null ? [] : words(db, ftsTable)),
      ...users(db),
      ...grouped(db, 'action', 'action'),
      ...grouped(db, 'ip', 'ip'),
      ...entities(db),
    ],
  }))();
}

function words(db: Database, ftsTable: string): VocabularyTerm[] {
  // A TEMP fts5vocab table (allowed on a read-only connection) over the main schema's FTS table;
  // 'row' gives each term's number of documents. The table name cannot be a parameter: it is ours.
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(ftsTable)) throw new Error(`bad FTS table name ${ftsTable}`);
  db.exec(
    `CREATE VIRTUAL TABLE IF NOT EXISTS temp.${VOCAB_TABLE} USING fts5vocab(main, ${ftsTable}, row)`,
  );
  const out: VocabularyTerm[] = [];
  // Terms are folded lower case: every word term starts at or after 'a'; the ones before start with
  // a digit (ids, amounts, dates: about 40 % of the vocabulary), skipped by the range for free.
  for (const row of db
    .prepare(`SELECT term, doc FROM temp.${VOCAB_TABLE} WHERE term >= 'a'`)
    .iterate() as Iterable<{
    term: string;
    doc: number;
  }>) {
    // A long word seen once is almost always the letters of a random id (`req_…` without a digit,
    // 0.5 % of them): left out, FTS5 still finds it typed exactly.
    if (row.doc === 1 && row.term.length >= LONG_ONCE) continue;
    if (isWordTerm(row.term)) out.push({ kind: 'word', value: row.term, count: row.doc });
  }
  return out;
}

function users(db: Database): VocabularyTerm[] {
  const rows = db
    .prepare(
      `SELECT a.id, a.name, a.email, coalesce(c.n, 0) AS count
         FROM actors a
         LEFT JOIN (SELECT actor_id, count(*) AS n FROM entries GROUP BY actor_id) c
           ON c.actor_id = a.id`,
    )
    .all() as { id: string; name: string; email: string | null; count: number }[];
  return rows.map((r) => ({
    kind: 'user',
    value: r.name,
    count: r.count,
    also: r.email === null ? [r.id] : [r.id, r.email],
  }));
}

/** Distinct values of an indexed column with their counts (a covering index scan, no table read). */
function grouped(db: Database, column: 'action' | 'ip', kind: TermKind) {
  return (
    db
      .prepare(
        `SELECT ${column} AS value, count(*) AS count FROM entries WHERE ${column} IS NOT NULL GROUP BY ${column}`,
      )
      .all() as { value: string; count: number }[]
  ).map((r): VocabularyTerm => ({ kind, value: r.value, count: r.count }));
}

/**
 * Entity labels are not a column: each entity's newest label is read from its newest entry's signed
 * line (the entity index gives type, id, count and newest seq without reading the table).
 */
function entities(db: Database): VocabularyTerm[] {
  const label = db
    .prepare(`SELECT json_extract(raw, '$.entity.label') FROM entries WHERE seq = ?`)
    .pluck();
  const groups = db
    .prepare(
      `SELECT count(*) AS count, max(seq) AS newest
         FROM entries GROUP BY entity_type, entity_id`,
    )
    .all() as { count: number; newest: number }[];
  // Read in seq order: the signed lines are then fetched page after page, not at random.
  groups.sort((a, b) => a.newest - b.newest);
  const byLabel = new Map<string, VocabularyTerm>();
  for (const row of groups) {
    const value = label.get(row.newest);
    if (typeof value !== 'string' || value.length === 0) continue;
    // Two entities may share a label: one suggestion, counts added.
    const known = byLabel.get(value);
    if (known) known.count += row.count;
    else byLabel.set(value, { kind: 'entity', value, count: row.count });
  }
  return [...byLabel.values()];
}
