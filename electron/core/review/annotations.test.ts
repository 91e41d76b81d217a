// Annotations on a real workspace: changes, the append-only history, clearing, bulk changes by ids
// and by query (with the confirmed count), what the export helper reads, and the review log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseQuery } from '../../../shared/query';
import { buildFixture, type Fixture } from '../../../tests/helpers/search-fixture';
import {
  annotate,
  annotateMany,
  annotationHistory,
  annotationsFor,
  bundleDigestOf,
  clearAnnotation,
  getAnnotation,
  iterateAnnotations,
} from './annotations';
import { annotateQuery, countForBulk } from './bulk';
import { reviewLogRecords, verifyWorkspaceLog } from './review-log';

const DANA = { name: 'Dana Reyes', email: 'dana@example.com' };
const LEE = { name: 'Lee Park', email: null };
let fx: Fixture;
let ids: string[];
beforeEach(async () => {
  fx = await buildFixture(2, 12);
  ids = fx.entries.map((e) => e.id);
});
afterEach(() => fx.remove());

const query = (text: string) => {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.query;
};

describe('one entry', () => {
  it('records status, tags, note and author, anchored to the id and its bundle digest', () => {
    const { annotation, changed } = annotate(
      fx.ws,
      ids[0]!,
      { status: 'exception', tags: ['Payroll', 'payroll', ' Q3 '], note: '**Why?**\n=1+1' },
      DANA,
      '2026-11-26T03:00:00.000Z',
    );
    expect(changed).toBe(true);
    expect(annotation).toEqual({
      entryId: ids[0],
      bundleDigest: bundleDigestOf(fx.ws, ids[0]!),
      status: 'exception',
      tags: ['Payroll', 'Q3'],
      note: '**Why?**\n=1+1',
      author: DANA,
      createdAt: '2026-11-26T03:00:00.000Z',
      updatedAt: '2026-11-26T03:00:00.000Z',
    });
    expect(annotation!.bundleDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('edits keep what they do not name; every change appends to the history, nothing is rewritten', () => {
    annotate(fx.ws, ids[0]!, { status: 'follow_up', addTags: ['vendor'] }, DANA, 't1');
    annotate(fx.ws, ids[0]!, { note: 'called the cleaner' }, LEE, 't2');
    annotate(fx.ws, ids[0]!, { addTags: ['Urgent'], removeTags: ['VENDOR'] }, LEE, 't3');
    annotate(fx.ws, ids[0]!, { status: 'reviewed' }, DANA, 't4');
    expect(getAnnotation(fx.ws, ids[0]!)).toMatchObject({
      status: 'reviewed',
      tags: ['Urgent'],
      note: 'called the cleaner',
      author: DANA,
      createdAt: 't1',
      updatedAt: 't4',
    });
    const history = annotationHistory(fx.ws, ids[0]!);
    expect(history.map((h) => [h.kind, h.status, h.tags, h.note, h.author.name, h.at])).toEqual([
      ['set', 'follow_up', ['vendor'], '', 'Dana Reyes', 't1'],
      ['set', 'follow_up', ['vendor'], 'called the cleaner', 'Lee Park', 't2'],
      ['set', 'follow_up', ['Urgent'], 'called the cleaner', 'Lee Park', 't3'],
      ['set', 'reviewed', ['Urgent'], 'called the cleaner', 'Dana Reyes', 't4'],
    ]);
  });

  it('a change that changes nothing records nothing', () => {
    annotate(fx.ws, ids[0]!, { status: 'reviewed', tags: ['a'] }, DANA);
    expect(annotate(fx.ws, ids[0]!, { status: 'reviewed', addTags: ['A'] }, LEE).changed).toBe(
      false,
    );
    expect(annotationHistory(fx.ws, ids[0]!)).toHaveLength(1);
    expect(annotate(fx.ws, ids[1]!, { status: 'unreviewed' }, LEE)).toEqual({
      annotation: null,
      changed: false,
    });
  });

  it('clearing removes the current annotation and keeps the history', () => {
    annotate(fx.ws, ids[0]!, { status: 'exception', note: 'x' }, DANA);
    expect(clearAnnotation(fx.ws, ids[0]!, LEE)).toMatchObject({ annotation: null, changed: true });
    expect(getAnnotation(fx.ws, ids[0]!)).toBeNull();
    expect(annotationHistory(fx.ws, ids[0]!).map((h) => h.kind)).toEqual(['set', 'clear']);
    expect(fx.ws.db.prepare('SELECT count(*) FROM annotation_tags').pluck().get()).toBe(0);
  });

  it('rejects an id the workspace does not hold, and bad input as usage errors', () => {
    expect(() => annotate(fx.ws, 'no-such-id', { status: 'reviewed' }, DANA)).toThrow(
      expect.objectContaining({ kind: 'rejected' }),
    );
    expect(() => annotate(fx.ws, ids[0]!, { status: 'approved' as never }, DANA)).toThrow(
      expect.objectContaining({ kind: 'usage' }),
    );
    expect(() => annotate(fx.ws, ids[0]!, { tags: [' '] }, DANA)).toThrow(
      expect.objectContaining({ kind: 'usage' }),
    );
    expect(annotationHistory(fx.ws, ids[0]!)).toEqual([]);
  });
});

describe('bulk', () => {
  it('marks a list of ids in one step, skipping ids the workspace lacks', () => {
    const result = annotateMany(
      fx.ws,
      [...ids.slice(0, 5), 'missing', ids[0]!],
      { status: 'reviewed' },
      DANA,
    );
    expect(result).toEqual({ requested: 6, changed: 5, missing: ['missing'] });
    expect([...iterateAnnotations(fx.ws, ids)].map(([id]) => id).sort()).toEqual(
      ids.slice(0, 5).sort(),
    );
    const log = [...reviewLogRecords(fx.ws)];
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      action: 'annotations.bulk_changed',
      details: { requested: 6, changed: 5, missing: 1, change: { status: 'reviewed' } },
    });
  });

  it('marks every entry of a query after its count is confirmed, and refuses a stale count', () => {
    const q = query('category:bookings');
    const count = countForBulk(fx.ws, q);
    const expected = fx.entries.filter((e) => e.category === 'bookings').map((e) => e.id);
    expect(count).toBe(expected.length);
    expect(() => annotateQuery(fx.ws, q, { status: 'reviewed' }, DANA, count + 1)).toThrow(
      expect.objectContaining({ kind: 'rejected' }),
    );
    expect(annotationsFor(fx.ws, ids).size).toBe(0);
    expect(annotateQuery(fx.ws, q, { addTags: ['batch-1'] }, DANA, count).changed).toBe(count);
    expect([...annotationsFor(fx.ws, ids).keys()].sort()).toEqual([...expected].sort());
  });
});

describe('for the export', () => {
  it('annotationsFor gives status, tags, note, author and time of the given ids that have one', () => {
    annotate(fx.ws, ids[3]!, { status: 'follow_up', note: 'n' }, LEE, 't9');
    const map = annotationsFor(fx.ws, [ids[2]!, ids[3]!, 'unknown']);
    expect([...map]).toEqual([
      [ids[3], { status: 'follow_up', tags: [], note: 'n', author: LEE, updatedAt: 't9' }],
    ]);
  });

  it('iterateAnnotations streams any number of ids in batches', () => {
    annotateMany(fx.ws, ids, { status: 'reviewed' }, DANA);
    const many = function* () {
      for (let i = 0; i < 2000; i++) yield `filler-${i}`;
      yield* ids;
    };
    expect([...iterateAnnotations(fx.ws, many())]).toHaveLength(ids.length);
  });

  it('every change is in the review log, which verifies', () => {
    annotate(fx.ws, ids[0]!, { status: 'reviewed', note: 'secret-ish text' }, DANA);
    clearAnnotation(fx.ws, ids[0]!, DANA);
    const log = [...reviewLogRecords(fx.ws)];
    expect(log.map((r) => r.action)).toEqual(['annotation.changed', 'annotation.changed']);
    expect(log[0]!.details).toMatchObject({ entryId: ids[0], status: 'reviewed' });
    expect(JSON.stringify(log)).not.toContain('secret-ish text');
    expect(verifyWorkspaceLog(fx.ws).valid).toBe(true);
  });
});
