import { describe, expect, it } from 'vitest';
import type { Clause } from './ast';
import { formatQuery } from './format';
import { parseQuery } from './parse';

function clauses(text: string): Clause[] {
  const r = parseQuery(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message} at ${r.error.position}`);
  return r.query.clauses;
}

function one(text: string): Clause {
  const c = clauses(text);
  expect(c).toHaveLength(1);
  return c[0]!;
}

/** The error, and the text it underlines. */
function error(text: string) {
  const r = parseQuery(text);
  if (r.ok) throw new Error(`${text} parsed: ${JSON.stringify(r.query)}`);
  const { message, position, length } = r.error;
  return { message, position, length, marked: text.slice(position, position + length) };
}

const text = (t: string, phrase = false, negated = false): Clause => ({
  kind: 'text',
  negated,
  text: t,
  phrase,
});

describe('free text', () => {
  it('matches everything when empty or blank', () => {
    expect(clauses('')).toEqual([]);
    expect(clauses(' \t\n\u00a0 ')).toEqual([]);
  });

  it('splits words on any whitespace, keeping them as typed', () => {
    expect(clauses('  Refund\tDana\u00a0Réyes\nbooking.cancelled #1234 ')).toEqual([
      text('Refund'),
      text('Dana'),
      text('Réyes'),
      text('booking.cancelled'),
      text('#1234'),
    ]);
  });

  it('reads quoted phrases with \\" and \\\\ escapes, spaces and newlines kept', () => {
    expect(clauses('"Booking #1234"')).toEqual([text('Booking #1234', true)]);
    expect(clauses('"say \\"hi\\" to C:\\\\temp"')).toEqual([text('say "hi" to C:\\temp', true)]);
    expect(clauses('"two\nlines"')).toEqual([text('two\nlines', true)]);
    expect(clauses('"user:dana"')).toEqual([text('user:dana', true)]);
    expect(clauses('"OR" "-x"')).toEqual([text('OR', true), text('-x', true)]);
  });

  it('excludes words and phrases with a leading -', () => {
    expect(clauses('-spam -"Test Booking" a-b')).toEqual([
      text('spam', false, true),
      text('Test Booking', true, true),
      text('a-b'),
    ]);
  });

  it('keeps words with colons that are not qualifiers as text (times, IPv6, no letters)', () => {
    expect(clauses('14:03 2001:db8::1 fe80::1 abcd::1 :x')).toEqual([
      text('14:03'),
      text('2001:db8::1'),
      text('fe80::1'),
      text('abcd::1'),
      text(':x'),
    ]);
  });

  it('keeps backslashes and unicode outside quotes literally', () => {
    expect(clauses('a\\b 🙂 \ud800')).toEqual([text('a\\b'), text('🙂'), text('\ud800')]);
  });
});

describe('qualifiers', () => {
  it('reads names in any case and values bare or quoted', () => {
    expect(clauses('USER:usr_42 User:"Dana Reyes" user:dana@example.com')).toEqual([
      { kind: 'user', negated: false, value: 'usr_42' },
      { kind: 'user', negated: false, value: 'Dana Reyes' },
      { kind: 'user', negated: false, value: 'dana@example.com' },
    ]);
    expect(one('user:"O\\"Brien"')).toEqual({ kind: 'user', negated: false, value: 'O"Brien' });
    expect(one('-user:system')).toEqual({ kind: 'user', negated: true, value: 'system' });
  });

  it('reads actions exactly or as prefixes, in lower case', () => {
    const action = (value: string, prefix: boolean) => ({
      kind: 'action',
      negated: false,
      value,
      prefix,
    });
    expect(one('action:booking.cancelled')).toEqual(action('booking.cancelled', false));
    expect(one('action:Booking.Cancelled')).toEqual(action('booking.cancelled', false));
    expect(one('action:booking')).toEqual(action('booking.', true));
    expect(one('action:booking.')).toEqual(action('booking.', true));
    expect(one('action:booking.*')).toEqual(action('booking.', true));
    expect(one('action:auth.login*')).toEqual(action('auth.login', true));
    expect(one('action:auth*')).toEqual(action('auth', true));
    expect(one('-action:"auth.login_failed"')).toEqual({
      ...action('auth.login_failed', false),
      negated: true,
    });
  });

  it('reads the eight categories in any case', () => {
    for (const c of ['authentication', 'bookings', 'customers', 'invoices', 'users']) {
      expect(one(`category:${c.toUpperCase()}`)).toEqual({
        kind: 'category',
        negated: false,
        value: c,
      });
    }
    expect(one('-category:"settings"')).toEqual({
      kind: 'category',
      negated: true,
      value: 'settings',
    });
  });

  it('reads entities by type, by type and id, or by label', () => {
    expect(one('entity:Booking')).toEqual({
      kind: 'entity',
      negated: false,
      match: { by: 'type', type: 'booking' },
    });
    expect(one('entity:booking:1234')).toEqual({
      kind: 'entity',
      negated: false,
      match: { by: 'id', type: 'booking', id: '1234' },
    });
    expect(one('entity:user:usr_42:x')).toEqual({
      kind: 'entity',
      negated: false,
      match: { by: 'id', type: 'user', id: 'usr_42:x' },
    });
    expect(one('entity:"Booking #1234"')).toEqual({
      kind: 'entity',
      negated: false,
      match: { by: 'label', label: 'Booking #1234' },
    });
    expect(one('entity:#1234')).toEqual({
      kind: 'entity',
      negated: false,
      match: { by: 'label', label: '#1234' },
    });
    // A label that happens to look like a type is read as the type, quoted or not.
    expect(one('entity:"booking"')).toEqual(one('entity:booking'));
  });

  it('reads IP addresses, IPv4 prefixes and CIDR networks, canonically', () => {
    const ip = (v: 4 | 6, address: string, prefixLength: number, form: string) => ({
      kind: 'ip',
      negated: false,
      match: { version: v, address, prefixLength, form },
    });
    expect(one('ip:203.0.113.7')).toEqual(ip(4, '203.0.113.7', 32, 'exact'));
    expect(one('ip:203.0.113.')).toEqual(ip(4, '203.0.113.0', 24, 'prefix'));
    expect(one('ip:203.0.113.*')).toEqual(ip(4, '203.0.113.0', 24, 'prefix'));
    expect(one('ip:10.*')).toEqual(ip(4, '10.0.0.0', 8, 'prefix'));
    expect(one('ip:203.0.113.0/24')).toEqual(ip(4, '203.0.113.0', 24, 'cidr'));
    expect(one('ip:0.0.0.0/0')).toEqual(ip(4, '0.0.0.0', 0, 'cidr'));
    expect(one('ip:2001:DB8:0:0:0:0:0:1')).toEqual(ip(6, '2001:db8::1', 128, 'exact'));
    expect(one('ip:2001:db8::/32')).toEqual(ip(6, '2001:db8::', 32, 'cidr'));
    expect(one('ip:::1')).toEqual(ip(6, '::1', 128, 'exact'));
    expect(one('ip:::ffff:203.0.113.7')).toEqual(ip(6, '::ffff:203.0.113.7', 128, 'exact'));
  });

  it('reads review statuses and tags', () => {
    expect(one('status:Follow-Up')).toEqual({
      kind: 'status',
      negated: false,
      value: 'follow_up',
    });
    expect(one('-status:reviewed')).toEqual({ kind: 'status', negated: true, value: 'reviewed' });
    expect(one('tag:"SOX CC6.1"')).toEqual({ kind: 'tag', negated: false, value: 'SOX CC6.1' });
  });

  it('reads dates: on, after, before, ranges with open ends, comparisons, months, years', () => {
    const date = (spec: object) => ({ kind: 'date', negated: false, spec });
    expect(one('on:2026-01-15')).toEqual(date({ op: 'on', date: '2026-01-15' }));
    expect(one('date:2026-01')).toEqual(date({ op: 'on', date: '2026-01' }));
    expect(one('after:2026-01-31')).toEqual(date({ op: 'after', date: '2026-01-31' }));
    expect(one('before:"2026"')).toEqual(date({ op: 'before', date: '2026' }));
    expect(one('date:2026-01-01..2026-01-31')).toEqual(
      date({ op: 'range', from: '2026-01-01', to: '2026-01-31' }),
    );
    expect(one('date:..2026-01-31')).toEqual(date({ op: 'range', from: null, to: '2026-01-31' }));
    expect(one('date:2026-01-01..')).toEqual(date({ op: 'range', from: '2026-01-01', to: null }));
    expect(one('date:2026-01-01..2026-01-01')).toEqual(
      date({ op: 'range', from: '2026-01-01', to: '2026-01-01' }),
    );
    expect(one('date:>2026-01-31')).toEqual(date({ op: 'after', date: '2026-01-31' }));
    expect(one('date:<2026-02')).toEqual(date({ op: 'before', date: '2026-02' }));
    expect(one('date:>=2026-02-29'.replace('2026', '2028'))).toEqual(
      date({ op: 'range', from: '2028-02-29', to: null }),
    );
    expect(one('date:<=2026-02-28')).toEqual(date({ op: 'range', from: null, to: '2026-02-28' }));
    expect(clauses('after:2026-01-31 before:2026-02-02')).toHaveLength(2);
  });

  it('mixes everything in one query, in the order typed', () => {
    const q = clauses(
      'refund user:"Dana Reyes" -action:auth.* category:bookings ip:203.0.113.0/24 date:2026-01..2026-03 -"test"',
    );
    expect(q.map((c) => `${c.negated ? '-' : ''}${c.kind}`)).toEqual([
      'text',
      'user',
      '-action',
      'category',
      'ip',
      'date',
      '-text',
    ]);
  });
});

describe('errors: one line, exact position and length', () => {
  const cases: [string, string, number, string][] = [
    // [query, message, position, underlined text]
    ['"unterminated', 'unterminated quote', 0, '"unterminated'],
    ['a "b c', 'unterminated quote', 2, '"b c'],
    ['"ends in backslash\\', 'unterminated quote', 0, '"ends in backslash\\'],
    ['user:"Dana', 'unterminated quote', 5, '"Dana'],
    ['"a\\nb"', 'invalid escape "\\n" inside quotes (only \\" and \\\\ are escapes)', 2, '\\n'],
    ['"x"y', 'expected a space after the closing quote', 3, 'y'],
    ['user:"a""b"', 'expected a space after the closing quote', 8, '"'],
    [
      'ab"c d"',
      'unexpected quote inside a word (put a space before it, or quote the whole term)',
      2,
      '"',
    ],
    [
      'user:da"na"',
      'unexpected quote inside a word (put a space before it, or quote the whole term)',
      7,
      '"',
    ],
    ['a -', '"-" must be followed by a word, "phrase" or qualifier to exclude', 2, '-'],
    ['- b', '"-" must be followed by a word, "phrase" or qualifier to exclude', 0, '-'],
    ['x --y z', 'a term cannot start with "--" (quote it to search for the text)', 2, '--y'],
    ['""', 'empty phrase', 0, '""'],
    ['a -" "', 'empty phrase', 3, '" "'],
    ['usr:dana', 'unknown qualifier "usr:" (did you mean user:?)', 0, 'usr:'],
    ['a -Actoin:x', 'unknown qualifier "Actoin:" (did you mean action:?)', 3, 'Actoin:'],
    ['actor:dana', 'unknown qualifier "actor:" (did you mean user:?)', 0, 'actor:'],
    ['created:2026', 'unknown qualifier "created:" (did you mean date:?)', 0, 'created:'],
    [
      'see http://x',
      'unknown qualifier "http:" (known: user: action: category: entity: ip: status: tag: after: before: on: date:; quote the term to search for the text)',
      4,
      'http:',
    ],
    [
      'user:',
      'missing value after "user:" (e.g. user:"Dana Reyes", no space after the colon)',
      0,
      'user:',
    ],
    [
      'a IP: 1.2.3.4',
      'missing value after "IP:" (e.g. ip:203.0.113.0/24, no space after the colon)',
      2,
      'IP:',
    ],
    ['user:""', 'empty value for user:', 5, '""'],
    ['tag:"  "', 'empty value for tag:', 4, '"  "'],
    [
      'a OR b',
      'OR is not supported (repeat a qualifier to match either value, e.g. user:a user:b; quote "OR" to search for the word)',
      2,
      'OR',
    ],
    [
      'a AND b',
      'AND is not needed: terms are always combined with AND (quote "AND" to search for the word)',
      2,
      'AND',
    ],
    [
      'NOT b',
      'NOT is not supported (put - before a term to exclude it, e.g. -word; quote "NOT" to search for the word)',
      0,
      'NOT',
    ],
    [
      'action:"booking cancelled"',
      'invalid action "booking cancelled" (e.g. action:booking.cancelled or action:booking.*)',
      7,
      '"booking cancelled"',
    ],
    ['action:book*ing', '"*" can only end an action (e.g. action:booking.*)', 11, '*'],
    ['action:*', 'invalid action "*" (e.g. action:booking.cancelled or action:booking.*)', 7, '*'],
    ['category:booking', 'unknown category "booking" (did you mean bookings?)', 9, 'booking'],
    ['category:auth', 'unknown category "auth" (did you mean authentication?)', 9, 'auth'],
    [
      'category:x',
      'unknown category "x" (one of authentication, bookings, customers, invoices, users, settings, zones, templates)',
      9,
      'x',
    ],
    ['status:reviewd', 'unknown status "reviewd" (did you mean reviewed?)', 7, 'reviewd'],
    [
      'status:done',
      'unknown status "done" (one of unreviewed, reviewed, exception, follow_up)',
      7,
      'done',
    ],
    [
      'entity:booking:',
      'missing entity id after "booking:" (e.g. entity:booking:1234)',
      7,
      'booking:',
    ],
    [
      'ip:1.2.3',
      'invalid IP address "1.2.3" (e.g. 203.0.113.7, 203.0.113.*, 203.0.113.0/24, 2001:db8::1 or 2001:db8::/32)',
      3,
      '1.2.3',
    ],
    [
      'ip:010.0.0.1',
      'invalid IP address "010.0.0.1" (e.g. 203.0.113.7, 203.0.113.*, 203.0.113.0/24, 2001:db8::1 or 2001:db8::/32)',
      3,
      '010.0.0.1',
    ],
    [
      'ip:1::2::3',
      'invalid IP address "1::2::3" (e.g. 203.0.113.7, 203.0.113.*, 203.0.113.0/24, 2001:db8::1 or 2001:db8::/32)',
      3,
      '1::2::3',
    ],
    [
      'ip:fe80::1%eth0',
      'invalid IP address "fe80::1%eth0" (e.g. 203.0.113.7, 203.0.113.*, 203.0.113.0/24, 2001:db8::1 or 2001:db8::/32)',
      3,
      'fe80::1%eth0',
    ],
    [
      'ip:203.0.*.5',
      'invalid IP prefix "203.0.*.5" (use * only after a whole IPv4 octet, e.g. 203.0.113.7, 203.0.113.*, 203.0.113.0/24, 2001:db8::1 or 2001:db8::/32)',
      3,
      '203.0.*.5',
    ],
    [
      'ip:256.*',
      'invalid IP prefix "256.*" (whole octets only, e.g. 203.0.113.7, 203.0.113.*, 203.0.113.0/24, 2001:db8::1 or 2001:db8::/32)',
      3,
      '256.*',
    ],
    [
      'ip:203.0.113.7/24',
      'invalid CIDR "203.0.113.7/24": address bits set past /24 (did you mean 203.0.113.0/24?)',
      3,
      '203.0.113.7/24',
    ],
    ['ip:10.0.0.0/33', 'invalid CIDR "10.0.0.0/33": prefix length must be 0 to 32', 12, '33'],
    [
      'ip:2001:db8::/129',
      'invalid CIDR "2001:db8::/129": prefix length must be 0 to 128',
      14,
      '129',
    ],
    [
      'ip:10.0.0/8',
      'invalid CIDR "10.0.0/8": bad address (e.g. 203.0.113.7, 203.0.113.*, 203.0.113.0/24, 2001:db8::1 or 2001:db8::/32)',
      3,
      '10.0.0',
    ],
    [
      'ip:2001:db8::1/32',
      'invalid CIDR "2001:db8::1/32": address bits set past /32 (did you mean 2001:db8::/32?)',
      3,
      '2001:db8::1/32',
    ],
    ['on:2026-13-01', 'invalid date "2026-13-01": no month 13', 3, '2026-13-01'],
    ['on:2026-02-29', 'invalid date "2026-02-29": 2026-02 has 28 days', 3, '2026-02-29'],
    ['after:2026-1-5', 'invalid date "2026-1-5" (use YYYY-MM-DD, YYYY-MM or YYYY)', 6, '2026-1-5'],
    ['on:0000', 'invalid date "0000": no year 0000', 3, '0000'],
    ['date:2026-01-01..2026-13', 'invalid date "2026-13": no month 13', 17, '2026-13'],
    [
      'date:>=yesterday',
      'invalid date "yesterday" (use YYYY-MM-DD, YYYY-MM or YYYY)',
      7,
      'yesterday',
    ],
    [
      'date:"2026-01-01..2026-13"',
      'invalid date "2026-13": no month 13',
      5,
      '"2026-01-01..2026-13"',
    ],
    [
      'date:2026-02-01..2026-01-31',
      'date range "2026-02-01..2026-01-31" ends before it starts',
      5,
      '2026-02-01..2026-01-31',
    ],
    ['date:..', 'a date range needs at least one end (date:2026-01-01..2026-01-31)', 5, '..'],
    [
      'x -on:2026-01-01',
      'dates cannot be excluded (use after:, before: or date:A..B instead of -on:)',
      2,
      '-on:2026-01-01',
    ],
    [
      'on:2026-01-01 user:a on:2026-01-02',
      'no day is left by these date filters (they do not overlap)',
      21,
      'on:2026-01-02',
    ],
    [
      'after:2026-01-31 before:2026-02-01',
      'no day is left by these date filters (they do not overlap)',
      17,
      'before:2026-02-01',
    ],
    ['after:9999-12-31', 'no day can match this date filter', 0, 'after:9999-12-31'],
  ];

  it.each(cases)('%s', (query, message, position, marked) => {
    expect(error(query)).toEqual({ message, position, length: marked.length, marked });
  });

  it('refuses queries over 10,000 characters at the limit', () => {
    const long = 'a '.repeat(6000);
    expect(error(long)).toMatchObject({
      message: 'query is too long (12000 characters; at most 10000)',
      position: 10_000,
      length: 2000,
    });
    expect(parseQuery('a '.repeat(5000)).ok).toBe(true);
  });

  it('counts positions in UTF-16 code units, as the UI underlines them', () => {
    // 🙂 is two UTF-16 units; é is one.
    expect(error('🙂 é usr:x')).toMatchObject({ position: 5, length: 4, marked: 'usr:' });
  });

  it('keeps messages on one line and short, whatever was typed', () => {
    const e = error(`category:"a\nb\u2028${'x'.repeat(500)}"`);
    expect(e.message).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(e.message).toContain('"a\\nb\\u2028xxx');
    expect(e.message.length).toBeLessThan(200);
  });

  it('never throws, even for a non-string from untyped callers', () => {
    expect(parseQuery(undefined as unknown as string)).toEqual({
      ok: false,
      error: { message: 'the query must be text', position: 0, length: 0 },
    });
  });
});

describe('formatQuery', () => {
  const canonical = (q: string) => {
    const r = parseQuery(q);
    if (!r.ok) throw new Error(r.error.message);
    return formatQuery(r.query);
  };

  it('prints the canonical form', () => {
    expect(canonical('')).toBe('');
    expect(canonical('  Refund   USER:"dana"  Action:Booking  ')).toBe(
      'Refund user:dana action:booking.*',
    );
    expect(canonical('"single" -"two words" user:"Dana Reyes" tag:"a\\"b"')).toBe(
      '"single" -"two words" user:"Dana Reyes" tag:a\\"b'.replace('tag:a\\"b', 'tag:"a\\"b"'),
    );
    expect(canonical('ip:203.0.113. ip:2001:0DB8::0/32 status:follow-up')).toBe(
      'ip:203.0.113.* ip:2001:db8::/32 status:follow_up',
    );
    expect(
      canonical('date:2026-01 date:>2026-01-05 date:<2026-01-20 date:>=2026 date:<=2026'),
    ).toBe('on:2026-01 after:2026-01-05 before:2026-01-20 date:2026.. date:..2026');
    expect(canonical('entity:"Booking #1234" entity:Booking:12 entity:"user:a b"')).toBe(
      'entity:"Booking #1234" entity:booking:12 entity:"user:a b"',
    );
  });

  it('quotes free text that would not read back as a word', () => {
    const q = {
      clauses: [
        { kind: 'text', negated: false, phrase: false, text: 'user:x' },
        { kind: 'text', negated: false, phrase: false, text: '-x' },
        { kind: 'text', negated: false, phrase: false, text: 'OR' },
      ] as Clause[],
    };
    expect(formatQuery(q)).toBe('"user:x" "-x" "OR"');
  });
});
