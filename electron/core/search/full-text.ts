// What the full-text index (SQLite FTS5, migration 0004) holds for an entry, and how typed text is
// turned into FTS5 query syntax. The import builds the column texts next to the verifier (in its
// worker for large files) so that the storing thread only hands them to SQLite.
import type { Entry, JsonValue } from '../../../shared/entry';
import { userAgentWords } from './user-agent-words';

/**
 * The FTS5 table over `entries` (rowid = `entries.seq`, so `ORDER BY rowid DESC` is newest first).
 * Contentless (`content=''`): it holds only the index, the text is in the signed line. Columns:
 * `action` (`booking.cancelled`), `actor` (name and e-mail), `entity` (the label, `Booking #1234`),
 * `changes` (field names, old and new values), `ip`, `agent` (browser, OS, device of the user agent),
 * `metadata` (values). Tokenizer `unicode61 remove_diacritics 2` (case and accents folded, any
 * character that is not a letter or digit separates words); no prefix index (a prefix query merges
 * the terms that start with it). docs/search.md ("Full-text index") says why.
 */
export const FTS_TABLE = 'entries_fts';

export const FTS_COLUMNS = [
  'action',
  'actor',
  'entity',
  'changes',
  'ip',
  'agent',
  'metadata',
] as const;

/** One entry's column texts, in FTS_COLUMNS order (null: nothing to index). */
export type FullTextColumns = [
  action: string,
  actor: string,
  entity: string,
  changes: string | null,
  ip: string | null,
  agent: string | null,
  metadata: string | null,
];

/** An ISO 8601 date-time: indexed as its date only (the time's digits would be noise words). */
const ISO_INSTANT = /^(\d{4}-\d\d-\d\d)[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?$/;

function valueWords(value: JsonValue, out: string[]): void {
  if (value === null) return;
  if (typeof value === 'string') {
    const instant = ISO_INSTANT.exec(value);
    out.push(instant === null ? value : instant[1]!);
  } else if (typeof value === 'object') {
    for (const item of Array.isArray(value) ? value : Object.values(value)) valueWords(item, out);
  } else out.push(String(value));
}

/**
 * Text as the tokenizer must see it: composed (NFC), so that an accent typed or stored as a
 * separate combining mark (`e` + U+0301) folds like `é` instead of splitting the word (FTS5's
 * unicode61 treats a lone mark as a separator). Typed text is composed alike (ftsString).
 */
const composed = (text: string) => text.normalize('NFC');

/** Parts joined by a newline: a separator for the tokenizer, so no word spans two values. */
const joined = (parts: string[]) => (parts.length === 0 ? null : composed(parts.join('\n')));

export function fullTextColumns(entry: Entry): FullTextColumns {
  const changes: string[] = [];
  for (const change of entry.changes) {
    changes.push(change.field);
    valueWords(change.old, changes);
    valueWords(change.new, changes);
  }
  const metadata: string[] = [];
  valueWords(entry.metadata, metadata);
  const { actor } = entry;
  return [
    entry.action,
    composed(actor.email === null ? actor.name : `${actor.name}\n${actor.email}`),
    composed(entry.entity.label),
    joined(changes),
    entry.ip,
    entry.userAgent === null ? null : userAgentWords(entry.userAgent),
    joined(metadata),
  ];
}

/**
 * Typed text as one FTS5 string: double quotes doubled, so nothing the user types is FTS5 syntax.
 * FTS5 tokenizes the string as it does the indexed text: several words make a phrase
 * (`booking.cancelled` → `booking` then `cancelled`).
 */
export function ftsString(text: string): string {
  return `"${composed(text).replaceAll('"', '""')}"`;
}
