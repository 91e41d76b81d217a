// Annotations end to end on real workspaces built from real signed bundles: they survive importing
// the same bundles again, a rebuilt entries table, a fresh workspace fed the exported file, any
// filter, and closing and reopening; two reviewers' files merge by entry id with conflicts listed
// and never silently overwritten.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseQuery } from '../../shared/query';
import type { WrittenBundle } from '../../electron/core/bundle/writer';
import {
  annotate,
  annotationHistory,
  bundleDigestOf,
  getAnnotation,
} from '../../electron/core/review/annotations';
import { verifyWorkspaceLog } from '../../electron/core/review/review-log';
import {
  statusCondition,
  statusFacet,
  tagCondition,
} from '../../electron/core/review/search-conditions';
import {
  annotationsDocument,
  exportAnnotations,
  mergeAnnotations,
  parseAnnotationsFile,
  readAnnotationsFile,
} from '../../electron/core/review/share';
import { searchEntries } from '../../electron/core/search';
import { openWorkspace, type Workspace } from '../../electron/core/workspace/database';
import { importBundleFile } from '../../electron/core/workspace/import';
import { makeKey, tempDir, trustOf, writeChain, type TestKey } from '../helpers/bundles';

const DANA = { name: 'Dana Reyes', email: 'dana@example.com' };
const LEE = { name: 'Lee Park', email: 'lee@example.com' };

let dir: { path: string; remove(): void };
let key: TestKey;
let bundles: WrittenBundle[];
const open: Workspace[] = [];

beforeEach(() => {
  dir = tempDir('audit-desk-review-');
  key = makeKey('otesse-review');
  bundles = writeChain(dir.path, key, [6, 5, 7]);
});
afterEach(() => {
  for (const ws of open.splice(0)) if (ws.db.open) ws.close();
  dir.remove();
});

async function workspace(name: string): Promise<Workspace> {
  const ws = openWorkspace(join(dir.path, name), { create: true });
  open.push(ws);
  await importAll(ws);
  return ws;
}

async function importAll(ws: Workspace): Promise<string[]> {
  const statuses: string[] = [];
  for (const b of bundles)
    statuses.push(
      (await importBundleFile(ws, b.out, { trust: trustOf(key), trustSource: 't', source: 'file' }))
        .status,
    );
  return statuses;
}

const ids = (ws: Workspace) =>
  ws.db.prepare('SELECT id FROM entries ORDER BY seq').pluck().all() as string[];
const matching = (ws: Workspace, c: { sql: string; params: (string | number)[] }) =>
  ws.db
    .prepare(`SELECT id FROM entries WHERE ${c.sql} ORDER BY seq`)
    .pluck()
    .all(...c.params) as string[];
const q = (text: string) => {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.query;
};

describe('annotations stay with their entries', () => {
  it('importing the same bundles again changes nothing', async () => {
    const ws = await workspace('ws');
    const [a, b] = ids(ws);
    annotate(ws, a!, { status: 'exception', tags: ['refund'], note: 'check' }, DANA);
    annotate(ws, b!, { status: 'reviewed' }, DANA);
    const before = [getAnnotation(ws, a!), getAnnotation(ws, b!)];
    expect(await importAll(ws)).toEqual(['already_present', 'already_present', 'already_present']);
    expect([getAnnotation(ws, a!), getAnnotation(ws, b!)]).toEqual(before);
  });

  it('a rebuilt entries table (every row deleted and imported again) finds them again by id', async () => {
    const ws = await workspace('ws');
    const all = ids(ws);
    const target = all[8]!; // in the second bundle
    annotate(ws, target, { status: 'follow_up', tags: ['Q4'] }, DANA);
    const digest = bundleDigestOf(ws, target);
    ws.db.exec('DELETE FROM entries; DELETE FROM bundles;');
    expect(matching(ws, statusCondition('follow_up'))).toEqual([]);
    await importAll(ws);
    expect(matching(ws, statusCondition('follow_up'))).toEqual([target]);
    expect(matching(ws, tagCondition('q4'))).toEqual([target]);
    expect(getAnnotation(ws, target)?.bundleDigest).toBe(digest);
    expect(bundleDigestOf(ws, target)).toBe(digest);
  });

  it('a fresh workspace from the same bundles gets them back from the exported file', async () => {
    const ws = await workspace('ws');
    const all = ids(ws);
    annotate(ws, all[0]!, { status: 'reviewed', note: 'line 1\nline 2 "quoted", =cmd' }, DANA);
    annotate(ws, all[17]!, { status: 'exception', tags: ['Émile'] }, DANA);
    const file = join(dir.path, 'dana.json');
    expect(exportAnnotations(ws, file, DANA)).toEqual({ out: file, annotations: 2 });
    const fresh = await workspace('fresh');
    const result = mergeAnnotations(fresh, readAnnotationsFile(file), LEE);
    expect(result).toMatchObject({ added: 2, identical: 0, conflicts: [] });
    for (const id of [all[0]!, all[17]!]) {
      const { updatedAt: _u, createdAt: _c, ...mine } = getAnnotation(ws, id)!;
      expect(getAnnotation(fresh, id)).toMatchObject(mine);
    }
    expect(annotationHistory(fresh, all[17]!)[0]).toMatchObject({
      kind: 'merge',
      author: DANA,
      source: 'file by Dana Reyes',
    });
  });

  it('filters and sorting never move them: every query sees the same annotation per id', async () => {
    const ws = await workspace('ws');
    const all = ids(ws);
    annotate(ws, all[3]!, { status: 'exception' }, DANA);
    for (const text of ['', 'category:bookings', 'user:usr_3', 'on:2026-11-02', '-user:usr_3']) {
      const page = searchEntries(ws, q(text), { limit: 100 });
      for (const entry of page.entries)
        expect(getAnnotation(ws, entry.id)?.status ?? 'unreviewed').toBe(
          entry.id === all[3] ? 'exception' : 'unreviewed',
        );
    }
    expect(statusFacet(ws, { sql: '1', params: [] })).toEqual({
      unreviewed: all.length - 1,
      reviewed: 0,
      exception: 1,
      follow_up: 0,
    });
  });

  it('closing and reopening the workspace keeps them, their history and a valid review log', async () => {
    const ws = await workspace('ws');
    const id = ids(ws)[4]!;
    annotate(ws, id, { status: 'follow_up' }, DANA);
    annotate(ws, id, { status: 'reviewed', note: 'done' }, LEE);
    const path = ws.dir;
    ws.close();
    const again = openWorkspace(path);
    open.push(again);
    expect(getAnnotation(again, id)).toMatchObject({
      status: 'reviewed',
      note: 'done',
      author: LEE,
    });
    expect(annotationHistory(again, id).map((h) => h.author.name)).toEqual([
      'Dana Reyes',
      'Lee Park',
    ]);
    expect(verifyWorkspaceLog(again)).toMatchObject({ valid: true, records: 2 });
  });
});

describe('merging two reviewers’ files', () => {
  it('adds theirs, skips identical, lists conflicts and keeps mine unless told to take theirs', async () => {
    const dana = await workspace('dana');
    const lee = await workspace('lee');
    const all = ids(dana);
    const [same, conflict, leeOnly, danaOnly] = [all[0]!, all[1]!, all[2]!, all[3]!];
    annotate(dana, same, { status: 'reviewed', tags: ['A', 'b'] }, DANA);
    annotate(lee, same, { status: 'reviewed', tags: ['B', 'a'] }, LEE); // same content
    annotate(dana, conflict, { status: 'reviewed' }, DANA);
    annotate(lee, conflict, { status: 'exception', note: 'amount differs' }, LEE);
    annotate(lee, leeOnly, { status: 'follow_up' }, LEE);
    annotate(dana, danaOnly, { status: 'exception' }, DANA);

    const leeFile = annotationsDocument(lee, LEE);
    const first = mergeAnnotations(dana, leeFile, DANA);
    expect(first).toMatchObject({ added: 1, identical: 1, tookTheirs: 0 });
    expect(first.conflicts).toHaveLength(1);
    expect(first.conflicts[0]).toMatchObject({
      entryId: conflict,
      reason: 'content',
      mine: { status: 'reviewed', author: DANA },
      theirs: { status: 'exception', note: 'amount differs', author: LEE },
      resolved: null,
    });
    expect(getAnnotation(dana, conflict)?.status).toBe('reviewed'); // never silently overwritten
    expect(getAnnotation(dana, leeOnly)).toMatchObject({ status: 'follow_up', author: LEE });
    expect(getAnnotation(dana, danaOnly)?.status).toBe('exception');

    // Merging the same file again: only the open conflict remains.
    expect(mergeAnnotations(dana, leeFile, DANA)).toMatchObject({ added: 0, identical: 2 });

    const taken = mergeAnnotations(dana, leeFile, DANA, { takeTheirs: [conflict] });
    expect(taken).toMatchObject({ tookTheirs: 1 });
    expect(taken.conflicts[0]?.resolved).toBe('theirs');
    expect(getAnnotation(dana, conflict)).toMatchObject({ status: 'exception', author: LEE });
    expect(annotationHistory(dana, conflict).map((h) => [h.kind, h.status])).toEqual([
      ['set', 'reviewed'],
      ['merge', 'exception'],
    ]);
    expect(verifyWorkspaceLog(dana).valid).toBe(true);
  });

  it('an annotation made on another bundle holding that id is a conflict, not a silent add', async () => {
    const dana = await workspace('dana');
    const id = ids(dana)[5]!;
    const doc = annotationsDocument(dana, DANA);
    doc.annotations.push({
      entryId: id,
      bundleDigest: 'f'.repeat(64),
      status: 'exception',
      tags: [],
      note: '',
      author: LEE,
      createdAt: 't',
      updatedAt: 't',
    });
    const result = mergeAnnotations(dana, doc, DANA);
    expect(result.conflicts).toEqual([
      expect.objectContaining({ entryId: id, reason: 'bundle', mine: null }),
    ]);
    expect(getAnnotation(dana, id)).toBeNull();
  });

  it('refuses another tenant’s file and anything that is not an annotations file, in one line', async () => {
    const dana = await workspace('dana');
    const doc = annotationsDocument(dana, DANA);
    expect(() =>
      mergeAnnotations(dana, { ...doc, tenant: { id: 'ten_other', name: 'Other' } }, DANA),
    ).toThrow(expect.objectContaining({ kind: 'rejected' }));
    const bad = join(dir.path, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...doc, version: 2 }));
    expect(() => readAnnotationsFile(bad)).toThrow(/not an Audit Desk annotations file/);
    expect(() => parseAnnotationsFile('{')).toThrow(expect.objectContaining({ kind: 'rejected' }));
    const twice = { ...doc, annotations: [...doc.annotations] };
    annotate(dana, ids(dana)[0]!, { status: 'reviewed' }, DANA);
    const one = annotationsDocument(dana, DANA).annotations[0]!;
    twice.annotations = [one, one];
    expect(() => parseAnnotationsFile(JSON.stringify(twice))).toThrow(/twice/);
  });
});
