// The real `audit-desk` CLI (node bin/audit-desk.mjs) as CONTRACTS.md §4 describes it: flags, the
// keys of each --json document, exit codes 0/1/2/3, and errors as exactly one line on stderr with
// no stack trace. Each spawn costs ~0.4 s, so the happy path runs once in beforeAll (keygen, pack a
// three-day chain, verify, import, coverage, search) and the error cases run in parallel batches.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../shared/entry';
import { makeEntry, tempDir } from '../helpers/bundles';
import { alterEntry } from './helpers/tamper';
import { CLI, jsonOf, REPO_ROOT, runCli, type CliResult } from './helpers/workspace';

const TENANT = {
  id: 'ten_cli',
  name: 'CLI Cleaning "Co", Ltd',
  timeZone: 'Europe/Berlin',
  plan: 'professional',
};
const DAY0 = '2026-11-24';
const DAY1 = '2026-11-25';
const DAY2 = '2026-11-26';
const DAY3 = '2026-11-27';

/** Entries of the first day: plain ones and ones with strings that break naive storage or CSV. */
const ENTRIES_DAY0: Entry[] = [
  makeEntry(1, '2026-11-24T08:00:00.000Z'),
  makeEntry(2, '2026-11-24T09:30:00.250Z', {
    actor: { id: 'usr_9', name: 'Zoë "Z" O\'Neil,\nsecond line', email: null, type: 'user' },
    entity: { type: 'customer', id: '=1+2', label: '=HYPERLINK("http://evil.example","x")' },
    changes: [{ field: 'note', old: '+cmd|"/c calc"!A1', new: '@SUM(A1)\r\n-2' }],
    metadata: { long: 'ß'.repeat(5_000) + 'x'.repeat(10_240), escape: '\u001b[31mred\u0007' },
  }),
  makeEntry(3, '2026-11-24T23:59:59.999Z', {
    ip: null,
    userAgent: null,
    actor: { id: 'system', name: 'System', email: null, type: 'system' },
  }),
];
const ENTRIES_DAY2: Entry[] = [
  makeEntry(4, '2026-11-26T10:00:00.000Z'),
  makeEntry(5, '2026-11-26T11:00:00.000Z'),
];

/** A serialization with keys in a non-canonical order: pack must canonicalize. */
const ndjson = (entries: Entry[]) =>
  entries.map((e) => JSON.stringify(Object.fromEntries(Object.entries(e).reverse()))).join('\n') +
  '\n';

let dir: { path: string; remove(): void };
const p = (...parts: string[]) => join(dir.path, ...parts);
const R: Record<string, CliResult> = {};

/** Exactly one line on stderr, "audit-desk: ...", with no stack trace. */
function expectOneLineError(result: CliResult, code: number, pattern?: RegExp): string {
  expect(result.code, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(code);
  expect(result.stderr.endsWith('\n')).toBe(true);
  const lines = result.stderr.slice(0, -1).split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^audit-desk: \S/);
  expect(result.stderr).not.toMatch(/^\s+at\s/m);
  expect(result.stderr).not.toMatch(/Error:|SqliteError|node:internal/);
  if (pattern) expect(lines[0]).toMatch(pattern);
  return lines[0]!;
}

const packArgs = (entries: string, from: string, to: string, out: string, prev?: string) => [
  'pack',
  '--key',
  p('keys', 'otesse-cli.private.pem'),
  '--key-id',
  'otesse-cli',
  '--tenant',
  p('tenant.json'),
  '--entries',
  entries,
  '--from',
  from,
  '--to',
  to,
  ...(prev === undefined ? [] : ['--prev', prev]),
  '--issued-at',
  `${to}T00:05:00Z`,
  '--out',
  out,
  '--json',
];

beforeAll(async () => {
  dir = tempDir('audit-desk-cli-');
  writeFileSync(p('tenant.json'), JSON.stringify(TENANT));
  writeFileSync(p('day0.ndjson'), ndjson(ENTRIES_DAY0));
  writeFileSync(p('day1.ndjson'), '');
  writeFileSync(p('day2.ndjson'), `\n${ndjson(ENTRIES_DAY2)}\n`);
  const good = JSON.stringify(makeEntry(7, '2026-11-27T01:00:00.000Z'));
  const noTime = JSON.stringify({
    ...makeEntry(8, '2026-11-27T02:00:00.000Z'),
    occurredAt: undefined,
  });
  const outside = JSON.stringify(makeEntry(8, '2026-11-29T02:00:00.000Z'));
  writeFileSync(p('bad.ndjson'), [good, '{"id": "broken', noTime, '', outside].join('\n'));
  // One broken line among good ones, whose seqs are continuous (the broken line held seq 8).
  writeFileSync(
    p('one-bad.ndjson'),
    [good, '{"seq": 8, "broken', JSON.stringify(makeEntry(9, '2026-11-27T03:00:00.000Z'))].join(
      '\n',
    ),
  );

  R.keygen = await runCli(['keygen', '--out', p('keys'), '--key-id', 'otesse-cli', '--json']);
  R.pack0 = await runCli(packArgs(p('day0.ndjson'), DAY0, DAY1, p('day0.otbundle')));
  R.pack1 = await runCli(
    packArgs(p('day1.ndjson'), DAY1, DAY2, p('day1.otbundle'), p('day0.otbundle')),
  );
  R.pack2 = await runCli(
    packArgs(p('day2.ndjson'), DAY2, DAY3, p('day2.otbundle'), p('day1.otbundle')),
  );
  alterEntry(p('day0.otbundle'), p('tampered.otbundle'), 0);
  const trust = ['--trust', p('keys', 'trust.json')];
  const bundles = ['day0', 'day1', 'day2'].map((d) => p(`${d}.otbundle`));
  [R.verify, R.verifyTampered, R.verifyMixed] = await Promise.all([
    runCli(['verify', ...bundles, ...trust, '--json']),
    runCli(['verify', p('tampered.otbundle'), ...trust]),
    runCli(['verify', bundles[0]!, p('tampered.otbundle'), ...trust, '--json']),
  ]);
  // Import out of order, with a tampered bundle among the good ones.
  R.import = await runCli([
    'import',
    bundles[2]!,
    p('tampered.otbundle'),
    bundles[0]!,
    '--workspace',
    p('ws'),
    ...trust,
    '--json',
  ]);
  // The rest without --trust: the workspace's recorded key is used.
  R.importAgain = await runCli(['import', ...bundles, '--workspace', p('ws'), '--json']);
  [R.coverage, R.search, R.searchAll, R.searchText, R.coverageText] = await Promise.all([
    runCli(['coverage', '--workspace', p('ws'), '--json']),
    runCli(['search', '--workspace', p('ws'), '--limit', '2', '--json']),
    runCli(['search', '--workspace', p('ws'), '--json']),
    runCli(['search', '--workspace', p('ws')]),
    runCli(['coverage', '--workspace', p('ws')]),
  ]);
}, 60_000);
afterAll(() => dir.remove());

describe('happy path, --json documents (CONTRACTS.md §4)', () => {
  it('keygen: keyId, privateKey, trustStore; the private key file is 0600 and never printed', () => {
    expect(R.keygen!.code, R.keygen!.stderr).toBe(0);
    const out = jsonOf(R.keygen!);
    expect(out).toMatchObject({
      keyId: 'otesse-cli',
      privateKey: p('keys', 'otesse-cli.private.pem'),
      trustStore: p('keys', 'trust.json'),
    });
    expect(statSync(p('keys', 'otesse-cli.private.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(p('keys', 'otesse-cli.private.pem'), 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
    expect(R.keygen!.stdout + R.keygen!.stderr).not.toMatch(/PRIVATE KEY/);
    const trust = JSON.parse(readFileSync(p('keys', 'trust.json'), 'utf8')) as {
      keys: { keyId: string; publicKey: string }[];
    };
    expect(trust.keys.map((k) => k.keyId)).toEqual(['otesse-cli']);
  });

  it('pack: out, bundleId, entryCount, digest; chained with --prev; an empty entries file is an empty-period bundle', () => {
    const packs = [R.pack0!, R.pack1!, R.pack2!].map((r) => {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      return jsonOf<{ out: string; bundleId: string; entryCount: number; digest: string }>(r);
    });
    expect(packs.map((x) => x.entryCount)).toEqual([3, 0, 2]);
    packs.forEach((x, i) => {
      expect(x.out).toBe(p(`day${i}.otbundle`));
      expect(x.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(x.bundleId).toBe(
        `${['20261124', '20261125', '20261126'][i]}T000000Z-${x.digest.slice(0, 12)}`,
      );
    });
  });

  it('verify: results[] of {file, valid, reason, entryCount}, valid and invalid counts', () => {
    expect(R.verify!.code, R.verify!.stderr).toBe(0);
    const out = jsonOf<{ results: Record<string, unknown>[]; valid: number; invalid: number }>(
      R.verify!,
    );
    expect(out.valid).toBe(3);
    expect(out.invalid).toBe(0);
    expect(out.results.map((r) => [r.file, r.valid, r.reason, r.entryCount])).toEqual([
      [p('day0.otbundle'), true, null, 3],
      [p('day1.otbundle'), true, null, 0],
      [p('day2.otbundle'), true, null, 2],
    ]);
  });

  it('import: imported[], rejected[] of {file, reason}, entriesAdded; exit 1 when one was rejected, the others stored', () => {
    expect(R.import!.code).toBe(1);
    const out = jsonOf<{
      imported: Record<string, unknown>[];
      rejected: Record<string, unknown>[];
      entriesAdded: number;
    }>(R.import!);
    expect(out.imported.map((i) => [i.file, i.status, i.entryCount])).toEqual([
      [p('day2.otbundle'), 'imported', 2],
      [p('day0.otbundle'), 'imported', 3],
    ]);
    expect(out.rejected).toEqual([
      {
        file: p('tampered.otbundle'),
        cause: 'payload_digest',
        reason: expect.stringMatching(/^payload_digest: /),
      },
    ]);
    expect(out.entriesAdded).toBe(5);
  });

  it('import again without --trust: the recorded key is used, stored bundles are already present', () => {
    expect(R.importAgain!.code, R.importAgain!.stderr).toBe(0);
    const out = jsonOf<{
      imported: Record<string, unknown>[];
      rejected: unknown[];
      entriesAdded: number;
    }>(R.importAgain!);
    expect(out.imported.map((i) => i.status)).toEqual([
      'already_present',
      'imported',
      'already_present',
    ]);
    expect(out.rejected).toEqual([]);
    expect(out.entriesAdded).toBe(0);
  });

  it('coverage: entries, bundles, from, to, gaps[], chainBreaks[]', () => {
    expect(R.coverage!.code, R.coverage!.stderr).toBe(0);
    const out = jsonOf(R.coverage!);
    expect(out).toMatchObject({
      entries: 5,
      bundles: 3,
      from: '2026-11-24T00:00:00.000Z',
      to: '2026-11-27T00:00:00.000Z',
      gaps: [],
      chainBreaks: [],
      complete: true,
      tenant: TENANT,
    });
    expect(R.coverageText!.code).toBe(0);
    expect(R.coverageText!.stdout).toMatch(/complete: every period proven/);
  });

  it('search without a query: total and entries[] newest first, exactly as signed; --limit', () => {
    expect(R.search!.code, R.search!.stderr).toBe(0);
    const limited = jsonOf<{ total: number; entries: Entry[] }>(R.search!);
    expect(limited.total).toBe(5);
    expect(limited.entries.map((e) => e.seq)).toEqual([5, 4]);
    const all = jsonOf<{ total: number; entries: Entry[] }>(R.searchAll!);
    expect(all.entries).toEqual([...ENTRIES_DAY0, ...ENTRIES_DAY2].reverse());
  });

  it('search as text: one line per entry, times in the tenant zone, no raw control characters or newlines from entries', () => {
    expect(R.searchText!.code).toBe(0);
    const lines = R.searchText!.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(6); // 5 entries + "5 of 5 entries"
    expect(lines[5]).toBe('5 of 5 entries');
    // eslint-disable-next-line no-control-regex
    expect(R.searchText!.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  });
});

describe('exit codes and one-line errors', () => {
  it('a tampered bundle: verify exits 1 and names the cause', () => {
    expect(R.verifyMixed!.code).toBe(1);
    const out = jsonOf<{ results: Record<string, unknown>[]; valid: number; invalid: number }>(
      R.verifyMixed!,
    );
    expect(out).toMatchObject({ valid: 1, invalid: 1 });
    expect(out.results[1]).toMatchObject({
      file: p('tampered.otbundle'),
      valid: false,
      reason: expect.stringMatching(/^payload_digest: /),
      entryCount: null,
    });
    expect(R.verifyTampered!.code).toBe(1);
    expect(R.verifyTampered!.stdout).toMatch(/INVALID .*tampered\.otbundle {2}payload_digest: /);
  });

  it('usage errors exit 2 with one line: unknown flag, unknown command, missing --workspace, missing FILE, bad --limit, bad date, a malformed query', async () => {
    const ws = p('ws');
    const [
      unknownFlag,
      unknownCmd,
      noWsCoverage,
      noWsImport,
      noFile,
      limitWord,
      limitNegative,
      limitHuge,
      badDate,
      toBeforeFrom,
      query,
      positional,
    ] = await Promise.all([
      runCli(['verify', p('day0.otbundle'), '--bogus']),
      runCli(['frobnicate']),
      runCli(['coverage']),
      runCli(['import', p('day0.otbundle')]),
      runCli(['verify']),
      runCli(['search', '--workspace', ws, '--limit', 'ten']),
      runCli(['search', '--workspace', ws, '--limit', '-1']),
      runCli(['search', '--workspace', ws, '--limit', '99999999999']),
      runCli(packArgs(p('day0.ndjson'), '24/11/2026', DAY1, p('never.otbundle'))),
      runCli(packArgs(p('day0.ndjson'), DAY1, DAY0, p('never.otbundle'))),
      runCli(['search', '--workspace', ws, 'action:booking.* "unterminated']),
      runCli(['coverage', '--workspace', ws, 'extra']),
    ]);
    expectOneLineError(unknownFlag, 2, /bogus/);
    expectOneLineError(unknownCmd, 2, /unknown command "frobnicate"/);
    expectOneLineError(noWsCoverage, 2, /missing --workspace/);
    expectOneLineError(noWsImport, 2, /missing --workspace/);
    expectOneLineError(noFile, 2, /missing FILE/);
    expectOneLineError(limitWord, 2, /--limit/);
    expectOneLineError(limitNegative, 2, /--limit/);
    expectOneLineError(limitHuge, 2, /--limit/);
    expectOneLineError(badDate, 2, /--from/);
    expectOneLineError(toBeforeFrom, 2, /--to must be after --from/);
    expectOneLineError(query, 2, /^audit-desk: query error at column \d+: /);
    expectOneLineError(positional, 2);
    expect(existsSync(p('never.otbundle'))).toBe(false);
  });

  it('with --json an error is also one JSON document on stdout', async () => {
    const result = await runCli(['coverage', '--json']);
    expectOneLineError(result, 2);
    expect(jsonOf(result)).toEqual({
      error: { kind: 'usage', message: expect.stringMatching(/missing --workspace/) },
    });
  });

  it('runtime errors exit 3 with one line: missing workspace, not a workspace, not SQLite, newer schema, missing trust store, missing entries file', async () => {
    mkdirSync(p('not-a-ws'));
    writeFileSync(p('not-a-ws', 'notes.txt'), 'x');
    mkdirSync(p('garbage-ws'));
    writeFileSync(p('garbage-ws', 'workspace.sqlite'), 'definitely not sqlite '.repeat(100));
    mkdirSync(p('future-ws'));
    const future = new Database(p('future-ws', 'workspace.sqlite'));
    future.pragma('journal_mode = wal');
    future.pragma('user_version = 999');
    future.close();
    writeFileSync(p('a-file'), 'x');
    const [missing, searchMissing, notWs, garbage, newer, noTrust, noEntries, wsIsFile] =
      await Promise.all([
        runCli(['coverage', '--workspace', p('nowhere')]),
        runCli(['search', '--workspace', p('nowhere'), '--json']),
        runCli([
          'import',
          p('day0.otbundle'),
          '--workspace',
          p('not-a-ws'),
          '--trust',
          p('keys', 'trust.json'),
        ]),
        runCli(['coverage', '--workspace', p('garbage-ws')]),
        runCli(['coverage', '--workspace', p('future-ws')]),
        runCli(['verify', p('day0.otbundle'), '--trust', p('nope.json')]),
        runCli(packArgs(p('nope.ndjson'), DAY0, DAY1, p('never.otbundle'))),
        runCli([
          'import',
          p('day0.otbundle'),
          '--workspace',
          p('a-file'),
          '--trust',
          p('keys', 'trust.json'),
        ]),
      ]);
    expectOneLineError(wsIsFile, 3, /is a file, not a workspace folder/);
    expectOneLineError(missing, 3, /no workspace at .*nowhere/);
    expectOneLineError(searchMissing, 3, /no workspace at/);
    expect(jsonOf(searchMissing)).toMatchObject({ error: { kind: 'runtime' } });
    expectOneLineError(notWs, 3, /not an Audit Desk workspace and not empty/);
    expectOneLineError(garbage, 3, /is not an SQLite database/);
    expectOneLineError(
      newer,
      3,
      /workspace schema version 999 is newer than this Audit Desk understands \(\d+\); update Audit Desk to open it/,
    );
    expectOneLineError(noTrust, 3, /cannot load trust store/);
    expectOneLineError(noEntries, 3, /cannot read entries/);
    expect(existsSync(p('nowhere'))).toBe(false);
    expect(existsSync(p('never.otbundle'))).toBe(false);
  });

  it('pack with invalid entries exits 1 naming the lines, writes nothing; --json lists every problem', async () => {
    const [text, json] = await Promise.all([
      runCli(
        packArgs(p('bad.ndjson'), DAY3, '2026-11-28', p('bad.otbundle')).filter(
          (a) => a !== '--json',
        ),
      ),
      runCli(packArgs(p('bad.ndjson'), DAY3, '2026-11-28', p('bad-json.otbundle'))),
    ]);
    const line = expectOneLineError(text, 1, /invalid entries/);
    expect(line).toMatch(/line 2: not valid JSON/);
    expect(line).toMatch(/line 3: occurredAt/);
    expect(line).toMatch(/line 5: .*outside the period/);
    expect(line).not.toMatch(/line [14]:/);
    expect(text.stdout).toBe('');
    expect(expectOneLineError(json, 1)).toBe(line); // --json: the same line on stderr too
    const out = jsonOf<{ error: { kind: string }; problems: { line: number; message: string }[] }>(
      json,
    );
    expect(out.error.kind).toBe('rejected');
    expect(out.problems.map((x) => x.line)).toEqual([2, 3, 5]);
    expect(existsSync(p('bad.otbundle'))).toBe(false);
    expect(existsSync(p('bad-json.otbundle'))).toBe(false);
  });

  it('pack reports only the broken line, not spurious seq errors on the good lines after it', async () => {
    const result = await runCli(
      packArgs(p('one-bad.ndjson'), DAY3, '2026-11-28', p('one-bad.otbundle')),
    );
    expect(result.code).toBe(1);
    const out = jsonOf<{ problems: { line: number; message: string }[] }>(result);
    expect(out.problems.map((x) => x.line)).toEqual([2]);
  });

  it('pack after a bad line: later lines are checked against the schema, the period, canonical form and their own seq order', async () => {
    const at = (hour: number) => `2026-11-27T${String(hour).padStart(2, '0')}:00:00.000Z`;
    const lines = [
      JSON.stringify(makeEntry(7, at(1))),
      '{"seq": 8, "broken',
      JSON.stringify(makeEntry(9, at(3))), // fine: the broken line's seq is unknown
      JSON.stringify(makeEntry(11, at(4))), // seq 10 skipped
      JSON.stringify(makeEntry(12, at(5))).replace('Dana Reyes', '\\ud800'), // no RFC 8785 form
      JSON.stringify(makeEntry(13, '2026-11-29T00:00:00.000Z')), // outside the period
      JSON.stringify(makeEntry(14, at(7))),
    ];
    writeFileSync(p('later.ndjson'), lines.join('\n'));
    const result = await runCli(
      packArgs(p('later.ndjson'), DAY3, '2026-11-28', p('later.otbundle')),
    );
    expectOneLineError(result, 1, /4 invalid entries/);
    const out = jsonOf<{ problems: { line: number; message: string }[] }>(result);
    expect(out.problems.map((x) => x.line)).toEqual([2, 4, 5, 6]);
    expect(out.problems[1]!.message).toMatch(/^seq 11 does not follow 9 /);
    expect(out.problems[2]!.message).toMatch(/canonical|surrogate/i);
    expect(out.problems[3]!.message).toMatch(/outside the period/);
    expect(existsSync(p('later.otbundle'))).toBe(false);
  });

  it('pack: an entry with no canonical JSON form (lone surrogate, legal JSON) is a line-numbered rejection', async () => {
    const entries = [
      JSON.stringify(makeEntry(7, '2026-11-27T01:00:00.000Z')),
      JSON.stringify(makeEntry(8, '2026-11-27T02:00:00.000Z')).replace('Dana Reyes', 'x\\udc00y'),
    ];
    writeFileSync(p('surrogate.ndjson'), entries.join('\n'));
    const [text, json] = await Promise.all([
      runCli(
        packArgs(p('surrogate.ndjson'), DAY3, '2026-11-28', p('surrogate.otbundle')).filter(
          (a) => a !== '--json',
        ),
      ),
      runCli(packArgs(p('surrogate.ndjson'), DAY3, '2026-11-28', p('surrogate.otbundle'))),
    ]);
    expectOneLineError(text, 1, /1 invalid entry in .*: line 2: /);
    expectOneLineError(json, 1, /line 2: /);
    expect(jsonOf<{ problems: { line: number }[] }>(json).problems.map((x) => x.line)).toEqual([2]);
    expect(existsSync(p('surrogate.otbundle'))).toBe(false);
  });

  it('keygen refuses to overwrite a key (exit 3) and an unsafe key id (exit 2)', async () => {
    const before = readFileSync(p('keys', 'otesse-cli.private.pem'), 'utf8');
    const [again, unsafe] = await Promise.all([
      runCli(['keygen', '--out', p('keys'), '--key-id', 'otesse-cli']),
      runCli(['keygen', '--out', p('keys'), '--key-id', '../escape']),
    ]);
    expectOneLineError(again, 3, /already exists/);
    expectOneLineError(unsafe, 2, /--key-id/);
    expect(readFileSync(p('keys', 'otesse-cli.private.pem'), 'utf8')).toBe(before);
    expect(existsSync(p('escape.private.pem'))).toBe(false);
  });

  it('a first import with no trust store given and none recorded is rejected (unknown key), exit 1', async () => {
    const result = await runCli(
      ['import', p('day0.otbundle'), '--workspace', p('ws-untrusted'), '--json'],
      { env: { AUDIT_DESK_TRUST: undefined } },
    );
    expect(result.code).toBe(1);
    expect(jsonOf(result)).toMatchObject({
      imported: [],
      rejected: [{ cause: 'unknown_key' }],
      entriesAdded: 0,
    });
    // The workspace exists but holds nothing: coverage reports it empty (exit 0).
    const coverage = await runCli(['coverage', '--workspace', p('ws-untrusted'), '--json']);
    expect(coverage.code).toBe(0);
    expect(jsonOf(coverage)).toMatchObject({
      tenant: null,
      entries: 0,
      bundles: 0,
      from: null,
      to: null,
      complete: false,
      gaps: [],
      chainBreaks: [],
    });
  });

  it('import with a trust store that cannot be loaded fails (exit 3) without creating the workspace', async () => {
    writeFileSync(p('broken-trust.json'), '{"version": 1, "keys": [');
    const [missing, broken, envMissing] = await Promise.all([
      runCli(['import', p('day0.otbundle'), '--workspace', p('ws-t1'), '--trust', p('nope.json')]),
      runCli([
        'import',
        p('day0.otbundle'),
        '--workspace',
        p('ws-t2'),
        '--trust',
        p('broken-trust.json'),
      ]),
      runCli(['import', p('day0.otbundle'), '--workspace', p('ws-t3'), '--json'], {
        env: { AUDIT_DESK_TRUST: p('nope.json') },
      }),
    ]);
    expectOneLineError(missing, 3, /cannot load trust store/);
    expectOneLineError(broken, 3, /cannot load trust store: .*not JSON/);
    expectOneLineError(envMissing, 3, /no trust store: pass --trust PATH/);
    for (const ws of ['ws-t1', 'ws-t2', 'ws-t3']) expect(existsSync(p(ws))).toBe(false);
  });

  it('verify: two different bundles for the same period are both a conflict, not one of them linked silently', async () => {
    // Day 1 again, same (empty) content and predecessor, issued later: another digest.
    const alt = [
      ...packArgs(p('day1.ndjson'), DAY1, DAY2, p('day1-alt.otbundle'), p('day0.otbundle')),
    ];
    alt[alt.indexOf('--issued-at') + 1] = `${DAY2}T07:00:00Z`;
    expect((await runCli(alt)).code).toBe(0);
    const files = ['day0', 'day1', 'day1-alt', 'day2'].map((d) => p(`${d}.otbundle`));
    const result = await runCli(['verify', ...files, '--trust', p('keys', 'trust.json'), '--json']);
    expect(result.code).toBe(1);
    const out = jsonOf<{
      results: { valid: boolean; cause: string | null; reason: string | null }[];
    }>(result);
    expect(out.results.map((r) => r.cause)).toEqual([null, 'conflict', 'conflict', null]);
    expect(out.results[1]!.reason).toMatch(
      /^conflict: bundle overlaps 20261125T000000Z-\w+, given with it/,
    );
    // The same file twice is not a fork.
    const twice = await runCli([
      'verify',
      files[0]!,
      files[0]!,
      '--trust',
      p('keys', 'trust.json'),
    ]);
    expect(twice.code, twice.stdout).toBe(0);
  });

  it('a reader that closes the output early (`search | head -1`): quiet exit, no EPIPE on stderr', async () => {
    const closedEarly = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        child.stdout.destroy(); // the reader is gone before the first write
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr }));
      });
    const results = await Promise.all([
      closedEarly(['search', '--workspace', p('ws'), '--limit', '100000', '--json']),
      closedEarly(['search', '--workspace', p('ws'), '--limit', '100000']),
      closedEarly(['verify', p('tampered.otbundle'), '--trust', p('keys', 'trust.json')]),
    ]);
    expect(results).toEqual([
      { code: 0, stderr: '' },
      { code: 0, stderr: '' },
      { code: 1, stderr: '' }, // the command's own verdict still decides the exit code
    ]);
  });

  it('--debug adds the stack trace that is otherwise never shown', async () => {
    const result = await runCli(['coverage', '--workspace', p('nowhere'), '--debug']);
    expect(result.code).toBe(3);
    expect(result.stderr.split('\n')[0]).toMatch(/^audit-desk: no workspace at/);
    expect(result.stderr).toMatch(/^\s+at\s/m);
  });
});

describe('help', () => {
  it('--help lists the commands and exits 0; <command> --help shows its usage; no arguments is a usage error', async () => {
    const [help, importHelp, packHelp, none] = await Promise.all([
      runCli(['--help']),
      runCli(['import', '--help']),
      runCli(['pack', '--help']),
      runCli([]),
    ]);
    expect(packHelp.code).toBe(0);
    for (const flag of [
      '--key',
      '--key-id',
      '--tenant',
      '--entries',
      '--from',
      '--to',
      '--prev',
      '--issued-at',
      '--out',
    ])
      expect(packHelp.stdout).toContain(`${flag} `);
    expect(help.code).toBe(0);
    for (const command of ['keygen', 'pack', 'verify', 'import', 'coverage', 'search'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\s`, 'm'));
    expect(help.stdout).toMatch(/Exit codes: 0 ok, 1 rejected, 2 usage, 3 runtime error/);
    expect(importHelp.code).toBe(0);
    expect(importHelp.stdout).toMatch(/^usage: audit-desk import FILE\.\.\. --workspace DIR/);
    expect(none.code).toBe(2);
  });
});
