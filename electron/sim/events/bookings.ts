// Booking events: created, updated, rescheduled, confirmed/started (status_changed), completed,
// cancelled. A booking's status moves pending -> confirmed -> in_progress -> completed, or to
// cancelled from pending/confirmed; every change names the status it leaves.
import type { Change } from '../../../shared/entry';
import { NOTES } from '../names';
import { newBooking, round2 } from '../tenant';
import { bookingEntity, type Booking, type BookingStatus, type Draft } from '../world';
import {
  from,
  iso,
  pickStaff,
  requestMeta,
  rested,
  sourceOf,
  type EventContext,
  type Origin,
} from './context';

/** Open bookings kept in reserve so that a planted bulk cancellation always finds targets. */
export const OPEN_BOOKING_FLOOR = 25;
/** One actor cancels at most once per this gap in background activity (below the planted threshold). */
export const CANCEL_GAP_MS = 2 * 60_000;

export const WIDGET_KEY = {
  id: 'key_booking_widget',
  name: 'Online booking widget',
  email: null,
  type: 'api_key' as const,
};
const WIDGET_IP = '192.0.2.250';
const WIDGET_AGENT = 'OtesseWidget/2.4 (+https://otesse.example/widget)';

function widget(): Origin {
  return { actor: WIDGET_KEY, ip: WIDGET_IP, userAgent: WIDGET_AGENT };
}

function office(ctx: EventContext): Origin | null {
  const person = pickStaff(ctx, ['dispatcher', 'dispatcher', 'manager', 'owner']);
  return person === undefined ? null : from(ctx, person);
}

function draft(
  ctx: EventContext,
  origin: Origin,
  action: string,
  booking: Booking,
  changes: Change[],
  extra = {},
): Draft {
  return {
    category: 'bookings',
    action,
    actor: origin.actor,
    entity: bookingEntity(booking),
    changes,
    ip: origin.ip,
    userAgent: origin.userAgent,
    metadata: requestMeta(ctx, sourceOf(origin), extra),
  };
}

const statusChange = (booking: Booking, to: BookingStatus): Change => ({
  field: 'status',
  old: booking.status,
  new: to,
});

export function bookingCreated(ctx: EventContext): Draft | null {
  const origin = ctx.random.chance(0.25) ? widget() : office(ctx);
  if (origin === null) return null;
  const status = origin.actor.type === 'api_key' ? 'pending' : 'confirmed';
  const booking = newBooking(ctx.world, ctx.random, ctx.now, status);
  ctx.world.openBookings.add(booking);
  return draft(ctx, origin, 'booking.created', booking, [
    { field: 'status', old: null, new: status },
    { field: 'customer', old: null, new: booking.customer.name },
    { field: 'scheduledAt', old: null, new: iso(booking.scheduledAtMs) },
    { field: 'durationHours', old: null, new: booking.durationHours },
    { field: 'zone', old: null, new: booking.zone.name },
    { field: 'price', old: null, new: booking.price },
    ...(booking.notes === '' ? [] : [{ field: 'notes', old: null, new: booking.notes }]),
  ]);
}

export function bookingUpdated(ctx: EventContext): Draft | null {
  const booking = ctx.world.openBookings.pick(ctx.random);
  const origin = office(ctx);
  if (booking === undefined || origin === null) return null;
  const changes: Change[] = [];
  const what = ctx.random.int(0, 2);
  if (what === 0) {
    const notes = ctx.random.pick(NOTES);
    changes.push({ field: 'notes', old: booking.notes, new: notes });
    booking.notes = notes;
  } else if (what === 1) {
    const hours =
      booking.durationHours + (booking.durationHours > 2 && ctx.random.chance(0.5) ? -1 : 1);
    const price = round2(booking.zone.baseRate * hours + booking.zone.travelFee);
    changes.push(
      { field: 'durationHours', old: booking.durationHours, new: hours },
      { field: 'price', old: booking.price, new: price },
    );
    booking.durationHours = hours;
    booking.price = price;
  } else {
    const cleaner = pickStaff(ctx, ['cleaner']);
    if (cleaner === undefined || cleaner.id === booking.assigneeId) return null;
    changes.push({ field: 'assignee', old: booking.assigneeId, new: cleaner.id });
    booking.assigneeId = cleaner.id;
  }
  return draft(ctx, origin, 'booking.updated', booking, changes);
}

export function bookingRescheduled(ctx: EventContext): Draft | null {
  const booking = ctx.world.openBookings.pick(ctx.random);
  const origin = ctx.random.chance(0.2) ? widget() : office(ctx);
  if (booking === undefined || origin === null) return null;
  const next = Math.max(
    ctx.now + 3_600_000,
    booking.scheduledAtMs + ctx.random.int(-2, 5) * 86_400_000 + ctx.random.int(-2, 2) * 3_600_000,
  );
  const change = { field: 'scheduledAt', old: iso(booking.scheduledAtMs), new: iso(next) };
  booking.scheduledAtMs = next;
  return draft(ctx, origin, 'booking.rescheduled', booking, [change], {
    reason: ctx.random.pick(['customer_request', 'staff_unavailable', 'weather']),
  });
}

/** pending -> confirmed by the office, or confirmed -> in_progress by the cleaner on site. */
export function bookingStatusChanged(ctx: EventContext): Draft | null {
  const booking = ctx.world.openBookings.pick(ctx.random);
  if (booking === undefined) return null;
  if (booking.status === 'pending') {
    const origin = office(ctx);
    if (origin === null) return null;
    const change = statusChange(booking, 'confirmed');
    booking.status = 'confirmed';
    return draft(ctx, origin, 'booking.status_changed', booking, [change]);
  }
  if (ctx.world.openBookings.size <= OPEN_BOOKING_FLOOR) return null;
  const assigned =
    booking.assigneeId === null ? undefined : ctx.world.staff.get(booking.assigneeId);
  const cleaner = assigned?.active === true ? assigned : pickStaff(ctx, ['cleaner']);
  if (cleaner === undefined) return null;
  const changes: Change[] = [statusChange(booking, 'in_progress')];
  if (booking.assigneeId !== cleaner.id)
    changes.push({ field: 'assignee', old: booking.assigneeId, new: cleaner.id });
  booking.status = 'in_progress';
  booking.assigneeId = cleaner.id;
  ctx.world.openBookings.remove(booking);
  ctx.world.inProgress.add(booking);
  return draft(ctx, from(ctx, cleaner), 'booking.status_changed', booking, changes);
}

export function bookingCompleted(ctx: EventContext): Draft | null {
  const booking = ctx.world.inProgress.pick(ctx.random);
  if (booking === undefined) return null;
  const cleaner = booking.assigneeId === null ? undefined : ctx.world.staff.get(booking.assigneeId);
  const person = cleaner?.active === true ? cleaner : pickStaff(ctx, ['dispatcher', 'manager']);
  if (person === undefined) return null;
  const change = statusChange(booking, 'completed');
  booking.status = 'completed';
  ctx.world.inProgress.remove(booking);
  ctx.world.toInvoice.push(booking);
  return draft(ctx, from(ctx, person), 'booking.completed', booking, [change], {
    durationHours: booking.durationHours,
  });
}

/** Background cancellations: one per actor per CANCEL_GAP_MS at most, never below the floor. */
export function bookingCancelled(ctx: EventContext): Draft | null {
  if (ctx.world.openBookings.size <= OPEN_BOOKING_FLOOR) return null;
  const booking = ctx.world.openBookings.pick(ctx.random);
  const origin = ctx.random.chance(0.3) ? widget() : office(ctx);
  if (booking === undefined || origin === null) return null;
  if (!rested(ctx.world.lastCancel, origin.actor.id, ctx.now, CANCEL_GAP_MS)) return null;
  ctx.world.lastCancel.set(origin.actor.id, ctx.now);
  return cancel(
    ctx,
    origin,
    booking,
    ctx.random.pick(['customer_request', 'no_access', 'duplicate', 'illness']),
  );
}

/** Cancels `booking` (pending or confirmed) on behalf of `origin`. Also used by planted bursts. */
export function cancel(ctx: EventContext, origin: Origin, booking: Booking, reason: string): Draft {
  const change = statusChange(booking, 'cancelled');
  booking.status = 'cancelled';
  ctx.world.openBookings.remove(booking);
  return draft(ctx, origin, 'booking.cancelled', booking, [change], { reason });
}
