// The Otesse activity-log entry (docs: ../shared/design/CONTRACTS.md §1). Shared by core and renderer.

export const CATEGORIES = [
  'authentication',
  'bookings',
  'customers',
  'invoices',
  'users',
  'settings',
  'zones',
  'templates',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const ACTOR_TYPES = ['user', 'system', 'api_key'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Any JSON value, as carried in `changes[].old/new` and `metadata`. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface Actor {
  id: string;
  name: string;
  email: string | null;
  type: ActorType;
}

export interface EntityRef {
  type: string;
  id: string;
  label: string;
}

export interface Change {
  field: string;
  old: JsonValue;
  new: JsonValue;
}

export interface Entry {
  id: string;
  seq: number;
  /** UTC instant, ISO 8601 with milliseconds (`2026-11-24T14:03:11.123Z`). */
  occurredAt: string;
  category: Category;
  /** `<noun>.<verb>`, e.g. `booking.cancelled`. */
  action: string;
  actor: Actor;
  entity: EntityRef;
  changes: Change[];
  ip: string | null;
  userAgent: string | null;
  metadata: { [key: string]: JsonValue };
}
