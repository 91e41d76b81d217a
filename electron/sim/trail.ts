// A tenant's whole activity trail, produced day by day as a stream: seq from 1 without gaps, ids
// in trail order, times nondecreasing, background activity merged with the planted occurrences.
// Only the business state and one day's timestamps are held in memory, never the trail.
import type { Plan, Tenant } from '../../shared/bundle';
import type { Entry } from '../../shared/entry';
import {
  ANOMALY_KINDS,
  planAnomalies,
  stepsFor,
  type PlannedAnomaly,
  type PlantedAnomaly,
} from './anomalies';
import { bandOf, backgroundEvent } from './background';
import { isoOf, localDay, type LocalDay } from './clock';
import type { EventContext } from './events/context';
import { entryId } from './ids';
import { Random, type Seed } from './random';
import { dayVolume, hourAt, sampleTimes } from './schedule';
import { createWorld } from './tenant';
import type { Draft, World } from './world';

/** First local day of a trail unless told otherwise: 30 days from here cross a DST change in every simulated zone. */
export const DEFAULT_START_DATE = '2026-03-07';

export interface SimulationOptions {
  seed: Seed;
  /** Number of local days in the trail. */
  days: number;
  /** Average background entries per day (weekdays get more, weekends fewer). */
  perDay: number;
  /** Plant the unusual activity of docs/simulator.md (default true). */
  anomalies?: boolean;
  /** First local day, YYYY-MM-DD in the tenant's zone. */
  startDate?: string;
  timeZone?: string;
  plan?: Plan;
}

export interface SimDay extends LocalDay {
  /** Bundle period: the local day as UTC instants. */
  periodStart: string;
  periodEnd: string;
  /**
   * The day's entries. Stopping early is allowed: the rest of the day is still generated (and
   * dropped) before the next day, so the business state stays consistent.
   */
  entries(): Iterable<Entry>;
}

export class Simulation {
  readonly tenant: Tenant;
  readonly startDate: string;
  /** Where each occurrence will be planted (empty with anomalies: false). */
  readonly planned: readonly PlannedAnomaly[];
  /** Planted occurrences with their entry ids, filled in as the trail is generated. */
  readonly groundTruth: PlantedAnomaly[] = [];
  private readonly world: World;
  private lastSeq = 0;
  private started = false;
  private readonly events: Random;
  private readonly plantedRandom: Random;
  private readonly idRandom: Random;

  constructor(readonly options: SimulationOptions) {
    if (!Number.isInteger(options.days) || options.days < 0)
      throw new RangeError('days must be a whole number, 0 or more');
    if (!Number.isFinite(options.perDay) || options.perDay < 0)
      throw new RangeError('perDay must be 0 or more');
    this.world = createWorld({
      seed: options.seed,
      perDay: options.perDay,
      days: options.days,
      timeZone: options.timeZone,
      plan: options.plan,
    });
    this.tenant = this.world.tenant;
    this.startDate = options.startDate ?? DEFAULT_START_DATE;
    localDay(this.startDate, 0, this.tenant.timeZone); // fail early on a bad date
    this.planned =
      options.anomalies === false
        ? []
        : planAnomalies(options.days, Random.derive(options.seed, 'anomaly-plan'));
    this.events = Random.derive(options.seed, 'events');
    this.plantedRandom = Random.derive(options.seed, 'planted');
    this.idRandom = Random.derive(options.seed, 'ids');
  }

  /** The local day at `index` (no entries generated). */
  day(index: number): LocalDay {
    return localDay(this.startDate, index, this.tenant.timeZone);
  }

  /** The trail, one local day at a time. A Simulation produces its trail once. */
  *days(): Generator<SimDay> {
    if (this.started)
      throw new Error('a Simulation produces its trail once; create another for a second pass');
    this.started = true;
    for (let index = 0; index < this.options.days; index++) {
      const day = this.day(index);
      const generator = this.dayEntries(day);
      // An iterator without return(): a consumer that breaks out does not close the generator.
      const entries: Iterable<Entry> = {
        [Symbol.iterator]: () => ({ next: () => generator.next() }),
      };
      yield {
        ...day,
        periodStart: isoOf(day.startMs),
        periodEnd: isoOf(day.endMs),
        entries: () => entries,
      };
      for (let rest = generator.next(); rest.done !== true; rest = generator.next());
    }
  }

  /** Every entry of the trail in seq order. */
  *entries(): Generator<Entry> {
    for (const day of this.days()) yield* day.entries();
  }

  get entryCount(): number {
    return this.lastSeq;
  }

  private *dayEntries(day: LocalDay): Generator<Entry> {
    const timesRandom = Random.derive(this.options.seed, 'times', day.index);
    const times = sampleTimes(day, dayVolume(day, this.options.perDay, timesRandom), timesRandom);
    const steps = stepsFor(day, this.planned, this.tenant.timeZone, this.plantedRandom);
    const ctx: EventContext = { world: this.world, random: this.events, now: day.startMs };
    let next = 0;
    let hour = 0;
    for (const step of steps) {
      while (next < times.length && times[next]! < step.at) {
        ctx.now = times[next++]!;
        hour = hourAt(day, ctx.now, hour);
        yield this.entry(ctx.now, backgroundEvent(ctx, bandOf(hour)));
      }
      const planted: EventContext = { world: this.world, random: this.plantedRandom, now: step.at };
      for (const output of step.run(planted, step.occurrence)) {
        const entry = this.entry(step.at, output.draft);
        if (output.planted) this.record(step.occurrence, entry);
        yield entry;
      }
    }
    while (next < times.length) {
      ctx.now = times[next++]!;
      hour = hourAt(day, ctx.now, hour);
      yield this.entry(ctx.now, backgroundEvent(ctx, bandOf(hour)));
    }
  }

  private entry(at: number, draft: Draft): Entry {
    const seq = ++this.lastSeq;
    return {
      id: entryId(at, seq, this.idRandom),
      seq,
      occurredAt: isoOf(at),
      category: draft.category,
      action: draft.action,
      actor: draft.actor,
      entity: draft.entity,
      changes: draft.changes,
      ip: draft.ip,
      userAgent: draft.userAgent,
      metadata: draft.metadata,
    };
  }

  private record(occurrence: PlantedAnomaly, entry: Entry): void {
    if (occurrence.entryIds.length === 0) {
      occurrence.from = entry.occurredAt;
      this.groundTruth.push(occurrence);
    }
    occurrence.entryIds.push(entry.id);
    occurrence.seqs.push(entry.seq);
    occurrence.to = entry.occurredAt;
  }
}

export { ANOMALY_KINDS };
