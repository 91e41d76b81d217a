// verify-pack against tampering, on real packs exported from a real workspace: any single changed
// byte, rows added or removed, a row changed in the CSV only (hashes recomputed to match), entries
// changed, dropped or slipped in with their proofs, and the trust store's verdicts on signatures.
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../shared/entry';
import { parseQuery, type Query } from '../../shared/query';
import { csvRows, parseCsv, restoreCell, UTF8_BOM } from '../../electron/core/export/csv-safety';
import {
  chooseFields,
  exportPack,
  verifyPack,
  type ExportAnnotation,
} from '../../electron/core/export';
import type { PackManifest } from '../../electron/core/export/pack-manifest';
import { ZipReader } from '../../electron/core/export/zip-reader';
import { ZipWriter } from '../../electron/core/export/zip-writer';
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

let dir: { path: string; remove(): void };
let key: TestKey;
let ws: Workspace;
let full: string; // every entry, with annotations
let partial: string; // entries of usr_1 only (proofs carry nodes)

function query(text: string): Query {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.query;
}

beforeAll(async () => {
  dir = tempDir('audit-desk-verify-pack-');
  key = makeKey('otesse-verify');
  ws = openWorkspace(join(dir.path, 'ws'), { create: true });
  let prev: string | null = null;
  let seq = 1;
  for (const [day, count] of [6, 9, 4].entries()) {
    const entries = dayEntries(day, seq, count).map((e, i) => ({
      ...e,
      entity: { ...e.entity, label: i % 3 === 0 ? '=1+1\nBooking' : e.entity.label },
    }));
    seq += count;
    const written = writeDayBundle({
      key,
      out: join(dir.path, `d${day}.otbundle`),
      entries,
      day,
      prevDigest: prev,
    });
    prev = written.digest;
    const outcome = await importBundleFile(ws, written.out, {
      trust: trustOf(key),
      trustSource: 't',
      source: 'file',
    });
    if (outcome.status !== 'imported') throw new Error('import failed');
  }
  const ids = ws.db.prepare('SELECT id FROM entries ORDER BY seq').pluck().all() as string[];
  const notes = new Map<string, ExportAnnotation>([
    [
      ids[3]!,
      {
        status: 'flagged',
        tags: ['x'],
        note: 'check',
        author: 'Dana',
        updatedAt: '2026-11-20T00:00:00.000Z',
      },
    ],
  ]);
  full = join(dir.path, 'full.zip');
  partial = join(dir.path, 'partial.zip');
  await exportPack(ws, {
    out: full,
    selection: { kind: 'query', query: query('') },
    annotations: {
      annotationsFor: (list) => new Map([...notes].filter(([id]) => list.includes(id))),
    },
    fields: chooseFields(undefined, true),
    appVersion: 'test',
  });
  await exportPack(ws, {
    out: partial,
    selection: { kind: 'query', query: query('user:usr_1') },
    appVersion: 'test',
  });
}, 60_000);
afterAll(() => {
  ws.close();
  dir.remove();
});

const trust = () => trustOf(key);
/** The id of the first entry of a pack. */
const fx0 = (pack: string) =>
  (JSON.parse(unpack(pack).get('entries.jsonl')!.toString('utf8').split('\n')[0]!) as Entry).id;
let counter = 0;
const scratch = () => join(dir.path, `t${++counter}.zip`);

function unpack(path: string): Map<string, Buffer> {
  const zip = new ZipReader(path);
  try {
    return new Map(zip.files.map((f) => [f.name, zip.readAll(f)]));
  } finally {
    zip.close();
  }
}

/**
 * A copy of `src` with files edited, written as the export writes packs; manifest.json's hashes
 * and sizes are recomputed for the edited files, so only the deeper checks can catch the edit.
 */
function rewrite(
  src: string,
  edit: (files: Map<string, Buffer>, manifest: PackManifest) => void,
): string {
  const files = unpack(src);
  const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as PackManifest;
  edit(files, manifest);
  manifest.files = manifest.files.map((f) => {
    const bytes = files.get(f.name)!;
    return {
      name: f.name,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
  });
  files.set('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  const out = scratch();
  const fd = openSync(out, 'w');
  const zip = new ZipWriter(fd, new Date('2026-11-26T00:00:00.000Z'));
  for (const [name, bytes] of files) zip.addFile(name, bytes);
  zip.end();
  closeSync(fd);
  return out;
}

/** entries.csv rows as values (header first), and back. */
const csvOf = (files: Map<string, Buffer>) =>
  parseCsv(files.get('entries.csv')!.toString('utf8')).map((r) => r.map(restoreCell));
const setCsv = (files: Map<string, Buffer>, rows: string[][]) =>
  files.set('entries.csv', Buffer.from(UTF8_BOM + csvRows(rows)));
const jsonlOf = (files: Map<string, Buffer>) =>
  files.get('entries.jsonl')!.toString('utf8').trimEnd().split('\n');
const setJsonl = (files: Map<string, Buffer>, lines: string[]) =>
  files.set('entries.jsonl', Buffer.from(lines.map((l) => `${l}\n`).join('')));

describe('verify-pack on untouched packs', () => {
  it('both packs are valid', () => {
    expect(verifyPack(full, trust())).toMatchObject({
      valid: true,
      problems: [],
      entries: 19,
      bundles: 3,
    });
    expect(verifyPack(partial, trust())).toMatchObject({ valid: true, problems: [] });
  });

  it('a repacked copy with nothing changed is valid (the rewrite helper alone breaks nothing)', () => {
    expect(
      verifyPack(
        rewrite(full, () => {}),
        trust(),
      ).problems,
    ).toEqual([]);
  });
});

describe('verify-pack finds any single changed byte', () => {
  for (const which of ['full', 'partial'] as const) {
    it(`${which} pack: every byte of the zip structure, and random bytes anywhere`, () => {
      const src = which === 'full' ? full : partial;
      const original = readFileSync(src);
      const zip = new ZipReader(src);
      const data = zip.files.map((f) => [f.dataOffset, f.dataOffset + f.size] as const);
      zip.close();
      const inData = (i: number) => data.some(([a, b]) => i >= a && i < b);
      const out = scratch();
      const flipped = (at: number, xor: number) => {
        const copy = Buffer.from(original);
        copy[at]! ^= xor;
        writeFileSync(out, copy);
        return verifyPack(out, trust());
      };
      // Headers, descriptors, central directory, end record: every byte, one flip each.
      for (let at = 0; at < original.length; at++) {
        if (inData(at)) continue;
        const verdict = flipped(at, 0x01 << (at % 8));
        expect(verdict.valid, `byte ${at} flipped`).toBe(false);
        expect(verdict.problems.length).toBeGreaterThan(0);
      }
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: original.length - 1 }),
          fc.integer({ min: 1, max: 255 }),
          (at, xor) => {
            const verdict = flipped(at, xor);
            expect(verdict.valid, `byte ${at} ^ ${xor}`).toBe(false);
          },
        ),
        { numRuns: 400 },
      );
    }, 120_000);
  }

  it('never throws on a mangled pack: bytes overwritten, cut out or inserted anywhere', () => {
    const original = readFileSync(full);
    const out = scratch();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: original.length - 1 }),
        fc.integer({ min: 0, max: 64 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.constantFrom('overwrite', 'cut', 'insert'),
        (at, length, bytes, how) => {
          const insert = Buffer.from(bytes);
          const mangled =
            how === 'overwrite'
              ? Buffer.concat([
                  original.subarray(0, at),
                  insert,
                  original.subarray(at + insert.length),
                ])
              : how === 'cut'
                ? Buffer.concat([original.subarray(0, at), original.subarray(at + length + 1)])
                : Buffer.concat([original.subarray(0, at), insert, original.subarray(at)]);
          fc.pre(!mangled.equals(original));
          writeFileSync(out, mangled);
          const verdict = verifyPack(out, trust());
          expect(verdict.valid).toBe(false);
          expect(verdict.problems.every((p) => p.length > 0 && !p.includes('\n'))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);

  it('names the altered file in one line', () => {
    const zip = new ZipReader(full);
    const csv = zip.files.find((f) => f.name === 'entries.csv')!;
    zip.close();
    const copy = readFileSync(full);
    copy[csv.dataOffset + 200]! ^= 0x20;
    const out = scratch();
    writeFileSync(out, copy);
    const verdict = verifyPack(out, trust());
    expect(verdict.problems[0]).toBe(
      'entries.csv: CRC-32 does not match the zip directory (bytes were altered)',
    );
    expect(verdict.problems.every((p) => !p.includes('\n'))).toBe(true);
  });

  it('a truncated pack, bytes appended, or not a zip at all', () => {
    const original = readFileSync(full);
    const cut = scratch();
    writeFileSync(cut, original.subarray(0, original.length - 100));
    expect(verifyPack(cut, trust()).valid).toBe(false);
    const longer = scratch();
    writeFileSync(longer, Buffer.concat([original, Buffer.from('x')]));
    expect(verifyPack(longer, trust()).valid).toBe(false);
    const text = scratch();
    writeFileSync(text, 'hello');
    expect(verifyPack(text, trust()).problems[0]).toMatch(/not a zip file/);
  });
});

describe('verify-pack finds rows and entries changed with the hashes made to match', () => {
  it('a CSV cell changed in entries.csv only: the row and column are named', () => {
    const out = rewrite(full, (files) => {
      const rows = csvOf(files);
      rows[4]![rows[0]!.indexOf('actorName')] = 'Someone Else';
      setCsv(files, rows);
    });
    expect(verifyPack(out, trust()).problems).toEqual([
      'entries.csv: row 5: does not say what its signed entry says (entries.jsonl line 4, seq 4): column actorName',
    ]);
  });

  it('an apostrophe removed from a neutralized cell (the formula made live) is a changed cell', () => {
    const out = rewrite(full, (files) => {
      const text = files.get('entries.csv')!.toString('utf8');
      expect(text).toContain(`"'=1+1\nBooking"`);
      files.set('entries.csv', Buffer.from(text.replace(`"'=1+1\nBooking"`, `"=1+1\nBooking"`)));
    });
    expect(verifyPack(out, trust()).problems[0]).toMatch(
      /^entries\.csv: row 2: .*column entityLabel$/,
    );
  });

  it('the local time moved, or the annotation changed, in the CSV only', () => {
    const out = rewrite(full, (files) => {
      const rows = csvOf(files);
      const local = rows[0]!.indexOf('occurredAtLocal');
      rows[2]![local] = rows[2]![local]!.replace(
        /\.(\d{3})/,
        (_m, ms: string) => `.${String((Number(ms) + 1) % 1000).padStart(3, '0')}`,
      );
      rows[4]![rows[0]!.indexOf('reviewStatus')] = 'reviewed';
      setCsv(files, rows);
    });
    const problems = verifyPack(out, trust()).problems;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/row 3: .*column occurredAtLocal$/);
    expect(problems[1]).toMatch(/row 5: .*column reviewStatus$/);
  });

  it('the same instant written with another offset is still the signed time', () => {
    const out = rewrite(full, (files) => {
      const rows = csvOf(files);
      const col = rows[0]!.indexOf('occurredAtUtc');
      rows[1]![rows[0]!.indexOf('occurredAtLocal')] = rows[1]![col]!.replace('Z', '+00:00');
      setCsv(files, rows);
    });
    expect(verifyPack(out, trust()).problems).toEqual([]);
  });

  it('a row removed from, or added to, entries.csv only', () => {
    const removed = rewrite(full, (files) => {
      const rows = csvOf(files);
      rows.splice(7, 1);
      setCsv(files, rows);
    });
    const p1 = verifyPack(removed, trust()).problems;
    expect(p1).toContain(
      'entries.csv: has 18 entry rows, entries.jsonl has 19 signed entries (rows added or removed)',
    );
    const added = rewrite(full, (files) => {
      const rows = csvOf(files);
      rows.push([...rows[3]!]);
      setCsv(files, rows);
    });
    expect(verifyPack(added, trust()).problems).toEqual([
      'entries.csv: has 20 entry rows, entries.jsonl has 19 signed entries (rows added or removed)',
    ]);
  });

  it('a signed entry changed in entries.jsonl and entries.csv alike is not proven', () => {
    const out = rewrite(full, (files) => {
      const lines = jsonlOf(files);
      const entry = JSON.parse(lines[5]!) as Entry;
      lines[5] = lines[5]!.replace(
        JSON.stringify(entry.actor.name),
        JSON.stringify('Someone Else'),
      );
      setJsonl(files, lines);
      const rows = csvOf(files);
      rows[6]![rows[0]!.indexOf('actorName')] = 'Someone Else';
      setCsv(files, rows);
    });
    // All of the bundle's entries are exported, so its root is rebuilt from their lines alone:
    // with one of them forged, the bundle's lines are named together (the other bundles still hold).
    expect(verifyPack(out, trust()).problems).toEqual([
      expect.stringMatching(
        /^entries\.jsonl: lines 1–6: the entries of bundle .* do not hash to its signed Merkle root \(one of them was altered\)$/,
      ),
    ]);
  });

  it('a signed entry changed in a query pack (proof with nodes): its line is named', () => {
    const out = rewrite(partial, (files) => {
      const lines = jsonlOf(files);
      lines[1] = lines[1]!.replace('"Dana Reyes"', '"Someone Else"');
      setJsonl(files, lines);
      const rows = csvOf(files);
      rows[2]![rows[0]!.indexOf('actorName')] = 'Someone Else';
      setCsv(files, rows);
    });
    // Exported neighbours whose audit paths go through the forged leaf are named too.
    const problems = verifyPack(out, trust()).problems;
    expect(problems[0]).toMatch(
      /^entries\.jsonl: line 2: not proven by proofs\/.* against the signed Merkle root of bundle /,
    );
    expect(problems.every((p) => /^entries\.jsonl: line \d+: not proven by /.test(p))).toBe(true);
  });

  it('an entry id repeated (one byte turned one id into another) is named, not a crash', () => {
    const out = rewrite(full, (files) => {
      const lines = jsonlOf(files);
      const first = (JSON.parse(lines[0]!) as Entry).id;
      const third = (JSON.parse(lines[2]!) as Entry).id;
      lines[2] = lines[2]!.replace(JSON.stringify(third), JSON.stringify(first));
      setJsonl(files, lines);
    });
    const problems = verifyPack(out, trust()).problems;
    expect(problems).toContain(
      `entries.jsonl: entry id ${JSON.stringify(fx0(full))} appears more than once`,
    );
  });

  it('an entry dropped from both files, counts fixed: the proof no longer fits', () => {
    const out = rewrite(full, (files, manifest) => {
      const lines = jsonlOf(files);
      lines.splice(2, 1);
      setJsonl(files, lines);
      const rows = csvOf(files);
      rows.splice(3, 1);
      setCsv(files, rows);
      manifest.counts.entries -= 1;
    });
    const problems = verifyPack(out, trust()).problems;
    expect(
      problems.some((p) =>
        /^proofs\/.*: its node list does not match the exported entries/.test(p),
      ),
    ).toBe(true);
  });

  it('a genuine signed entry slipped into a query pack, with its row: the proof no longer fits', () => {
    const raw = ws.db
      .prepare("SELECT raw FROM entries WHERE actor_id != 'usr_1' ORDER BY seq LIMIT 1")
      .pluck()
      .get() as string;
    const entry = JSON.parse(raw) as Entry;
    const out = rewrite(partial, (files, manifest) => {
      const lines = [...jsonlOf(files), raw]
        .map((l) => JSON.parse(l) as Entry)
        .sort((a, b) => a.seq - b.seq)
        .map(
          (e) =>
            ws.db.prepare('SELECT raw FROM entries WHERE seq = ?').pluck().get(e.seq) as string,
        );
      setJsonl(files, lines);
      const rows = csvOf(files);
      const at = lines.indexOf(raw) + 1;
      const copy = [...rows[1]!];
      copy[rows[0]!.indexOf('id')] = entry.id;
      rows.splice(at, 0, copy);
      setCsv(files, rows);
      manifest.counts.entries += 1;
    });
    const problems = verifyPack(out, trust()).problems;
    expect(problems.some((p) => /its node list does not match the exported entries/.test(p))).toBe(
      true,
    );
    expect(problems.some((p) => /entryIdsFingerprint does not match/.test(p))).toBe(true);
  });
});

describe('verify-pack and the trust store', () => {
  it('a key the trust store does not hold, or revokes, fails the signature files', () => {
    const other = makeKey('someone-else');
    const unknown = verifyPack(full, trustOf(other)).problems;
    expect(unknown[0]).toMatch(
      /^bundles\/.*\.signature: unknown_key: signing key "otesse-verify" is not in the trust store$/,
    );
    const revoked = verifyPack(full, trustOf({ ...key.trusted, revoked: true })).problems;
    expect(revoked[0]).toMatch(/revoked_key/);
  });

  it('a bundle manifest or signature altered, hashes fixed, fails its signature', () => {
    const out = rewrite(full, (files) => {
      const name = [...files.keys()].find((n) => n.endsWith('.signature'))!;
      const sig = Buffer.from(files.get(name)!.toString('utf8'), 'base64');
      sig[10]! ^= 1;
      files.set(name, Buffer.from(sig.toString('base64')));
    });
    expect(verifyPack(out, trust()).problems[0]).toMatch(
      /\.signature: Ed25519 signature does not verify with key "otesse-verify"$/,
    );
  });

  it('a file slipped into the pack, or one missing, is named', () => {
    const out = rewrite(full, (files, manifest) => {
      files.set('extra.txt', Buffer.from('hello'));
      manifest.files.push({ name: 'extra.txt', size: 0, sha256: '0'.repeat(64) });
    });
    expect(verifyPack(out, trust()).problems).toEqual([
      'extra.txt: is not a file an evidence pack holds',
    ]);
    const copy = scratch();
    copyFileSync(full, copy);
    const missing = rewrite(full, (files, manifest) => {
      files.delete('README.txt');
      manifest.files = manifest.files.filter((f) => f.name !== 'README.txt');
    });
    expect(verifyPack(missing, trust()).problems).toEqual([
      'README.txt: expected in the pack but not listed in manifest.json',
    ]);
  });
});
