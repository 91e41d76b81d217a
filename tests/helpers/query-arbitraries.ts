// fast-check generators of query text over the search fixture (search-fixture.ts): users,
// actions, categories, entities, IPs and dates, each possibly negated, in several spellings. Shared
// by the property tests that hold the SQL, the page plans and the facet columns to one meaning.
import fc from 'fast-check';
import { CATEGORIES } from '../../shared/entry';
import { quote } from '../../shared/query';
import { ACTORS, IPS, KINDS, LABELS } from './search-fixture';

export const changeCase = (text: string) =>
  fc.constantFrom(text, text.toUpperCase(), text.toLowerCase());

export const userValue = fc.oneof(
  fc.constantFrom(...ACTORS.map((a) => a.id), 'USR_1', 'nobody', 'Dana'),
  fc.constantFrom(...ACTORS.map((a) => a.name)).chain(changeCase),
  fc.constantFrom(...ACTORS.flatMap((a) => (a.email === null ? [] : [a.email]))).chain(changeCase),
);
const actions = KINDS.map((k) => k.action);
export const actionValue = fc.oneof(
  fc.constantFrom(...actions, 'foo.bar'),
  fc
    .constantFrom(...actions)
    .chain((a) => fc.integer({ min: 1, max: a.length }).map((n) => `${a.slice(0, n)}*`))
    .filter((a) => !/\.\*$/.test(a.slice(0, -1)) && !a.startsWith('.') && !a.includes('.*.')),
  fc.constantFrom('booking', 'auth.', 'auth.*', 'zone'),
);
const types = [...new Set(KINDS.map((k) => k.entity))];
export const entityValue = fc.oneof(
  fc.constantFrom(...types, 'ghost'),
  fc
    .tuple(fc.constantFrom(...types), fc.integer({ min: 1000, max: 1041 }))
    .map(([t, id]) => `${t}:${id}`),
  fc
    .constantFrom(...LABELS, 'Booking #1001', 'Zone #1010')
    .chain(changeCase)
    .map(quote),
  // Labels the FTS5 phrase of the label column finds but the exact test refuses.
  fc.constantFrom('Acme', 'Zone Elysee', 'Booking 1234', '"booking #1234!"', 'Élysée').map(quote),
);
const v4 = (ip: string, bits: number) => {
  const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const masked = bits === 0 ? 0 : Math.floor(n / 2 ** (32 - bits)) * 2 ** (32 - bits);
  return `${[24, 16, 8, 0].map((s) => Math.floor(masked / 2 ** s) % 256).join('.')}/${bits}`;
};
const plainV4 = IPS.filter((ip): ip is string => ip !== null && !ip.includes(':'));
export const ipValue = fc.oneof(
  fc.constantFrom(...IPS.filter((ip): ip is string => ip !== null), '203.0.113.9', '192.0.2.1'),
  fc
    .tuple(fc.constantFrom(...plainV4), fc.integer({ min: 0, max: 32 }))
    .map(([ip, b]) => v4(ip, b)),
  fc.constantFrom('203.0.113.*', '10.*', '10.0.*', '203.0.*'),
  fc.constantFrom(
    '2001:db8::/32',
    '2001:db8::/31',
    '2001:db8:1::/48',
    '2001::/16',
    'fe80::/10',
    '::/0',
    '::ffff:0:0/96',
    '::ffff:203.0.113.0/120',
  ),
);
const day = fc.integer({ min: 29, max: 37 }).map((d) => {
  const date = new Date(Date.UTC(2026, 9, d));
  return date.toISOString().slice(0, 10);
});
export const dateTerm = fc.oneof(
  day.map((d) => `on:${d}`),
  day.map((d) => `after:${d}`),
  day.map((d) => `before:${d}`),
  fc.tuple(day, day).map(([a, b]) => `date:${a < b ? a : b}..${a < b ? b : a}`),
  day.map((d) => `date:${d}..`),
  day.map((d) => `date:..${d}`),
  fc.constantFrom('on:2026-11', 'on:2026-10', 'on:2026'),
);
/** Review filters (the fixture's tests annotate entries with these statuses and tags). */
export const reviewTerm = fc.oneof(
  fc.constantFrom('reviewed', 'exception', 'follow_up', 'unreviewed').map((s) => `status:${s}`),
  fc.constantFrom('sox', 'SOX', 'q3', 'none').map((t) => `tag:${t}`),
);

/** Query text of up to `maxLength` structured terms (each possibly negated) and dates. */
export function structuredQueryText(
  maxLength: number,
  extraTerms: fc.Arbitrary<string>[] = [],
): fc.Arbitrary<string> {
  const negatable = fc
    .tuple(
      fc.boolean(),
      fc.oneof(
        userValue.map((v) => `user:${quote(v)}`),
        actionValue.map((v) => `action:${v}`),
        fc.constantFrom(...CATEGORIES).map((c) => `category:${c}`),
        entityValue.map((v) => `entity:${v}`),
        ipValue.map((v) => `ip:${v}`),
        ...extraTerms,
      ),
    )
    .map(([negated, term]) => `${negated ? '-' : ''}${term}`);
  return fc
    .array(fc.oneof({ weight: 4, arbitrary: negatable }, { weight: 1, arbitrary: dateTerm }), {
      maxLength,
    })
    .map((terms) => terms.join(' '));
}
