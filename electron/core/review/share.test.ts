// Annotations files carry untrusted text: any note and tag survives export, parsing and merging into
// another workspace unchanged (property test), and merging one's own file back is all identical.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, type Fixture } from '../../../tests/helpers/search-fixture';
import { annotate, clearAnnotation, getAnnotation } from './annotations';
import { annotationsDocument, mergeAnnotations, parseAnnotationsFile } from './share';

const DANA = { name: 'Dana Reyes', email: 'dana@example.com' };
const LEE = { name: 'Lee Park', email: null };
let source: Fixture;
let target: Fixture;
let ids: string[];

beforeAll(async () => {
  source = await buildFixture(1, 10);
  target = await buildFixture(1, 10); // same entries, another workspace
  ids = source.entries.map((e) => e.id);
});
afterAll(() => {
  source.remove();
  target.remove();
});

const text = fc.string({ unit: 'grapheme', maxLength: 200 });
const tag = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
  // eslint-disable-next-line no-control-regex
  .filter((t) => t.trim() !== '' && !/[\u0000-\u001f\u007f]/.test(t));

describe('annotations files', () => {
  it('any note and tags survive the round trip into another workspace', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ids),
        fc.constantFrom('reviewed', 'exception', 'follow_up') as fc.Arbitrary<
          'reviewed' | 'exception' | 'follow_up'
        >,
        text,
        fc.array(tag, { maxLength: 5 }),
        (id, status, note, tags) => {
          annotate(source.ws, id, { status, note, tags }, DANA);
          const json = JSON.stringify(annotationsDocument(source.ws, DANA));
          clearAnnotation(target.ws, id, LEE);
          const result = mergeAnnotations(target.ws, parseAnnotationsFile(json), LEE, {
            takeTheirs: 'all',
          });
          expect(result.conflicts.filter((c) => c.reason === 'bundle')).toEqual([]);
          const mine = getAnnotation(source.ws, id)!;
          expect(getAnnotation(target.ws, id)).toMatchObject({
            status: mine.status,
            note: mine.note,
            tags: mine.tags,
            author: DANA,
          });
          expect(mine.note).toBe(note);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('merging a workspace’s own export back changes nothing', () => {
    annotate(source.ws, ids[0]!, { status: 'reviewed', tags: ['x'] }, DANA);
    const result = mergeAnnotations(source.ws, annotationsDocument(source.ws, DANA), DANA);
    expect(result.added).toBe(0);
    expect(result.conflicts).toEqual([]);
    expect(result.identical).toBeGreaterThan(0);
  });
});
