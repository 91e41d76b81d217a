// The counts of one bundle's entries (migration 0006), added up in memory as the import stores
// them and written once, just before the bundle's transaction commits: a few hundred upserts per
// day bundle instead of three per entry. In the same transaction as the entries, so the counts are
// never behind them and a crash leaves both or neither.
import { DAY_MS, HOUR_MS, MONTH_SPAN } from '../workspace/migrations/0006-entry-counts';

export interface CountWriters {
  addSlotCount: {
    run(span: number, slot: number, category: string, action: string, n: number): unknown;
  };
  addActorCount: {
    run(
      span: number,
      slot: number,
      category: string,
      action: string,
      actorId: string,
      n: number,
    ): unknown;
  };
}

const SEP = '\u0000';

/** Floor of `ms` to a multiple of `span` (also before 1970). */
export const slotStart = (ms: number, span: number) => ms - (((ms % span) + span) % span);

/** Start of the UTC calendar month holding `ms`. */
export const monthStart = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};

export class CountTally {
  private readonly hours = new Map<string, number>();
  private readonly actors = new Map<string, number>();

  // Entries come in time order: the current hour's and day's key prefixes are made once per slot.
  private hourStart = NaN;
  private hourPrefix = '';
  private dayPrefix = '';

  add(occurredAtMs: number, category: string, action: string, actorId: string): void {
    if (!(occurredAtMs >= this.hourStart && occurredAtMs < this.hourStart + HOUR_MS)) {
      this.hourStart = slotStart(occurredAtMs, HOUR_MS);
      this.hourPrefix = `${this.hourStart}${SEP}`;
      this.dayPrefix = `${slotStart(occurredAtMs, DAY_MS)}${SEP}`;
    }
    const kind = `${category}${SEP}${action}`;
    const hour = this.hourPrefix + kind;
    this.hours.set(hour, (this.hours.get(hour) ?? 0) + 1);
    const actor = `${this.dayPrefix}${kind}${SEP}${actorId}`;
    this.actors.set(actor, (this.actors.get(actor) ?? 0) + 1);
  }

  /** Adds the tally to the stored counts (inside the import's transaction) and clears it. */
  write(into: CountWriters): void {
    const days = new Map<string, number>();
    for (const [key, n] of this.hours) {
      const [slot, category, action] = key.split(SEP) as [string, string, string];
      into.addSlotCount.run(HOUR_MS, Number(slot), category, action, n);
      const day = `${slotStart(Number(slot), DAY_MS)}${SEP}${category}${SEP}${action}`;
      days.set(day, (days.get(day) ?? 0) + n);
    }
    for (const [key, n] of days) {
      const [slot, category, action] = key.split(SEP) as [string, string, string];
      into.addSlotCount.run(DAY_MS, Number(slot), category, action, n);
    }
    const months = new Map<string, number>();
    for (const [key, n] of this.actors) {
      const [slot, category, action, actorId] = key.split(SEP) as [string, string, string, string];
      into.addActorCount.run(DAY_MS, Number(slot), category, action, actorId, n);
      const month = `${monthStart(Number(slot))}${SEP}${category}${SEP}${action}${SEP}${actorId}`;
      months.set(month, (months.get(month) ?? 0) + n);
    }
    for (const [key, n] of months) {
      const [slot, category, action, actorId] = key.split(SEP) as [string, string, string, string];
      into.addActorCount.run(MONTH_SPAN, Number(slot), category, action, actorId, n);
    }
    this.hours.clear();
    this.actors.clear();
  }
}
