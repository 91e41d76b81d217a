// Schema of an activity-log entry (CONTRACTS.md §1), used wherever entries cross a trust boundary.
import { z } from 'zod';
import { ACTOR_TYPES, CATEGORIES, type Entry } from './entry';
import { isIsoInstant } from './iso-time';

const ACTION = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

export const entrySchema = z.looseObject({
  id: z.string().min(1),
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  occurredAt: z.string().refine(isIsoInstant, 'must be a UTC instant like 2026-11-24T14:03:11.123Z'),
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

/** Checks a parsed JSON value against the entry schema; returns a one-line reason or null. */
export function entryProblem(value: unknown): string | null {
  const result = entrySchema.safeParse(value);
  if (result.success) return null;
  const issue = result.error.issues[0]!;
  const path = issue.path.join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

export function isEntry(value: unknown): value is Entry {
  return entryProblem(value) === null;
}
