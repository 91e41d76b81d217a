// Evidence-pack export on real workspaces (real signed bundles imported into real SQLite files):
// what the pack holds, CSV rows against the signed entries, proofs, determinism, samples,
// annotations, progress and cancel. verify-pack's tamper detection is in export-verify.test.ts.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../shared/entry';
import { parseQuery, type Query } from '../../shared/query';
import { leafHash, inclusionProof, rootFromLeafHashes } from '../../electron/core/bundle/merkle';
import { restoreCell, parseCsv } from '../../electron/core/export/csv-safety';
import {
  chooseFields,
  ENTRY_FIELDS,
  exportPack,
  verifyPack,
  type AnnotationSource,
  type ExportAnnotation,
  type ExportOptions,
} from '../../electron/core/export';
import { changesText } from '../../electron/core/export/fields';
import { fingerprintOf, type PackManifest } from '../../electron/core/export/pack-manifest';
import {
  buildProof,
  checkProof,
  MerkleLevels,
  neededNodes,
  type BundleProof,
} from '../../electron/core/export/proofs';
import { inlineRenderer, workerRenderer } from '../../electron/core/export/csv-renderer';
import { ZipReader } from '../../electron/core/export/zip-reader';
import { populationFingerprint } from '../../electron/core/review/sampling';
import { openWorkspace, type Workspace } from '../../electron/core/workspace/database';
import { importBundleFile } from '../../electron/core/workspace/import';
import {
  dayEntries,
  makeKey,
  tempDir,
  trustOf,
  writeDayBundle,
  type TestKey,
} from '../helpers/bundles';

/** Values an office program would run, or that CSV must quote, in every kind of field. */
const HOSTILE = [
  '=HYPERLINK("http://evil.example","click")',
  ' =1+1',
  '+1 555 0100',
  '-12.50',
  '@SUM(A1:A9)',
  '＝cmd|" /C calc"!A0',
  'line one\nline two\r\nline three',
  'comma, "quotes" and\ttab',
  "'already quoted",
  'Zoë Ångström 🧾',
  '',
];

function hostileEntry(e: Entry, i: number): Entry {
  const h = (k: number) => HOSTILE[(i + k) % HOSTILE.length]!;
  return {
    ...e,
    actor: { ...e.actor, name: h(0), email: i % 3 === 0 ? null : `${h(1)}@x.example` },
    entity: { type: 'booking', id: h(2), label: h(3) },
    changes:
      i % 4 === 0
        ? []
        : [
            { field: h(4), old: h(5), new: { nested: [h(6), 1.5, null] } },
            { field: 'amount', old: -12.5, new: null },
          ],
    ip: i % 5 === 0 ? null : '203.0.113.7',
    userAgent: i % 2 === 0 ? h(7) : null,
    metadata: { note: h(8), n: i, flag: true },
  };
}

interface Fixture {
  dir: { path: string; remove(): void };
  key: TestKey;
  ws: Workspace;
  entries: Entry[];
}

/** Day bundles with `perDay[i]` hostile entries on day i, imported into a new workspace. */
async function buildFixture(perDay: number[]): Promise<Fixture> {
  const dir = tempDir('audit-desk-export-');
  const key = makeKey('otesse-export');
  const ws = openWorkspace(join(dir.path, 'ws'), { create: true });
  const entries: Entry[] = [];
  let seq = 1;
  let prev: string | null = null;
  for (const [day, count] of perDay.entries()) {
    const list = dayEntries(day, seq, count).map((e, i) => hostileEntry(e, seq + i));
    seq += count;
    const written = writeDayBundle({
      key,
      out: join(dir.path, `d${day}.otbundle`),
      entries: list,
      day,
      prevDigest: prev,
    });
    prev = written.digest;
    const outcome = await importBundleFile(ws, written.out, {
      trust: trustOf(key),
      trustSource: 'test',
      source: 'file',
    });
    if (outcome.status !== 'imported') throw new Error(`import failed: ${JSON.stringify(outcome)}`);
    entries.push(...list);
  }
  return { dir, key, ws, entries };
}

function query(text: string): Query {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.query;
}

/** Every file of a pack by name. */
function unpack(path: string): Map<string, Buffer> {
  const zip = new ZipReader(path);
  try {
    return new Map(zip.files.map((f) => [f.name, zip.readAll(f)]));
  } finally {
    zip.close();
  }
}

const base = (fx: Fixture, out: string): ExportOptions => ({
  out: join(fx.dir.path, out),
  selection: { kind: 'query', query: query('') },
  appVersion: 'test',
  now: () => new Date('2026-11-26T12:00:00.000Z'),
});

let fx: Fixture;
beforeAll(async () => {
  fx = await buildFixture([7, 0, 13, 5, 1]);
}, 60_000);
afterAll(() => {
  fx.ws.close();
  fx.dir.remove();
});

describe('export: what the pack holds', () => {
  let files: Map<string, Buffer>;
  let manifest: PackManifest;
  beforeAll(async () => {
    const result = await exportPack(fx.ws, base(fx, 'all.zip'));
    files = unpack(result.out);
    manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as PackManifest;
  });

  it('the files, each listed in manifest.json with its size and SHA-256', () => {
    const names = [...files.keys()];
    expect(names[0]).toBe('README.txt');
    expect(names.at(-1)).toBe('manifest.json');
    expect(names).toContain('entries.csv');
    expect(names).toContain('entries.jsonl');
    // 4 bundles hold entries (day 1 is empty: no entry comes from it, so it is not in the pack).
    expect(manifest.bundles).toHaveLength(4);
    for (const b of manifest.bundles) {
      expect(names).toContain(`bundles/${b.bundleId}.manifest.json`);
      expect(names).toContain(`bundles/${b.bundleId}.signature`);
      expect(names).toContain(`proofs/${b.bundleId}.json`);
    }
    expect(manifest.files.map((f) => f.name)).toEqual(names.slice(0, -1));
    for (const f of manifest.files) {
      const bytes = files.get(f.name)!;
      expect(f.size).toBe(bytes.length);
      expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    expect(manifest.counts).toEqual({ entries: 26, bundles: 4, annotations: 0, reviewLog: 0 });
    expect(manifest.timeZone).toBe('America/New_York');
    expect(manifest.selection).toMatchObject({
      kind: 'query',
      query: '',
      description: 'all entries',
    });
    expect(manifest.populationFingerprint).toBe(fingerprintOf(fx.entries.map((e) => e.id)));
  });

  it('entries.jsonl: the exact signed lines, oldest first, as the workspace stores them', () => {
    const raw = fx.ws.db.prepare('SELECT raw FROM entries ORDER BY seq').pluck().all() as string[];
    expect(files.get('entries.jsonl')!.toString('utf8')).toBe(raw.map((r) => `${r}\n`).join(''));
  });

  it('entries.csv: BOM, CRLF, a header of field names, one row per entry saying what it says', () => {
    const text = files.get('entries.csv')!.toString('utf8');
    expect(text.startsWith('\uFEFFseq,id,occurredAtLocal,')).toBe(true);
    const rows = parseCsv(text).map((r) => r.map(restoreCell));
    expect(rows[0]).toEqual([...ENTRY_FIELDS]);
    expect(rows).toHaveLength(fx.entries.length + 1);
    const col = (name: string) => ENTRY_FIELDS.indexOf(name as (typeof ENTRY_FIELDS)[number]);
    fx.entries.forEach((e, i) => {
      const row = rows[i + 1]!;
      expect(row[col('seq')]).toBe(String(e.seq));
      expect(row[col('id')]).toBe(e.id);
      expect(row[col('occurredAtUtc')]).toBe(e.occurredAt);
      expect(row[col('actorName')]).toBe(e.actor.name);
      expect(row[col('actorEmail')]).toBe(e.actor.email ?? '');
      expect(row[col('entityId')]).toBe(e.entity.id);
      expect(row[col('entityLabel')]).toBe(e.entity.label);
      expect(row[col('changes')]).toBe(changesText(e.changes));
      expect(row[col('ip')]).toBe(e.ip ?? '');
      expect(row[col('userAgent')]).toBe(e.userAgent ?? '');
      expect(JSON.parse(row[col('metadata')]!)).toEqual(e.metadata);
      // Local time with its offset names the same instant (New York: EDT then EST on 2026-11-01).
      const local = row[col('occurredAtLocal')]!;
      expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}-0[45]:00$/);
      expect(Date.parse(local)).toBe(Date.parse(e.occurredAt));
    });
    expect(rows[1]![col('occurredAtLocal')]).toMatch(/-04:00$/);
    expect(rows.at(-1)![col('occurredAtLocal')]).toMatch(/-05:00$/);
    const sample = fx.entries.find((e) => e.changes.length > 0)!;
    expect(changesText(sample.changes)).toContain(`amount: -12.5 → null`);
    expect(changesText(sample.changes)).toContain('→ {"nested":[');
  });

  it('proofs: each entry is proven against its bundle’s signed root, with no extra nodes when all are exported', () => {
    for (const b of manifest.bundles) {
      const proof = JSON.parse(
        files.get(`proofs/${b.bundleId}.json`)!.toString('utf8'),
      ) as BundleProof;
      const signed = JSON.parse(files.get(`bundles/${b.bundleId}.manifest.json`)!.toString('utf8'));
      expect(proof.merkleRoot).toBe(signed.merkleRoot);
      expect(proof.treeSize).toBe(signed.entryCount);
      expect(proof.nodes).toEqual([]);
    }
  });

  it('verify-pack finds it valid', () => {
    expect(verifyPack(join(fx.dir.path, 'all.zip'), trustOf(fx.key))).toEqual({
      valid: true,
      problems: [],
      entries: 26,
      bundles: 4,
    });
  });
});

describe('export: choosing entries and fields', () => {
  it('a query exports only its matches; a bundle with matches carries the nodes for the rest', async () => {
    const result = await exportPack(fx.ws, {
      ...base(fx, 'ip.zip'),
      selection: { kind: 'query', query: query('ip:203.0.113.7') },
    });
    const expected = fx.entries.filter((e) => e.ip === '203.0.113.7');
    expect(result.entries).toBe(expected.length);
    const files = unpack(result.out);
    const lines = files.get('entries.jsonl')!.toString('utf8').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as Entry).id)).toEqual(expected.map((e) => e.id));
    const proofs = [...files]
      .filter(([n]) => n.startsWith('proofs/'))
      .map(([, b]) => JSON.parse(b.toString('utf8')) as BundleProof);
    expect(proofs.some((p) => p.nodes.length > 0)).toBe(true);
    expect(verifyPack(result.out, trustOf(fx.key)).valid).toBe(true);
  });

  it('a query matching nothing gives a valid, empty pack', async () => {
    const result = await exportPack(fx.ws, {
      ...base(fx, 'none.zip'),
      selection: { kind: 'query', query: query('user:nobody') },
    });
    expect(result.entries).toBe(0);
    expect(verifyPack(result.out, trustOf(fx.key))).toMatchObject({ valid: true, entries: 0 });
  });

  it('--fields picks and orders the columns; unknown or repeated names are usage errors listing the valid ones', async () => {
    const fields = chooseFields('id,changes,occurredAtUtc', false);
    const result = await exportPack(fx.ws, { ...base(fx, 'fields.zip'), fields });
    const rows = parseCsv(unpack(result.out).get('entries.csv')!.toString('utf8'));
    expect(rows[0]).toEqual(['id', 'changes', 'occurredAtUtc']);
    expect(verifyPack(result.out, trustOf(fx.key)).valid).toBe(true);
    expect(() => chooseFields('id,nope', false)).toThrow(
      /unknown field "nope"; valid fields: seq, id, occurredAtLocal/,
    );
    expect(() => chooseFields('id,id', false)).toThrow(/listed twice/);
    expect(() => chooseFields('reviewStatus', false)).toThrow(/needs --annotations/);
    expect(chooseFields('id', true)).toEqual([
      'id',
      'reviewStatus',
      'reviewTags',
      'reviewNote',
      'reviewAuthor',
      'reviewUpdatedAt',
    ]);
  });

  it('a sample: exactly its entries, its seed and population fingerprint recorded', async () => {
    const ids = [fx.entries[20]!.id, fx.entries[2]!.id, fx.entries[9]!.id];
    const result = await exportPack(fx.ws, {
      ...base(fx, 'sample.zip'),
      selection: {
        kind: 'sample',
        entryIds: ids,
        seed: 'seed-42',
        populationFingerprint: 'a'.repeat(64),
        populationSize: 26,
        query: query(''),
      },
    });
    const files = unpack(result.out);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as PackManifest;
    expect(manifest.selection).toEqual({
      kind: 'sample',
      query: '',
      seed: 'seed-42',
      populationSize: 26,
      populationFingerprint: 'a'.repeat(64),
    });
    expect(manifest.populationFingerprint).toBe('a'.repeat(64));
    // The documented fingerprint: SHA-256 of the JSON array of ids in UTF-8 byte order.
    const sorted = [...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(manifest.entryIdsFingerprint).toBe(
      createHash('sha256').update(JSON.stringify(sorted)).digest('hex'),
    );
    // ...which is the sampling module's population fingerprint.
    expect(manifest.entryIdsFingerprint).toBe(populationFingerprint(sorted));
    const lines = files.get('entries.jsonl')!.toString('utf8').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as Entry).seq)).toEqual([3, 10, 21]);
    expect(verifyPack(result.out, trustOf(fx.key)).valid).toBe(true);
    await expect(
      exportPack(fx.ws, {
        ...base(fx, 'bad.zip'),
        selection: {
          kind: 'sample',
          entryIds: ['nope'],
          seed: 's',
          populationFingerprint: 'a'.repeat(64),
        },
      }),
    ).rejects.toThrow(/entry "nope" of the sample is not in the workspace/);
    expect(existsSync(join(fx.dir.path, 'bad.zip'))).toBe(false);
  });

  it('annotations: columns in entries.csv, annotations.csv, the review log, all checked by verify-pack', async () => {
    const notes = new Map<string, ExportAnnotation>([
      [
        fx.entries[1]!.id,
        {
          status: 'flagged',
          tags: ['refund', 'q4'],
          note: '=WEBSERVICE("x")\nsecond line',
          author: 'Dana <d@x.example>',
          updatedAt: '2026-11-20T10:00:00.000Z',
        },
      ],
      [
        fx.entries[5]!.id,
        {
          status: 'reviewed',
          tags: [],
          note: null,
          author: 'Lee',
          updatedAt: '2026-11-21T10:00:00.000Z',
        },
      ],
    ]);
    const asked: string[][] = [];
    const source: AnnotationSource = {
      annotationsFor: (ids) => {
        asked.push([...ids]);
        return new Map([...notes].filter(([id]) => ids.includes(id)));
      },
    };
    const result = await exportPack(fx.ws, {
      ...base(fx, 'notes.zip'),
      annotations: source,
      fields: chooseFields(undefined, true),
      reviewLog: [
        { seq: 1, action: 'annotation.set' },
        { seq: 2, action: 'export.written' },
      ],
    });
    const files = unpack(result.out);
    const rows = parseCsv(files.get('annotations.csv')!.toString('utf8')).map((r) =>
      r.map(restoreCell),
    );
    expect(rows).toEqual([
      ['id', 'seq', 'reviewStatus', 'reviewTags', 'reviewNote', 'reviewAuthor', 'reviewUpdatedAt'],
      [
        fx.entries[1]!.id,
        '2',
        'flagged',
        'refund, q4',
        '=WEBSERVICE("x")\nsecond line',
        'Dana <d@x.example>',
        '2026-11-20T10:00:00.000Z',
      ],
      [fx.entries[5]!.id, '6', 'reviewed', '', '', 'Lee', '2026-11-21T10:00:00.000Z'],
    ]);
    const csv = parseCsv(files.get('entries.csv')!.toString('utf8'));
    expect(csv[2]!.slice(-5).map(restoreCell)).toEqual([
      'flagged',
      'refund, q4',
      '=WEBSERVICE("x")\nsecond line',
      'Dana <d@x.example>',
      '2026-11-20T10:00:00.000Z',
    ]);
    expect(csv[2]![csv[0]!.indexOf('reviewNote')]).toBe('\'=WEBSERVICE("x")\nsecond line');
    expect(files.get('review-log.jsonl')!.toString('utf8')).toBe(
      '{"seq":1,"action":"annotation.set"}\n{"seq":2,"action":"export.written"}\n',
    );
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as PackManifest;
    expect(manifest.counts).toMatchObject({ annotations: 2, reviewLog: 2 });
    expect(asked.flat()).toContain(fx.entries[1]!.id);
    expect(verifyPack(result.out, trustOf(fx.key)).valid).toBe(true);
  });
});

describe('export: deterministic, with progress and cancel', () => {
  it('the same query twice gives the same files; only manifest.json differs, in createdAt alone', async () => {
    const a = await exportPack(fx.ws, base(fx, 'a.zip'));
    const b = await exportPack(fx.ws, {
      ...base(fx, 'b.zip'),
      now: () => new Date('2027-01-02T03:04:05.000Z'),
    });
    const fa = unpack(a.out);
    const fb = unpack(b.out);
    expect([...fb.keys()]).toEqual([...fa.keys()]);
    for (const [name, bytes] of fa) {
      if (name === 'manifest.json') continue;
      expect(fb.get(name)!.equals(bytes), name).toBe(true);
    }
    const ma = JSON.parse(fa.get('manifest.json')!.toString('utf8'));
    const mb = JSON.parse(fb.get('manifest.json')!.toString('utf8'));
    expect(mb.createdAt).toBe('2027-01-02T03:04:05.000Z');
    expect({ ...mb, createdAt: ma.createdAt }).toEqual(ma);
  });

  it('the CSV rendered in a worker thread is the same, byte for byte', async () => {
    const inline = await exportPack(fx.ws, { ...base(fx, 'inline.zip'), renderInWorker: false });
    const worker = await exportPack(fx.ws, { ...base(fx, 'worker.zip'), renderInWorker: true });
    expect(readFileSync(worker.out).equals(readFileSync(inline.out))).toBe(true);
  });

  it('a CSV worker that cannot start: the batches are rendered here, the same', async () => {
    const raws = fx.ws.db
      .prepare('SELECT raw FROM entries ORDER BY seq LIMIT 5')
      .pluck()
      .all() as string[];
    const job = {
      raws,
      notes: null,
      fields: chooseFields(undefined, false),
      timeZone: 'America/New_York',
      bundleId: 'b',
    };
    const broken = workerRenderer(new URL('./no-such-csv-worker.js', import.meta.url));
    const results = await Promise.all([broken.render(job), broken.render(job), broken.render(job)]);
    await broken.close();
    const expected = await inlineRenderer().render(job);
    for (const r of results) {
      expect(Buffer.from(r.csv).equals(Buffer.from(expected.csv))).toBe(true);
      expect(r.leaves.equals(expected.leaves)).toBe(true);
    }
  });

  it('reports progress up to the total, and a cancelled export leaves no file at all', async () => {
    const big = await buildFixture([1500, 1200]);
    try {
      const seen: [number, number][] = [];
      await exportPack(big.ws, {
        ...base(big, 'big.zip'),
        onProgress: (done, total) => seen.push([done, total]),
      });
      expect(seen.length).toBeGreaterThan(4);
      expect(seen.every(([, total]) => total === 2700)).toBe(true);
      expect(seen.map(([d]) => d)).toEqual([...seen.map(([d]) => d)].sort((x, y) => x - y));
      expect(seen.at(-1)).toEqual([2700, 2700]);

      const controller = new AbortController();
      const before = readdirSync(big.dir.path).sort();
      await expect(
        exportPack(big.ws, {
          ...base(big, 'cancelled.zip'),
          signal: controller.signal,
          onProgress: (done) => {
            if (done > 1000) controller.abort();
          },
        }),
      ).rejects.toThrow('export cancelled');
      expect(readdirSync(big.dir.path).sort()).toEqual(before);
      expect(verifyPack(join(big.dir.path, 'big.zip'), trustOf(big.key)).valid).toBe(true);
    } finally {
      big.ws.close();
      big.dir.remove();
    }
  }, 60_000);
});

describe('proofs (RFC 6962)', () => {
  const leaves = (n: number) =>
    Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));

  it('MerkleLevels gives the same root and audit paths as the bundle module’s RFC 6962 functions', () => {
    for (let n = 1; n <= 40; n++) {
      const list = leaves(n);
      const tree = new MerkleLevels(Buffer.concat(list), n);
      expect(tree.root().equals(rootFromLeafHashes(list))).toBe(true);
      for (let i = 0; i < n; i++) {
        expect(tree.auditPath(i).map((h) => h.toString('hex'))).toEqual(
          inclusionProof(list, i).map((h) => h.toString('hex')),
        );
      }
    }
  });

  it('any exported subset is proven, and dropping or adding a leaf breaks the proof', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 300 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: n }),
            ),
          ),
        ([n, picked]) => {
          const list = leaves(n);
          const exported = [...picked].sort((a, b) => a - b);
          const tree = new MerkleLevels(Buffer.concat(list), n);
          const proof = buildProof('b', tree, exported);
          const root = tree.root().toString('hex');
          const map = new Map(exported.map((i) => [i, list[i]!]));
          const ok = checkProof(proof, map, root, n);
          expect(ok.problems).toEqual([]);
          expect(ok.leaves.every((l) => l.ok)).toBe(true);
          expect(proof.nodes.length).toBe(neededNodes(exported, n).length);
          if (exported.length > 1) {
            const fewer = new Map(map);
            fewer.delete(exported[0]!);
            expect(checkProof(proof, fewer, root, n).problems.length).toBeGreaterThan(0);
          }
          const missing = [...Array(n).keys()].find((i) => !map.has(i));
          if (missing !== undefined) {
            const more = new Map(map).set(missing, list[missing]!);
            expect(checkProof(proof, more, root, n).problems.length).toBeGreaterThan(0);
          }
          const wrong = new Map(map).set(exported[0]!, leafHash(Buffer.from('forged')));
          expect(checkProof(proof, wrong, root, n).leaves.some((l) => !l.ok)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
