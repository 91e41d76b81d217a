// The search query AST, shared by the CLI and the renderer (docs/search.md "Query syntax").
// A query is a flat list of clauses in the order they were typed: the UI can turn each one into a
// chip and the core groups them (filters.ts). Clauses carry no source positions so that a query
// and its canonical text (format.ts) compare equal; positions only matter for errors.
import type { Category } from '../entry';

/** Review statuses an annotation can set (the review issue owns their meaning). */
export const REVIEW_STATUSES = ['unreviewed', 'reviewed', 'exception', 'follow_up'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** Qualifier names as typed (case-insensitive) and printed (lower case). */
export const QUALIFIERS = [
  'user',
  'action',
  'category',
  'entity',
  'ip',
  'status',
  'tag',
  'after',
  'before',
  'on',
  'date',
] as const;
export type QualifierName = (typeof QUALIFIERS)[number];

/**
 * A calendar date in the tenant's time zone, as typed: `YYYY-MM-DD`, `YYYY-MM` (the whole month)
 * or `YYYY` (the whole year). Never an instant: filters.ts resolves it with the tenant's zone.
 */
export type CalendarDate = string;

/** Free text: a bare word (`refund`) or a quoted phrase (`"Booking #1234"`). */
export interface TextClause {
  kind: 'text';
  negated: boolean;
  text: string;
  /** Typed in quotes: matched exactly (no prefix or typo expansion), words in order. */
  phrase: boolean;
}

/** `user:` matches the actor's id exactly, or the actor's e-mail or full name ignoring case. */
export interface UserClause {
  kind: 'user';
  negated: boolean;
  value: string;
}

/**
 * `action:booking.cancelled` (exact) or, with `prefix`, every action starting with `value`:
 * `action:booking`, `action:booking.`, `action:booking.*` all give `{ value: 'booking.', prefix }`.
 * Lower case, like the actions themselves.
 */
export interface ActionClause {
  kind: 'action';
  negated: boolean;
  value: string;
  prefix: boolean;
}

export interface CategoryClause {
  kind: 'category';
  negated: boolean;
  value: Category;
}

/**
 * `entity:booking` (every booking), `entity:booking:1234` (one record by type and id),
 * `entity:"Booking #1234"` (by its label, ignoring case). Types are lower case.
 */
export type EntityMatch =
  | { by: 'type'; type: string }
  | { by: 'id'; type: string; id: string }
  | { by: 'label'; label: string };

export interface EntityClause {
  kind: 'entity';
  negated: boolean;
  match: EntityMatch;
}

/**
 * An address or network. `address` is canonical (IPv4 dotted decimal, IPv6 per RFC 5952) with the
 * bits past `prefixLength` zero. `form` keeps how it was typed so printing gives it back:
 * `exact` (203.0.113.7, prefixLength 32/128), `prefix` (203.0.113.* = /24, IPv4 octets only),
 * `cidr` (203.0.113.0/24, 2001:db8::/32).
 */
export interface IpMatch {
  version: 4 | 6;
  address: string;
  prefixLength: number;
  form: 'exact' | 'prefix' | 'cidr';
}

export interface IpClause {
  kind: 'ip';
  negated: boolean;
  match: IpMatch;
}

export interface StatusClause {
  kind: 'status';
  negated: boolean;
  value: ReviewStatus;
}

/** `tag:` matches a review tag ignoring case. */
export interface TagClause {
  kind: 'tag';
  negated: boolean;
  value: string;
}

/**
 * Dates, in local calendar days of the tenant's zone. `after`/`before` are strict (the day itself
 * is not included: `after:2026-01-31` starts on February 1st); `range` is inclusive at both ends
 * and either end may be open. `date:>=D` and `date:<=D` parse to open ranges, `date:>D` and
 * `date:<D` to after/before, `date:D` to on. Dates cannot be negated.
 */
export type DateSpec =
  | { op: 'on'; date: CalendarDate }
  | { op: 'after'; date: CalendarDate }
  | { op: 'before'; date: CalendarDate }
  | { op: 'range'; from: CalendarDate | null; to: CalendarDate | null };

export interface DateClause {
  kind: 'date';
  negated: false;
  spec: DateSpec;
}

export type Clause =
  | TextClause
  | UserClause
  | ActionClause
  | CategoryClause
  | EntityClause
  | IpClause
  | StatusClause
  | TagClause
  | DateClause;

/** An empty clause list matches every entry. */
export interface Query {
  clauses: Clause[];
}

/** Where the problem is: `position` is a UTF-16 offset into the query text, `length` ≥ 0. */
export interface QueryError {
  message: string;
  position: number;
  length: number;
}

export type ParseResult = { ok: true; query: Query } | { ok: false; error: QueryError };
