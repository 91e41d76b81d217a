// formatQuery: AST → canonical query text that parses back to the same AST (property-tested).
// Canonical means: lower-case qualifier names, one space between terms, quotes only where needed,
// `booking.*` for action prefixes, `after:`/`before:`/`on:`/`date:A..B` for dates.
import type { Clause, DateSpec, EntityMatch, Query } from './ast';
import { formatIpMatch } from './ip';
import { qualifierColon, SPACE } from './scan';

const NEEDS_QUOTES = new RegExp(`${SPACE.source}|"`);
const OPERATOR_WORDS = new Set(['OR', 'AND', 'NOT']);

/** `"..."` with `\` and `"` escaped. */
export function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Whether `text` reads back as one free word when printed without quotes. */
export function isBareWord(text: string): boolean {
  return (
    text !== '' &&
    !NEEDS_QUOTES.test(text) &&
    !text.startsWith('-') &&
    qualifierColon(text) < 0 &&
    !OPERATOR_WORDS.has(text)
  );
}

/** A qualifier value: bare when it has no space or quote, else quoted. */
function value(text: string): string {
  return text === '' || NEEDS_QUOTES.test(text) ? quote(text) : text;
}

function entity(match: EntityMatch): string {
  if (match.by === 'type') return match.type;
  if (match.by === 'id') return value(`${match.type}:${match.id}`);
  return value(match.label);
}

function date(spec: DateSpec): string {
  switch (spec.op) {
    case 'on':
    case 'after':
    case 'before':
      return `${spec.op}:${spec.date}`;
    case 'range':
      return `date:${spec.from ?? ''}..${spec.to ?? ''}`;
  }
}

function body(clause: Clause): string {
  switch (clause.kind) {
    case 'text':
      return clause.phrase || !isBareWord(clause.text) ? quote(clause.text) : clause.text;
    case 'user':
    case 'tag':
      return `${clause.kind}:${value(clause.value)}`;
    case 'action':
      return `action:${value(clause.prefix ? `${clause.value}*` : clause.value)}`;
    case 'category':
    case 'status':
      return `${clause.kind}:${clause.value}`;
    case 'entity':
      return `entity:${entity(clause.match)}`;
    case 'ip':
      return `ip:${formatIpMatch(clause.match)}`;
    case 'date':
      return date(clause.spec);
  }
}

export function formatClause(clause: Clause): string {
  return `${clause.negated ? '-' : ''}${body(clause)}`;
}

/**
 * Canonical text of a query. For every query parseQuery returns, parseQuery(formatQuery(q))
 * gives q back. An AST built by hand that parseQuery could not have produced (a bare word with a
 * space, an exact action without a dot...) is printed as closely as the syntax allows.
 */
export function formatQuery(query: Query): string {
  return query.clauses.map(formatClause).join(' ');
}
