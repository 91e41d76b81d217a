// Invents a tenant from a seed: its business, plan, time zone, staff, customers, zones, templates
// and settings, plus the open bookings and unpaid invoices it already had when the trail begins
// (a trail starts in the middle of a business's life, not at its founding).
import { PLANS, type Plan } from '../../shared/bundle';
import { CROCKFORD } from './ids';
import {
  BRAND_COLOURS,
  BUSINESS_CUSTOMERS,
  DESKTOP_AGENTS,
  FIRST_NAMES,
  INTEGRATIONS,
  LAST_NAMES,
  LOCALES,
  MOBILE_AGENTS,
  NOTES,
  STREETS,
  TEMPLATE_NAMES,
  type Locale,
} from './names';
import { Pool } from './pool';
import { Random, type Seed } from './random';
import {
  ROLES,
  type Booking,
  type Customer,
  type Invoice,
  type Role,
  type Staff,
  type Template,
  type World,
  type Zone,
} from './world';

export interface TenantOptions {
  seed: Seed;
  /** Average entries per day: sizes the business (more activity, more staff and customers). */
  perDay: number;
  /** Trail length: sizes the reserve that planted bursts fall back on. */
  days: number;
  /** Override the seeded choices. */
  timeZone?: string;
  plan?: Plan;
}

const PLAN_WEIGHTS = [5, 3, 2]; // standard, professional, enterprise

export function createWorld(options: TenantOptions): World {
  const random = Random.derive(options.seed, 'tenant');
  const locale = chooseLocale(random, options.timeZone);
  const name = random.pick(locale.namePatterns).replace('{w}', random.pick(locale.words));
  const plan = options.plan ?? PLANS[random.weighted(PLAN_WEIGHTS)]!;
  const domain = `${slug(name)}.example`;
  const tenantId = `ten_${random.string(CROCKFORD.toLowerCase(), 10)}`;
  const scale = Math.max(0, options.perDay);

  const world: World = {
    tenant: { id: tenantId, name, timeZone: locale.timeZone, plan },
    locale,
    domain,
    staff: new Map(),
    byRole: {
      cleaner: new Pool(),
      dispatcher: new Pool(),
      manager: new Pool(),
      admin: new Pool(),
      owner: new Pool(),
    },
    customers: new Pool(),
    openBookings: new Pool(),
    inProgress: new Pool(),
    toInvoice: [],
    generated: new Pool(),
    sent: new Pool(),
    paid: new Pool(),
    zones: [],
    templates: [],
    company: {},
    branding: {},
    integrations: {},
    counters: {
      booking: 1000 + random.int(0, 8999),
      invoice: random.int(100, 999),
      customer: 0,
      user: 0,
      zone: 0,
      template: 0,
      foreignIp: 0,
      staffIp: 0,
    },
    lastCancel: new Map(),
    lastVoid: new Map(),
    lastFailedLogin: new Map(),
    officeIp: '203.0.113.10',
    reserve: { bookings: [], invoices: [] },
  };

  const staffCount = clamp(Math.round(scale / 25), 8, 300);
  addStaff(world, random, 'owner');
  for (let i = 0; i < (staffCount >= 40 ? 3 : 2); i++) addStaff(world, random, 'admin');
  const rest = staffCount - world.staff.size;
  for (let i = 0; i < rest; i++)
    addStaff(world, random, ROLES[random.weighted([55, 22, 10, 0, 0])]!);
  // At least one of each working role, whatever the draw.
  for (const role of ['cleaner', 'dispatcher', 'manager'] as const)
    if (world.byRole[role].size === 0) addStaff(world, random, role);

  for (let i = 0; i < random.int(3, Math.min(7, locale.zones.length)); i++)
    world.zones.push(newZone(world, random));
  for (const [templateName, channel] of TEMPLATE_NAMES.slice(
    0,
    random.int(5, TEMPLATE_NAMES.length),
  )) {
    world.templates.push(newTemplate(world, random, templateName, channel, true));
  }
  world.company = {
    legalName: name,
    phone: `${locale.phonePrefix} ${random.int(1000, 9999)}`,
    currency: locale.currency,
    cancellationWindowHours: random.pick([12, 24, 48]),
    defaultBookingDurationHours: random.pick([2, 3]),
    supportEmail: `hello@${domain}`,
  };
  world.branding = {
    primaryColor: random.pick(BRAND_COLOURS),
    logoUrl: `https://cdn.${domain}/logo-v1.png`,
    emailFooter: `${name} · ${locale.phonePrefix}`,
  };
  for (const integration of INTEGRATIONS) world.integrations[integration] = random.chance(0.5);

  for (let i = 0; i < clamp(scale * 2, 60, 20_000); i++)
    world.customers.add(newCustomer(world, random));
  // Enough open work that planted bursts (up to 20 cancellations, 9 voids) always find targets.
  for (let i = 0; i < clamp(Math.round(scale / 2), 40, 20_000); i++) {
    world.openBookings.add(
      newBooking(world, random, 0, random.chance(0.7) ? 'confirmed' : 'pending'),
    );
  }
  for (let i = 0; i < clamp(Math.round(scale / 5), 24, 5_000); i++) {
    const invoice = newInvoice(world, random, newBooking(world, random, 0, 'completed'));
    invoice.status = random.chance(0.5) ? 'sent' : 'generated';
    (invoice.status === 'sent' ? world.sent : world.generated).add(invoice);
  }
  const bursts = Math.max(1, Math.floor(options.days / 30));
  for (let i = 0; i < 20 * bursts; i++)
    world.reserve.bookings.push(newBooking(world, random, 0, 'confirmed'));
  for (let i = 0; i < 9 * bursts; i++) {
    const invoice = newInvoice(world, random, newBooking(world, random, 0, 'completed'));
    invoice.status = 'sent';
    world.reserve.invoices.push(invoice);
  }
  return world;
}

function chooseLocale(random: Random, timeZone: string | undefined): Locale {
  const seeded = random.pick(LOCALES);
  if (timeZone === undefined) return seeded;
  // Another zone keeps the vocabulary of the seeded locale; only the clock changes.
  return LOCALES.find((l) => l.timeZone === timeZone) ?? { ...seeded, timeZone };
}

export function personName(random: Random): string {
  return `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
}

export function addStaff(world: World, random: Random, role: Role): Staff {
  const name = personName(random);
  const id = `usr_${++world.counters.user}`;
  const field = role === 'cleaner';
  const ips = field ? [staffIp(world)] : [world.officeIp, staffIp(world)];
  if (random.chance(0.3)) ips.push(staffIp(world));
  const agents = field ? [random.pick(MOBILE_AGENTS)] : [random.pick(DESKTOP_AGENTS)];
  if (!field && random.chance(0.4)) agents.push(random.pick(MOBILE_AGENTS));
  const person: Staff = {
    id,
    name,
    email: `${emailLocal(name)}.${world.counters.user}@${world.domain}`,
    role,
    active: true,
    invited: false,
    // Privileged accounts start with MFA; others sometimes.
    mfa: role === 'owner' || role === 'admin' || random.chance(0.35),
    ips,
    agents,
    permissions: defaultPermissions(role),
  };
  world.staff.set(id, person);
  world.byRole[role].add(person);
  return person;
}

/** Staff addresses come from documentation ranges (RFC 5737 / 3849); planted ones use another. */
function staffIp(world: World): string {
  const n = world.counters.staffIp++;
  if (n < 230) return `203.0.113.${20 + n}`;
  if (n < 460) return `192.0.2.${20 + n - 230}`;
  return `2001:db8:1::${(n - 460 + 1).toString(16)}`;
}

export function foreignIp(world: World): string {
  const n = ++world.counters.foreignIp;
  return n <= 250 ? `198.51.100.${n}` : `2001:db8:bad::${n.toString(16)}`;
}

export function defaultPermissions(role: Role): string[] {
  const all = [
    'bookings.read',
    'bookings.write',
    'customers.write',
    'invoices.write',
    'invoices.void',
    'settings.write',
    'users.manage',
  ];
  const count = { cleaner: 1, dispatcher: 3, manager: 5, admin: 7, owner: 7 }[role];
  return all.slice(0, count);
}

export function newCustomer(world: World, random: Random): Customer {
  const business = random.chance(0.15);
  const name = business ? `${random.pick(BUSINESS_CUSTOMERS)}` : personName(random);
  const id = `cus_${++world.counters.customer}`;
  return {
    id,
    name,
    email: random.chance(0.9)
      ? `${emailLocal(name) || 'customer'}.${world.counters.customer}@mail.example`
      : null,
    phone: `${world.locale.phonePrefix} ${random.int(1000, 9999)}`,
    address: `${random.int(1, 420)} ${random.pick(STREETS)}`,
    status: 'active',
  };
}

export function newBooking(
  world: World,
  random: Random,
  nowMs: number,
  status: Booking['status'],
): Booking {
  const zone = random.pick(world.zones);
  const durationHours = random.pick([2, 2, 3, 3, 4, 6]);
  return {
    id: String(++world.counters.booking),
    customer: world.customers.pick(random) ?? newCustomer(world, random),
    zone,
    scheduledAtMs: nowMs + random.int(1, 21) * 86_400_000 + random.int(-3, 3) * 3_600_000,
    durationHours,
    price: round2(zone.baseRate * durationHours + zone.travelFee),
    status,
    assigneeId: null,
    notes: random.chance(0.3) ? random.pick(NOTES) : '',
  };
}

export function newInvoice(world: World, random: Random, booking: Booking): Invoice {
  const year = 2026;
  return {
    id: `INV-${year}-${String(++world.counters.invoice).padStart(5, '0')}`,
    bookingId: booking.id,
    customer: booking.customer,
    amount: round2(booking.price * (random.chance(0.1) ? 1.1 : 1)),
    status: 'generated',
  };
}

export function newZone(world: World, random: Random): Zone {
  const taken = new Set(world.zones.map((z) => z.name));
  const name =
    world.locale.zones.find((z) => !taken.has(z)) ??
    `${random.pick(world.locale.zones)} ${world.counters.zone + 1}`;
  return {
    id: `zon_${++world.counters.zone}`,
    name,
    boundaries: polygon(world, random),
    baseRate: random.int(35, 70),
    travelFee: random.pick([0, 5, 10, 15]),
  };
}

/** A small quadrilateral near the locale's centre, rounded to 4 decimals (~10 m). */
export function polygon(world: World, random: Random): [number, number][] {
  const [lng, lat] = world.locale.centre;
  const cx = lng + (random.next() - 0.5) * 0.3;
  const cy = lat + (random.next() - 0.5) * 0.2;
  const points: [number, number][] = [
    [cx - 0.02 - random.next() * 0.02, cy - 0.015],
    [cx + 0.02 + random.next() * 0.02, cy - 0.015],
    [cx + 0.02, cy + 0.015 + random.next() * 0.01],
    [cx - 0.02, cy + 0.015],
  ].map(([x, y]) => [round4(x!), round4(y!)]);
  return [...points, points[0]!];
}

export function newTemplate(
  world: World,
  random: Random,
  name: string,
  channel: 'email' | 'sms',
  active: boolean,
): Template {
  return {
    id: `tpl_${++world.counters.template}`,
    name,
    channel,
    subject: channel === 'email' ? `${name} – {{company.name}}` : '',
    body: `Hi {{customer.firstName}}, ${name.toLowerCase()} for {{booking.date}}.${random.chance(0.5) ? ' Reply STOP to opt out.' : ''}`,
    active,
    version: 1,
  };
}

function emailLocal(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[^A-Za-z ]/g, '')
    .trim()
    .toLowerCase()
    .replace(/ +/g, '.');
}

function slug(name: string): string {
  return (
    emailLocal(name)
      .replace(/\./g, '-')
      .replace(/-(gmbh|inc|llc|kg|pty-ltd|co)$/g, '') || 'tenant'
  );
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export const round2 = (n: number) => Math.round(n * 100) / 100;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
