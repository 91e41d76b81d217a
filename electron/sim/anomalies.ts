// Planted unusual activity, the ground truth for the review features (definitions in
// docs/simulator.md). Background activity is kept strictly below each definition (rate limits in
// events/*.ts, no staff logins at night, no background MFA removal or promotion to admin), so every
// match of a definition in a generated trail is one of the planted occurrences listed here.
import { DateTime } from 'luxon';
import type { LocalDay } from './clock';
import { localTimeMs } from './clock';
import { cancel } from './events/bookings';
import { authDraft } from './events/auth';
import { from, pickStaff, type EventContext, type Origin } from './events/context';
import { pickUnpaid, voidInvoice } from './events/invoices';
import { changeRole, userDraft } from './events/people';
import { FOREIGN_AGENTS } from './names';
import type { Random } from './random';
import { addStaff, foreignIp } from './tenant';
import { actorOf, ADMIN_ROLES, type Draft, type Staff } from './world';

export const ANOMALY_KINDS = [
  'night_login_new_ip',
  'failed_login_burst',
  'bulk_cancellation',
  'role_escalation',
  'mfa_disabled',
  'invoice_void_burst',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** Thresholds of the definitions; background activity stays below them. */
export const THRESHOLDS = {
  nightHours: [0, 5] as const,
  failedLogins: { count: 6, windowMs: 10 * 60_000 },
  cancellations: { count: 10, windowMs: 15 * 60_000 },
  voids: { count: 5, windowMs: 10 * 60_000 },
};

/** One planted occurrence, as `sim generate` lists it in the ground-truth file. */
export interface PlantedAnomaly {
  kind: AnomalyKind;
  /** Ids (and seqs) of the entries that make up the occurrence, in trail order. */
  entryIds: string[];
  seqs: number[];
  /** Local date (tenant zone) and UTC span of the occurrence. */
  day: string;
  from: string;
  to: string;
  actorId: string;
  description: string;
}

/** Where an occurrence will be planted: known before any entry is generated. */
export interface PlannedAnomaly {
  kind: AnomalyKind;
  dayIndex: number;
  /** Local wall-clock start, HH:MM in the tenant zone. */
  localTime: string;
}

/** An entry draft produced by a planted step; `planted: false` marks a supporting entry. */
export interface StepOutput {
  draft: Draft;
  planted: boolean;
}

export interface PlantedStep {
  at: number;
  run(ctx: EventContext, occurrence: PlantedAnomaly): StepOutput[];
  /** The occurrence this step belongs to; its record is filled as entries get ids. */
  occurrence: PlantedAnomaly;
}

/** One occurrence of each kind per started 30 days (at least one), at a seeded day and time. */
export function planAnomalies(days: number, random: Random): PlannedAnomaly[] {
  const planned: PlannedAnomaly[] = [];
  if (days <= 0) return planned;
  const occurrences = Math.max(1, Math.floor(days / 30));
  const block = days / occurrences;
  for (const kind of ANOMALY_KINDS) {
    for (let i = 0; i < occurrences; i++) {
      const first = Math.floor(i * block);
      const last = Math.max(first, Math.floor((i + 1) * block) - 1);
      const dayIndex = random.int(first, last);
      const minutes =
        kind === 'night_login_new_ip' ? random.int(30, 4 * 60 + 20) : random.int(9 * 60, 16 * 60);
      planned.push({
        kind,
        dayIndex,
        localTime: `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`,
      });
    }
  }
  return planned.sort((a, b) => a.dayIndex - b.dayIndex || a.localTime.localeCompare(b.localTime));
}

/** The steps of the occurrences planned on `day`, with their UTC times. */
export function stepsFor(
  day: LocalDay,
  planned: readonly PlannedAnomaly[],
  timeZone: string,
  random: Random,
): PlantedStep[] {
  const steps: PlantedStep[] = [];
  for (const plan of planned) {
    if (plan.dayIndex !== day.index) continue;
    const [hour, minute] = plan.localTime.split(':').map(Number) as [number, number];
    const start = localTimeMs(day, hour, minute, timeZone) + random.int(0, 59_999);
    const occurrence: PlantedAnomaly = {
      kind: plan.kind,
      entryIds: [],
      seqs: [],
      day: day.date,
      from: '',
      to: '',
      actorId: '',
      description: '',
    };
    const script = SCRIPTS[plan.kind](random, timeZone);
    let at = start;
    script.forEach((run, i) => {
      if (i > 0) at += random.int(script.gapMs[0], script.gapMs[1]);
      steps.push({ at: Math.min(at, day.endMs - 1), run, occurrence });
    });
  }
  return steps.sort((a, b) => a.at - b.at);
}

type Step = (ctx: EventContext, occurrence: PlantedAnomaly) => StepOutput[];
type Script = Step[] & { gapMs: [number, number] };

function script(steps: Step[], gapMs: [number, number]): Script {
  return Object.assign(steps, { gapMs });
}

const planted = (draft: Draft): StepOutput => ({ draft, planted: true });
const supporting = (draft: Draft): StepOutput => ({ draft, planted: false });

function localClock(ms: number, timeZone: string): string {
  return DateTime.fromMillis(ms, { zone: timeZone }).toFormat('HH:mm ZZZZ');
}

const SCRIPTS: Record<AnomalyKind, (random: Random, timeZone: string) => Script> = {
  night_login_new_ip: (_random, timeZone) =>
    script(
      [
        (ctx, occurrence) => {
          const person = pickStaff(ctx, ['manager', 'admin', 'owner', 'dispatcher'])!;
          const ip = foreignIp(ctx.world);
          const origin: Origin = {
            actor: actorOf(person),
            ip,
            userAgent: ctx.random.pick(FOREIGN_AGENTS),
          };
          const draft = authDraft(ctx, origin, 'auth.login', person, {
            method: 'password',
            mfa: person.mfa,
          });
          describe(
            occurrence,
            person,
            `login by ${person.name} (${person.id}) at ${localClock(ctx.now, timeZone)} from ${ip}, an address never seen before in this trail`,
          );
          return [planted(draft)];
        },
      ],
      [0, 0],
    ),

  failed_login_burst: (random) => {
    let target: Staff;
    let origin: Origin;
    const count = random.int(THRESHOLDS.failedLogins.count, 10);
    const steps = Array.from({ length: count }, (_, i): Step => (ctx, occurrence) => {
      if (i === 0) {
        target = pickStaff(ctx, ['admin', 'owner', 'manager'])!;
        origin = {
          actor: actorOf(target),
          ip: foreignIp(ctx.world),
          userAgent: ctx.random.pick(FOREIGN_AGENTS),
        };
        describe(
          occurrence,
          target,
          `${count} failed logins for ${target.email} from ${origin.ip} within 10 minutes`,
        );
      }
      ctx.world.lastFailedLogin.set(target.id, ctx.now + THRESHOLDS.failedLogins.windowMs);
      return [
        planted(
          authDraft(ctx, origin, 'auth.login_failed', target, {
            reason: 'invalid_password',
            attempt: i + 1,
          }),
        ),
      ];
    });
    return script(steps, [5_000, 40_000]);
  },

  bulk_cancellation: (random) => {
    let origin: Origin;
    const count = random.int(12, 20);
    const steps = Array.from({ length: count }, (_, i): Step => (ctx, occurrence) => {
      if (i === 0) {
        const person = pickStaff(ctx, ['dispatcher', 'manager'])!;
        origin = from(ctx, person);
        describe(
          occurrence,
          person,
          `${count} bookings cancelled by ${person.name} (${person.id}) within 10 minutes`,
        );
      }
      // Keeps this actor's background cancellations out of the burst's window.
      ctx.world.lastCancel.set(origin.actor.id, ctx.now + THRESHOLDS.cancellations.windowMs);
      const booking = ctx.world.openBookings.pick(ctx.random) ?? ctx.world.reserve.bookings.pop()!;
      return [planted(cancel(ctx, origin, booking, 'customer_request'))];
    });
    return script(steps, [8_000, 30_000]);
  },

  role_escalation: () =>
    script(
      [
        (ctx, occurrence) => {
          const out: StepOutput[] = [];
          const actor = pickStaff(ctx, ADMIN_ROLES)!;
          const origin = from(ctx, actor);
          let person = pickStaff(ctx, ['dispatcher', 'cleaner', 'manager']);
          if (person === undefined) {
            // No one left below admin: invite someone first (a supporting entry, not the anomaly).
            person = addStaff(ctx.world, ctx.random, 'dispatcher');
            out.push(
              supporting(
                userDraft(ctx, origin, 'user.invited', person, [
                  { field: 'email', old: null, new: person.email },
                  { field: 'role', old: null, new: 'dispatcher' },
                  { field: 'status', old: null, new: 'invited' },
                ]),
              ),
            );
          }
          const before = person.role;
          out.push(planted(changeRole(ctx, origin, person, 'admin')));
          describe(
            occurrence,
            actor,
            `${person.name} (${person.id}) raised from ${before} to admin by ${actor.name} (${actor.id})`,
          );
          return out;
        },
      ],
      [0, 0],
    ),

  mfa_disabled: () =>
    script(
      [
        (ctx, occurrence) => {
          const withMfa = [...ADMIN_ROLES, 'manager', 'dispatcher'].flatMap((role) =>
            ctx.world.byRole[role as Staff['role']].values().filter((p) => p.mfa),
          );
          const person =
            withMfa.length > 0 ? ctx.random.pick(withMfa) : ctx.world.byRole.owner.values()[0]!;
          const origin = from(ctx, person);
          const out: StepOutput[] = [];
          if (!person.mfa) {
            person.mfa = true;
            out.push(
              supporting(
                authDraft(ctx, origin, 'auth.mfa_enabled', person, { method: 'totp' }, [
                  { field: 'mfaEnabled', old: false, new: true },
                ]),
              ),
            );
          }
          person.mfa = false;
          out.push(
            planted(
              authDraft(ctx, origin, 'auth.mfa_disabled', person, { method: 'settings' }, [
                { field: 'mfaEnabled', old: true, new: false },
              ]),
            ),
          );
          describe(
            occurrence,
            person,
            `MFA turned off on ${person.email} (${person.role}) by ${person.name} (${person.id})`,
          );
          return out;
        },
      ],
      [0, 0],
    ),

  invoice_void_burst: (random) => {
    let origin: Origin;
    const count = random.int(THRESHOLDS.voids.count + 1, 9);
    const steps = Array.from({ length: count }, (_, i): Step => (ctx, occurrence) => {
      if (i === 0) {
        const person = pickStaff(ctx, ['admin', 'manager', 'owner'])!;
        origin = from(ctx, person);
        describe(
          occurrence,
          person,
          `${count} invoices voided by ${person.name} (${person.id}) within 10 minutes`,
        );
      }
      ctx.world.lastVoid.set(origin.actor.id, ctx.now + THRESHOLDS.voids.windowMs);
      const invoice = pickUnpaid(ctx) ?? ctx.world.reserve.invoices.pop()!;
      return [
        planted(
          voidInvoice(
            ctx,
            origin,
            invoice,
            ctx.random.pick(['duplicate', 'wrong_amount', 'customer_dispute']),
          ),
        ),
      ];
    });
    return script(steps, [10_000, 40_000]);
  },
};

function describe(occurrence: PlantedAnomaly, actor: Staff, text: string): void {
  occurrence.actorId = actor.id;
  occurrence.description = text;
}

const pad = (n: number) => String(n).padStart(2, '0');
