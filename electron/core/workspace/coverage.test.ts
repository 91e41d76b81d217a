// Coverage of real workspaces built by importing real bundles: proven runs, period and seq gaps,
// chain breaks, bundles past the plan's retention, a trail that starts mid-chain, and emptiness.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan, Tenant } from '../../../shared/bundle';
import {
  DAY_MS,
  dayEntries,
  dayStart,
  makeKey,
  TENANT,
  tempDir,
  trustOf,
  writeDayBundle,
} from '../../../tests/helpers/bundles';
import type { WrittenBundle } from '../bundle/writer';
import { computeCoverage } from './coverage';
import { openWorkspace, type Workspace } from './database';
import { importBundleFile, type ImportOptions } from './import';

const key = makeKey('otesse-coverage');
const OPTIONS: ImportOptions = { trust: trustOf(key), trustSource: 'test', source: 'file' };

let dir: { path: string; remove(): void };
let ws: Workspace;
beforeEach(() => {
  dir = tempDir('audit-desk-coverage-');
  ws = openWorkspace(join(dir.path, 'ws'), { create: true });
});
afterEach(() => {
  ws.close();
  dir.remove();
});

interface Spec {
  day: number;
  /** Entries of the day; seq continues from the previous spec unless `firstSeq` says otherwise. */
  count: number;
  firstSeq?: number;
  /** Digest named as previous: by default the previous spec's bundle (null for the first). */
  prevDigest?: string | null;
  tenant?: Tenant;
}

/** Writes one bundle per spec, chained in order, and returns them (nothing imported yet). */
function writeBundles(specs: Spec[]): WrittenBundle[] {
  const out: WrittenBundle[] = [];
  let seq = 1;
  for (const spec of specs) {
    const first = spec.firstSeq ?? seq;
    out.push(
      writeDayBundle({
        key,
        out: join(dir.path, `b${out.length}-day${spec.day}.otbundle`),
        entries: dayEntries(spec.day, first, spec.count),
        day: spec.day,
        prevDigest:
          spec.prevDigest !== undefined ? spec.prevDigest : (out[out.length - 1]?.digest ?? null),
        tenant: spec.tenant,
      }),
    );
    seq = first + spec.count;
  }
  return out;
}

async function store(bundles: WrittenBundle[]): Promise<void> {
  for (const b of bundles) {
    const outcome = await importBundleFile(ws, b.out, OPTIONS);
    expect(outcome.status, outcome.status === 'rejected' ? outcome.message : '').toBe('imported');
  }
}

const at = (ms: number) => new Date(ms).toISOString();

describe('coverage', () => {
  it('of an empty workspace: nothing proven, nothing complete, no tenant', () => {
    expect(computeCoverage(ws, Date.parse(dayStart(0)))).toEqual({
      tenant: null,
      entries: 0,
      bundles: 0,
      from: null,
      to: null,
      complete: false,
      startsMidChain: false,
      proven: [],
      gaps: [],
      chainBreaks: [],
      archived: { bundles: 0, entries: 0, before: null, retentionDays: null },
    });
  });

  it('a chain with empty days is one proven run (silence proven by empty bundles)', async () => {
    const b = writeBundles([
      { day: 0, count: 3 },
      { day: 1, count: 0 },
      { day: 2, count: 0 },
      { day: 3, count: 4 },
    ]);
    await store(b);
    const c = computeCoverage(ws, Date.parse(dayStart(4)));
    expect(c).toMatchObject({
      tenant: TENANT,
      entries: 7,
      bundles: 4,
      from: dayStart(0),
      to: dayStart(4),
      complete: true,
      startsMidChain: false,
      gaps: [],
      chainBreaks: [],
    });
    expect(c.proven).toEqual([{ from: dayStart(0), to: dayStart(4), bundles: 4, entries: 7 }]);
  });

  it('a single empty bundle is complete', async () => {
    await store(writeBundles([{ day: 0, count: 0 }]));
    expect(computeCoverage(ws)).toMatchObject({
      complete: true,
      entries: 0,
      bundles: 1,
      proven: [{ from: dayStart(0), to: dayStart(1), bundles: 1, entries: 0 }],
    });
  });

  it('a period gap: a missing empty day splits the proven runs, no seq is missing', async () => {
    const b = writeBundles([
      { day: 0, count: 2 },
      { day: 1, count: 0 },
      { day: 2, count: 3 },
      { day: 3, count: 1 },
    ]);
    await store([b[0]!, b[2]!, b[3]!]);
    const c = computeCoverage(ws);
    expect(c.complete).toBe(false);
    expect(c.gaps).toEqual([
      {
        kind: 'period',
        from: dayStart(1),
        to: dayStart(2),
        fromSeq: null,
        toSeq: null,
        afterBundle: b[0]!.bundleId,
        beforeBundle: b[2]!.bundleId,
      },
    ]);
    expect(c.proven).toEqual([
      { from: dayStart(0), to: dayStart(1), bundles: 1, entries: 2 },
      { from: dayStart(2), to: dayStart(4), bundles: 2, entries: 4 },
    ]);
    expect(c.chainBreaks).toEqual([]);
    expect(c).toMatchObject({ from: dayStart(0), to: dayStart(4), bundles: 3, entries: 6 });
  });

  it('a missing day with entries is a seq gap naming the missing seqs', async () => {
    const b = writeBundles([
      { day: 0, count: 2 },
      { day: 1, count: 5 },
      { day: 2, count: 3 },
    ]);
    await store([b[2]!, b[0]!]); // any order
    expect(computeCoverage(ws).gaps).toEqual([
      {
        kind: 'seq',
        from: dayStart(1),
        to: dayStart(2),
        fromSeq: 3,
        toSeq: 7,
        afterBundle: b[0]!.bundleId,
        beforeBundle: b[2]!.bundleId,
      },
    ]);
  });

  it('a seq gap inside an intact chain (the signer skipped seqs): adjacent periods, gap of zero time', async () => {
    const b = writeBundles([
      { day: 0, count: 5 },
      { day: 1, count: 2, firstSeq: 9 },
      { day: 2, count: 1 },
    ]);
    expect(b[1]!.manifest).toMatchObject({ firstSeq: 9, lastSeq: 10, prevDigest: b[0]!.digest });
    await store(b);
    const c = computeCoverage(ws);
    expect(c.complete).toBe(false);
    expect(c.chainBreaks).toEqual([]);
    expect(c.gaps).toEqual([
      {
        kind: 'seq',
        from: dayStart(1),
        to: dayStart(1),
        fromSeq: 6,
        toSeq: 8,
        afterBundle: b[0]!.bundleId,
        beforeBundle: b[1]!.bundleId,
      },
    ]);
    expect(c.proven).toEqual([
      { from: dayStart(0), to: dayStart(1), bundles: 1, entries: 5 },
      { from: dayStart(1), to: dayStart(3), bundles: 2, entries: 3 },
    ]);
  });

  it('seq continuity is checked across empty bundles', async () => {
    const b = writeBundles([
      { day: 0, count: 2 },
      { day: 1, count: 0 },
      { day: 2, count: 0 },
      { day: 3, count: 2, firstSeq: 4 },
    ]);
    await store(b);
    expect(computeCoverage(ws).gaps).toEqual([
      {
        kind: 'seq',
        from: dayStart(3),
        to: dayStart(3),
        fromSeq: 3,
        toSeq: 3,
        afterBundle: b[2]!.bundleId,
        beforeBundle: b[3]!.bundleId,
      },
    ]);
  });

  it('several gaps are reported in period order', async () => {
    const b = writeBundles([0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, count: day === 5 ? 0 : 2 })));
    await store([b[6]!, b[0]!, b[3]!, b[4]!]);
    const c = computeCoverage(ws);
    expect(c.gaps.map((g) => [g.kind, g.from, g.to, g.fromSeq, g.toSeq])).toEqual([
      ['seq', dayStart(1), dayStart(3), 3, 6],
      ['period', dayStart(5), dayStart(6), null, null],
    ]);
    expect(c.proven.map((p) => [p.from, p.to, p.bundles])).toEqual([
      [dayStart(0), dayStart(1), 1],
      [dayStart(3), dayStart(5), 2],
      [dayStart(6), dayStart(7), 1],
    ]);
  });

  /** Day 1 (seq 3-5) is missing; the stored day after it is an empty bundle, then the chain goes on. */
  async function gapBeforeEmptyDay(): Promise<WrittenBundle[]> {
    const b = writeBundles([
      { day: 0, count: 2 },
      { day: 1, count: 3 },
      { day: 2, count: 0 },
      { day: 3, count: 2 },
    ]);
    await store([b[0]!, b[2]!, b[3]!]);
    return b;
  }

  it('a missing day followed by a stored empty day: the gap is reported and the workspace is not complete', async () => {
    const b = await gapBeforeEmptyDay();
    const c = computeCoverage(ws);
    expect(c.complete).toBe(false);
    expect(c.gaps[0]).toMatchObject({
      from: dayStart(1),
      to: dayStart(2),
      fromSeq: 3,
      afterBundle: b[0]!.bundleId,
      beforeBundle: b[2]!.bundleId,
    });
  });

  it('a missing day followed by a stored empty day is one gap, and the chained days after it one run', async () => {
    const b = await gapBeforeEmptyDay();
    const c = computeCoverage(ws);
    expect(c.gaps).toHaveLength(1);
    expect(c.gaps[0]).toMatchObject({
      kind: 'seq',
      from: dayStart(1),
      to: dayStart(2),
      fromSeq: 3,
      toSeq: 5,
      afterBundle: b[0]!.bundleId,
      beforeBundle: b[2]!.bundleId,
    });
    expect(c.proven.map((p) => [p.from, p.to, p.bundles])).toEqual([
      [dayStart(0), dayStart(1), 1],
      [dayStart(2), dayStart(4), 2],
    ]);
  });

  it('a missing empty day followed by a stored empty day: a period gap with no seqs missing', async () => {
    const b = writeBundles([
      { day: 0, count: 2 },
      { day: 1, count: 0 },
      { day: 2, count: 0 },
      { day: 3, count: 2 },
    ]);
    await store([b[0]!, b[2]!, b[3]!]);
    const c = computeCoverage(ws);
    expect(c.gaps).toEqual([
      {
        kind: 'period',
        from: dayStart(1),
        to: dayStart(2),
        fromSeq: null,
        toSeq: null,
        afterBundle: b[0]!.bundleId,
        beforeBundle: b[2]!.bundleId,
      },
    ]);
    expect(c.proven.map((p) => [p.from, p.to, p.bundles])).toEqual([
      [dayStart(0), dayStart(1), 1],
      [dayStart(2), dayStart(4), 2],
    ]);
  });

  it('a chain break (adjacent, seq-continuous, but naming another predecessor) is reported, not merged', async () => {
    const b = writeBundles([
      { day: 0, count: 2 },
      { day: 1, count: 2 },
      { day: 2, count: 2 },
    ]);
    await store(b);
    // Import refuses such a bundle; a workspace altered behind its back still shows the break.
    const forged = 'ab'.repeat(32);
    ws.db.prepare('UPDATE bundles SET prev_digest = ? WHERE digest = ?').run(forged, b[2]!.digest);
    const c = computeCoverage(ws);
    expect(c.complete).toBe(false);
    expect(c.gaps).toEqual([]);
    expect(c.chainBreaks).toEqual([
      {
        afterBundle: b[1]!.bundleId,
        beforeBundle: b[2]!.bundleId,
        expectedPrevDigest: b[1]!.digest,
        foundPrevDigest: forged,
      },
    ]);
    expect(c.proven.map((p) => p.bundles)).toEqual([2, 1]);
  });

  it('startsMidChain when the first stored bundle names a predecessor that is not stored', async () => {
    const b = writeBundles([
      { day: 0, count: 2 },
      { day: 1, count: 2 },
      { day: 2, count: 2 },
    ]);
    await store([b[1]!, b[2]!]);
    const c = computeCoverage(ws);
    expect(c).toMatchObject({
      startsMidChain: true,
      complete: true,
      gaps: [],
      from: dayStart(1),
      to: dayStart(3),
    });
    await store([b[0]!]);
    expect(computeCoverage(ws).startsMidChain).toBe(false);
  });

  describe('archived bundles (older than the plan retention, counted back from `now`)', () => {
    const retention: [Plan, number][] = [
      ['standard', 90],
      ['professional', 365],
      ['enterprise', 1095],
    ];

    it.each(retention)('%s plan: %i days', async (plan, days) => {
      const tenant: Tenant = { ...TENANT, plan };
      const b = writeBundles([0, 1, 2, 3, 4].map((day) => ({ day, count: day + 1, tenant })));
      await store(b);
      // `now` such that the cut falls at the start of day 3: days 0, 1, 2 have ended before it.
      const now = Date.parse(dayStart(3)) + days * DAY_MS;
      expect(computeCoverage(ws, now).archived).toEqual({
        bundles: 3,
        entries: 1 + 2 + 3,
        before: dayStart(3),
        retentionDays: days,
      });
      // A moment earlier, day 2 has not yet been over for the whole retention.
      expect(computeCoverage(ws, now - 1).archived.bundles).toBe(2);
      expect(computeCoverage(ws, Date.parse(dayStart(5))).archived).toEqual({
        bundles: 0,
        entries: 0,
        before: at(Date.parse(dayStart(5)) - days * DAY_MS),
        retentionDays: days,
      });
      expect(computeCoverage(ws, Date.parse(dayStart(10)) + days * DAY_MS).archived).toMatchObject({
        bundles: 5,
        entries: 15,
      });
    });

    it('retention follows the plan of the newest period imported', async () => {
      const b = writeBundles([
        { day: 0, count: 1, tenant: { ...TENANT, plan: 'standard' } },
        { day: 1, count: 1, tenant: { ...TENANT, plan: 'enterprise' } },
      ]);
      await store([b[1]!, b[0]!]);
      expect(computeCoverage(ws, Date.parse(dayStart(2))).archived.retentionDays).toBe(1095);
    });

    it('archived bundles still count as proven', async () => {
      await store(writeBundles([0, 1, 2].map((day) => ({ day, count: 1 }))));
      const c = computeCoverage(ws, Date.parse(dayStart(3)) + 1000 * DAY_MS);
      expect(c.archived.bundles).toBe(3);
      expect(c.complete).toBe(true);
    });
  });
});
