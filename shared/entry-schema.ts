// Schema of an activity-log entry (CONTRACTS.md §1), used wherever entries cross a trust boundary.
import { z } from 'zod';
import { ACTOR_TYPES, CATEGORIES, type Entry } from './entry';
import { isIsoInstant } from './iso-time';

const ACTION = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

export const entrySchema = z.looseObject({
  id: z.string().min(1),
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  occurredAt: z
    .string()
    .refine(isIsoInstant, 'must be a UTC instant like 2026-11-24T14:03:11.123Z'),
  category: z.enum(CATEGORIES),
  action: z.string().regex(ACTION, 'must be <noun>.<verb> in lower case, e.g. booking.cancelled'),
  actor: z.looseObject({
    id: z.string().min(1),
    name: z.string(),
    email: z.string().nullable(),
    type: z.enum(ACTOR_TYPES),
  }),
  entity: z.looseObject({ type: z.string().min(1), id: z.string(), label: z.string() }),
  changes: z.array(z.looseObject({ field: z.string(), old: z.json(), new: z.json() })),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  metadata: z.record(z.string(), z.json()),
});

/** Checks a value against the entry schema; returns a one-line reason or null. */
export function entryProblem(value: unknown): string | null {
  // Bundles hold up to millions of entries: a hand-written check accepts the valid ones quickly,
  // and the zod schema (the definition, kept in agreement by a property test) explains rejections.
  if (isWellFormedEntry(value)) return null;
  const result = entrySchema.safeParse(value);
  if (result.success) return 'entry does not match the schema';
  const issue = result.error.issues[0]!;
  const path = issue.path.join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

const CATEGORY_SET: ReadonlySet<unknown> = new Set(CATEGORIES);
const ACTOR_TYPE_SET: ReadonlySet<unknown> = new Set(ACTOR_TYPES);

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNonEmptyString = (value: unknown) => typeof value === 'string' && value.length > 0;
const isNullableString = (value: unknown) => value === null || typeof value === 'string';

function isJsonValue(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) return value.every(isJsonValue);
      return isJsonRecord(value);
    default:
      return false;
  }
}

function isJsonRecord(value: unknown): boolean {
  if (!isObject(value)) return false;
  for (const key in value) if (!isJsonValue(value[key])) return false;
  return true;
}

function isChange(value: unknown): boolean {
  return (
    isObject(value) &&
    isString(value.field) &&
    'old' in value &&
    isJsonValue(value.old) &&
    'new' in value &&
    isJsonValue(value.new)
  );
}

/** The entry schema as a plain predicate: the same rules as `entrySchema`, without messages. */
export function isWellFormedEntry(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { seq, actor, entity, changes } = value;
  return (
    isNonEmptyString(value.id) &&
    typeof seq === 'number' &&
    Number.isSafeInteger(seq) &&
    seq >= 0 &&
    isIsoInstant(value.occurredAt) &&
    CATEGORY_SET.has(value.category) &&
    isString(value.action) &&
    ACTION.test(value.action) &&
    isObject(actor) &&
    isNonEmptyString(actor.id) &&
    isString(actor.name) &&
    isNullableString(actor.email) &&
    ACTOR_TYPE_SET.has(actor.type) &&
    isObject(entity) &&
    isNonEmptyString(entity.type) &&
    isString(entity.id) &&
    isString(entity.label) &&
    Array.isArray(changes) &&
    changes.every(isChange) &&
    isNullableString(value.ip) &&
    isNullableString(value.userAgent) &&
    isJsonRecord(value.metadata)
  );
}

export function isEntry(value: unknown): value is Entry {
  return entryProblem(value) === null;
}
