// Thresholds of the unusual-activity rules, with defaults (docs/review.md "Unusual activity" gives
// the reasoning behind each). The app's settings screen edits the shared InsightThresholds; this is
// the full set the rules read, and fromThresholds maps the former onto it.
import type { InsightThresholds } from '../../../../shared/settings';

export interface BurstThreshold {
  /** At least this many matching entries by one key... */
  count: number;
  /** ...within this many minutes. */
  windowMinutes: number;
}

export interface BulkGroup extends BurstThreshold {
  /** Shown in summaries: "12 cancellations by ...". */
  label: string;
  /** Actions whose verb part ends like this (`.cancelled` matches booking.cancelled...). */
  actionSuffixes: string[];
}

export interface InsightSettings {
  newIpLogin: {
    /** A user's addresses seen in this many days before a login count as known. */
    lookbackDays: number;
    /**
     * A new address is only reported once the user has this many days of history in the
     * workspace: otherwise every first login of a trail or of a new colleague would be "new".
     */
    warmupDays: number;
    /**
     * Local hours [start, end) in which nobody starts work: a login from a new address then is
     * reported even without history (a trail that begins with an intrusion has no baseline).
     */
    nightHours: [number, number];
  };
  /** Failed logins against one account (`entity`), from any address. */
  failedLogins: BurstThreshold;
  /** Destructive actions by one user in a short window, per kind. */
  bulk: BulkGroup[];
  /** Business hours in the tenant's time zone: [startHour, endHour) on the listed ISO weekdays. */
  businessHours: { startHour: number; endHour: number; weekdays: number[] };
  /** Action prefixes that count as administration (for the out-of-hours rule). */
  adminActionPrefixes: string[];
  /** Roles whose grant is an escalation (reported on its own, high). */
  privilegedRoles: string[];
  /**
   * Routine changes (other role and permission changes, settings and integrations) are reported
   * as one digest finding per local `week` or `day`, or one finding per `entry`.
   */
  changeDigest: 'week' | 'day' | 'entry';
}

export const DEFAULT_INSIGHT_SETTINGS: InsightSettings = {
  newIpLogin: { lookbackDays: 30, warmupDays: 7, nightHours: [0, 5] },
  failedLogins: { count: 5, windowMinutes: 10 },
  bulk: [
    { label: 'cancellations', actionSuffixes: ['.cancelled'], count: 10, windowMinutes: 15 },
    { label: 'voids', actionSuffixes: ['.voided'], count: 5, windowMinutes: 10 },
    { label: 'refunds', actionSuffixes: ['.refunded'], count: 5, windowMinutes: 10 },
    {
      label: 'deletions',
      actionSuffixes: ['.deleted', '.deactivated'],
      count: 5,
      windowMinutes: 10,
    },
  ],
  businessHours: { startHour: 7, endHour: 20, weekdays: [1, 2, 3, 4, 5, 6, 7] },
  adminActionPrefixes: ['user.', 'settings.'],
  privilegedRoles: ['admin', 'owner'],
  changeDigest: 'week',
};

/**
 * The rules' settings from the app's InsightThresholds: the new-IP lookback, the failed-login
 * burst, the bulk threshold (cancellations and deletions), the financial bulk threshold (voids and
 * refunds: lower by default because each one moves money) and business hours.
 */
export function fromThresholds(
  t: InsightThresholds,
  base: InsightSettings = DEFAULT_INSIGHT_SETTINGS,
): InsightSettings {
  return {
    ...base,
    newIpLogin: { ...base.newIpLogin, lookbackDays: t.newIpLookbackDays },
    failedLogins: { count: t.failedLoginBurst, windowMinutes: t.failedLoginWindowMinutes },
    bulk: base.bulk.map((g) =>
      g.label === 'cancellations' || g.label === 'deletions'
        ? { ...g, count: t.bulkActionCount, windowMinutes: t.bulkActionWindowMinutes }
        : { ...g, count: t.financialBulkCount, windowMinutes: t.financialBulkWindowMinutes },
    ),
    businessHours: {
      ...base.businessHours,
      startHour: t.businessHoursStart,
      endHour: t.businessHoursEnd,
    },
  };
}
