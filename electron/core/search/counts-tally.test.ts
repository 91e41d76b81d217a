// The tally hands counts on a day (and a month) at a time; added up, what it hands on must equal a
// plain recount of the entries, whatever their order and wherever the batches are cut.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MONTH_SPAN } from '../workspace/migrations/0006-entry-counts';
import { ACTOR_ROW_WIDTH, CountTally, monthStart, SLOT_ROW_WIDTH, slotStart } from './counts-tally';

interface Counted {
  ms: number;
  category: string;
  action: string;
  actor: string;
}

const add = (into: Map<string, number>, key: string, n: number) =>
  into.set(key, (into.get(key) ?? 0) + n);

/** What the tables must hold: every entry counted once per span, keyed like the primary keys. */
function recount(entries: Counted[]): Map<string, number> {
  const expected = new Map<string, number>();
  for (const { ms, category, action, actor } of entries) {
    add(expected, JSON.stringify([HOUR_MS, slotStart(ms, HOUR_MS), category, action]), 1);
    add(expected, JSON.stringify([DAY_MS, slotStart(ms, DAY_MS), category, action]), 1);
    add(expected, JSON.stringify([DAY_MS, slotStart(ms, DAY_MS), category, action, actor]), 1);
    add(expected, JSON.stringify([MONTH_SPAN, monthStart(ms), category, action, actor]), 1);
  }
  return expected;
}

/** Feeds the tally, taking rows after the entries at `cuts` and everything at the end, and adds
 * the rows up as the upserts do. Also answers how many rows it handed on. */
function tallied(
  entries: Counted[],
  cuts: Set<number>,
): { sums: Map<string, number>; rows: number } {
  const tally = new CountTally();
  const sums = new Map<string, number>();
  let rows = 0;
  const upsert = (all: boolean) => {
    const { slots, actors } = tally.take(all);
    for (let i = 0; i < slots.length; i += SLOT_ROW_WIDTH, rows++)
      add(sums, JSON.stringify(slots.slice(i, i + 4)), slots[i + 4] as number);
    for (let i = 0; i < actors.length; i += ACTOR_ROW_WIDTH, rows++)
      add(sums, JSON.stringify(actors.slice(i, i + 5)), actors[i + 5] as number);
  };
  entries.forEach((e, index) => {
    tally.add(e.ms, e.category, e.action, e.actor);
    if (cuts.has(index)) upsert(false);
  });
  upsert(true);
  return { sums, rows };
}

const START = Date.UTC(2026, 0, 28); // a few days before a month end
const entry = fc.record({
  ms: fc.integer({ min: START - 40 * DAY_MS, max: START + 40 * DAY_MS }),
  category: fc.constantFrom('booking', 'auth'),
  action: fc.constantFrom('created', 'cancelled', 'login'),
  actor: fc.constantFrom('usr_1', 'usr_2', 'usr_\u0000x', ''),
});

describe('CountTally', () => {
  it('what it hands on adds up to a recount, in any order and however the batches are cut (property)', () => {
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 300 }),
        fc.boolean(),
        fc.array(fc.nat(300)),
        (entries, sorted, cuts) => {
          const ordered = sorted ? [...entries].sort((a, b) => a.ms - b.ms) : entries;
          expect(tallied(ordered, new Set(cuts)).sums).toEqual(recount(ordered));
        },
      ),
    );
  });

  it('entries in time order: each key is handed on once, so each row is one upsert', () => {
    const entries: Counted[] = [];
    for (let ms = START - 3 * DAY_MS; ms < START + 10 * DAY_MS; ms += 17 * 60_000)
      entries.push({ ms, category: 'booking', action: 'created', actor: `usr_${ms % 3}` });
    const { sums, rows } = tallied(entries, new Set([5, 100, 101, 700]));
    expect(sums).toEqual(recount(entries));
    expect(rows).toBe(sums.size);
  });

  it('hands on nothing before a day closes, unless asked for everything', () => {
    const tally = new CountTally();
    tally.add(START + HOUR_MS, 'booking', 'created', 'usr_1');
    tally.add(START + 2 * HOUR_MS, 'booking', 'created', 'usr_1');
    expect(tally.take()).toEqual({ slots: [], actors: [] });
    tally.add(START + DAY_MS, 'booking', 'created', 'usr_1');
    expect(tally.take().slots).toEqual([
      HOUR_MS,
      START + HOUR_MS,
      'booking',
      'created',
      1,
      HOUR_MS,
      START + 2 * HOUR_MS,
      'booking',
      'created',
      1,
      DAY_MS,
      START,
      'booking',
      'created',
      2,
    ]);
    const rest = tally.take(true);
    expect(rest.slots).toHaveLength(2 * SLOT_ROW_WIDTH);
    expect(tally.take(true)).toEqual({ slots: [], actors: [] });
  });
});
