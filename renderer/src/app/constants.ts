// Lists from shared/settings.ts, repeated here because importing values from that module would pull
// zod (its schemas) into the renderer bundle; `satisfies` plus the exhaustiveness checks below keep
// them equal to the shared types.
import type { LogColumn, Theme, TimeDisplay } from '../../../shared/settings';

export const TIME_DISPLAYS = ['business', 'utc', 'local'] as const satisfies readonly TimeDisplay[];
export const THEMES = ['system', 'light', 'dark'] as const satisfies readonly Theme[];
export const LOG_COLUMNS = [
  'time',
  'user',
  'action',
  'entity',
  'changes',
  'ip',
] as const satisfies readonly LogColumn[];

// Compile-time: every member of the shared unions is listed.
type Missing<Union, Listed> = Exclude<Union, Listed>;
const _allTimeDisplays: Missing<TimeDisplay, (typeof TIME_DISPLAYS)[number]> extends never
  ? true
  : never = true;
const _allThemes: Missing<Theme, (typeof THEMES)[number]> extends never ? true : never = true;
const _allColumns: Missing<LogColumn, (typeof LOG_COLUMNS)[number]> extends never ? true : never =
  true;
void _allTimeDisplays;
void _allThemes;
void _allColumns;

/** Facets and the timeline wait this long after the rows settle (a pause in typing). */
export const SETTLE_MS = 200;
