// Everyday activity: which kind of event happens at a given moment. Office work dominates business
// hours; evenings are quieter; at night (00:00-05:00 local) only the system, the booking widget and
// payment webhooks act, so no background staff login happens at night.
import {
  bookingCancelled,
  bookingCompleted,
  bookingCreated,
  bookingRescheduled,
  bookingStatusChanged,
  bookingUpdated,
} from './events/bookings';
import { login, loginFailed, logout, mfaEnabled, passwordChanged } from './events/auth';
import {
  brandingUpdated,
  companyUpdated,
  integrationUpdated,
  templateCreated,
  templateEdited,
  templateToggled,
  zoneBoundariesUpdated,
  zoneCreated,
  zonePricingUpdated,
} from './events/config';
import type { EventBuilder, EventContext } from './events/context';
import {
  invoiceGenerated,
  invoicePaid,
  invoiceRefunded,
  invoiceSent,
  invoiceVoidedBackground,
} from './events/invoices';
import {
  customerCreated,
  customerDeactivated,
  customerMerged,
  customerUpdated,
  permissionsUpdated,
  roleChanged,
  userDeactivated,
  userInvited,
} from './events/people';
import type { Draft } from './world';

export type Band = 'business' | 'evening' | 'night';

/** Local hour -> band. Business hours are 07:00-19:00 on every day; weekends just see fewer events. */
export function bandOf(localHour: number): Band {
  if (localHour >= 7 && localHour < 19) return 'business';
  if (localHour >= 5 && localHour < 7) return 'evening';
  return localHour >= 19 ? 'evening' : 'night';
}

// [builder, business weight, evening weight, night weight]
const KINDS: [EventBuilder, number, number, number][] = [
  [bookingCreated, 16, 10, 4],
  [bookingUpdated, 8, 3, 0],
  [bookingRescheduled, 4, 2, 1],
  [bookingStatusChanged, 12, 4, 0],
  [bookingCompleted, 10, 5, 0],
  [bookingCancelled, 3, 2, 1],
  [invoiceGenerated, 10, 10, 12],
  [invoiceSent, 7, 5, 6],
  [invoicePaid, 7, 6, 8],
  [invoiceVoidedBackground, 0.4, 0.1, 0],
  [invoiceRefunded, 0.3, 0.1, 0],
  [login, 8, 5, 0],
  [logout, 5, 5, 0],
  [loginFailed, 0.8, 0.5, 0],
  [passwordChanged, 0.25, 0.2, 0],
  [mfaEnabled, 0.15, 0.05, 0],
  [customerCreated, 3, 1.5, 0],
  [customerUpdated, 3, 1, 0],
  [customerMerged, 0.3, 0.05, 0],
  [customerDeactivated, 0.3, 0.05, 0],
  [userInvited, 0.12, 0.02, 0],
  [roleChanged, 0.08, 0.01, 0],
  [userDeactivated, 0.06, 0.01, 0],
  [permissionsUpdated, 0.08, 0.02, 0],
  [companyUpdated, 0.06, 0.01, 0],
  [brandingUpdated, 0.04, 0.01, 0],
  [integrationUpdated, 0.04, 0.01, 0],
  [zoneCreated, 0.01, 0, 0],
  [zoneBoundariesUpdated, 0.04, 0.01, 0],
  [zonePricingUpdated, 0.05, 0.01, 0],
  [templateCreated, 0.03, 0.01, 0],
  [templateEdited, 0.1, 0.03, 0],
  [(ctx) => templateToggled(ctx, true), 0.04, 0.01, 0],
  [(ctx) => templateToggled(ctx, false), 0.03, 0.01, 0],
];

const WEIGHTS: Record<Band, number[]> = {
  business: KINDS.map((k) => k[1]),
  evening: KINDS.map((k) => k[2]),
  night: KINDS.map((k) => k[3]),
};

/**
 * One background event at ctx.now. A kind the business state does not allow (nothing to invoice,
 * a rate limit, a reserve floor) is redrawn; a booking is always possible as the last resort.
 */
export function backgroundEvent(ctx: EventContext, band: Band): Draft {
  for (let attempt = 0; attempt < 6; attempt++) {
    const draft = KINDS[ctx.random.weighted(WEIGHTS[band])]![0](ctx);
    if (draft !== null) return draft;
  }
  // The owner can always take a booking, so this never fails.
  const booking = bookingCreated(ctx);
  if (booking === null) throw new Error('no one left to take a booking');
  return booking;
}
