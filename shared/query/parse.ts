// parseQuery: query text → AST, or one error with its position. Never throws.
//
// Why no parser library (peggy, chevrotain, nearley...): the grammar is one flat list of terms
// with a handful of value forms, so a hand-written scanner plus one function per qualifier is
// shorter than a grammar file, adds no dependency to the renderer bundle, runs in linear time on
// any input, and lets every error say exactly what is wrong and where (generated parsers report
// "expected X, Y or Z" at a character, which is no help to a reviewer typing in a filter bar).
import { CATEGORIES, type Category } from '../entry';
import {
  QUALIFIERS,
  REVIEW_STATUSES,
  type Clause,
  type EntityMatch,
  type ParseResult,
  type QualifierName,
  type QueryError,
  type ReviewStatus,
} from './ast';
import { intersectDays, isEmptyDays, parseDateValue, specDays, type LocalDays } from './dates';
import { parseIpValue } from './ip';
import { closest, show, type ValueResult } from './messages';
import { scan, type RawTerm } from './scan';

/** Longer queries are refused (position at the limit): nobody types this much, and it bounds work. */
export const MAX_QUERY_LENGTH = 10_000;

/** Names people bring from other tools, pointed to ours instead of being silently accepted. */
const HINTS = new Map<string, QualifierName>(
  Object.entries({
    actor: 'user',
    author: 'user',
    by: 'user',
    email: 'user',
    created: 'date',
    since: 'after',
    from: 'after',
    until: 'before',
    to: 'before',
    label: 'tag',
    type: 'entity',
    record: 'entity',
    address: 'ip',
    state: 'status',
    is: 'status',
    cat: 'category',
  }) as [string, QualifierName][],
);

const EXAMPLES: Record<QualifierName, string> = {
  user: '"Dana Reyes"',
  action: 'booking.*',
  category: 'bookings',
  entity: 'booking:1234',
  ip: '203.0.113.0/24',
  status: 'reviewed',
  tag: 'sox',
  after: '2026-01-01',
  before: '2026-02-01',
  on: '2026-01-15',
  date: '2026-01-01..2026-01-31',
};

// Maps, not object literals: a word like `constructor` must not find Object.prototype's.
const OPERATORS = new Map(
  Object.entries({
    OR: 'OR is not supported (repeat a qualifier to match either value, e.g. user:a user:b; quote "OR" to search for the word)',
    AND: 'AND is not needed: terms are always combined with AND (quote "AND" to search for the word)',
    NOT: 'NOT is not supported (put - before a term to exclude it, e.g. -word; quote "NOT" to search for the word)',
  }),
);

export const ENTITY_TYPE = /^[A-Za-z][A-Za-z0-9_]*$/;
export const ENTITY_TYPE_ID = /^([A-Za-z][A-Za-z0-9_]*):(\S+)$/;
const ENTITY_TYPE_COLON = /^[A-Za-z][A-Za-z0-9_]*:$/;
const ACTION = /^[a-z0-9_]+(\.[a-z0-9_]*)?\*?$/;

type Built = ValueResult<Clause>;

function valueError(message: string): Built {
  return { ok: false, error: { message, offset: 0, length: Infinity } };
}

function oneOf<T extends string>(
  what: string,
  typed: string,
  normal: string,
  choices: readonly T[],
): ValueResult<T> {
  if ((choices as readonly string[]).includes(normal)) return { ok: true, value: normal as T };
  const guess = closest(normal, choices);
  const hint = guess ? `did you mean ${guess}?` : `one of ${choices.join(', ')}`;
  return {
    ok: false,
    error: { message: `unknown ${what} ${show(typed)} (${hint})`, offset: 0, length: Infinity },
  };
}

function buildEntity(value: string): ValueResult<EntityMatch> {
  if (ENTITY_TYPE.test(value))
    return { ok: true, value: { by: 'type', type: value.toLowerCase() } };
  const m = ENTITY_TYPE_ID.exec(value);
  if (m) return { ok: true, value: { by: 'id', type: m[1]!.toLowerCase(), id: m[2]! } };
  if (ENTITY_TYPE_COLON.test(value))
    return {
      ok: false,
      error: {
        message: `missing entity id after ${show(value)} (e.g. entity:booking:1234)`,
        offset: 0,
        length: Infinity,
      },
    };
  return { ok: true, value: { by: 'label', label: value } };
}

function buildAction(typed: string, negated: boolean): Built {
  const v = typed.toLowerCase();
  if (!ACTION.test(v)) {
    // Positions come from what was typed (lower-casing can change a string's length).
    const star = typed.indexOf('*');
    if (star >= 0 && star < typed.length - 1)
      return {
        ok: false,
        error: {
          message: '"*" can only end an action (e.g. action:booking.*)',
          offset: star,
          length: 1,
        },
      };
    return valueError(
      `invalid action ${show(typed)} (e.g. action:booking.cancelled or action:booking.*)`,
    );
  }
  if (v.endsWith('*'))
    return { ok: true, value: { kind: 'action', negated, value: v.slice(0, -1), prefix: true } };
  if (!v.includes('.'))
    return { ok: true, value: { kind: 'action', negated, value: `${v}.`, prefix: true } };
  return { ok: true, value: { kind: 'action', negated, value: v, prefix: v.endsWith('.') } };
}

/** One clause from a qualifier term whose name is known. Errors are relative to the value. */
function buildQualified(name: QualifierName, term: RawTerm): Built {
  const { value, negated } = term;
  if (value.trim() === '') return valueError(`empty value for ${name}:`);
  switch (name) {
    case 'user':
      return { ok: true, value: { kind: 'user', negated, value } };
    case 'tag':
      return { ok: true, value: { kind: 'tag', negated, value } };
    case 'action':
      return buildAction(value, negated);
    case 'category': {
      const c = oneOf<Category>('category', value, value.toLowerCase(), CATEGORIES);
      return c.ok ? { ok: true, value: { kind: 'category', negated, value: c.value } } : c;
    }
    case 'status': {
      const normal = value.toLowerCase().replace(/-/g, '_');
      const s = oneOf<ReviewStatus>('status', value, normal, REVIEW_STATUSES);
      return s.ok ? { ok: true, value: { kind: 'status', negated, value: s.value } } : s;
    }
    case 'entity': {
      const e = buildEntity(value);
      return e.ok ? { ok: true, value: { kind: 'entity', negated, match: e.value } } : e;
    }
    case 'ip': {
      const ip = parseIpValue(value);
      return ip.ok ? { ok: true, value: { kind: 'ip', negated, match: ip.value } } : ip;
    }
    case 'after':
    case 'before':
    case 'on':
    case 'date': {
      const d = parseDateValue(name, value);
      return d.ok ? { ok: true, value: { kind: 'date', negated: false, spec: d.value } } : d;
    }
  }
}

function unknownQualifier(name: string): string {
  const lower = name.toLowerCase();
  const guess = HINTS.get(lower) ?? closest(lower, QUALIFIERS);
  const shown = show(`${name}:`);
  if (guess) return `unknown qualifier ${shown} (did you mean ${guess}:?)`;
  return `unknown qualifier ${shown} (known: ${QUALIFIERS.map((q) => `${q}:`).join(' ')}; quote the term to search for the text)`;
}

/** The clause for one term, or an error with its absolute position. */
function buildTerm(term: RawTerm): { ok: true; clause: Clause } | { ok: false; error: QueryError } {
  const valueLength = term.valueEnd - term.valueStart;
  if (term.name === null) {
    if (!term.quoted && OPERATORS.has(term.value))
      return {
        ok: false,
        error: {
          message: OPERATORS.get(term.value)!,
          position: term.valueStart,
          length: valueLength,
        },
      };
    if (term.quoted && term.value.trim() === '')
      return {
        ok: false,
        error: { message: 'empty phrase', position: term.valueStart, length: valueLength },
      };
    return {
      ok: true,
      clause: { kind: 'text', negated: term.negated, text: term.value, phrase: term.quoted },
    };
  }
  const name = term.name.toLowerCase();
  if (!(QUALIFIERS as readonly string[]).includes(name))
    return {
      ok: false,
      error: {
        message: unknownQualifier(term.name),
        position: term.nameStart,
        length: term.name.length + 1,
      },
    };
  const qualifier = name as QualifierName;
  if (!term.quoted && term.value === '') {
    const message = `missing value after ${show(`${term.name}:`)} (e.g. ${qualifier}:${EXAMPLES[qualifier]}, no space after the colon)`;
    return {
      ok: false,
      error: { message, position: term.nameStart, length: term.name.length + 1 },
    };
  }
  if (
    term.negated &&
    (qualifier === 'after' || qualifier === 'before' || qualifier === 'on' || qualifier === 'date')
  )
    return {
      ok: false,
      error: {
        message: `dates cannot be excluded (use after:, before: or date:A..B instead of -${qualifier}:)`,
        position: term.start,
        length: term.end - term.start,
      },
    };
  const built = buildQualified(qualifier, term);
  if (built.ok) return { ok: true, clause: built.value };
  // Inside quotes, offsets of the unescaped value do not map to the text: underline it all.
  const { offset, length } = built.error;
  if (term.quoted || length === Infinity)
    return {
      ok: false,
      error: { message: built.error.message, position: term.valueStart, length: valueLength },
    };
  return {
    ok: false,
    error: { message: built.error.message, position: term.valueStart + offset, length },
  };
}

function parse(text: string): ParseResult {
  if (text.length > MAX_QUERY_LENGTH)
    return {
      ok: false,
      error: {
        message: `query is too long (${text.length} characters; at most ${MAX_QUERY_LENGTH})`,
        position: MAX_QUERY_LENGTH,
        length: text.length - MAX_QUERY_LENGTH,
      },
    };
  const scanned = scan(text);
  if (!scanned.ok) return scanned;
  const clauses: Clause[] = [];
  let days: LocalDays = { from: null, to: null };
  let dated = 0;
  for (const term of scanned.terms) {
    const built = buildTerm(term);
    if (!built.ok) return built;
    const clause = built.clause;
    if (clause.kind === 'date') {
      days = intersectDays(days, specDays(clause.spec));
      dated++;
      // Contradicting dates would silently match nothing; say so where it happens.
      if (isEmptyDays(days))
        return {
          ok: false,
          error: {
            message:
              dated === 1
                ? 'no day can match this date filter'
                : 'no day is left by these date filters (they do not overlap)',
            position: term.start,
            length: term.end - term.start,
          },
        };
    }
    clauses.push(clause);
  }
  return { ok: true, query: { clauses } };
}

/**
 * Parses a search query (docs/search.md). Never throws: any input, even a non-string from
 * untyped callers, gives either the query or one error with a UTF-16 position and length.
 */
export function parseQuery(text: string): ParseResult {
  if (typeof text !== 'string')
    return { ok: false, error: { message: 'the query must be text', position: 0, length: 0 } };
  try {
    return parse(text);
  } catch (e) {
    // Unreachable by design (the property tests hunt for it); report rather than crash the UI.
    return {
      ok: false,
      error: { message: `internal error: ${show(String(e))}`, position: 0, length: text.length },
    };
  }
}
