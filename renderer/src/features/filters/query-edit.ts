// Quick filters, facets, links and brushing all edit the query TEXT (the query bar stays the one
// source of truth): parse, change the clause list, print it canonically. A query that does not parse
// cannot be edited structurally, so the new term is appended to what was typed instead.
import {
  formatClause,
  formatQuery,
  isBareWord,
  parseQuery,
  quote,
  type Clause,
  type DateSpec,
} from '../../../../shared/query';

function clauses(text: string): Clause[] | null {
  const parsed = parseQuery(text);
  return parsed.ok ? parsed.query.clauses : null;
}

/** `qualifier:value`, the value quoted when it is not one bare word. */
export function termFor(qualifier: string, value: string): string {
  return `${qualifier}:${isBareWord(value) ? value : quote(value)}`;
}

function appendRaw(text: string, term: string): string {
  const trimmed = text.trim();
  return trimmed === '' ? term : `${trimmed} ${term}`;
}

/** Parses one term (`category:bookings`) into its clause; null when it is not one clause. */
export function clauseOf(term: string): Clause | null {
  const parsed = parseQuery(term);
  return parsed.ok && parsed.query.clauses.length === 1 ? parsed.query.clauses[0]! : null;
}

/** Whether the query holds exactly this term (compared canonically). */
export function hasTerm(text: string, term: string): boolean {
  const list = clauses(text);
  const clause = clauseOf(term);
  if (!list || !clause) return false;
  const wanted = formatClause(clause);
  return list.some((c) => formatClause(c) === wanted);
}

/** Adds the term, or removes it when the query already holds it (facet and filter toggles). */
export function toggleTerm(text: string, term: string): string {
  const list = clauses(text);
  const clause = clauseOf(term);
  if (!list || !clause) return appendRaw(text, term);
  const wanted = formatClause(clause);
  const kept = list.filter((c) => formatClause(c) !== wanted);
  if (kept.length < list.length) return formatQuery({ clauses: kept });
  return formatQuery({ clauses: [...list, clause] });
}

/** Replaces every clause of the term's kind (and negation) with the term: "show only this user". */
export function replaceKind(text: string, term: string): string {
  const list = clauses(text);
  const clause = clauseOf(term);
  if (!list || !clause) return appendRaw(text, term);
  const kept = list.filter((c) => c.kind !== clause.kind || c.negated !== clause.negated);
  return formatQuery({ clauses: [...kept, clause] });
}

/** The query with its date filters replaced by `spec` (null removes every date filter). */
export function setDates(text: string, spec: DateSpec | null): string {
  const list = clauses(text);
  const dateClause: Clause | null = spec ? { kind: 'date', negated: false, spec } : null;
  if (!list) return dateClause ? appendRaw(text, formatClause(dateClause)) : text;
  const kept = list.filter((c) => c.kind !== 'date');
  return formatQuery({ clauses: dateClause ? [...kept, dateClause] : kept });
}

/** An inclusive range of local days as the shortest date spec (`on:D` for one day). */
export function dayRange(from: string, to: string): DateSpec {
  if (from === to) return { op: 'on', date: from };
  return from < to ? { op: 'range', from, to } : { op: 'range', from: to, to: from };
}

/** The current date filter as an inclusive local-day range, when it is one `date:`/`on:` clause. */
export function currentRange(text: string): { from: string | null; to: string | null } | null {
  const list = clauses(text);
  const dates = list?.filter((c): c is Extract<Clause, { kind: 'date' }> => c.kind === 'date');
  if (!dates || dates.length !== 1) return null;
  const spec = dates[0]!.spec;
  if (spec.op === 'on' && spec.date.length === 10) return { from: spec.date, to: spec.date };
  if (spec.op === 'range') return { from: spec.from, to: spec.to };
  return null;
}

/**
 * The word the caret is in (for suggestions): its start and end offsets in the text. Quoted values
 * count as part of the word so `user:"Dana R` suggests users.
 */
export function wordAt(text: string, caret: number): { start: number; end: number; word: string } {
  let start = caret;
  let inQuote = false;
  for (let i = 0; i < caret; i++) if (text[i] === '"') inQuote = !inQuote;
  while (start > 0) {
    const ch = text[start - 1]!;
    if (!inQuote && /\s/.test(ch)) break;
    if (ch === '"' && inQuote) {
      // The opening quote of the value being typed belongs to the word.
      inQuote = false;
    }
    start--;
  }
  let end = caret;
  while (end < text.length && !/\s/.test(text[end]!) && text[end] !== '"') end++;
  return { start, end, word: text.slice(start, end) };
}

/** Replaces the word at [start, end) with `insert` and a following space; answers text and caret. */
export function insertSuggestion(
  text: string,
  start: number,
  end: number,
  insert: string,
): { text: string; caret: number } {
  const negated = text[start] === '-' && !insert.startsWith('-') ? '-' : '';
  const before = text.slice(0, start) + negated + insert;
  const after = text.slice(end).replace(/^"?/, '');
  const spaced = after.startsWith(' ') ? after : ` ${after}`;
  return { text: before + spaced.replace(/ $/, ' '), caret: before.length + 1 };
}
