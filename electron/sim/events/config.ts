// Configuration events: company settings, branding and integrations, zones (boundaries, pricing)
// and message templates (created, edited, activated, deactivated). Rare, done by the office.
import type { Category, Change, EntityRef } from '../../../shared/entry';
import { BRAND_COLOURS, INTEGRATIONS } from '../names';
import { newTemplate, newZone, polygon } from '../tenant';
import { templateEntity, zoneEntity, type Draft, type Role } from '../world';
import { from, pickStaff, requestMeta, sourceOf, type EventContext } from './context';

const ADMINS: readonly Role[] = ['admin', 'owner'];
const MANAGERS: readonly Role[] = ['manager', 'admin', 'owner'];

function draft(
  ctx: EventContext,
  roles: readonly Role[],
  category: Category,
  action: string,
  entity: EntityRef,
  changes: Change[],
): Draft | null {
  const person = pickStaff(ctx, roles);
  if (person === undefined) return null;
  const origin = from(ctx, person);
  return {
    category,
    action,
    actor: origin.actor,
    entity,
    changes,
    ip: origin.ip,
    userAgent: origin.userAgent,
    metadata: requestMeta(ctx, sourceOf(origin)),
  };
}

export function companyUpdated(ctx: EventContext): Draft | null {
  const { company } = ctx.world;
  const field = ctx.random.pick([
    'cancellationWindowHours',
    'defaultBookingDurationHours',
    'phone',
    'supportEmail',
  ] as const);
  const old = company[field]!;
  const next =
    field === 'cancellationWindowHours'
      ? ctx.random.pick([12, 24, 48, 72].filter((h) => h !== old))
      : field === 'defaultBookingDurationHours'
        ? old === 2
          ? 3
          : 2
        : field === 'phone'
          ? `${ctx.world.locale.phonePrefix} ${ctx.random.int(1000, 9999)}`
          : `${ctx.random.pick(['hello', 'support', 'office', 'team'])}@${ctx.world.domain}`;
  if (next === old) return null;
  company[field] = next;
  return draft(
    ctx,
    ADMINS,
    'settings',
    'settings.company_updated',
    { type: 'settings', id: 'company', label: 'Company settings' },
    [{ field, old, new: next }],
  );
}

export function brandingUpdated(ctx: EventContext): Draft | null {
  const { branding } = ctx.world;
  let change: Change;
  if (ctx.random.chance(0.5)) {
    const colour = ctx.random.pick(BRAND_COLOURS.filter((c) => c !== branding.primaryColor));
    change = { field: 'primaryColor', old: branding.primaryColor!, new: colour };
  } else {
    const old = String(branding.logoUrl);
    const version = Number(/logo-v(\d+)/.exec(old)?.[1] ?? '1') + 1;
    change = { field: 'logoUrl', old, new: old.replace(/logo-v\d+/, `logo-v${version}`) };
  }
  branding[change.field] = change.new;
  return draft(
    ctx,
    ADMINS,
    'settings',
    'settings.branding_updated',
    { type: 'settings', id: 'branding', label: 'Branding' },
    [change],
  );
}

export function integrationUpdated(ctx: EventContext): Draft | null {
  const name = ctx.random.pick(INTEGRATIONS);
  const old = ctx.world.integrations[name] ?? false;
  ctx.world.integrations[name] = !old;
  return draft(
    ctx,
    ADMINS,
    'settings',
    'settings.integration_updated',
    { type: 'integration', id: name, label: `Integration ${name}` },
    [{ field: 'enabled', old, new: !old }],
  );
}

export function zoneCreated(ctx: EventContext): Draft | null {
  if (ctx.world.zones.length >= 12) return null;
  const zone = newZone(ctx.world, ctx.random);
  ctx.world.zones.push(zone);
  return draft(ctx, MANAGERS, 'zones', 'zone.created', zoneEntity(zone), [
    { field: 'name', old: null, new: zone.name },
    { field: 'boundaries', old: null, new: zone.boundaries },
    { field: 'baseRate', old: null, new: zone.baseRate },
    { field: 'travelFee', old: null, new: zone.travelFee },
  ]);
}

export function zoneBoundariesUpdated(ctx: EventContext): Draft | null {
  const zone = ctx.random.pick(ctx.world.zones);
  const next = polygon(ctx.world, ctx.random);
  const change = { field: 'boundaries', old: zone.boundaries, new: next };
  zone.boundaries = next;
  return draft(ctx, MANAGERS, 'zones', 'zone.boundaries_updated', zoneEntity(zone), [change]);
}

export function zonePricingUpdated(ctx: EventContext): Draft | null {
  const zone = ctx.random.pick(ctx.world.zones);
  const baseRate = Math.max(25, zone.baseRate + ctx.random.pick([-5, -2, 2, 3, 5, 10]));
  const changes: Change[] = [{ field: 'baseRate', old: zone.baseRate, new: baseRate }];
  zone.baseRate = baseRate;
  if (ctx.random.chance(0.3)) {
    const travelFee = ctx.random.pick([0, 5, 10, 15, 20].filter((f) => f !== zone.travelFee));
    changes.push({ field: 'travelFee', old: zone.travelFee, new: travelFee });
    zone.travelFee = travelFee;
  }
  return draft(ctx, MANAGERS, 'zones', 'zone.pricing_updated', zoneEntity(zone), changes);
}

const EXTRA_TEMPLATES = [
  'Holiday hours',
  'Spring cleaning offer',
  'Referral thank-you',
  'Late payment reminder',
];

export function templateCreated(ctx: EventContext): Draft | null {
  if (ctx.world.templates.length >= 20) return null;
  const template = newTemplate(
    ctx.world,
    ctx.random,
    ctx.random.pick(EXTRA_TEMPLATES),
    ctx.random.chance(0.6) ? 'email' : 'sms',
    false,
  );
  ctx.world.templates.push(template);
  return draft(ctx, MANAGERS, 'templates', 'template.created', templateEntity(template), [
    { field: 'name', old: null, new: template.name },
    { field: 'channel', old: null, new: template.channel },
    { field: 'body', old: null, new: template.body },
    { field: 'active', old: null, new: false },
  ]);
}

export function templateEdited(ctx: EventContext): Draft | null {
  const template = ctx.random.pick(ctx.world.templates);
  const edits = [
    ' See you soon!',
    ' Questions? Call {{company.phone}}.',
    '\n\n— The team',
    ' Bitte Rückmeldung bis {{booking.date}}.',
  ];
  const body = `${template.body.split(/ See you| Questions\?|\n\n—| Bitte/)[0]}${ctx.random.pick(edits)}`;
  if (body === template.body) return null;
  const changes: Change[] = [
    { field: 'body', old: template.body, new: body },
    { field: 'version', old: template.version, new: template.version + 1 },
  ];
  template.body = body;
  template.version += 1;
  return draft(ctx, MANAGERS, 'templates', 'template.edited', templateEntity(template), changes);
}

export function templateToggled(ctx: EventContext, activate: boolean): Draft | null {
  const candidates = ctx.world.templates.filter((t) => t.active !== activate);
  if (candidates.length === 0) return null;
  if (!activate && ctx.world.templates.filter((t) => t.active).length <= 3) return null;
  const template = ctx.random.pick(candidates);
  template.active = activate;
  return draft(
    ctx,
    MANAGERS,
    'templates',
    activate ? 'template.activated' : 'template.deactivated',
    templateEntity(template),
    [{ field: 'active', old: !activate, new: activate }],
  );
}
