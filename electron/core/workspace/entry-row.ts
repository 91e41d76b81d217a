// Entries as the import stores them, in batches built next to the verifier (in its worker for large
// files) so that the storing thread, the import's bottleneck, only hands values to SQLite. A batch
// is flat: one array holding ROW_WIDTH values per entry (the typed columns, the exact signed line
// and the texts of its full-text row), which crosses threads and is collected more cheaply than an
// array per entry. The batcher also does the per-entry work that is not SQLite's: the counts
// (counts-tally.ts) and which actors to upsert.
import { fullTextColumns } from '../search/full-text';
import { CountTally, type CountRows } from '../search/counts-tally';
import type { VerifiedEntry } from '../bundle/verifier';

/** Where each value sits within an entry's ROW_WIDTH values. */
export const COL = {
  seq: 0,
  id: 1,
  leafIndex: 2,
  occurredAtMs: 3,
  category: 4,
  action: 5,
  actorId: 6,
  actorType: 7,
  entityType: 8,
  entityId: 9,
  ip: 10,
  line: 11,
  /** FTS_COLUMNS of electron/core/search/full-text.ts, in order, from here to the end. */
  fullText: 12,
} as const;
export const ROW_WIDTH = 19;

export interface RowBatch {
  /** ROW_WIDTH values per entry (COL). */
  rows: unknown[];
  /** Actors to upsert, 4 values each (id, name, email, type): those this bundle has not yet
   * handed on as they are (actors repeat on most entries). */
  actors: (string | null)[];
  /** Counts of the days (and months) closed so far, to add to the stored ones. */
  counts: CountRows;
}

export const ACTOR_WIDTH = 4;
const FIRST_BATCH_ROWS = 50;

/** Collects one bundle's entries into batches of `size` entries, handed to `emit`. */
export class RowBatcher {
  private rows: unknown[] = [];
  private actors: (string | null)[] = [];
  private readonly tally = new CountTally();
  private readonly knownActors = new Map<string, string>();
  /** The first batch is small, so that storing starts almost as soon as verifying does: for a day's
   * bundle of a few thousand entries, waiting for a full first batch is a good part of its time. */
  private limit = FIRST_BATCH_ROWS * ROW_WIDTH;

  constructor(
    private readonly emit: (batch: RowBatch) => void,
    private readonly size: number,
  ) {}

  add({ entry, line, leafIndex }: VerifiedEntry): void {
    const { actor, entity } = entry;
    const occurredAtMs = Date.parse(entry.occurredAt);
    this.rows.push(
      entry.seq,
      entry.id,
      leafIndex,
      occurredAtMs,
      entry.category,
      entry.action,
      actor.id,
      actor.type,
      entity.type,
      entity.id,
      entry.ip,
      line,
      ...fullTextColumns(entry),
    );
    this.tally.add(occurredAtMs, entry.category, entry.action, actor.id);
    const seenAs = `${actor.name}\u0000${actor.email ?? ''}\u0000${actor.type}`;
    if (this.knownActors.get(actor.id) !== seenAs) {
      this.knownActors.set(actor.id, seenAs);
      this.actors.push(actor.id, actor.name, actor.email, actor.type);
    }
    if (this.rows.length >= this.limit) this.flush(false);
  }

  /** Hands on what is left, with all remaining counts. */
  finish(): void {
    this.flush(true);
  }

  private flush(last: boolean): void {
    const counts = this.tally.take(last);
    if (
      this.rows.length === 0 &&
      this.actors.length === 0 &&
      counts.slots.length === 0 &&
      counts.actors.length === 0
    )
      return;
    this.emit({ rows: this.rows, actors: this.actors, counts });
    this.rows = [];
    this.actors = [];
    this.limit = this.size * ROW_WIDTH;
  }
}
