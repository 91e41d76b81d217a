// The simulated tenant's business as it stands at one instant: staff, customers, open bookings,
// unpaid invoices, zones, templates and settings. Events read it for their old values and update it
// with the new ones, so every `changes[].old` is what the previous event left behind.
import type { Tenant } from '../../shared/bundle';
import type { Actor, EntityRef, Entry, JsonValue } from '../../shared/entry';
import type { Locale } from './names';
import type { Pool } from './pool';

/** Roles from least to most privileged. */
export const ROLES = ['cleaner', 'dispatcher', 'manager', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];
export const ADMIN_ROLES: readonly Role[] = ['admin', 'owner'];

export interface Staff {
  id: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  /** Invited and not logged in yet: the first login accepts the invitation. */
  invited: boolean;
  mfa: boolean;
  /** The few addresses and devices this person works from. */
  ips: string[];
  agents: string[];
  permissions: string[];
}

export interface Customer {
  id: string;
  name: string;
  email: string | null;
  phone: string;
  address: string;
  status: 'active' | 'inactive' | 'merged';
}

export type BookingStatus = 'pending' | 'confirmed' | 'in_progress' | 'completed' | 'cancelled';

export interface Booking {
  id: string;
  customer: Customer;
  zone: Zone;
  scheduledAtMs: number;
  durationHours: number;
  price: number;
  status: BookingStatus;
  assigneeId: string | null;
  notes: string;
}

export type InvoiceStatus = 'generated' | 'sent' | 'paid' | 'voided' | 'refunded';

export interface Invoice {
  id: string;
  bookingId: string;
  customer: Customer;
  amount: number;
  status: InvoiceStatus;
}

export interface Zone {
  id: string;
  name: string;
  /** Closed polygon of [longitude, latitude] points. */
  boundaries: [number, number][];
  baseRate: number;
  travelFee: number;
}

export interface Template {
  id: string;
  name: string;
  channel: 'email' | 'sms';
  subject: string;
  body: string;
  active: boolean;
  version: number;
}

/** An entry before the trail gives it an id, a seq and a time. */
export type Draft = Omit<Entry, 'id' | 'seq' | 'occurredAt'>;

export interface World {
  tenant: Tenant;
  locale: Locale;
  domain: string;
  staff: Map<string, Staff>;
  /** Active staff by role. */
  byRole: Record<Role, Pool<Staff>>;
  customers: Pool<Customer>;
  /** pending or confirmed */
  openBookings: Pool<Booking>;
  inProgress: Pool<Booking>;
  /** Completed bookings waiting for their invoice, oldest first. */
  toInvoice: Booking[];
  generated: Pool<Invoice>;
  sent: Pool<Invoice>;
  /** Recently paid invoices (bounded), the ones a refund can still hit. */
  paid: Pool<Invoice>;
  zones: Zone[];
  templates: Template[];
  company: Record<string, JsonValue>;
  branding: Record<string, JsonValue>;
  integrations: Record<string, boolean>;
  counters: {
    booking: number;
    invoice: number;
    customer: number;
    user: number;
    zone: number;
    template: number;
    foreignIp: number;
    staffIp: number;
  };
  /** Last time (ms) an actor cancelled / voided, and a login failed for a user: keeps background activity below the planted thresholds. */
  lastCancel: Map<string, number>;
  lastVoid: Map<string, number>;
  lastFailedLogin: Map<string, number>;
  officeIp: string;
  /** Work that existed before the trail, touched only by planted bursts when the live pools run dry (tiny trails). */
  reserve: { bookings: Booking[]; invoices: Invoice[] };
}

export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'Otesse', email: null, type: 'system' };

export function actorOf(person: Staff): Actor {
  return { id: person.id, name: person.name, email: person.email, type: 'user' };
}

export function userEntity(person: Staff): EntityRef {
  return { type: 'user', id: person.id, label: `User ${person.email}` };
}

export function bookingEntity(booking: Booking): EntityRef {
  return { type: 'booking', id: booking.id, label: `Booking #${booking.id}` };
}

export function invoiceEntity(invoice: Invoice): EntityRef {
  return { type: 'invoice', id: invoice.id, label: `Invoice ${invoice.id}` };
}

export function customerEntity(customer: Customer): EntityRef {
  return { type: 'customer', id: customer.id, label: `Customer ${customer.name}` };
}

export function zoneEntity(zone: Zone): EntityRef {
  return { type: 'zone', id: zone.id, label: `Zone ${zone.name}` };
}

export function templateEntity(template: Template): EntityRef {
  return {
    type: 'template',
    id: template.id,
    label: `Template ${template.name} (${template.channel})`,
  };
}

export function setRole(world: World, person: Staff, role: Role): void {
  if (person.active) world.byRole[person.role].remove(person);
  person.role = role;
  if (person.active) world.byRole[role].add(person);
}

export function activeStaff(world: World, roles: readonly Role[]): number {
  return roles.reduce((sum, role) => sum + world.byRole[role].size, 0);
}
