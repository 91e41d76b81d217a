// Local wall-clock facts of UTC instants in the tenant's zone, fast enough for a pass over a large
// trail: the zone's offset is looked up once per quarter hour (every real zone changes its offset on
// a quarter-hour boundary) and cached.
import { DateTime } from 'luxon';

const QUARTER_HOUR_MS = 15 * 60_000;

export interface LocalFacts {
  /** 0-23, local. */
  hour: number;
  /** ISO weekday, 1 = Monday ... 7 = Sunday, local. */
  weekday: number;
  /** YYYY-MM-DD, local. */
  date: string;
  /** YYYY-MM-DD of the Monday starting the local ISO week. */
  weekStart: string;
}

export class LocalClock {
  private readonly offsets = new Map<number, number>();

  constructor(readonly timeZone: string) {}

  private offsetMs(ms: number): number {
    const bucket = Math.floor(ms / QUARTER_HOUR_MS);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      const dt = DateTime.fromMillis(bucket * QUARTER_HOUR_MS, { zone: this.timeZone });
      offset = (dt.isValid ? dt.offset : 0) * 60_000;
      if (this.offsets.size > 200_000) this.offsets.clear();
      this.offsets.set(bucket, offset);
    }
    return offset;
  }

  facts(ms: number): LocalFacts {
    const local = new Date(ms + this.offsetMs(ms));
    const weekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
    const monday = new Date(local.getTime() - (weekday - 1) * 86_400_000);
    return {
      hour: local.getUTCHours(),
      weekday,
      date: local.toISOString().slice(0, 10),
      weekStart: monday.toISOString().slice(0, 10),
    };
  }

  /** Local time as `YYYY-MM-DD HH:mm` for summaries. */
  format(ms: number): string {
    const local = new Date(ms + this.offsetMs(ms));
    return `${local.toISOString().slice(0, 10)} ${local.toISOString().slice(11, 16)}`;
  }
}
