// status: and tag: conditions and the status facet, run as SQL against a real workspace holding
// annotations, compared with what the annotations say entry by entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, type Fixture } from '../../../tests/helpers/search-fixture';
import type { SqlCondition } from '../search/compile';
import { annotate } from './annotations';
import { statusCondition, statusFacet, tagCondition } from './search-conditions';

const REVIEWER = { name: 'Dana Reyes', email: 'dana@example.com' };
let fx: Fixture;
let ids: string[];

beforeAll(async () => {
  fx = await buildFixture(2, 20);
  ids = fx.entries.map((e) => e.id);
  annotate(fx.ws, ids[0]!, { status: 'reviewed', tags: ['Payroll'] }, REVIEWER);
  annotate(fx.ws, ids[1]!, { status: 'exception', tags: ['payroll', 'Q3'] }, REVIEWER);
  annotate(fx.ws, ids[2]!, { status: 'follow_up' }, REVIEWER);
  annotate(fx.ws, ids[3]!, { tags: ['Élan'] }, REVIEWER); // tag only: still unreviewed
  annotate(fx.ws, ids[4]!, { status: 'reviewed' }, REVIEWER);
  annotate(fx.ws, ids[4]!, { status: 'unreviewed' }, REVIEWER); // back to unreviewed
});
afterAll(() => fx.remove());

const matching = (c: SqlCondition) =>
  fx.ws.db
    .prepare(`SELECT id FROM entries WHERE ${c.sql} ORDER BY seq`)
    .pluck()
    .all(...c.params) as string[];

describe('statusCondition', () => {
  it('selects the entries whose current status is the one asked', () => {
    expect(matching(statusCondition('reviewed'))).toEqual([ids[0]]);
    expect(matching(statusCondition('exception'))).toEqual([ids[1]]);
    expect(matching(statusCondition('follow_up'))).toEqual([ids[2]]);
  });

  it('unreviewed = never annotated, tagged only, or set back to unreviewed', () => {
    const unreviewed = matching(statusCondition('unreviewed'));
    expect(unreviewed).toHaveLength(ids.length - 3);
    expect(unreviewed).toContain(ids[3]);
    expect(unreviewed).toContain(ids[4]);
    expect(unreviewed).not.toContain(ids[0]);
  });

  it('negates cleanly the way compile.ts negates (NOT coalesce(...))', () => {
    const c = statusCondition('reviewed');
    const negated = { sql: `NOT coalesce((${c.sql}), 0)`, params: c.params };
    expect(matching(negated)).toHaveLength(ids.length - 1);
  });
});

describe('tagCondition', () => {
  it('matches tags ignoring case, including non-ASCII', () => {
    expect(matching(tagCondition('PAYROLL'))).toEqual([ids[0], ids[1]]);
    expect(matching(tagCondition('q3'))).toEqual([ids[1]]);
    expect(matching(tagCondition('élan'))).toEqual([ids[3]]);
    expect(matching(tagCondition('nothing'))).toEqual([]);
  });

  it('binds the tag: quotes and SQL in a tag are just text', () => {
    expect(matching(tagCondition("x' OR 1=1 --"))).toEqual([]);
  });
});

describe('statusFacet', () => {
  it('counts every status over the whole workspace', () => {
    expect(statusFacet(fx.ws, { sql: '1', params: [] })).toEqual({
      unreviewed: ids.length - 3,
      reviewed: 1,
      exception: 1,
      follow_up: 1,
    });
  });

  it('counts within a condition, and gives zeros for a condition matching nothing', () => {
    const c = { sql: 'seq <= ?', params: [2] };
    expect(statusFacet(fx.ws, c)).toEqual({
      unreviewed: 0,
      reviewed: 1,
      exception: 1,
      follow_up: 0,
    });
    expect(statusFacet(fx.ws, { sql: '0', params: [] })).toEqual({
      unreviewed: 0,
      reviewed: 0,
      exception: 0,
      follow_up: 0,
    });
  });

  it('combines with the review conditions themselves', () => {
    expect(statusFacet(fx.ws, tagCondition('payroll'))).toMatchObject({
      reviewed: 1,
      exception: 1,
    });
  });
});
