// `audit-desk annotate`, `sample` and `insights` end to end: the real CLI on a real workspace, the
// --json documents CONTRACTS.md §4 names, the reviewer identity, and the exit codes (1 for an entry
// id the workspace does not hold, 2 for usage errors). Runs go in parallel where independent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAnnotation } from '../../electron/core/review/annotations';
import { reviewLogRecords, verifyWorkspaceLog } from '../../electron/core/review/review-log';
import { openWorkspace } from '../../electron/core/workspace/database';
import { buildFixture, type Fixture } from '../helpers/search-fixture';
import { jsonOf, runCli, type CliResult } from './helpers/workspace';

let fx: Fixture;
let ws: string;
let ids: string[];
const ENV = { AUDIT_DESK_REVIEWER: 'Dana Reyes <dana@example.com>' };

beforeAll(async () => {
  fx = await buildFixture(3, 30);
  ws = fx.ws.dir;
  ids = fx.entries.map((e) => e.id);
  fx.ws.close();
}, 60_000);
afterAll(() => fx.remove());

const cli = (args: string[], env: NodeJS.ProcessEnv = ENV) => runCli(args, { env });

describe('audit-desk annotate', () => {
  it('records status, note and tags and prints the annotation (--json)', async () => {
    const r = await cli([
      'annotate',
      '--workspace',
      ws,
      '--entry',
      ids[0]!,
      '--status',
      'exception',
      '--note',
      'Refund without ticket\n=SUM(A1)',
      '--tag',
      'refund',
      '--tag',
      'Q4',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonOf(r)).toMatchObject({
      entryId: ids[0],
      changed: true,
      annotation: {
        entryId: ids[0],
        status: 'exception',
        tags: ['refund', 'Q4'],
        note: 'Refund without ticket\n=SUM(A1)',
        author: { name: 'Dana Reyes', email: 'dana@example.com' },
      },
    });
    const text = await cli(['annotate', '--workspace', ws, '--entry', ids[0]!, '--tag', 'vendor']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('exception  tags: refund, Q4, vendor');
  });

  it('reviewer flags win over the environment; without either, the OS user name', async () => {
    const [flags, os] = await Promise.all([
      cli([
        'annotate',
        '--workspace',
        ws,
        '--entry',
        ids[1]!,
        '--status',
        'reviewed',
        '--reviewer-name',
        'Lee Park',
        '--reviewer-email',
        'lee@example.com',
        '--json',
      ]),
      cli(['annotate', '--workspace', ws, '--entry', ids[2]!, '--status', 'reviewed', '--json'], {
        AUDIT_DESK_REVIEWER: '',
      }),
    ]);
    expect(jsonOf(flags)).toMatchObject({
      annotation: { author: { name: 'Lee Park', email: 'lee@example.com' } },
    });
    expect(os.code, os.stderr).toBe(0);
    const author = (jsonOf(os) as { annotation: { author: { name: string; email: null } } })
      .annotation.author;
    expect(author.name.length).toBeGreaterThan(0);
    expect(author.email).toBeNull();
  });

  it('exit 1 for an unknown entry id, 2 for usage errors, each one line on stderr', async () => {
    const [unknown, status, nothing, missing] = await Promise.all([
      cli(['annotate', '--workspace', ws, '--entry', 'no-such-entry', '--status', 'reviewed']),
      cli(['annotate', '--workspace', ws, '--entry', ids[0]!, '--status', 'approved']),
      cli(['annotate', '--workspace', ws, '--entry', ids[0]!]),
      cli(['annotate', '--workspace', ws, '--status', 'reviewed']),
    ]);
    expect([unknown.code, status.code, nothing.code, missing.code]).toEqual([1, 2, 2, 2]);
    expect(unknown.stderr).toBe('audit-desk: no entry with id no-such-entry in this workspace\n');
    for (const r of [status, nothing, missing]) expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('audit-desk sample', () => {
  let runs: CliResult[];
  beforeAll(async () => {
    runs = await Promise.all([
      cli([
        'sample',
        '--workspace',
        ws,
        'category:bookings',
        '--size',
        '5',
        '--seed',
        'Q4-2026',
        '--json',
      ]),
      cli([
        'sample',
        '--workspace',
        ws,
        'category:bookings',
        '--size',
        '5',
        '--seed',
        'Q4-2026',
        '--json',
      ]),
      cli([
        'sample',
        '--workspace',
        ws,
        '--confidence',
        '95',
        '--margin',
        '10',
        '--seed',
        's',
        '--json',
      ]),
      cli(['sample', '--workspace', ws, '--percent', '10', '--seed', 's', '--json']),
    ]);
  }, 60_000);

  it('the same seed and population give the same sample, with population and fingerprint', () => {
    const [a, b] = runs.map((r) => jsonOf<Record<string, unknown>>(r));
    expect(runs[0]!.code, runs[0]!.stderr).toBe(0);
    const population = fx.entries.filter((e) => e.category === 'bookings').length;
    expect(a).toMatchObject({
      population,
      seed: 'Q4-2026',
      populationFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      size: 5,
    });
    expect(b!.entryIds).toEqual(a!.entryIds);
    expect(b!.populationFingerprint).toBe(a!.populationFingerprint);
    expect(b!.sampleId).not.toBe(a!.sampleId); // each draw is its own review batch
  });

  it('statistical and percent sizes', () => {
    const n = ids.length;
    const n0 = (1.959964 ** 2 * 0.25) / 0.01;
    expect(jsonOf(runs[2]!)).toMatchObject({
      population: n,
      size: Math.ceil(n0 / (1 + (n0 - 1) / n)),
    });
    expect(jsonOf(runs[3]!)).toMatchObject({ population: n, size: Math.ceil(n / 10) });
  });

  it('usage errors: no method, two methods, no seed, bad confidence, bad query', async () => {
    const results = await Promise.all([
      cli(['sample', '--workspace', ws, '--seed', 's']),
      cli(['sample', '--workspace', ws, '--size', '3', '--percent', '5', '--seed', 's']),
      cli(['sample', '--workspace', ws, '--size', '3']),
      cli(['sample', '--workspace', ws, '--confidence', '80', '--margin', '5', '--seed', 's']),
      cli(['sample', '--workspace', ws, 'user:"x', '--size', '3', '--seed', 's']),
    ]);
    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
  });
});

describe('audit-desk insights', () => {
  it('prints findings[] of {rule, severity, summary, entryIds[]} and logs the run', async () => {
    const r = await cli(['insights', '--workspace', ws, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = jsonOf<{ findings: Record<string, unknown>[]; timeZone: string }>(r);
    expect(out.timeZone).toBe('America/New_York');
    expect(out.findings.length).toBeGreaterThan(0);
    for (const f of out.findings) {
      expect(f).toMatchObject({
        rule: expect.any(String),
        severity: expect.stringMatching(/^(high|medium|low)$/),
        summary: expect.any(String),
      });
      expect((f.entryIds as string[]).every((id) => ids.includes(id))).toBe(true);
    }
    // The fixture's auth.mfa_disabled entries are each a finding.
    const mfa = fx.entries.filter((e) => e.action === 'auth.mfa_disabled').map((e) => e.id);
    expect(
      out.findings
        .filter((f) => f.rule === 'mfa_disabled')
        .flatMap((f) => f.entryIds as string[])
        .sort(),
    ).toEqual(mfa.sort());
  });

  it('--since keeps later findings only; a bad --since is a usage error', async () => {
    const [later, bad] = await Promise.all([
      cli(['insights', '--workspace', ws, '--since', '2026-11-03T00:00:00Z', '--json']),
      cli(['insights', '--workspace', ws, '--since', 'yesterday']),
    ]);
    expect(later.code, later.stderr).toBe(0);
    for (const f of jsonOf<{ findings: { to: string }[] }>(later).findings)
      expect(f.to >= '2026-11-03T00:00:00.000Z').toBe(true);
    expect(bad.code).toBe(2);
  });

  it('everything the commands did is in a review log that verifies', () => {
    const opened = openWorkspace(ws);
    try {
      expect(verifyWorkspaceLog(opened).valid).toBe(true);
      const actions = new Set([...reviewLogRecords(opened)].map((r) => r.action));
      expect([...actions]).toEqual(
        expect.arrayContaining(['annotation.changed', 'sample.drawn', 'insights.run']),
      );
      expect(getAnnotation(opened, ids[0]!)?.tags).toEqual(['refund', 'Q4', 'vendor']);
    } finally {
      opened.close();
    }
  });
});
