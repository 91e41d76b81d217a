// Property tests demanded by the search issue: any input parses or fails cleanly and fast, and the
// canonical text of any query reads back to the same query.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../entry';
import { REVIEW_STATUSES, type CalendarDate, type Clause, type DateSpec, type Query } from './ast';
import { isEmptyDays, specDays } from './dates';
import { queryDays } from './filters';
import { formatQuery, isBareWord } from './format';
import { parseIpValue } from './ip';
import { MAX_QUERY_LENGTH, parseQuery } from './parse';

const FRAGMENTS = [
  ...['user:', 'USER:', 'action:', 'category:', 'entity:', 'ip:', 'status:', 'tag:', 'usr:'],
  ...['after:', 'before:', 'on:', 'date:', 'Date:', 'http:', 'created:'],
  ...['"', '"', '\\', '\\"', '\\\\', '-', '--', ':', '::', '.', '..', '*', '/', '/24', '/129'],
  ...['2026-01-01', '2026-13-01', '2026-02-29', '2026-02', '2026', '0000', '>=', '<', '>', '<='],
  ...['203.0.113.', '203.0.113.7', '256.1.1.1', '2001:db8::', 'fe80::1', '::ffff:1.2.3.4'],
  ...['booking.*', 'booking', 'bookings', 'follow-up', 'reviewed', 'booking:1234', '#1234'],
  ...[' ', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2028', '\u3000', '\ufeff'],
  ...['é', 'Réyes', '🙂', '\ud800', '\udc00', '\u0000', '\u202e', 'ß', 'İ'],
  ...['OR', 'AND', 'NOT', 'x', 'Dana Reyes', 'a'.repeat(60), '"'.repeat(7), '\\'.repeat(9)],
];

const fragment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
);

const input = fc.oneof(
  { weight: 12, arbitrary: fc.array(fragment, { maxLength: 24 }).map((a) => a.join('')) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  // Long inputs, on both sides of the length limit.
  {
    weight: 1,
    arbitrary: fc.array(fragment, { minLength: 200, maxLength: 1500 }).map((a) => a.join('')),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('"', 'a', 'user:"', 'a ', '\\', '- '),
        fc.integer({ min: 1, max: 7000 }),
      )
      .map(([s, n]) => s.repeat(n)),
  },
);

describe('parseQuery on any input', () => {
  it(
    'never throws, errors point inside the input on one line, each parse < 100 ms, and ' +
      'the canonical text of an accepted query reads back the same (100,000 inputs)',
    () => {
      let slowest = 0;
      let accepted = 0;
      fc.assert(
        fc.property(input, (text) => {
          const t0 = performance.now();
          const r = parseQuery(text);
          const ms = performance.now() - t0;
          slowest = Math.max(slowest, ms);
          expect(ms).toBeLessThan(100);
          if (!r.ok) {
            const { message, position, length } = r.error;
            expect(Number.isInteger(position) && Number.isInteger(length)).toBe(true);
            expect(position).toBeGreaterThanOrEqual(0);
            expect(length).toBeGreaterThanOrEqual(0);
            expect(position + length).toBeLessThanOrEqual(text.length);
            expect(message).not.toMatch(/[\n\r\u2028\u2029]/);
            expect(message.length).toBeGreaterThan(0);
            expect(message.length).toBeLessThan(300);
            expect(message.startsWith('internal error')).toBe(false);
            return;
          }
          accepted++;
          const canonical = formatQuery(r.query);
          // Canonical text can be a little longer (action:booking → action:booking.*).
          if (canonical.length > MAX_QUERY_LENGTH) return;
          const again = parseQuery(canonical);
          expect(again).toEqual({ ok: true, query: r.query });
          expect(formatQuery(r.query)).toBe(canonical);
        }),
        { numRuns: 100_000 },
      );
      expect(slowest).toBeLessThan(100);
      // The generator must reach the accepting paths too, not only errors.
      expect(accepted).toBeGreaterThan(10_000);
    },
    120_000,
  );
});

// --- Generated ASTs -------------------------------------------------------------------------

const anyText = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 });
const nonBlank = anyText.filter((s) => s.trim() !== '');
const negated = fc.boolean();
const code = fc.stringMatching(/^[a-z0-9_]{1,8}$/);
const typeName = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);

const calendarDate: fc.Arbitrary<CalendarDate> = fc
  .tuple(
    fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
    fc.constantFrom(4, 7, 10),
  )
  .map(([d, n]) => d.toISOString().slice(0, n));

const dateSpec: fc.Arbitrary<DateSpec> = fc
  .oneof(
    fc.record({
      op: fc.constantFrom('on', 'after', 'before'),
      date: calendarDate,
    }) as fc.Arbitrary<DateSpec>,
    fc
      .record({ from: fc.option(calendarDate), to: fc.option(calendarDate) })
      .filter((r) => r.from !== null || r.to !== null)
      .map((r) => ({ op: 'range' as const, from: r.from, to: r.to })),
  )
  .filter((spec) => !isEmptyDays(specDays(spec)));

const ipMatch = fc
  .oneof(
    fc.array(fc.nat(255), { minLength: 4, maxLength: 4 }).map((b) => b.join('.')),
    fc
      .array(fc.nat(0xffff), { minLength: 8, maxLength: 8 })
      .map((g) => g.map((x) => x.toString(16)).join(':')),
    fc
      .tuple(fc.array(fc.nat(255), { minLength: 1, maxLength: 3 }), fc.boolean())
      .map(([b, star]) => `${b.join('.')}.${star ? '*' : ''}`),
    fc.tuple(fc.array(fc.nat(255), { minLength: 4, maxLength: 4 }), fc.nat(32)).map(([b, n]) => {
      const bits = b.flatMap((x) => x.toString(2).padStart(8, '0').split('').map(Number));
      const masked = bits.map((x, i) => (i < n ? x : 0));
      const bytes = [0, 1, 2, 3].map((i) => parseInt(masked.slice(i * 8, i * 8 + 8).join(''), 2));
      return `${bytes.join('.')}/${n}`;
    }),
    fc
      .tuple(fc.nat(0xffff), fc.nat(0xffff))
      .map(([a, b]) => `${a.toString(16)}:${b.toString(16)}::/32`),
  )
  .map((text) => {
    const r = parseIpValue(text);
    if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
    return r.value;
  });

const clause: fc.Arbitrary<Clause> = fc.oneof(
  fc.record({
    kind: fc.constant('text' as const),
    negated,
    text: anyText.filter(isBareWord),
    phrase: fc.constant(false),
  }),
  fc.record({
    kind: fc.constant('text' as const),
    negated,
    text: nonBlank,
    phrase: fc.constant(true),
  }),
  fc.record({ kind: fc.constant('user' as const), negated, value: nonBlank }),
  fc.record({ kind: fc.constant('tag' as const), negated, value: nonBlank }),
  fc.record({
    kind: fc.constant('action' as const),
    negated,
    value: fc.tuple(code, code).map(([n, v]) => `${n}.${v}`),
    prefix: fc.constant(false),
  }),
  fc.record({
    kind: fc.constant('action' as const),
    negated,
    value: fc.oneof(
      code,
      fc.tuple(code, fc.stringMatching(/^[a-z0-9_]{0,6}$/)).map(([n, v]) => `${n}.${v}`),
    ),
    prefix: fc.constant(true),
  }),
  fc.record({
    kind: fc.constant('category' as const),
    negated,
    value: fc.constantFrom(...CATEGORIES),
  }),
  fc.record({
    kind: fc.constant('status' as const),
    negated,
    value: fc.constantFrom(...REVIEW_STATUSES),
  }),
  fc.record({
    kind: fc.constant('entity' as const),
    negated,
    match: fc.oneof(
      typeName.map((type) => ({ by: 'type' as const, type })),
      fc
        .tuple(
          typeName,
          anyText.filter((s) => !/\s/.test(s)),
        )
        .map(([type, id]) => ({ by: 'id' as const, type, id })),
      nonBlank
        .filter((s) => !/^[A-Za-z][A-Za-z0-9_]*(:(\S*))?$/.test(s))
        .map((label) => ({ by: 'label' as const, label })),
    ),
  }),
  fc.record({ kind: fc.constant('ip' as const), negated, match: ipMatch }),
  fc.record({
    kind: fc.constant('date' as const),
    negated: fc.constant(false as const),
    spec: dateSpec,
  }),
);

const query: fc.Arbitrary<Query> = fc
  .array(clause, { maxLength: 8 })
  .map((clauses) => ({ clauses }))
  .filter((q) => !isEmptyDays(queryDays(q)));

describe('formatQuery', () => {
  it('prints any query so that it parses back to the same AST (property)', () => {
    fc.assert(
      fc.property(query, (q) => {
        const text = formatQuery(q);
        expect(parseQuery(text)).toEqual({ ok: true, query: q });
      }),
      { numRuns: 20_000 },
    );
  });
});
