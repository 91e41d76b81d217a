// The fast predicate that admits entries on the hot path must agree exactly with the zod schema
// that defines (and explains) the entry contract.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entrySchema, isWellFormedEntry } from './entry-schema';

const valid = {
  id: '01JDQ6Z3M8A2Q9V7KX4T5N1B0C',
  seq: 18422,
  occurredAt: '2026-11-24T14:03:11.123Z',
  category: 'bookings',
  action: 'booking.cancelled',
  actor: { id: 'usr_42', name: 'Dana Reyes', email: 'dana@example.com', type: 'user' },
  entity: { type: 'booking', id: '1234', label: 'Booking #1234' },
  changes: [{ field: 'status', old: 'confirmed', new: 'cancelled' }],
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0',
  metadata: {},
};

const PATHS = [
  ['id'],
  ['seq'],
  ['occurredAt'],
  ['category'],
  ['action'],
  ['actor'],
  ['actor', 'id'],
  ['actor', 'name'],
  ['actor', 'email'],
  ['actor', 'type'],
  ['entity'],
  ['entity', 'type'],
  ['entity', 'id'],
  ['entity', 'label'],
  ['changes'],
  ['ip'],
  ['userAgent'],
  ['metadata'],
] as const;

// Values near the edges of each rule, plus anything at all.
const tricky = fc.oneof(
  fc.anything(),
  fc.constantFrom(
    '',
    'x',
    'user',
    'system',
    'api_key',
    'bookings',
    'zones',
    'booking.created',
    'Booking.Created',
    'a.b',
    'a.',
    '2026-02-29T00:00:00.000Z',
    '2028-02-29T00:00:00.000Z',
    '2026-11-24T24:00:00.000Z',
    '2026-11-24T14:03:11Z',
    -0,
    -1,
    0,
    1.5,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 1,
    NaN,
    Infinity,
    null,
    undefined,
    [],
    {},
    [{ field: 'f', old: 1, new: undefined }],
    [{ field: 'f', old: NaN, new: 1 }],
    [{ field: 'f', new: 1 }],
    { k: [1, { n: Infinity }] },
    { k: [1, { n: 'ok' }] },
  ),
);

function withValueAt(path: readonly string[], value: unknown): unknown {
  const copy = structuredClone(valid) as Record<string, unknown>;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  if (value === undefined) delete target[path[path.length - 1]!];
  else target[path[path.length - 1]!] = value;
  return copy;
}

describe('isWellFormedEntry agrees with entrySchema', () => {
  it('accepts the contract example', () => {
    expect(isWellFormedEntry(valid)).toBe(true);
    expect(entrySchema.safeParse(valid).success).toBe(true);
  });

  it('on every field replaced by edge values', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), tricky, (path, value) => {
        const candidate = withValueAt(path, value);
        expect(isWellFormedEntry(candidate)).toBe(entrySchema.safeParse(candidate).success);
      }),
      { numRuns: 5000 },
    );
  });

  it('on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(isWellFormedEntry(value)).toBe(entrySchema.safeParse(value).success);
      }),
      { numRuns: 2000 },
    );
  });
});
