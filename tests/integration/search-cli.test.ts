// `audit-desk search QUERY` end to end: the real CLI on a real workspace (electron/core/search/
// fixture.ts), good queries, free text (words, phrases, exclusions: FTS5), review filters, pages,
// and the one-line usage errors (exit 2) for malformed queries. CLI runs go in parallel (each
// starts Node and tsx).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../shared/entry';
import { parseQuery } from '../../shared/query';
import { buildFixture, type Fixture } from '../helpers/search-fixture';
import { referenceSearch } from '../helpers/search-reference';
import { runCli, type CliResult } from './helpers/workspace';

let fx: Fixture;
let ws: string;
let all: Entry[];
const R: Record<string, CliResult> = {};

const want = (text: string) => {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return referenceSearch(all, parsed.query, 'America/New_York');
};

beforeAll(async () => {
  fx = await buildFixture();
  all = [...fx.entries].reverse();
  ws = fx.ws.dir;
  fx.ws.close();
  const runs: Record<string, string[]> = {
    good: ['search', '--workspace', ws, 'category:bookings ip:203.0.113.*', '--json'],
    unquoted: ['search', '--workspace', ws, 'category:bookings', 'ip:203.0.113.*', '--json'],
    negated: ['search', '--workspace', ws, '--json', '--', '-category:bookings'],
    page: ['search', '--workspace', ws, 'on:2026-11-01', '--limit', '3', '--json'],
    text: ['search', '--workspace', ws, 'user:"Dana Reyes"', '--limit', '2'],
    malformed: ['search', '--workspace', ws, 'user:"dana'],
    malformedJson: ['search', '--workspace', ws, 'category:booking', '--json'],
    freeText: ['search', '--workspace', ws, 'user:usr_1 refund', '--json'],
    phrase: ['search', '--workspace', ws, '"Booking #1234" -iphone émile', '--json'],
    syntax: ['search', '--workspace', ws, 'NEAR(cancelled', '"a* ^b"', 'x:y', '--json'],
    syntaxWords: ['search', '--workspace', ws, 'cancelled)', '"^booking.cancelled*"', '--json'],
    syntaxOr: ['search', '--workspace', ws, 'cancelled OR refund', '--json'],
    status: ['search', '--workspace', ws, 'status:reviewed', '--json'],
    unreviewed: ['search', '--workspace', ws, 'status:unreviewed -tag:x', '--json'],
  };
  const results = await Promise.all(Object.values(runs).map((args) => runCli(args)));
  Object.keys(runs).forEach((name, i) => (R[name] = results[i]!));
}, 120_000);
afterAll(() => fx.remove());

const json = <T>(r: CliResult) => JSON.parse(r.stdout) as T;
type Out = { total: number; entries: Entry[]; query: string; nextBefore: number | null };

describe('audit-desk search QUERY', () => {
  it('a good query: total and entries[] newest first, exactly as signed, the canonical query', () => {
    expect(R.good!.code, R.good!.stderr).toBe(0);
    const out = json<Out>(R.good!);
    const expected = want('category:bookings ip:203.0.113.*');
    expect(expected.length).toBeGreaterThan(0);
    expect(out).toEqual({
      query: 'category:bookings ip:203.0.113.*',
      total: expected.length,
      entries: expected,
      nextBefore: null,
    });
    expect(R.good!.stderr).toBe('');
  });

  it('several arguments are one query; a leading "-" term goes after --', () => {
    expect(json<Out>(R.unquoted!)).toEqual(json<Out>(R.good!));
    expect(R.negated!.code, R.negated!.stderr).toBe(0);
    expect(json<Out>(R.negated!).entries).toEqual(want('-category:bookings'));
  });

  it('--limit gives the first page and the cursor for the next', () => {
    const out = json<Out>(R.page!);
    const expected = want('on:2026-11-01');
    expect(out.total).toBe(expected.length);
    expect(out.entries).toEqual(expected.slice(0, 3));
    expect(out.nextBefore).toBe(expected[2]!.seq);
  });

  it('as text: one line per entry and a summary naming the next page', () => {
    expect(R.text!.code).toBe(0);
    const lines = R.text!.stdout.trimEnd().split('\n');
    const expected = want('user:"Dana Reyes"');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain(`#${expected[0]!.seq}`);
    expect(lines[2]).toBe(
      `2 of ${expected.length} entries (next page: --before ${expected[1]!.seq})`,
    );
  });

  it('a malformed query: exit 2, one line naming the column, nothing on stdout', () => {
    expect(R.malformed!.code).toBe(2);
    expect(R.malformed!.stderr).toBe('audit-desk: query error at column 6: unterminated quote\n');
    expect(R.malformed!.stdout).toBe('');
    expect(R.malformedJson!.code).toBe(2);
    expect(R.malformedJson!.stderr).toBe(
      'audit-desk: query error at column 10: unknown category "booking" (did you mean bookings?)\n',
    );
  });

  it('free text: words (AND), phrases and exclusions, as the reference finds them', () => {
    for (const [name, text] of [
      ['freeText', 'user:usr_1 refund'],
      ['phrase', '"Booking #1234" -iphone émile'],
      ['syntaxWords', 'cancelled) "^booking.cancelled*"'],
    ] as const) {
      expect(R[name]!.code, R[name]!.stderr).toBe(0);
      const expected = want(text);
      expect(expected.length, text).toBeGreaterThan(0);
      expect(json<Out>(R[name]!)).toMatchObject({ total: expected.length, entries: expected });
    }
  });

  it('text that looks like search syntax is only words to find', () => {
    expect(R.syntax!.code, R.syntax!.stderr).toBe(2); // x: is no qualifier: quote it
    expect(R.syntax!.stderr).toMatch(
      /^audit-desk: query error at column \d+: unknown qualifier "x:"/,
    );
    expect(R.syntaxOr!.code).toBe(2); // OR in capitals is refused with a hint
    expect(R.syntaxOr!.stderr).toMatch(
      /^audit-desk: query error at column 11: OR is not supported/,
    );
  });

  it('review filters run against the review tables (no annotations here: all unreviewed)', () => {
    expect(R.status!.code, R.status!.stderr).toBe(0);
    expect(json<Out>(R.status!).total).toBe(0);
    expect(R.unreviewed!.code, R.unreviewed!.stderr).toBe(0);
    expect(json<Out>(R.unreviewed!).total).toBe(all.length);
  });
});
