// User settings: one schema for the desktop (electron-store), the CLI and browser mode (conf, its
// base class). Validated with zod on every read and write; unknown or broken values fall back to the
// defaults field by field, so a hand-edited settings file can never stop the app from starting.
import { z } from 'zod';

export const TIME_DISPLAYS = ['business', 'utc', 'local'] as const;
export type TimeDisplay = (typeof TIME_DISPLAYS)[number];

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/** Columns of the log view, in the order a new user sees them. */
export const LOG_COLUMNS = ['time', 'user', 'action', 'entity', 'changes', 'ip'] as const;
export type LogColumn = (typeof LOG_COLUMNS)[number];

/** Thresholds of the unusual-activity rules (docs/review.md explains each). */
export const insightThresholdsSchema = z.strictObject({
  /** Days of history in which a user's login IPs count as "seen". */
  newIpLookbackDays: z.number().int().min(1).max(1095),
  /** Failed logins by one account within the window that make a burst. */
  failedLoginBurst: z.number().int().min(2).max(10_000),
  failedLoginWindowMinutes: z.number().int().min(1).max(1440),
  /** Deletions or cancellations by one user within the window that make a bulk action. */
  bulkActionCount: z.number().int().min(2).max(100_000),
  bulkActionWindowMinutes: z.number().int().min(1).max(1440),
  /** Invoice voids or refunds by one user within the window (money: a lower bar than bookings). */
  financialBulkCount: z.number().int().min(2).max(100_000),
  financialBulkWindowMinutes: z.number().int().min(1).max(1440),
  /** Business hours in the tenant's time zone, 0–24. */
  businessHoursStart: z.number().int().min(0).max(23),
  businessHoursEnd: z.number().int().min(1).max(24),
});
export type InsightThresholds = z.infer<typeof insightThresholdsSchema>;

export const settingsSchema = z.strictObject({
  reviewer: z.strictObject({
    name: z.string().max(200),
    email: z.string().max(320),
  }),
  /** Otesse API base URL for sync (https, or http on loopback for the simulator). */
  apiUrl: z.string().max(2048),
  timeDisplay: z.enum(TIME_DISPLAYS),
  theme: z.enum(THEMES),
  /** Visible log-view columns, in display order. */
  columns: z.array(z.enum(LOG_COLUMNS)).min(1).max(LOG_COLUMNS.length),
  insightThresholds: insightThresholdsSchema,
  /** Trust store path chosen by the user; empty = the pinned store shipped with the app. */
  trustStorePath: z.string().max(4096),
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  reviewer: { name: '', email: '' },
  apiUrl: '',
  timeDisplay: 'business',
  theme: 'system',
  columns: [...LOG_COLUMNS],
  insightThresholds: {
    newIpLookbackDays: 30,
    failedLoginBurst: 5,
    failedLoginWindowMinutes: 10,
    bulkActionCount: 10,
    bulkActionWindowMinutes: 15,
    financialBulkCount: 5,
    financialBulkWindowMinutes: 10,
    businessHoursStart: 7,
    businessHoursEnd: 20,
  },
  trustStorePath: '',
};

/** A partial update as the settings screen sends it. */
export const settingsPatchSchema = settingsSchema.partial();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
