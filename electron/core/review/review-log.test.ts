// The review log's hash chain on a real workspace: appends link up, and any edit, removal,
// insertion, reorder or cut at the end of the records is detected (property tests with fast-check).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, type Fixture } from '../../../tests/helpers/search-fixture';
import {
  appendReviewLog,
  GENESIS_HASH,
  readHead,
  recordHash,
  reviewLogRecords,
  verifyReviewLog,
  verifyWorkspaceLog,
  type ReviewLogRecord,
} from './review-log';

const DANA = { name: 'Dana Reyes', email: 'dana@example.com' };
const LEE = { name: 'Lee Park', email: null };
let fx: Fixture;
let records: ReviewLogRecord[];

beforeAll(async () => {
  fx = await buildFixture(1, 5);
  const actions = [
    'workspace.opened',
    'search.run',
    'annotation.changed',
    'sample.drawn',
    'export.written',
  ];
  for (let i = 0; i < 12; i++)
    appendReviewLog(fx.ws, {
      actor: i % 3 === 0 ? LEE : DANA,
      action: actions[i % actions.length]!,
      details: {
        i,
        query: `user:"Dana \u00e9" ${'x'.repeat(i)}`,
        nested: { list: [i, null, true] },
      },
      at: new Date(Date.UTC(2026, 10, 26, 3, 0, i)).toISOString(),
    });
  records = [...reviewLogRecords(fx.ws)];
});
afterAll(() => fx.remove());

const clone = (list: ReviewLogRecord[]) => structuredClone(list);

describe('appending', () => {
  it('numbers records 1, 2, 3..., links each to the one before and keeps the head', () => {
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(records[0]!.prevHash).toBe(GENESIS_HASH);
    records.slice(1).forEach((r, i) => expect(r.prevHash).toBe(records[i]!.hash));
    records.forEach((r) => expect(r.hash).toBe(recordHash(r)));
    expect(readHead(fx.ws)).toEqual({ seq: 12, hash: records[11]!.hash });
    expect(verifyWorkspaceLog(fx.ws)).toEqual({ valid: true, records: 12, problems: [] });
  });

  it('an empty log with the genesis head is valid', () => {
    expect(verifyReviewLog([], { seq: 0, hash: GENESIS_HASH }).valid).toBe(true);
  });

  it('the hash is SHA-256 over the canonical JSON documented in docs/review.md', async () => {
    const { createHash } = await import('node:crypto');
    const r = records[0]!;
    // Keys sorted at every level, no spaces, strings as JSON.stringify writes them (RFC 8785).
    const details = `{"i":0,"nested":{"list":[0,null,true]},"query":${JSON.stringify(r.details.query)}}`;
    const canonical = `{"action":${JSON.stringify(r.action)},"actor":{"email":null,"name":"Lee Park"},"at":"${r.at}","details":${details},"prevHash":"${GENESIS_HASH}","seq":1}`;
    expect(createHash('sha256').update(canonical).digest('hex')).toBe(r.hash);
  });
});

describe('tampering is detected', () => {
  const head = () => readHead(fx.ws);

  it('editing any field of any record (even re-hashing it)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 11 }),
        fc.constantFrom('at', 'actor', 'action', 'details', 'prevHash', 'hash', 'seq'),
        fc.string({ minLength: 1 }),
        fc.boolean(),
        (index, field, text, rehash) => {
          const list = clone(records);
          const r = list[index]!;
          if (field === 'actor') r.actor = { name: r.actor.name + text, email: r.actor.email };
          else if (field === 'details') r.details = { ...r.details, extra: text };
          else if (field === 'seq') r.seq += text.length;
          else (r as unknown as Record<string, string>)[field] += text;
          // Re-hashing after changing only the hash would put the record back as it was.
          if (rehash && field !== 'hash') r.hash = recordHash(r);
          expect(verifyReviewLog(list, head()).valid).toBe(false);
        },
      ),
    );
  });

  it('removing, duplicating or moving any record', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 11 }),
        fc.integer({ min: 0, max: 11 }),
        fc.constantFrom('remove', 'duplicate', 'move'),
        (from, to, how) => {
          const list = clone(records);
          if (how === 'remove') list.splice(from, 1);
          else if (how === 'duplicate') list.splice(to, 0, structuredClone(list[from]!));
          else {
            fc.pre(from !== to);
            const [moved] = list.splice(from, 1);
            list.splice(to, 0, moved!);
          }
          expect(verifyReviewLog(list, head()).valid).toBe(false);
        },
      ),
    );
  });

  it('cutting records off the end: found with the head, not without it (the documented limit)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), (cut) => {
        const list = clone(records).slice(0, 12 - cut);
        expect(verifyReviewLog(list, head()).valid).toBe(false);
        expect(verifyReviewLog(list).valid).toBe(true);
      }),
    );
  });

  it('a record edited in the database itself, reported with its position', () => {
    fx.ws.db.prepare("UPDATE review_log SET action = 'search.run' WHERE seq = 5").run();
    try {
      const verdict = verifyWorkspaceLog(fx.ws);
      expect(verdict.valid).toBe(false);
      expect(verdict.problems).toEqual([
        expect.objectContaining({ index: 4, seq: 5, problem: 'hash' }),
      ]);
    } finally {
      fx.ws.db.prepare('UPDATE review_log SET action = ? WHERE seq = 5').run(records[4]!.action);
    }
    expect(verifyWorkspaceLog(fx.ws).valid).toBe(true);
  });

  it('a malformed record (details that JSON cannot carry) is a problem, not a crash', () => {
    const list = clone(records);
    (list[2]!.details as Record<string, unknown>).bad = Number.NaN;
    expect(verifyReviewLog(list, head()).problems[0]).toMatchObject({ problem: 'hash', index: 2 });
  });
});
