// Import into real workspace files: a bundle is stored whole or not at all. Every refusal is checked
// against a content hash of the whole database (identical before and after), on both import paths:
// verified in this thread, and verified in a worker thread while this thread stores.
import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Tenant } from '../../../shared/bundle';
import type { Entry } from '../../../shared/entry';
import {
  DAY_MS,
  dayEntries,
  dayStart,
  makeEntry,
  makeKey,
  TENANT,
  tempDir,
  trustOf,
  writeChain,
  writeDayBundle,
} from '../../../tests/helpers/bundles';
import {
  alterEntry,
  alterEntryAndRedigest,
  appendBytes,
  entryLines,
  flipByte,
  readManifest,
  truncate,
} from '../../../tests/integration/helpers/tamper';
import {
  contentHash,
  IMPORT_TIMESTAMPS,
  tableCounts,
} from '../../../tests/integration/helpers/workspace';
import { manifestBytes } from '../bundle/manifest';
import type { WrittenBundle } from '../bundle/writer';
import { computeCoverage } from './coverage';
import { openWorkspace, type Workspace } from './database';
import { listEntries } from './entries';
import {
  importBundleFile,
  type ImportOptions,
  type ImportOutcome,
  type ImportTuning,
} from './import';
import { readTenant } from './tenant';
import { resolveTrust } from './trust';

const key = makeKey('otesse-import');
const strangerKey = makeKey('otesse-stranger');
const OPTIONS: ImportOptions = {
  trust: trustOf(key),
  trustSource: 'test-trust.json',
  source: 'file',
};
const OTHER_TENANT: Tenant = {
  id: 'ten_other',
  name: 'Other Co',
  timeZone: 'Europe/Berlin',
  plan: 'standard',
};

// Day 2 holds several batches of rows (500 each), so a late failure comes after rows were inserted.
const PER_DAY = [40, 0, 2500, 30, 25];
const TOTAL = PER_DAY.reduce((a, b) => a + b, 0);

const PATHS: [string, ImportTuning][] = [
  ['verified in this thread', { workerMinBytes: Number.POSITIVE_INFINITY }],
  ['verified in a worker thread', { workerMinBytes: 0 }],
];

let files: { path: string; remove(): void };
let chain: WrittenBundle[];
const file = (name: string) => join(files.path, name);

beforeAll(() => {
  files = tempDir('audit-desk-import-files-');
  chain = writeChain(files.path, key, PER_DAY);
});
afterAll(() => files.remove());

let wsDir: { path: string; remove(): void };
let ws: Workspace;
beforeEach(() => {
  wsDir = tempDir('audit-desk-import-ws-');
  ws = openWorkspace(wsDir.path, { create: true });
});
afterEach(() => {
  ws.close();
  wsDir.remove();
});

async function importFiles(
  paths: string[],
  tuning: ImportTuning = {},
  options = OPTIONS,
): Promise<ImportOutcome[]> {
  const outcomes: ImportOutcome[] = [];
  for (const path of paths) outcomes.push(await importBundleFile(ws, path, options, tuning));
  return outcomes;
}

const statusOf = (o: ImportOutcome) => (o.status === 'rejected' ? `rejected:${o.cause}` : o.status);
const days = (...indexes: number[]) => indexes.map((i) => chain[i]!.out);
const imported = (b: WrittenBundle) => ({
  status: 'imported',
  bundleId: b.bundleId,
  digest: b.digest,
  entryCount: b.manifest.entryCount,
});

/** Imports `path`, expects a rejection with `cause`, and that the database did not change at all. */
async function expectRejectedUnchanged(
  path: string,
  cause: string | RegExp,
  tuning: ImportTuning = {},
  options = OPTIONS,
): Promise<string> {
  const before = contentHash(ws.db);
  const outcome = await importBundleFile(ws, path, options, tuning);
  expect(outcome.status).toBe('rejected');
  const { cause: got, message } = outcome as Extract<ImportOutcome, { status: 'rejected' }>;
  if (typeof cause === 'string') expect(got).toBe(cause);
  else expect(got).toMatch(cause);
  expect(message).not.toMatch(/\n/);
  expect(ws.db.inTransaction).toBe(false);
  expect(contentHash(ws.db)).toBe(before);
  return message;
}

describe.each(PATHS)('import (%s)', (_name, tuning) => {
  it('imports a chain: bundle rows, entries as signed, actors, tenant and the trust decision', async () => {
    const outcomes = await importFiles(days(0, 1, 2, 3, 4), tuning);
    expect(outcomes).toEqual(chain.map(imported));
    expect(tableCounts(ws.db)).toEqual({
      tenant: 1,
      bundles: 5,
      entries: TOTAL,
      actors: 7,
      trust_keys: 1,
    });

    const rows = ws.db.prepare('SELECT * FROM bundles ORDER BY period_start').all() as Record<
      string,
      unknown
    >[];
    rows.forEach((row, i) => {
      const { manifest, digest, bundleId, out } = chain[i]!;
      expect(row).toMatchObject({
        bundle_id: bundleId,
        digest,
        period_start: Date.parse(manifest.periodStart),
        period_end: Date.parse(manifest.periodEnd),
        first_seq: manifest.firstSeq,
        last_seq: manifest.lastSeq,
        entry_count: manifest.entryCount,
        prev_digest: manifest.prevDigest,
        key_id: key.keyId,
        issued_at: manifest.issuedAt,
        manifest: manifestBytes(manifest).toString('utf8'),
        signature: readManifest(out).signature,
        verdict: 'valid',
        source: 'file',
        source_name: basename(out),
      });
      expect(Number.isNaN(Date.parse(row.imported_at as string))).toBe(false);
    });

    // Every entry: its exact signed line, its bundle and Merkle leaf index, its typed columns.
    const stored = ws.db.prepare('SELECT * FROM entries ORDER BY seq').all() as Record<
      string,
      unknown
    >[];
    const lines = chain.flatMap((b) => entryLines(b.out));
    expect(stored.map((e) => e.raw)).toEqual(lines);
    const refs = new Map(
      (
        ws.db.prepare('SELECT digest, ref FROM bundles').all() as { digest: string; ref: number }[]
      ).map((r) => [r.digest, r.ref]),
    );
    let seq = 1;
    for (const bundle of chain) {
      for (let leaf = 0; leaf < bundle.manifest.entryCount; leaf++, seq++) {
        const row = stored[seq - 1]!;
        const entry = JSON.parse(row.raw as string) as Entry;
        expect(row).toMatchObject({
          seq,
          id: entry.id,
          bundle_ref: refs.get(bundle.digest),
          leaf_index: leaf,
          occurred_at: Date.parse(entry.occurredAt),
          category: entry.category,
          action: entry.action,
          actor_id: entry.actor.id,
          actor_type: entry.actor.type,
          entity_type: entry.entity.type,
          entity_id: entry.entity.id,
          ip: entry.ip,
        });
      }
    }
    expect(ws.db.prepare('SELECT * FROM actors WHERE id = ?').get('usr_3')).toEqual({
      id: 'usr_3',
      name: 'Dana Reyes',
      email: 'dana@example.com',
      type: 'user',
    });
    expect(readTenant(ws)).toEqual(TENANT);
    expect(
      ws.db.prepare('SELECT key_id, public_key, revoked, source FROM trust_keys').all(),
    ).toEqual([
      {
        key_id: key.keyId,
        public_key: key.trusted.publicKey,
        revoked: 0,
        source: 'test-trust.json',
      },
    ]);
    expect(computeCoverage(ws).complete).toBe(true);
  });

  it('re-importing the same bundles (also under another file name) changes nothing', async () => {
    await importFiles(days(0, 1, 2, 3, 4));
    const counts = tableCounts(ws.db);
    const before = contentHash(ws.db);
    const copy = file(`copy-of-day-02-${tuning.workerMinBytes ?? 'x'}.otbundle`);
    copyFileSync(chain[2]!.out, copy);
    const again = await importFiles([...days(1, 2), copy], tuning);
    expect(again).toEqual(
      [chain[1]!, chain[2]!, chain[2]!].map((b) => ({ ...imported(b), status: 'already_present' })),
    );
    expect(tableCounts(ws.db)).toEqual(counts);
    expect(contentHash(ws.db)).toBe(before); // not even imported_at or the trust record moved
  });

  it('a tampered copy of a stored bundle (same manifest, altered entry) is rejected, not "already present"', async () => {
    await importFiles(days(0, 1, 2));
    const tampered = file(`stored-tampered-${tuning.workerMinBytes ?? 'x'}.otbundle`);
    alterEntry(chain[2]!.out, tampered, 1500);
    expect(readManifest(tampered).manifest).toEqual(chain[2]!.manifest);
    await expectRejectedUnchanged(tampered, 'payload_digest', tuning);
  });

  it('bundles imported out of order all succeed and coverage ends complete', async () => {
    const outcomes = await importFiles(days(4, 2, 0, 3, 1), tuning);
    expect(outcomes.map(statusOf)).toEqual(Array(5).fill('imported'));
    const coverage = computeCoverage(ws);
    expect(coverage).toMatchObject({
      complete: true,
      bundles: 5,
      entries: TOTAL,
      gaps: [],
      chainBreaks: [],
      startsMidChain: false,
    });
    expect(coverage.proven).toEqual([
      { from: dayStart(0), to: dayStart(5), bundles: 5, entries: TOTAL },
    ]);
    expect(listEntries(ws, 1).entries[0]!.seq).toBe(TOTAL);
  });

  it('a late failure in a bundle of several batches leaves none of its rows (payload altered in its last entry)', async () => {
    await importFiles(days(0, 1));
    const tampered = file(`late-${tuning.workerMinBytes ?? 'x'}.otbundle`);
    alterEntry(chain[2]!.out, tampered, -1);
    await expectRejectedUnchanged(tampered, 'payload_digest', tuning);
    expect(tableCounts(ws.db).entries).toBe(40);
    // and the genuine bundle still imports afterwards
    expect((await importFiles(days(2), tuning)).map(statusOf)).toEqual(['imported']);
  });

  it('an entry id already stored from another bundle: conflict, the whole bundle rolled back', async () => {
    await importFiles(days(0, 1));
    // Day 2 again, genuinely signed, but its 2,300th entry reuses the id of day 0's first entry:
    // the duplicate is found after a full batch of rows was inserted.
    const entries = dayEntries(2, 41, 2500);
    entries[2300] = { ...entries[2300]!, id: dayEntries(0, 1, 1)[0]!.id };
    const dup = writeDayBundle({
      key,
      out: file(`dup-id-${tuning.workerMinBytes ?? 'x'}.otbundle`),
      entries,
      day: 2,
      prevDigest: chain[1]!.digest,
    });
    const message = await expectRejectedUnchanged(dup.out, 'conflict', tuning);
    expect(message).toBe(
      `entry id "${entries[2300]!.id}" on line 2303 is already stored from bundle ${chain[0]!.bundleId}`,
    );
  });

  it('an entry id twice within one bundle: conflict naming both lines, not another bundle', async () => {
    await importFiles(days(0, 1));
    // Genuinely signed: the verifier does not check id uniqueness, the import does.
    const entries = dayEntries(2, 41, 2500);
    entries[2200] = { ...entries[2200]!, id: entries[4]!.id };
    const dup = writeDayBundle({
      key,
      out: file(`dup-within-${tuning.workerMinBytes ?? 'x'}.otbundle`),
      entries,
      day: 2,
      prevDigest: chain[1]!.digest,
    });
    const message = await expectRejectedUnchanged(dup.out, 'conflict', tuning);
    expect(message).toBe(
      `entry id "${entries[4]!.id}" appears twice in this bundle (lines 7 and 2203)`,
    );
  });
});

describe('a bundle that fails verification writes nothing', () => {
  interface BadCase {
    name: string;
    /** The file to import (made in beforeAll), or a genuine one imported with `options`. */
    path: () => string;
    cause: string | RegExp;
    options?: () => ImportOptions;
    /** Also run through the worker path (a worker costs ~0.25 s: the cases that reach it differently). */
    worker?: boolean;
  }
  const BAD: BadCase[] = [
    {
      name: 'payload altered (first entry of a 2,500-entry bundle)',
      path: () => file('bad-payload.otbundle'),
      cause: 'payload_digest',
      worker: true,
    },
    {
      name: 'entry altered, digests recomputed, not re-signed',
      path: () => file('bad-redigest.otbundle'),
      cause: 'signature',
    },
    {
      name: 'a byte flipped in the header',
      path: () => file('bad-header-flip.otbundle'),
      cause: /^(malformed|signature)$/,
    },
    {
      name: 'truncated in the middle of the payload',
      path: () => file('bad-truncated.otbundle'),
      cause: /^(payload_digest|entry_count)$/,
      worker: true,
    },
    {
      name: 'garbage appended',
      path: () => file('bad-appended.otbundle'),
      cause: /^(payload_digest|entry_count|malformed)$/,
      worker: true,
    },
    {
      name: 'a copy of its own entry appended',
      path: () => file('bad-appended-entry.otbundle'),
      cause: /^(payload_digest|entry_count)$/,
      worker: true,
    },
    { name: 'a text file', path: () => file('bad-text.otbundle'), cause: 'not_a_bundle' },
    { name: 'an empty file', path: () => file('bad-empty.otbundle'), cause: 'not_a_bundle' },
    { name: 'a directory', path: () => file('bad-dir.otbundle'), cause: 'unreadable' },
    {
      name: 'a missing file',
      path: () => file('bad-missing.otbundle'),
      cause: 'unreadable',
      worker: true,
    },
    {
      name: 'signed by a key not in the trust store',
      path: () => file('bad-unknown-key.otbundle'),
      cause: 'unknown_key',
      worker: true,
    },
    {
      name: 'signed by a revoked key',
      path: () => chain[2]!.out,
      cause: 'revoked_key',
      options: () => ({ ...OPTIONS, trust: trustOf({ ...key.trusted, revoked: true }) }),
    },
    {
      name: 'signed after its key expired',
      path: () => chain[2]!.out,
      cause: 'expired_key',
      options: () => ({
        ...OPTIONS,
        trust: trustOf({
          ...key.trusted,
          validTo: new Date(Date.parse(dayStart(2)) + DAY_MS / 2).toISOString(),
        }),
      }),
    },
    {
      name: "another tenant's genuine bundle",
      path: () => file('bad-other-tenant.otbundle'),
      cause: 'tenant_mismatch',
      worker: true,
    },
  ];

  beforeAll(() => {
    const day2 = chain[2]!.out;
    const day3 = chain[3]!.out;
    alterEntry(day2, file('bad-payload.otbundle'), 0);
    alterEntryAndRedigest(day2, file('bad-redigest.otbundle'), 7);
    flipByte(day3, file('bad-header-flip.otbundle'), 60);
    truncate(day2, file('bad-truncated.otbundle'), 200_000);
    appendBytes(day3, file('bad-appended.otbundle'), 'garbage after the last entry\n');
    appendBytes(day3, file('bad-appended-entry.otbundle'), `${entryLines(day3)[0]}\n`);
    writeFileSync(file('bad-text.otbundle'), 'hello, I am a spreadsheet\n');
    writeFileSync(file('bad-empty.otbundle'), '');
    mkdirSync(file('bad-dir.otbundle'));
    writeDayBundle({
      key: strangerKey,
      out: file('bad-unknown-key.otbundle'),
      entries: dayEntries(2, 41, 5),
      day: 2,
      prevDigest: chain[1]!.digest,
    });
    mkdirSync(file('other-tenant'));
    copyFileSync(
      writeChain(file('other-tenant'), key, [3], OTHER_TENANT)[0]!.out,
      file('bad-other-tenant.otbundle'),
    );
  });

  describe.each(PATHS)('%s', (_path, tuning) => {
    const cases = BAD.filter((c) => c.worker === true || tuning.workerMinBytes === undefined);
    it.each(cases.map((c) => [c.name, c] as const))(
      '%s: database content identical before and after',
      async (_name, c) => {
        await importFiles(days(0, 1));
        await expectRejectedUnchanged(c.path(), c.cause, tuning, c.options?.());
      },
    );
  });

  it('into a new, empty workspace: no tenant gets fixed, nothing is stored', async () => {
    for (const c of BAD) {
      if (c.cause === 'tenant_mismatch') continue; // needs a tenant to mismatch
      await expectRejectedUnchanged(c.path(), c.cause, {}, c.options?.());
    }
    expect(tableCounts(ws.db)).toEqual({
      tenant: 0,
      bundles: 0,
      entries: 0,
      actors: 0,
      trust_keys: 0,
    });
    // The workspace then takes its first genuine bundle, of whichever tenant comes first.
    expect((await importFiles([file('bad-other-tenant.otbundle')])).map(statusOf)).toEqual([
      'imported',
    ]);
    expect(readTenant(ws)?.id).toBe(OTHER_TENANT.id);
  });

  it('a byte flipped anywhere in a stored-chain bundle is rejected and writes nothing (property)', async () => {
    await importFiles(days(0, 1, 2));
    const day3 = chain[3]!.out;
    const size = statSync(day3).size;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: size - 1 }), async (offset) => {
        const flipped = file(`flip-${n++}.otbundle`);
        flipByte(day3, flipped, offset);
        await expectRejectedUnchanged(flipped, /.+/);
      }),
      { numRuns: 40, seed: 20261125 },
    );
  });
});

describe('history rules', () => {
  it('a replayed old bundle is "already_present" and changes nothing', async () => {
    await importFiles(days(0, 1, 2, 3, 4));
    const before = contentHash(ws.db);
    const [outcome] = await importFiles(days(0));
    expect(outcome).toEqual({ ...imported(chain[0]!), status: 'already_present' });
    expect(contentHash(ws.db)).toBe(before);
  });

  it('a missing middle bundle: the others import, coverage shows the gap with its seq range, filling it completes', async () => {
    const outcomes = await importFiles(days(0, 1, 3, 4));
    expect(outcomes.map(statusOf)).toEqual(['imported', 'imported', 'imported', 'imported']);
    const coverage = computeCoverage(ws);
    expect(coverage.complete).toBe(false);
    expect(coverage.gaps).toEqual([
      {
        kind: 'seq',
        from: dayStart(2),
        to: dayStart(3),
        fromSeq: 41,
        toSeq: 2540,
        afterBundle: chain[1]!.bundleId,
        beforeBundle: chain[3]!.bundleId,
      },
    ]);
    expect(coverage.chainBreaks).toEqual([]);
    expect((await importFiles(days(2))).map(statusOf)).toEqual(['imported']);
    expect(computeCoverage(ws).complete).toBe(true);
  });

  it('a missing empty middle bundle is a period gap (no seq missing)', async () => {
    await importFiles(days(0, 2, 3, 4));
    const { gaps, complete } = computeCoverage(ws);
    expect(complete).toBe(false);
    expect(gaps).toEqual([
      {
        kind: 'period',
        from: dayStart(1),
        to: dayStart(2),
        fromSeq: null,
        toSeq: null,
        afterBundle: chain[0]!.bundleId,
        beforeBundle: chain[2]!.bundleId,
      },
    ]);
  });

  describe('conflicts: a second, different bundle for history already covered', () => {
    beforeEach(async () => {
      await importFiles(days(0, 1, 2));
    });

    it('same period, different entries', async () => {
      const entries = dayEntries(0, 1, 40).map((e) => ({ ...e, action: 'booking.rescheduled' }));
      const alt = writeDayBundle({ key, out: file('alt-day0.otbundle'), entries, day: 0 });
      const message = await expectRejectedUnchanged(alt.out, 'conflict');
      expect(message).toBe(
        `bundle overlaps stored bundle ${chain[0]!.bundleId} (same period or seq range, different content)`,
      );
    });

    it('same period, same entries, reissued later (another digest)', async () => {
      const alt = writeDayBundle({
        key,
        out: file('reissued-day0.otbundle'),
        entries: dayEntries(0, 1, 40),
        day: 0,
        issuedAt: dayStart(3),
      });
      expect(alt.digest).not.toBe(chain[0]!.digest);
      await expectRejectedUnchanged(alt.out, 'conflict');
    });

    it('an empty bundle for a period that has entries', async () => {
      const alt = writeDayBundle({
        key,
        out: file('empty-day2.otbundle'),
        entries: [],
        day: 2,
        prevDigest: chain[1]!.digest,
      });
      await expectRejectedUnchanged(alt.out, 'conflict');
    });

    it('a period that partly overlaps a stored one', async () => {
      const { BundleWriter } = await import('../bundle/writer');
      const { loadPrivateKey } = await import('../bundle/keys');
      const writer = new BundleWriter({
        out: file('half-day.otbundle'),
        tenant: TENANT,
        periodStart: new Date(Date.parse(dayStart(2)) + DAY_MS / 2).toISOString(),
        periodEnd: dayStart(4),
        prevDigest: null,
        keyId: key.keyId,
        privateKey: loadPrivateKey(key.privateKeyPem),
        issuedAt: dayStart(4),
      });
      await expectRejectedUnchanged(writer.finish().out, 'conflict');
    });

    it('another period whose seq range overlaps stored entries', async () => {
      const alt = writeDayBundle({
        key,
        out: file('seq-overlap.otbundle'),
        entries: dayEntries(3, 2500, 50),
        day: 3,
        prevDigest: chain[2]!.digest,
      });
      await expectRejectedUnchanged(alt.out, 'conflict');
    });
  });

  describe('chain links', () => {
    it('prevDigest contradicting the stored predecessor', async () => {
      await importFiles(days(0, 1));
      const wrong = writeDayBundle({
        key,
        out: file('wrong-prev.otbundle'),
        entries: dayEntries(2, 41, 5),
        day: 2,
        prevDigest: chain[0]!.digest,
      });
      const message = await expectRejectedUnchanged(wrong.out, 'chain_link');
      expect(message).toBe(
        `previous-bundle digest does not match stored bundle ${chain[1]!.bundleId} of the preceding period`,
      );
    });

    it('a stored successor naming a different predecessor', async () => {
      await importFiles(days(1));
      // Another day 0 (signed, same seqs): day 1 as stored names the genuine day 0, not this one.
      const alt = writeDayBundle({
        key,
        out: file('alt-day0-succ.otbundle'),
        entries: dayEntries(0, 1, 40).slice(0, 39),
        day: 0,
      });
      const message = await expectRejectedUnchanged(alt.out, 'chain_link');
      expect(message).toBe(
        `stored bundle ${chain[1]!.bundleId} of the following period names a different previous bundle`,
      );
      // the genuine one fits
      expect((await importFiles(days(0))).map(statusOf)).toEqual(['imported']);
    });

    it("a bundle claiming to be the tenant's first after an earlier stored period", async () => {
      await importFiles(days(0));
      const first = writeDayBundle({
        key,
        out: file('false-first.otbundle'),
        entries: dayEntries(3, 2541, 3),
        day: 3,
        prevDigest: null,
      });
      const message = await expectRejectedUnchanged(first.out, 'chain_link');
      expect(message).toBe(
        `bundle claims to be the tenant's first, but stored bundle ${chain[0]!.bundleId} covers an earlier period`,
      );
    });

    it('a second bundle naming the same previous bundle (a fork) is a conflict, even with no stored neighbour', async () => {
      await importFiles(days(0, 1));
      // Day 3 claims day 0 as its predecessor, but stored day 1 already follows day 0.
      const fork = writeDayBundle({
        key,
        out: file('fork.otbundle'),
        entries: dayEntries(3, 2541, 3),
        day: 3,
        prevDigest: chain[0]!.digest,
      });
      const message = await expectRejectedUnchanged(fork.out, 'conflict');
      expect(message).toBe(
        `stored bundle ${chain[1]!.bundleId} names the same previous bundle; two bundles cannot both follow it`,
      );
    });

    it("a second bundle claiming to be the tenant's first, before the stored first one, is a conflict", async () => {
      const laterFirst = writeDayBundle({
        key,
        out: file('later-first.otbundle'),
        entries: dayEntries(3, 2541, 3),
        day: 3,
        prevDigest: null,
      });
      expect((await importFiles([laterFirst.out])).map(statusOf)).toEqual(['imported']);
      const message = await expectRejectedUnchanged(chain[0]!.out, 'conflict');
      expect(message).toBe(
        `stored bundle ${laterFirst.bundleId} also claims to be the tenant's first bundle`,
      );
    });

    it('a bundle whose neighbours are not stored is accepted whatever it names (the hole is a gap)', async () => {
      await importFiles(days(0));
      const floating = writeDayBundle({
        key,
        out: file('floating.otbundle'),
        entries: dayEntries(3, 2541, 3),
        day: 3,
        prevDigest: 'ab'.repeat(32),
      });
      expect((await importFiles([floating.out])).map(statusOf)).toEqual(['imported']);
    });
  });

  it('the tenant row follows the newest period imported, whatever the order', async () => {
    const renamed: Tenant = {
      ...TENANT,
      name: 'Acme Cleaning & Sons',
      plan: 'enterprise',
      timeZone: 'America/Chicago',
    };
    const d0 = writeDayBundle({
      key,
      out: file('t-day0.otbundle'),
      entries: dayEntries(0, 1, 2),
      day: 0,
    });
    const d1 = writeDayBundle({
      key,
      out: file('t-day1.otbundle'),
      entries: dayEntries(1, 3, 2),
      day: 1,
      prevDigest: d0.digest,
      tenant: renamed,
    });
    await importFiles([d1.out]);
    expect(readTenant(ws)).toEqual(renamed);
    await importFiles([d0.out]);
    expect(readTenant(ws)).toEqual(renamed); // the older bundle does not roll the tenant back
  });

  it('records the signing key, and later imports without --trust use the recorded keys', async () => {
    await importFiles(days(0));
    const { trust, source } = resolveTrust(undefined, ws);
    expect(source).toBe('workspace');
    expect(trust.list()).toEqual([key.trusted]);
    const outcome = await importBundleFile(ws, chain[1]!.out, {
      trust,
      trustSource: source,
      source: 'sync',
      sourceName: 'https://api.example/v1',
    });
    expect(outcome.status).toBe('imported');
    expect(
      ws.db
        .prepare('SELECT source, source_name FROM bundles WHERE digest = ?')
        .get(chain[1]!.digest),
    ).toEqual({
      source: 'sync',
      source_name: 'https://api.example/v1',
    });
  });

  it('a conflict early in a large bundle verified in a worker ends promptly (the worker is stopped)', async () => {
    await importFiles(days(0, 1));
    const entries = dayEntries(2, 41, 30_000);
    entries[5] = { ...entries[5]!, id: dayEntries(0, 1, 1)[0]!.id };
    const dup = writeDayBundle({
      key,
      out: file('dup-early-large.otbundle'),
      entries,
      day: 2,
      prevDigest: chain[1]!.digest,
    });
    const started = Date.now();
    await expectRejectedUnchanged(dup.out, 'conflict', { workerMinBytes: 0 });
    expect(Date.now() - started).toBeLessThan(10_000);
    // the workspace is usable right after
    expect((await importFiles(days(2))).map(statusOf)).toEqual(['imported']);
  });
});

describe('storage errors', () => {
  /** Imports day 1 while another connection holds the write lock; returns what the import threw. */
  async function importWhileLocked(): Promise<unknown> {
    const Database = (await import('better-sqlite3')).default;
    const other = new Database(join(wsDir.path, 'workspace.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    ws.db.pragma('busy_timeout = 50');
    try {
      await importBundleFile(ws, chain[1]!.out, OPTIONS);
      return undefined;
    } catch (error) {
      return error;
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  }

  it('a workspace locked by another writer: the import fails, nothing stored, usable afterwards', async () => {
    await importFiles(days(0));
    const before = contentHash(ws.db);
    const error = await importWhileLocked();
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toMatch(/\n/);
    expect(ws.db.inTransaction).toBe(false);
    expect(contentHash(ws.db)).toBe(before);
    expect((await importFiles(days(1))).map(statusOf)).toEqual(['imported']);
  });

  it('a workspace locked by another writer: the documented one-line runtime error', async () => {
    await importFiles(days(0));
    expect(await importWhileLocked()).toMatchObject({
      kind: 'runtime',
      message: 'workspace is busy in another process; try again when it has finished',
    });
  });

  it('a second import on the same connection while one is running is refused', async () => {
    const running = importBundleFile(ws, chain[0]!.out, OPTIONS, { workerMinBytes: 0 });
    await expect(importBundleFile(ws, chain[1]!.out, OPTIONS)).rejects.toMatchObject({
      kind: 'runtime',
      message: 'another import into this workspace is still running',
    });
    expect((await running).status).toBe('imported');
    expect((await importFiles(days(1))).map(statusOf)).toEqual(['imported']);
  });
});

describe('entries come back exactly as signed', () => {
  const NASTY = [
    'line one\nline two\r\nline three\rend',
    'She said "hello", then \'bye\' and `tick`',
    '=HYPERLINK("http://evil.example","click")',
    '+1+1',
    '-2+3',
    '@SUM(A1:A2)',
    '\t=cmd|"/c calc"!A1',
    'comma, separated, "values";semi',
    'back\\slash \\n is not a newline, \\u0041 is not A',
    'x'.repeat(10_240),
    'é'.repeat(5_120),
    '🦄 emoji 👩‍👩‍👧 family, RTL \u202Eevil\u202C, zero-width \u200B, BOM \uFEFF',
    '\u0000 nul, \u001b[31m escape, \u0007 bell, \u007f del',
    '\u2028 line and \u2029 paragraph separators',
    '',
    '   leading and trailing spaces   ',
    '<script>alert(1)</script>',
    '{"json":"in a string"}',
  ];

  function nastyEntries(day: number, firstSeq: number): Entry[] {
    const at = (i: number) => new Date(Date.parse(dayStart(day)) + i * 60_000).toISOString();
    return NASTY.map((s, i) =>
      makeEntry(firstSeq + i, at(i), {
        id: `nasty-${i}-${s.slice(0, 8)}`,
        actor: {
          id: `actor ${s.slice(0, 20)}`,
          name: s,
          email: s === '' ? null : s,
          type: i % 2 === 0 ? 'user' : 'api_key',
        },
        entity: { type: 'booking', id: s, label: s },
        changes: [
          {
            field: s,
            old: s,
            new: { nested: [s, 1.5, -7, 1e21, 0.1, 2 ** 53 - 1, null, true, false], [s]: s },
          },
          { field: 'empty', old: null, new: [] },
        ],
        ip: i % 3 === 0 ? null : s,
        userAgent: s,
        metadata: { [s]: s, note: s, deep: { a: [{ b: s }] }, ['__proto__']: { polluted: s } },
      }),
    );
  }

  it('newlines, quotes, formula characters, control characters and 10 kB strings: deep equal and raw line identical', async () => {
    const entries = nastyEntries(0, 1);
    const bundle = writeDayBundle({ key, out: file('nasty.otbundle'), entries, day: 0 });
    expect((await importFiles([bundle.out])).map(statusOf)).toEqual(['imported']);
    const page = listEntries(ws, 1000);
    expect(page.total).toBe(entries.length);
    expect(page.entries).toEqual([...entries].reverse());
    // Own keys survive, including "__proto__" (no prototype games on the way back).
    expect(Object.keys(page.entries[0]!.metadata).sort()).toEqual(
      Object.keys(entries[entries.length - 1]!.metadata).sort(),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(ws.db.prepare('SELECT raw FROM entries ORDER BY seq').pluck().all()).toEqual(
      entryLines(bundle.out),
    );
    // Typed columns hold the strings unchanged too.
    const row = ws.db.prepare('SELECT entity_id, ip FROM entries WHERE seq = ?').get(2) as {
      entity_id: string;
      ip: string | null;
    };
    expect(row).toEqual({ entity_id: NASTY[1], ip: NASTY[1] });
    expect(
      ws.db.prepare('SELECT name FROM actors WHERE id = ?').pluck().get(entries[9]!.actor.id),
    ).toBe(NASTY[9]);
  });

  it('listEntries returns the newest first and honours the limit', async () => {
    await importFiles(days(0, 1, 2));
    const page = listEntries(ws, 3);
    expect(page.total).toBe(2540);
    expect(page.entries.map((e) => e.seq)).toEqual([2540, 2539, 2538]);
    expect(listEntries(ws, 0).entries).toEqual([]);
  });

  it('arbitrary Unicode strings and JSON values round-trip (property)', async () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.constantFrom(...NASTY),
    );
    const entryArb = fc.record({
      name: anyText,
      label: anyText,
      userAgent: fc.option(anyText, { nil: null }),
      metadata: fc.dictionary(
        fc.string({ unit: 'binary', maxLength: 10 }),
        fc.jsonValue({ stringUnit: 'binary', maxDepth: 3 }),
      ),
      change: fc.jsonValue({ stringUnit: 'grapheme', maxDepth: 2 }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(entryArb, { minLength: 1, maxLength: 6 }), async (parts) => {
        const n = run++;
        const entries = parts.map((p, i) =>
          makeEntry(1 + i, new Date(Date.parse(dayStart(0)) + i * 1000).toISOString(), {
            id: `prop-${n}-${i}`,
            actor: { id: `a${i}`, name: p.name, email: null, type: 'system' },
            entity: { type: 'invoice', id: p.label, label: p.label },
            changes: [{ field: p.label, old: p.change as never, new: p.metadata as never }],
            userAgent: p.userAgent,
            metadata: p.metadata as Entry['metadata'],
          }),
        );
        const dir = tempDir('audit-desk-prop-');
        const target = openWorkspace(join(dir.path, 'ws'), { create: true });
        try {
          const bundle = writeDayBundle({
            key,
            out: join(dir.path, 'b.otbundle'),
            entries,
            day: 0,
          });
          const outcome = await importBundleFile(target, bundle.out, OPTIONS);
          expect(outcome.status).toBe('imported');
          const back = listEntries(target, 100).entries.reverse();
          // What was signed is the canonical JSON of each entry: reading back must give that value.
          expect(back).toEqual(entries.map((e) => JSON.parse(JSON.stringify(e)) as Entry));
          expect(target.db.prepare('SELECT raw FROM entries ORDER BY seq').pluck().all()).toEqual(
            entryLines(bundle.out),
          );
        } finally {
          target.close();
          dir.remove();
        }
      }),
      { numRuns: 40, seed: 1125 },
    );
  });
});

describe('the next file verified ahead (ImportOptions.next)', () => {
  const IN_WORKER: ImportTuning = { workerMinBytes: 0 };
  /** Imports `paths` in order, each naming the one after it as next. */
  async function importNaming(paths: string[], into = ws): Promise<string[]> {
    const statuses: string[] = [];
    for (const [index, path] of paths.entries()) {
      const next = paths[index + 1];
      statuses.push(statusOf(await importBundleFile(into, path, { ...OPTIONS, next }, IN_WORKER)));
    }
    return statuses;
  }

  it('stores exactly what importing without it stores, rejections included', async () => {
    const tampered = file('ahead-tampered.otbundle');
    alterEntry(chain[2]!.out, tampered, -1);
    const paths = [...days(0, 1), tampered, ...days(2, 3, 4), chain[0]!.out];
    expect(await importNaming(paths)).toEqual([
      'imported',
      'imported',
      'rejected:payload_digest',
      'imported',
      'imported',
      'imported',
      'already_present',
    ]);
    const plainDir = tempDir('audit-desk-import-plain-');
    const plain = openWorkspace(plainDir.path, { create: true });
    try {
      for (const path of paths) await importBundleFile(plain, path, OPTIONS, IN_WORKER);
      expect(contentHash(ws.db, { ignore: IMPORT_TIMESTAMPS })).toBe(
        contentHash(plain.db, { ignore: IMPORT_TIMESTAMPS }),
      );
    } finally {
      plain.close();
      plainDir.remove();
    }
  });

  it('a next file that is not imported after all: the file imported instead is, in full', async () => {
    await importBundleFile(ws, chain[0]!.out, { ...OPTIONS, next: chain[3]!.out }, IN_WORKER);
    // Not day 3 but day 1 (then 2): the file verified ahead is dropped, not stored in its place.
    expect(await importNaming(days(1, 2))).toEqual(['imported', 'imported']);
    expect(tableCounts(ws.db).entries).toBe(40 + 2500);
    // and day 3, named and dropped before, imports normally afterwards
    expect(await importNaming(days(3))).toEqual(['imported']);
    expect(tableCounts(ws.db).entries).toBe(40 + 2500 + 30);
  });

  it('a next file that fails verification is rejected when its turn comes, and stores nothing', async () => {
    await importNaming(days(0, 1, 2));
    const bad = file('ahead-bad.otbundle');
    alterEntry(chain[3]!.out, bad, 0);
    await importBundleFile(ws, chain[4]!.out, { ...OPTIONS, next: bad }, IN_WORKER);
    await expectRejectedUnchanged(bad, 'payload_digest', IN_WORKER);
  });
});
