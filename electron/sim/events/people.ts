// Customers (created, updated, merged, deactivated) and staff accounts (invited, role changed,
// deactivated, permissions updated). Background role changes never raise anyone to admin or owner:
// that is planted (anomalies.ts).
import { addStaff, defaultPermissions, newCustomer } from '../tenant';
import {
  customerEntity,
  setRole,
  userEntity,
  type Customer,
  type Draft,
  type Role,
  type Staff,
} from '../world';
import { from, pickStaff, requestMeta, sourceOf, type EventContext, type Origin } from './context';

const CUSTOMER_FLOOR = 30;
const MANAGERS = ['dispatcher', 'manager', 'owner'] as const;
const ADMINS = ['admin', 'owner'] as const;

function customerDraft(
  ctx: EventContext,
  origin: Origin,
  action: string,
  customer: Customer,
  changes: Draft['changes'],
  extra = {},
): Draft {
  return {
    category: 'customers',
    action,
    actor: origin.actor,
    entity: customerEntity(customer),
    changes,
    ip: origin.ip,
    userAgent: origin.userAgent,
    metadata: requestMeta(ctx, sourceOf(origin), extra),
  };
}

export function userDraft(
  ctx: EventContext,
  origin: Origin,
  action: string,
  person: Staff,
  changes: Draft['changes'],
  extra = {},
): Draft {
  return {
    category: 'users',
    action,
    actor: origin.actor,
    entity: userEntity(person),
    changes,
    ip: origin.ip,
    userAgent: origin.userAgent,
    metadata: requestMeta(ctx, sourceOf(origin), extra),
  };
}

function by(ctx: EventContext, roles: readonly Role[]): Origin | null {
  const person = pickStaff(ctx, roles);
  return person === undefined ? null : from(ctx, person);
}

export function customerCreated(ctx: EventContext): Draft | null {
  const origin = by(ctx, MANAGERS);
  if (origin === null) return null;
  const customer = newCustomer(ctx.world, ctx.random);
  ctx.world.customers.add(customer);
  return customerDraft(ctx, origin, 'customer.created', customer, [
    { field: 'name', old: null, new: customer.name },
    { field: 'email', old: null, new: customer.email },
    { field: 'phone', old: null, new: customer.phone },
    { field: 'address', old: null, new: customer.address },
  ]);
}

export function customerUpdated(ctx: EventContext): Draft | null {
  const customer = ctx.world.customers.pick(ctx.random);
  const origin = by(ctx, MANAGERS);
  if (customer === undefined || origin === null) return null;
  const fresh = newCustomer(ctx.world, ctx.random);
  ctx.world.counters.customer--; // the scratch customer only lends new values
  const field = ctx.random.pick(['phone', 'address', 'email'] as const);
  const change = { field, old: customer[field], new: fresh[field] };
  if (field === 'email') customer.email = fresh.email;
  else customer[field] = fresh[field];
  return customerDraft(ctx, origin, 'customer.updated', customer, [change]);
}

export function customerMerged(ctx: EventContext): Draft | null {
  if (ctx.world.customers.size <= CUSTOMER_FLOOR) return null;
  const duplicate = ctx.world.customers.pick(ctx.random);
  const survivor = ctx.world.customers.pick(ctx.random);
  const origin = by(ctx, ['manager', ...ADMINS]);
  if (
    duplicate === undefined ||
    survivor === undefined ||
    duplicate === survivor ||
    origin === null
  )
    return null;
  ctx.world.customers.remove(duplicate);
  const changes = [
    { field: 'status', old: duplicate.status, new: 'merged' },
    { field: 'mergedInto', old: null, new: survivor.id },
  ];
  duplicate.status = 'merged';
  return customerDraft(ctx, origin, 'customer.merged', duplicate, changes, {
    survivorId: survivor.id,
    survivorLabel: `Customer ${survivor.name}`,
  });
}

export function customerDeactivated(ctx: EventContext): Draft | null {
  if (ctx.world.customers.size <= CUSTOMER_FLOOR) return null;
  const customer = ctx.world.customers.pick(ctx.random);
  const origin = by(ctx, ['manager', ...ADMINS]);
  if (customer === undefined || origin === null) return null;
  ctx.world.customers.remove(customer);
  const change = { field: 'status', old: customer.status, new: 'inactive' };
  customer.status = 'inactive';
  return customerDraft(ctx, origin, 'customer.deactivated', customer, [change], {
    reason: ctx.random.pick(['moved_away', 'requested', 'unpaid_balance']),
  });
}

/** An invitation; the simulated invitee accepts at once and can act from the next event on. */
export function userInvited(ctx: EventContext): Draft | null {
  const origin = by(ctx, ADMINS);
  if (origin === null) return null;
  const role = ctx.random.pick(['cleaner', 'cleaner', 'dispatcher', 'manager'] as const);
  const person = addStaff(ctx.world, ctx.random, role);
  person.invited = true;
  return userDraft(ctx, origin, 'user.invited', person, [
    { field: 'email', old: null, new: person.email },
    { field: 'role', old: null, new: role },
    { field: 'status', old: null, new: 'invited' },
  ]);
}

// Background moves: sideways between working roles, or an admin stepping down to manager.
const MOVES: Record<Role, Role[]> = {
  cleaner: ['dispatcher'],
  dispatcher: ['cleaner', 'manager'],
  manager: ['dispatcher'],
  admin: ['manager'],
  owner: [],
};

export function roleChanged(ctx: EventContext): Draft | null {
  const person = pickStaff(ctx, ['cleaner', 'dispatcher', 'manager', 'admin']);
  const actor = pickStaff(ctx, ADMINS);
  if (person === undefined || actor === undefined || actor === person) return null;
  if (person.role === 'admin' && ctx.world.byRole.admin.size <= 2) return null;
  const to = ctx.random.pick(MOVES[person.role]);
  return changeRole(ctx, from(ctx, actor), person, to);
}

/** Sets `person`'s role, with the permissions that go with it. Also used by planted escalations. */
export function changeRole(ctx: EventContext, origin: Origin, person: Staff, to: Role): Draft {
  const changes = [
    { field: 'role', old: person.role, new: to },
    { field: 'permissions', old: person.permissions, new: defaultPermissions(to) },
  ];
  setRole(ctx.world, person, to);
  person.permissions = defaultPermissions(to);
  return userDraft(ctx, origin, 'user.role_changed', person, changes);
}

export function userDeactivated(ctx: EventContext): Draft | null {
  if (ctx.world.staff.size < 10) return null;
  const person = pickStaff(ctx, ['cleaner', 'dispatcher']);
  const actor = pickStaff(ctx, ADMINS);
  if (person === undefined || actor === undefined || ctx.world.byRole[person.role].size <= 2)
    return null;
  ctx.world.byRole[person.role].remove(person);
  person.active = false;
  return userDraft(ctx, from(ctx, actor), 'user.deactivated', person, [
    { field: 'status', old: person.invited ? 'invited' : 'active', new: 'deactivated' },
  ]);
}

const EXTRA_PERMISSIONS = [
  'reports.export',
  'payroll.read',
  'customers.import',
  'schedules.publish',
];

export function permissionsUpdated(ctx: EventContext): Draft | null {
  const person = pickStaff(ctx, ['cleaner', 'dispatcher', 'manager']);
  const actor = pickStaff(ctx, ADMINS);
  if (person === undefined || actor === undefined) return null;
  const permission = ctx.random.pick(EXTRA_PERMISSIONS);
  const next = person.permissions.includes(permission)
    ? person.permissions.filter((p) => p !== permission)
    : [...person.permissions, permission];
  const change = { field: 'permissions', old: person.permissions, new: next };
  person.permissions = next;
  return userDraft(ctx, from(ctx, actor), 'user.permissions_updated', person, [change]);
}
