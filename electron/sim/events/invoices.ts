// Invoice events, following bookings: a completed booking is invoiced by the system (generated),
// then sent, paid, and sometimes voided (before payment) or refunded (after).
import type { Change } from '../../../shared/entry';
import { newInvoice } from '../tenant';
import {
  invoiceEntity,
  SYSTEM_ACTOR,
  type Draft,
  type Invoice,
  type InvoiceStatus,
} from '../world';
import {
  from,
  pickStaff,
  requestMeta,
  rested,
  sourceOf,
  type EventContext,
  type Origin,
} from './context';

/** Unpaid invoices kept in reserve so that a planted void burst always finds targets. */
export const UNPAID_FLOOR = 12;
/** One actor voids at most once per this gap in background activity. */
export const VOID_GAP_MS = 3 * 60_000;
const PAID_KEPT = 500;

const SYSTEM: Origin = { actor: SYSTEM_ACTOR, ip: null, userAgent: null };

function draft(
  ctx: EventContext,
  origin: Origin,
  action: string,
  invoice: Invoice,
  changes: Change[],
  extra = {},
): Draft {
  return {
    category: 'invoices',
    action,
    actor: origin.actor,
    entity: invoiceEntity(invoice),
    changes,
    ip: origin.ip,
    userAgent: origin.userAgent,
    metadata: requestMeta(ctx, sourceOf(origin), extra),
  };
}

function status(invoice: Invoice, to: InvoiceStatus): Change {
  const change = { field: 'status', old: invoice.status, new: to };
  invoice.status = to;
  return change;
}

const unpaid = (ctx: EventContext) => ctx.world.generated.size + ctx.world.sent.size;

function staff(ctx: EventContext, roles: Parameters<typeof pickStaff>[1]): Origin | null {
  const person = pickStaff(ctx, roles);
  return person === undefined ? null : from(ctx, person);
}

export function invoiceGenerated(ctx: EventContext): Draft | null {
  const booking = ctx.world.toInvoice.shift();
  if (booking === undefined) return null;
  const invoice = newInvoice(ctx.world, ctx.random, booking);
  ctx.world.generated.add(invoice);
  return draft(ctx, SYSTEM, 'invoice.generated', invoice, [
    { field: 'status', old: null, new: 'generated' },
    { field: 'amount', old: null, new: invoice.amount },
    { field: 'booking', old: null, new: `Booking #${booking.id}` },
    { field: 'customer', old: null, new: invoice.customer.name },
  ]);
}

export function invoiceSent(ctx: EventContext): Draft | null {
  const invoice = ctx.world.generated.pick(ctx.random);
  const origin = ctx.random.chance(0.7) ? SYSTEM : staff(ctx, ['manager', 'admin']);
  if (invoice === undefined || origin === null) return null;
  ctx.world.generated.remove(invoice);
  ctx.world.sent.add(invoice);
  return draft(ctx, origin, 'invoice.sent', invoice, [status(invoice, 'sent')], {
    channel: 'email',
    to: invoice.customer.email,
  });
}

export function invoicePaid(ctx: EventContext): Draft | null {
  if (unpaid(ctx) <= UNPAID_FLOOR) return null;
  const invoice = ctx.world.sent.pick(ctx.random);
  const card = ctx.random.chance(0.75);
  const origin = card ? SYSTEM : staff(ctx, ['manager', 'admin', 'owner']);
  if (invoice === undefined || origin === null) return null;
  ctx.world.sent.remove(invoice);
  ctx.world.paid.add(invoice);
  if (ctx.world.paid.size > PAID_KEPT) ctx.world.paid.remove(ctx.world.paid.pick(ctx.random)!);
  return draft(
    ctx,
    origin,
    'invoice.paid',
    invoice,
    [status(invoice, 'paid'), { field: 'amountPaid', old: 0, new: invoice.amount }],
    {
      method: card ? 'card' : ctx.random.pick(['bank_transfer', 'cash', 'check']),
      ...(card ? { processor: 'stripe' } : {}),
    },
  );
}

export function invoiceVoidedBackground(ctx: EventContext): Draft | null {
  if (unpaid(ctx) <= UNPAID_FLOOR) return null;
  const person = pickStaff(ctx, ['manager', 'admin', 'owner']);
  if (person === undefined || !rested(ctx.world.lastVoid, person.id, ctx.now, VOID_GAP_MS))
    return null;
  const invoice = pickUnpaid(ctx);
  if (invoice === undefined) return null;
  ctx.world.lastVoid.set(person.id, ctx.now);
  return voidInvoice(
    ctx,
    from(ctx, person),
    invoice,
    ctx.random.pick(['duplicate', 'wrong_amount', 'booking_cancelled']),
  );
}

export function pickUnpaid(ctx: EventContext): Invoice | undefined {
  const { generated, sent } = ctx.world;
  const total = generated.size + sent.size;
  if (total === 0) return undefined;
  return ctx.random.next() * total < generated.size
    ? generated.pick(ctx.random)
    : sent.pick(ctx.random);
}

/** Voids an unpaid invoice on behalf of `origin`. Also used by planted bursts. */
export function voidInvoice(
  ctx: EventContext,
  origin: Origin,
  invoice: Invoice,
  reason: string,
): Draft {
  ctx.world.generated.remove(invoice);
  ctx.world.sent.remove(invoice);
  return draft(ctx, origin, 'invoice.voided', invoice, [status(invoice, 'voided')], { reason });
}

export function invoiceRefunded(ctx: EventContext): Draft | null {
  const invoice = ctx.world.paid.pick(ctx.random);
  const origin = staff(ctx, ['admin', 'owner']);
  if (invoice === undefined || origin === null) return null;
  ctx.world.paid.remove(invoice);
  const partial = ctx.random.chance(0.3);
  const refund = partial ? Math.round(invoice.amount * 50) / 100 : invoice.amount;
  return draft(
    ctx,
    origin,
    'invoice.refunded',
    invoice,
    [status(invoice, 'refunded'), { field: 'amountRefunded', old: 0, new: refund }],
    {
      reason: ctx.random.pick(['service_complaint', 'overcharge', 'goodwill']),
    },
  );
}
