// The entry contract (CONTRACTS.md §1): what is accepted, and that every refusal names the field.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Entry } from './entry';
import { entryProblem, isEntry, isWellFormedEntry } from './entry-schema';

// The example of CONTRACTS.md §1, verbatim.
const CONTRACT_EXAMPLE = {
  id: '01JDQ6Z3M8A2Q9V7KX4T5N1B0C',
  seq: 18422,
  occurredAt: '2026-11-24T14:03:11.123Z',
  category: 'bookings',
  action: 'booking.cancelled',
  actor: { id: 'usr_42', name: 'Dana Reyes', email: 'dana@example.com', type: 'user' },
  entity: { type: 'booking', id: '1234', label: 'Booking #1234' },
  changes: [{ field: 'status', old: 'confirmed', new: 'cancelled' }],
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) ...',
  metadata: {},
};

type Path = readonly (string | number)[];

/** A copy of the contract example with the value at `path` replaced (or removed when `undefined`). */
function withValueAt(path: Path, value: unknown): unknown {
  const copy = structuredClone(CONTRACT_EXAMPLE) as Record<string | number, unknown>;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

describe('entryProblem accepts', () => {
  it('the contract example', () => {
    expect(entryProblem(CONTRACT_EXAMPLE)).toBeNull();
    expect(isEntry(CONTRACT_EXAMPLE)).toBe(true);
  });

  it('null ip, userAgent and actor email (system actions), and empty changes', () => {
    const system = {
      ...CONTRACT_EXAMPLE,
      actor: { id: 'system', name: 'Otesse', email: null, type: 'system' },
      changes: [],
      ip: null,
      userAgent: null,
    };
    expect(entryProblem(system)).toBeNull();
  });

  it('every category and actor type of the contract', () => {
    for (const category of [
      'authentication',
      'bookings',
      'customers',
      'invoices',
      'users',
      'settings',
      'zones',
      'templates',
    ]) {
      expect(entryProblem({ ...CONTRACT_EXAMPLE, category }), category).toBeNull();
    }
    for (const type of ['user', 'system', 'api_key']) {
      expect(entryProblem(withValueAt(['actor', 'type'], type)), type).toBeNull();
    }
  });

  it('the contract actions', () => {
    for (const action of [
      'auth.login',
      'auth.login_failed',
      'auth.mfa_disabled',
      'booking.rescheduled',
      'customer.merged',
      'invoice.voided',
      'user.role_changed',
      'settings.branding_updated',
      'zone.boundaries_updated',
      'template.activated',
    ]) {
      expect(entryProblem({ ...CONTRACT_EXAMPLE, action }), action).toBeNull();
    }
  });

  it('any JSON value as old/new and in metadata, including integer-like keys', () => {
    const entry = {
      ...CONTRACT_EXAMPLE,
      changes: [
        {
          field: 'zone',
          old: null,
          new: {
            points: [
              [1.5, -2],
              [3, 4e-7],
            ],
            closed: true,
          },
        },
        { field: 'tags', old: [], new: ['a', 'b'] },
        { field: 'price', old: 0, new: -12.5 },
      ],
      metadata: { '10': 1, '9': 2, nested: { deep: [{ x: null }] }, '': 'empty key' },
    };
    expect(entryProblem(entry)).toBeNull();
  });

  it('any Unicode in strings: newlines, quotes, commas, formula prefixes, emoji, long text', () => {
    for (const text of [
      'line1\nline2\r\n',
      'say "hi", then \'bye\'',
      '=SUM(A1:A9)',
      '+1',
      '-1',
      '@cmd',
      '\ttab',
      '👩‍👩‍👧 🇩🇪',
      'Zoë Ångström ñ',
      'x'.repeat(10_000),
      '\u2028\u2029',
      '\u0000',
    ]) {
      const entry = {
        ...CONTRACT_EXAMPLE,
        actor: { ...CONTRACT_EXAMPLE.actor, name: text },
        entity: { ...CONTRACT_EXAMPLE.entity, label: text },
      };
      expect(entryProblem(entry), JSON.stringify(text.slice(0, 20))).toBeNull();
    }
  });

  it('fields beyond the contract (forward compatible)', () => {
    expect(entryProblem({ ...CONTRACT_EXAMPLE, tenantRegion: 'eu' })).toBeNull();
    expect(entryProblem(withValueAt(['actor', 'department'], 'ops'))).toBeNull();
  });

  it('seq from 0 up to the largest safe integer', () => {
    expect(entryProblem({ ...CONTRACT_EXAMPLE, seq: 0 })).toBeNull();
    expect(entryProblem({ ...CONTRACT_EXAMPLE, seq: Number.MAX_SAFE_INTEGER })).toBeNull();
  });
});

describe('entryProblem refuses with the path of the offending field', () => {
  const cases: [string, Path, unknown][] = [
    ['id missing', ['id'], undefined],
    ['id empty', ['id'], ''],
    ['id a number', ['id'], 42],
    ['seq negative', ['seq'], -1],
    ['seq fractional', ['seq'], 1.5],
    ['seq beyond safe integers', ['seq'], Number.MAX_SAFE_INTEGER + 1],
    ['seq a string', ['seq'], '18422'],
    ['seq NaN', ['seq'], Number.NaN],
    ['occurredAt without milliseconds', ['occurredAt'], '2026-11-24T14:03:11Z'],
    ['occurredAt with an offset', ['occurredAt'], '2026-11-24T14:03:11.123+01:00'],
    ['occurredAt on a day that does not exist', ['occurredAt'], '2026-02-29T00:00:00.000Z'],
    ['occurredAt as epoch ms', ['occurredAt'], 1_795_000_000_000],
    ['category unknown', ['category'], 'billing'],
    ['category in upper case', ['category'], 'Bookings'],
    ['action without a verb', ['action'], 'booking'],
    ['action in upper case', ['action'], 'Booking.Cancelled'],
    ['action with three parts', ['action'], 'booking.cancelled.now'],
    ['action with a space', ['action'], 'booking. cancelled'],
    ['actor missing', ['actor'], undefined],
    ['actor null', ['actor'], null],
    ['actor.id empty', ['actor', 'id'], ''],
    ['actor.name missing', ['actor', 'name'], undefined],
    ['actor.email a number', ['actor', 'email'], 42],
    ['actor.email missing', ['actor', 'email'], undefined],
    ['actor.type unknown', ['actor', 'type'], 'robot'],
    ['entity.type empty', ['entity', 'type'], ''],
    ['entity.id a number', ['entity', 'id'], 1234],
    ['entity.label null', ['entity', 'label'], null],
    ['changes not an array', ['changes'], {}],
    ['changes[0].field missing', ['changes', 0, 'field'], undefined],
    ['changes[0].old missing', ['changes', 0, 'old'], undefined],
    ['changes[0].new not JSON', ['changes', 0, 'new'], Number.POSITIVE_INFINITY],
    ['ip a number', ['ip'], 5],
    ['ip missing', ['ip'], undefined],
    ['userAgent missing', ['userAgent'], undefined],
    ['metadata an array', ['metadata'], []],
    ['metadata null', ['metadata'], null],
    ['metadata holding NaN', ['metadata'], { k: { n: [1, Number.NaN] } }],
  ];

  it.each(cases)('%s', (_name, path, value) => {
    const candidate = withValueAt(path, value);
    const problem = entryProblem(candidate);
    expect(problem).not.toBeNull();
    // The reason starts with the dotted path of the field at fault (or a path inside it).
    const prefix = path.join('.');
    expect(problem!.startsWith(`${prefix}:`) || problem!.startsWith(`${prefix}.`), problem!).toBe(
      true,
    );
    expect(problem).not.toContain('\n');
    expect(isEntry(candidate)).toBe(false);
    expect(isWellFormedEntry(candidate)).toBe(false);
  });

  it('names actor.email for a bad email, as the CLI shows it', () => {
    expect(entryProblem(withValueAt(['actor', 'email'], 42))).toMatch(/^actor\.email: /);
  });

  it('explains the timestamp rule in words', () => {
    expect(entryProblem(withValueAt(['occurredAt'], '2026-11-24'))).toBe(
      'occurredAt: must be a UTC instant like 2026-11-24T14:03:11.123Z',
    );
  });

  it('refuses values that are not objects, with a one-line reason', () => {
    for (const value of [null, undefined, 'entry', 42, [], [CONTRACT_EXAMPLE], true]) {
      const problem = entryProblem(value);
      expect(problem, JSON.stringify(value)).toMatch(/^[^\n]+$/);
    }
  });
});

describe('entryProblem on generated entries', () => {
  const text = fc.string({ unit: 'grapheme', maxLength: 40 });
  const entry: fc.Arbitrary<Entry> = fc.record({
    id: fc.string({ minLength: 1, maxLength: 30 }),
    seq: fc.maxSafeNat(),
    occurredAt: fc
      .date({
        min: new Date('2000-01-01T00:00:00.000Z'),
        max: new Date('2099-12-31T23:59:59.999Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString()),
    category: fc.constantFrom(
      'authentication',
      'bookings',
      'customers',
      'invoices',
      'users',
      'settings',
      'zones',
      'templates',
    ),
    action: fc
      .tuple(
        fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/),
        fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/),
      )
      .map(([noun, verb]) => `${noun}.${verb}`),
    actor: fc.record({
      id: fc.string({ minLength: 1, maxLength: 10 }),
      name: text,
      email: fc.option(text, { nil: null }),
      type: fc.constantFrom('user', 'system', 'api_key'),
    }),
    entity: fc.record({ type: fc.string({ minLength: 1, maxLength: 10 }), id: text, label: text }),
    changes: fc.array(
      fc.record({
        field: text,
        old: fc.jsonValue({ maxDepth: 2 }),
        new: fc.jsonValue({ maxDepth: 2 }),
      }),
      { maxLength: 3 },
    ),
    ip: fc.option(fc.ipV4(), { nil: null }),
    userAgent: fc.option(text, { nil: null }),
    metadata: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
      maxKeys: 4,
    }),
  }) as fc.Arbitrary<Entry>;

  it('accepts every entry built to the contract', () => {
    fc.assert(
      fc.property(entry, (value) => {
        expect(entryProblem(value)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('accepts the same entry after a JSON round trip (what bundles carry)', () => {
    fc.assert(
      fc.property(entry, (value) => {
        expect(entryProblem(JSON.parse(JSON.stringify(value)))).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
