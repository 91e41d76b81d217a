// What every event builder gets, and the helpers they share: who acts, from where, with what request.
import type { Actor, JsonValue } from '../../../shared/entry';
import { CROCKFORD } from '../ids';
import type { Random } from '../random';
import { actorOf, type Draft, type Role, type Staff, type World } from '../world';

export interface EventContext {
  world: World;
  random: Random;
  /** UTC ms of the event. */
  now: number;
}

/** Builds one entry draft, or returns null when the business state does not allow it right now. */
export type EventBuilder = (ctx: EventContext) => Draft | null;

export interface Origin {
  actor: Actor;
  ip: string | null;
  userAgent: string | null;
}

/** A staff member in one of `roles`, each person equally likely. */
export function pickStaff(ctx: EventContext, roles: readonly Role[]): Staff | undefined {
  const total = roles.reduce((sum, role) => sum + ctx.world.byRole[role].size, 0);
  if (total === 0) return undefined;
  let roll = Math.floor(ctx.random.next() * total);
  for (const role of roles) {
    const pool = ctx.world.byRole[role];
    if (roll < pool.size) return pool.values()[roll];
    roll -= pool.size;
  }
  return undefined;
}

/** The person acting from one of their usual addresses and devices (mostly the first). */
export function from(ctx: EventContext, person: Staff): Origin {
  const ip = ctx.random.chance(0.75) ? person.ips[0]! : ctx.random.pick(person.ips);
  const userAgent = ctx.random.chance(0.8) ? person.agents[0]! : ctx.random.pick(person.agents);
  return { actor: actorOf(person), ip, userAgent };
}

export function requestMeta(
  ctx: EventContext,
  source: string,
  extra: Record<string, JsonValue> = {},
): Record<string, JsonValue> {
  return { requestId: `req_${ctx.random.string(CROCKFORD.toLowerCase(), 16)}`, source, ...extra };
}

export function sourceOf(origin: Origin): string {
  if (origin.actor.type === 'system') return 'system';
  if (origin.actor.type === 'api_key') return 'api';
  return origin.userAgent?.startsWith('OtesseMobile') === true ? 'mobile' : 'web';
}

/** Whether `actorId` may do a rate-limited action now (`last` holds the previous time). */
export function rested(
  last: Map<string, number>,
  actorId: string,
  now: number,
  gapMs: number,
): boolean {
  const previous = last.get(actorId);
  return previous === undefined || now - previous >= gapMs;
}

export const iso = (ms: number) => new Date(ms).toISOString();
