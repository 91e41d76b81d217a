// Authentication events: logins and logouts from each person's usual addresses and devices,
// occasional failed logins (a typo, never a burst), password changes and MFA setup.
// auth.mfa_disabled is never background activity: it is planted (anomalies.ts).
import { actorOf, userEntity, type Draft, type Staff } from '../world';
import {
  from,
  pickStaff,
  requestMeta,
  rested,
  sourceOf,
  type EventContext,
  type Origin,
} from './context';

/** Failed logins for one account are at least this far apart in background activity. */
export const FAILED_LOGIN_GAP_MS = 3 * 60_000;

const ANYONE = ['cleaner', 'dispatcher', 'manager', 'admin', 'owner'] as const;

export function authDraft(
  ctx: EventContext,
  origin: Origin,
  action: string,
  person: Staff,
  extra = {},
  changes: Draft['changes'] = [],
): Draft {
  return {
    category: 'authentication',
    action,
    actor: origin.actor,
    entity: userEntity(person),
    changes,
    ip: origin.ip,
    userAgent: origin.userAgent,
    metadata: requestMeta(ctx, sourceOf(origin), extra),
  };
}

export function login(ctx: EventContext): Draft | null {
  const person = pickStaff(ctx, ANYONE);
  if (person === undefined) return null;
  const meta = { method: 'password', mfa: person.mfa };
  if (!person.invited) return authDraft(ctx, from(ctx, person), 'auth.login', person, meta);
  // The first login accepts the invitation.
  person.invited = false;
  return authDraft(ctx, from(ctx, person), 'auth.login', person, { ...meta, firstLogin: true }, [
    { field: 'status', old: 'invited', new: 'active' },
  ]);
}

export function logout(ctx: EventContext): Draft | null {
  const person = pickStaff(ctx, ANYONE);
  if (person === undefined) return null;
  return authDraft(ctx, from(ctx, person), 'auth.logout', person, {
    reason: ctx.random.chance(0.7) ? 'user' : 'session_timeout',
  });
}

export function loginFailed(ctx: EventContext): Draft | null {
  const person = pickStaff(ctx, ANYONE);
  if (
    person === undefined ||
    !rested(ctx.world.lastFailedLogin, person.id, ctx.now, FAILED_LOGIN_GAP_MS)
  )
    return null;
  ctx.world.lastFailedLogin.set(person.id, ctx.now);
  return authDraft(ctx, from(ctx, person), 'auth.login_failed', person, {
    reason: 'invalid_password',
    attempt: 1,
  });
}

export function passwordChanged(ctx: EventContext): Draft | null {
  const person = pickStaff(ctx, ANYONE);
  if (person === undefined) return null;
  return authDraft(ctx, from(ctx, person), 'auth.password_changed', person, {
    method: ctx.random.chance(0.6) ? 'settings' : 'reset_link',
  });
}

export function mfaEnabled(ctx: EventContext): Draft | null {
  const person = pickStaff(ctx, ANYONE);
  if (person === undefined || person.mfa) return null;
  person.mfa = true;
  return authDraft(
    ctx,
    from(ctx, person),
    'auth.mfa_enabled',
    person,
    { method: ctx.random.pick(['totp', 'totp', 'webauthn']) },
    [{ field: 'mfaEnabled', old: false, new: true }],
  );
}

/** The person, as actor of an action on their own account. */
export const self = (person: Staff): Origin['actor'] => actorOf(person);
