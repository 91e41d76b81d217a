// The unusual-activity rules (docs/review.md "Unusual activity"). Each rule is a detector fed every
// entry of the scan in time order; entries before `since` only build baselines (addresses seen,
// burst windows), findings are reported for entries from `since` on.
import type { Change } from '../../../../shared/entry';
import type { LocalClock, LocalFacts } from './local-time';
import type { InsightSettings } from './settings';

export const RULES = [
  'login_new_ip',
  'failed_login_burst',
  'bulk_destructive',
  'role_permission_change',
  'mfa_disabled',
  'admin_off_hours',
  'settings_change',
] as const;
export type RuleId = (typeof RULES)[number];
export type Severity = 'high' | 'medium' | 'low';

/** One entry as the rules read it (columns only; the signed line is read when a rule needs it). */
export interface ScanEntry {
  seq: number;
  id: string;
  at: number;
  action: string;
  actorId: string;
  actorType: string;
  entityType: string;
  entityId: string;
  ip: string | null;
}

export interface RawFinding {
  rule: RuleId;
  severity: Severity;
  summary: string;
  /** In trail order. */
  entryIds: string[];
  from: number;
  to: number;
  actorId: string | null;
}

export interface RuleContext {
  settings: InsightSettings;
  clock: LocalClock;
  sinceMs: number;
  /** Display name of an actor id (`Name (id)`). */
  who(actorId: string): string;
  /** The `changes` of an entry (read from its signed line). */
  changesOf(seq: number): Change[];
}

export interface Detector {
  add(e: ScanEntry): void;
  finish(): RawFinding[];
}

const MINUTE = 60_000;
const DAY = 86_400_000;

export function inBusinessHours(local: LocalFacts, settings: InsightSettings): boolean {
  const { startHour, endHour, weekdays } = settings.businessHours;
  return weekdays.includes(local.weekday) && local.hour >= startHour && local.hour < endHour;
}

/** A login from an address the user has not used in the lookback window. */
export function newIpLogin(ctx: RuleContext): Detector {
  const { lookbackDays, warmupDays, nightHours } = ctx.settings.newIpLogin;
  const lookback = lookbackDays * DAY;
  const seen = new Map<string, Map<string, number>>();
  const firstSeen = new Map<string, number>();
  const tenantSeen = new Map<string, number>();
  const findings: RawFinding[] = [];
  return {
    add(e) {
      if (e.actorType !== 'user' || e.ip === null || e.action === 'auth.login_failed') return;
      if (e.action === 'auth.login' && e.at >= ctx.sinceMs) {
        const last = seen.get(e.actorId)?.get(e.ip);
        if (last === undefined || last < e.at - lookback) {
          const local = ctx.clock.facts(e.at);
          const offHours = !inBusinessHours(local, ctx.settings);
          const first = firstSeen.get(e.actorId);
          const established = first !== undefined && first <= e.at - warmupDays * DAY;
          const night = local.hour >= nightHours[0] && local.hour < nightHours[1];
          if (night || established) {
            const tenantLast = tenantSeen.get(e.ip);
            const knownToTenant = tenantLast !== undefined && tenantLast >= e.at - lookback;
            findings.push({
              rule: 'login_new_ip',
              severity: offHours ? 'high' : knownToTenant ? 'low' : 'medium',
              summary: `login by ${ctx.who(e.actorId)} from ${e.ip}, not used by them in the last ${lookbackDays} days${knownToTenant ? ' (used by colleagues)' : ''}${offHours ? `, at ${ctx.clock.format(e.at)} local, outside business hours` : ''}`,
              entryIds: [e.id],
              from: e.at,
              to: e.at,
              actorId: e.actorId,
            });
          }
        }
      }
      let ips = seen.get(e.actorId);
      if (ips === undefined) seen.set(e.actorId, (ips = new Map()));
      ips.set(e.ip, e.at);
      if (!firstSeen.has(e.actorId)) firstSeen.set(e.actorId, e.at);
      tenantSeen.set(e.ip, e.at);
    },
    finish: () => findings,
  };
}

interface Cluster {
  entries: ScanEntry[];
  seqs: Set<number>;
  lastAt: number;
}

/**
 * Bursts: every entry that lies in some window of `windowMinutes` holding at least `count` entries
 * of the same key is marked; marked entries whose windows overlap form one finding.
 */
export function burstDetector(
  ctx: RuleContext,
  options: {
    matches(e: ScanEntry): boolean;
    keyOf(e: ScanEntry): string;
    count: number;
    windowMinutes: number;
    finding(entries: ScanEntry[], key: string): Omit<RawFinding, 'entryIds' | 'from' | 'to'>;
  },
): Detector {
  const windowMs = options.windowMinutes * MINUTE;
  const windows = new Map<string, ScanEntry[]>();
  const open = new Map<string, Cluster>();
  const closed: { key: string; cluster: Cluster }[] = [];
  return {
    add(e) {
      if (!options.matches(e)) return;
      const key = options.keyOf(e);
      let window = windows.get(key);
      if (window === undefined) windows.set(key, (window = []));
      window.push(e);
      while (window.length > 0 && window[0]!.at <= e.at - windowMs) window.shift();
      if (window.length < options.count) return;
      let cluster = open.get(key);
      if (cluster !== undefined && window[0]!.at > cluster.lastAt) {
        closed.push({ key, cluster });
        cluster = undefined;
      }
      if (cluster === undefined) {
        cluster = { entries: [], seqs: new Set(), lastAt: e.at };
        open.set(key, cluster);
      }
      for (const w of window)
        if (!cluster.seqs.has(w.seq)) {
          cluster.seqs.add(w.seq);
          cluster.entries.push(w);
        }
      cluster.lastAt = e.at;
    },
    finish() {
      for (const [key, cluster] of open) closed.push({ key, cluster });
      return closed
        .filter(({ cluster }) => cluster.lastAt >= ctx.sinceMs)
        .map(({ key, cluster }) => {
          const entries = cluster.entries.sort((a, b) => a.at - b.at || a.seq - b.seq);
          return {
            ...options.finding(entries, key),
            entryIds: entries.map((x) => x.id),
            from: entries[0]!.at,
            to: entries[entries.length - 1]!.at,
          };
        });
    },
  };
}

const minutesBetween = (entries: ScanEntry[]) =>
  Math.max(1, Math.ceil((entries[entries.length - 1]!.at - entries[0]!.at) / MINUTE));

export function failedLoginBurst(ctx: RuleContext): Detector {
  const { count, windowMinutes } = ctx.settings.failedLogins;
  return burstDetector(ctx, {
    matches: (e) => e.action === 'auth.login_failed',
    keyOf: (e) => `${e.entityType}:${e.entityId}`,
    count,
    windowMinutes,
    finding: (entries) => {
      const ips = [...new Set(entries.map((e) => e.ip ?? 'no address'))];
      const target = entries[0]!;
      return {
        rule: 'failed_login_burst',
        severity: 'high',
        summary: `${entries.length} failed logins for ${target.entityType === 'user' ? ctx.who(target.entityId) : `${target.entityType} ${target.entityId}`} within ${minutesBetween(entries)} minutes from ${ips.slice(0, 3).join(', ')}${ips.length > 3 ? ` and ${ips.length - 3} more addresses` : ''}`,
        actorId: target.entityType === 'user' ? target.entityId : null,
      };
    },
  });
}

export function bulkDestructive(ctx: RuleContext): Detector[] {
  return ctx.settings.bulk.map((group) =>
    burstDetector(ctx, {
      matches: (e) =>
        e.actorType !== 'system' && group.actionSuffixes.some((s) => e.action.endsWith(s)),
      keyOf: (e) => e.actorId,
      count: group.count,
      windowMinutes: group.windowMinutes,
      finding: (entries, actorId) => ({
        rule: 'bulk_destructive',
        severity: 'high',
        summary: `${entries.length} ${group.label} (${[...new Set(entries.map((e) => e.action))].join(', ')}) by ${ctx.who(actorId)} within ${minutesBetween(entries)} minutes`,
        actorId,
      }),
    }),
  );
}

export function mfaDisabled(ctx: RuleContext): Detector {
  const findings: RawFinding[] = [];
  return {
    add(e) {
      if (e.action !== 'auth.mfa_disabled' || e.at < ctx.sinceMs) return;
      const own = e.entityType === 'user' && e.entityId === e.actorId;
      findings.push({
        rule: 'mfa_disabled',
        severity: 'high',
        summary: own
          ? `MFA turned off by ${ctx.who(e.actorId)} on their own account`
          : `MFA turned off on ${e.entityType === 'user' ? ctx.who(e.entityId) : `${e.entityType} ${e.entityId}`} by ${ctx.who(e.actorId)}`,
        entryIds: [e.id],
        from: e.at,
        to: e.at,
        actorId: e.actorId,
      });
    },
    finish: () => findings,
  };
}

/** Groups routine changes into one finding per local week or day (or one per entry). */
function digest(
  ctx: RuleContext,
  rule: RuleId,
  describe: (entries: ScanEntry[], period: string) => string,
): { add(e: ScanEntry): void; finish(): RawFinding[] } {
  const groups = new Map<string, ScanEntry[]>();
  return {
    add(e) {
      const local = ctx.clock.facts(e.at);
      const mode = ctx.settings.changeDigest;
      const period =
        mode === 'week' ? `week of ${local.weekStart}` : mode === 'day' ? local.date : e.id;
      const list = groups.get(period) ?? [];
      list.push(e);
      groups.set(period, list);
    },
    finish: () =>
      [...groups].map(([period, entries]) => ({
        rule,
        severity: 'low' as const,
        summary: describe(entries, ctx.settings.changeDigest === 'entry' ? '' : period),
        entryIds: entries.map((e) => e.id),
        from: entries[0]!.at,
        to: entries[entries.length - 1]!.at,
        actorId: null,
      })),
  };
}

const countBy = (entries: ScanEntry[]) => {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.action, (counts.get(e.action) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([action, n]) => `${action} ${n}`)
    .join(', ');
};

/**
 * Role and permission changes. Granting a privileged role (a role change or an invitation to admin
 * or owner) is a finding of its own, high; every other role or permission change goes into the
 * routine-change digest, low.
 */
export function rolePermissionChange(ctx: RuleContext): Detector {
  const privileged = new Set(ctx.settings.privilegedRoles);
  const findings: RawFinding[] = [];
  const routine = digest(
    ctx,
    'role_permission_change',
    (entries, period) =>
      `${entries.length} role or permission change${entries.length === 1 ? '' : 's'}${period ? ` in the ${period}` : ''} (${countBy(entries)})`,
  );
  return {
    add(e) {
      if (e.at < ctx.sinceMs) return;
      if (
        e.action !== 'user.role_changed' &&
        e.action !== 'user.permissions_updated' &&
        e.action !== 'user.invited'
      )
        return;
      const role = ctx.changesOf(e.seq).find((c) => c.field === 'role');
      const granted =
        role !== undefined &&
        typeof role.new === 'string' &&
        privileged.has(role.new) &&
        !(typeof role.old === 'string' && privileged.has(role.old));
      if (granted) {
        findings.push({
          rule: 'role_permission_change',
          severity: 'high',
          summary:
            e.action === 'user.invited'
              ? `${ctx.who(e.entityId)} invited as ${String(role.new)} by ${ctx.who(e.actorId)}`
              : `${ctx.who(e.entityId)} raised from ${String(role.old)} to ${String(role.new)} by ${ctx.who(e.actorId)}`,
          entryIds: [e.id],
          from: e.at,
          to: e.at,
          actorId: e.actorId,
        });
      } else if (e.action !== 'user.invited') routine.add(e);
    },
    finish: () => [...findings, ...routine.finish()],
  };
}

/** Settings and integration changes, as a digest. */
export function settingsChange(ctx: RuleContext): Detector {
  const routine = digest(
    ctx,
    'settings_change',
    (entries, period) =>
      `${entries.length} settings or integration change${entries.length === 1 ? '' : 's'}${period ? ` in the ${period}` : ''} (${countBy(entries)})`,
  );
  return {
    add(e) {
      if (
        e.at >= ctx.sinceMs &&
        (e.action.startsWith('settings.') || e.action.includes('integration'))
      )
        routine.add(e);
    },
    finish: () => routine.finish(),
  };
}

/** Administrative actions by a user outside business hours: one finding per user and local day. */
export function adminOffHours(ctx: RuleContext): Detector {
  const groups = new Map<string, ScanEntry[]>();
  const prefixes = ctx.settings.adminActionPrefixes;
  return {
    add(e) {
      if (e.at < ctx.sinceMs || e.actorType !== 'user') return;
      if (!prefixes.some((p) => e.action.startsWith(p))) return;
      const local = ctx.clock.facts(e.at);
      if (inBusinessHours(local, ctx.settings)) return;
      const key = `${e.actorId}\u0000${local.date}`;
      const list = groups.get(key) ?? [];
      list.push(e);
      groups.set(key, list);
    },
    finish: () =>
      [...groups.values()].map((entries) => {
        const first = entries[0]!;
        const { startHour, endHour } = ctx.settings.businessHours;
        return {
          rule: 'admin_off_hours' as const,
          severity: 'medium' as const,
          summary: `${entries.length} administrative action${entries.length === 1 ? '' : 's'} by ${ctx.who(first.actorId)} outside business hours (${pad(startHour)}:00–${pad(endHour)}:00 ${ctx.clock.timeZone}) on ${ctx.clock.format(first.at).slice(0, 10)}: ${countBy(entries)}`,
          entryIds: entries.map((e) => e.id),
          from: first.at,
          to: entries[entries.length - 1]!.at,
          actorId: first.actorId,
        };
      }),
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

export function allDetectors(ctx: RuleContext): Detector[] {
  return [
    newIpLogin(ctx),
    failedLoginBurst(ctx),
    ...bulkDestructive(ctx),
    rolePermissionChange(ctx),
    mfaDisabled(ctx),
    adminOffHours(ctx),
    settingsChange(ctx),
  ];
}
