// The counts of one bundle's entries (migration 0006), added up in memory as the verifier releases
// the entries (in the verify worker for large files) and handed to the storing thread as rows to
// upsert, a day at a time: a few hundred upserts per day instead of three per entry, memory bounded
// by one day (and one month of actors), and no per-entry work left on the storing thread. The rows
// are upserted in the bundle's own transaction, so the counts are never behind the entries and a
// crash or a rejected bundle leaves both or neither. Upserts add, so a key handed on twice (entries
// out of time order) still counts right.
import { DAY_MS, HOUR_MS, MONTH_SPAN } from '../workspace/migrations/0006-entry-counts';

/** Rows to upsert, flat: `slots` 5 values per row (span, slot start, category, action, n) for
 * entry_counts, `actors` 6 (span, slot start, category, action, actor id, n) for entry_actor_counts. */
export interface CountRows {
  slots: (number | string)[];
  actors: (number | string)[];
}

export const SLOT_ROW_WIDTH = 5;
export const ACTOR_ROW_WIDTH = 6;

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

/** Adds count rows to the stored counts (inside the import's transaction). */
export function writeCountRows(rows: CountRows, into: CountWriters): void {
  const { slots, actors } = rows;
  for (let i = 0; i < slots.length; i += SLOT_ROW_WIDTH) {
    into.addSlotCount.run(
      slots[i] as number,
      slots[i + 1] as number,
      slots[i + 2] as string,
      slots[i + 3] as string,
      slots[i + 4] as number,
    );
  }
  for (let i = 0; i < actors.length; i += ACTOR_ROW_WIDTH) {
    into.addActorCount.run(
      actors[i] as number,
      actors[i + 1] as number,
      actors[i + 2] as string,
      actors[i + 3] as string,
      actors[i + 4] as string,
      actors[i + 5] as number,
    );
  }
}

const SEP = '\u0000';

/** Floor of `ms` to a multiple of `span` (also before 1970). */
export const slotStart = (ms: number, span: number) => ms - (((ms % span) + span) % span);

/** Start of the UTC calendar month holding `ms`. */
export const monthStart = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};

/** `category SEP action SEP actor id`: category and action never hold SEP (a fixed list, and
 * `noun.verb` in lower case), an actor id may hold anything, so it is all that follows. */
function splitActorKey(key: string): [string, string, string] {
  const afterCategory = key.indexOf(SEP);
  const afterAction = key.indexOf(SEP, afterCategory + 1);
  return [
    key.slice(0, afterCategory),
    key.slice(afterCategory + 1, afterAction),
    key.slice(afterAction + 1),
  ];
}

export class CountTally {
  /** Current day's counts per hour: `hour SEP category SEP action`. */
  private readonly hours = new Map<string, number>();
  /** Current day's counts per actor: `category SEP action SEP actor`. */
  private readonly actorDays = new Map<string, number>();
  /** Current month's counts per actor: `category SEP action SEP actor`. */
  private readonly actorMonths = new Map<string, number>();
  private closed: CountRows = { slots: [], actors: [] };

  // Entries come in time order: the current hour's key prefix is made once per hour.
  private hourStart = NaN;
  private hourPrefix = '';
  private day = NaN;
  private month = NaN;

  add(occurredAtMs: number, category: string, action: string, actorId: string): void {
    if (!(occurredAtMs >= this.hourStart && occurredAtMs < this.hourStart + HOUR_MS)) {
      this.hourStart = slotStart(occurredAtMs, HOUR_MS);
      this.hourPrefix = `${this.hourStart}${SEP}`;
      const day = slotStart(occurredAtMs, DAY_MS);
      if (day !== this.day) {
        this.closeDay();
        this.day = day;
        const month = monthStart(day);
        if (month !== this.month) {
          this.closeMonth();
          this.month = month;
        }
      }
    }
    const kind = `${category}${SEP}${action}`;
    const hour = this.hourPrefix + kind;
    this.hours.set(hour, (this.hours.get(hour) ?? 0) + 1);
    const actor = `${kind}${SEP}${actorId}`;
    this.actorDays.set(actor, (this.actorDays.get(actor) ?? 0) + 1);
  }

  /** The rows of the days and months closed since the last call (with `all`: everything so far). */
  take(all = false): CountRows {
    if (all) {
      this.closeDay();
      this.closeMonth();
      this.hourStart = NaN;
      this.day = NaN;
      this.month = NaN;
    }
    const rows = this.closed;
    this.closed = { slots: [], actors: [] };
    return rows;
  }

  private closeDay(): void {
    const { slots, actors } = this.closed;
    const days = new Map<string, number>();
    for (const [key, n] of this.hours) {
      const [slot, category, action] = key.split(SEP) as [string, string, string];
      slots.push(HOUR_MS, Number(slot), category, action, n);
      const kind = `${category}${SEP}${action}`;
      days.set(kind, (days.get(kind) ?? 0) + n);
    }
    for (const [kind, n] of days) {
      const [category, action] = kind.split(SEP) as [string, string];
      slots.push(DAY_MS, this.day, category, action, n);
    }
    for (const [key, n] of this.actorDays) {
      const [category, action, actorId] = splitActorKey(key);
      actors.push(DAY_MS, this.day, category, action, actorId, n);
      this.actorMonths.set(key, (this.actorMonths.get(key) ?? 0) + n);
    }
    this.hours.clear();
    this.actorDays.clear();
  }

  private closeMonth(): void {
    const { actors } = this.closed;
    for (const [key, n] of this.actorMonths) {
      const [category, action, actorId] = splitActorKey(key);
      actors.push(MONTH_SPAN, this.month, category, action, actorId, n);
    }
    this.actorMonths.clear();
  }
}
