// `audit-desk export` and `audit-desk verify-pack` end to end: the real CLI on a real workspace
// (signed bundles imported), the JSON outputs of CONTRACTS.md §4, exit codes 0/1/2/3, one-line
// errors, and annotations written with the real `annotate` command.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZipReader } from '../../electron/core/export/zip-reader';
import { openWorkspace } from '../../electron/core/workspace/database';
import { importBundleFile } from '../../electron/core/workspace/import';
import { serializeTrustStore } from '../../electron/core/bundle/trust-store';
import { dayEntries, makeKey, tempDir, trustOf, writeDayBundle } from '../helpers/bundles';
import { jsonOf, runCli, type CliResult } from './helpers/workspace';

let dir: { path: string; remove(): void };
let ws: string;
let trustPath: string;
let firstId: string;
const R: Record<string, CliResult> = {};
const at = (name: string) => join(dir.path, name);

beforeAll(async () => {
  dir = tempDir('audit-desk-export-cli-');
  const key = makeKey('otesse-cli');
  trustPath = at('trust.json');
  writeFileSync(trustPath, serializeTrustStore([key.trusted]));
  ws = at('ws');
  const workspace = openWorkspace(ws, { create: true });
  let prev: string | null = null;
  let seq = 1;
  for (const [day, count] of [4, 6].entries()) {
    const entries = dayEntries(day, seq, count);
    seq += count;
    const written = writeDayBundle({
      key,
      out: at(`d${day}.otbundle`),
      entries,
      day,
      prevDigest: prev,
    });
    prev = written.digest;
    await importBundleFile(workspace, written.out, {
      trust: trustOf(key),
      trustSource: 't',
      source: 'file',
    });
  }
  firstId = workspace.db
    .prepare('SELECT id FROM entries ORDER BY seq LIMIT 1')
    .pluck()
    .get() as string;
  workspace.close();
  R.annotate = await runCli([
    'annotate',
    '--workspace',
    ws,
    '--entry',
    firstId,
    '--status',
    'exception',
    '--note',
    '=cmd|" /C calc"!A0',
    '--tag',
    'refund',
    '--reviewer-name',
    'Dana Reyes',
    '--json',
  ]);
  const runs: Record<string, string[]> = {
    all: ['export', '--workspace', ws, '--out', at('all.zip'), '--json'],
    query: [
      'export',
      '--workspace',
      ws,
      'user:usr_1',
      '--out',
      at('query.zip'),
      '--fields',
      'id,actorId,changes',
      '--json',
    ],
    text: ['export', '--workspace', ws, '--out', at('text.zip')],
    notes: ['export', '--workspace', ws, '--out', at('notes.zip'), '--annotations', '--json'],
    unknownField: ['export', '--workspace', ws, '--out', at('x.zip'), '--fields', 'id,nope'],
    badQuery: ['export', '--workspace', ws, 'user:"dana', '--out', at('y.zip'), '--json'],
    noOut: ['export', '--workspace', ws],
    noWorkspace: ['export', '--workspace', at('missing'), '--out', at('z.zip')],
    noFolder: ['export', '--workspace', ws, '--out', at('missing/p.zip')],
  };
  const results = await Promise.all(Object.values(runs).map((args) => runCli(args)));
  Object.keys(runs).forEach((name, i) => (R[name] = results[i]!));
}, 120_000);
afterAll(() => dir.remove());

interface ExportOut {
  out: string;
  entries: number;
  bundles: number;
  files: { name: string; size: number; sha256: string }[];
}

describe('audit-desk export', () => {
  it('--json: out, entries, bundles and files[] with sizes and hashes', () => {
    expect(R.all!.code, R.all!.stderr).toBe(0);
    const out = jsonOf<ExportOut>(R.all!);
    expect(out.out).toBe(at('all.zip'));
    expect(out.entries).toBe(10);
    expect(out.bundles).toBe(2);
    expect(out.files.map((f) => f.name)).toEqual(
      expect.arrayContaining(['README.txt', 'entries.csv', 'entries.jsonl', 'manifest.json']),
    );
    const zip = new ZipReader(out.out);
    expect(zip.files.map((f) => f.name)).toEqual(out.files.map((f) => f.name));
    zip.close();
  });

  it('a query and chosen fields', () => {
    expect(R.query!.code, R.query!.stderr).toBe(0);
    expect(jsonOf<ExportOut>(R.query!).entries).toBeGreaterThan(0);
    const zip = new ZipReader(at('query.zip'));
    const csv = zip.readAll(zip.files.find((f) => f.name === 'entries.csv')!).toString('utf8');
    zip.close();
    expect(csv.split('\r\n')[0]).toBe('\uFEFFid,actorId,changes');
  });

  it('human output: one line saying what was written', () => {
    expect(R.text!.code).toBe(0);
    expect(R.text!.stdout).toBe(
      `wrote ${at('text.zip')}: 10 entries from 2 bundles, 10 files (query: everything)\n`,
    );
  });

  it('--annotations: the review module’s annotation and review log, the note neutralized', () => {
    expect(R.annotate!.code, R.annotate!.stderr).toBe(0);
    expect(R.notes!.code, R.notes!.stderr).toBe(0);
    const zip = new ZipReader(at('notes.zip'));
    const file = (name: string) =>
      zip.readAll(zip.files.find((f) => f.name === name)!).toString('utf8');
    const annotations = file('annotations.csv');
    expect(annotations).toContain(
      `${firstId},1,exception,refund,"'=cmd|"" /C calc""!A0",Dana Reyes,`,
    );
    // The annotation's record, and the records of the exports that ran before this one.
    const log = file('review-log.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(log[0]).toMatchObject({ seq: 1, action: 'annotation.changed' });
    const manifest = JSON.parse(file('manifest.json'));
    expect(manifest.counts.annotations).toBe(1);
    expect(manifest.fields.slice(-5)).toEqual([
      'reviewStatus',
      'reviewTags',
      'reviewNote',
      'reviewAuthor',
      'reviewUpdatedAt',
    ]);
    zip.close();
  });

  it('each export is recorded in the workspace’s review log', async () => {
    const r = await runCli(['export', '--workspace', ws, '--out', at('logged.zip'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const db = openWorkspace(ws, { readonly: true });
    const last = db.db
      .prepare('SELECT action, details FROM review_log ORDER BY seq DESC LIMIT 1')
      .get() as { action: string; details: string };
    db.close();
    expect(last.action).toBe('export.written');
    expect(JSON.parse(last.details)).toMatchObject({ file: 'logged.zip', entries: 10, bundles: 2 });
  });

  it('usage errors (exit 2) and runtime errors (exit 3), one line each', () => {
    expect(R.unknownField!.code).toBe(2);
    expect(R.unknownField!.stderr).toBe(
      'audit-desk: unknown field "nope"; valid fields: seq, id, occurredAtLocal, occurredAtUtc, category, action, actorId, actorName, actorEmail, actorType, entityType, entityId, entityLabel, changes, ip, userAgent, metadata, bundleId\n',
    );
    expect(R.badQuery!.code).toBe(2);
    expect(jsonOf<{ error: { kind: string } }>(R.badQuery!).error.kind).toBe('usage');
    expect(R.noOut!.code).toBe(2);
    expect(R.noOut!.stderr).toBe('audit-desk: missing --out\n');
    expect(R.noFolder!.code).toBe(3);
    expect(R.noFolder!.stderr).toBe(
      `audit-desk: cannot write ${at('missing/p.zip')}: its folder does not exist\n`,
    );
    expect(R.noWorkspace!.code).toBe(3);
    expect(R.noWorkspace!.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('audit-desk verify-pack', () => {
  it('a pack just written: valid, exit 0, only the pack and the trust store needed', async () => {
    const r = await runCli(['verify-pack', at('all.zip'), '--trust', trustPath, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonOf(r)).toEqual({
      file: at('all.zip'),
      valid: true,
      problems: [],
      entries: 10,
      bundles: 2,
    });
    const text = await runCli(['verify-pack', at('notes.zip'), '--trust', trustPath]);
    expect(text.stdout).toBe(`valid  ${at('notes.zip')}  (10 entries from 2 bundles)\n`);
  });

  it('a changed byte: invalid, exit 1, each problem on its own line', async () => {
    const bytes = readFileSync(at('all.zip'));
    const zip = new ZipReader(at('all.zip'));
    const csv = zip.files.find((f) => f.name === 'entries.csv')!;
    zip.close();
    bytes[csv.dataOffset + 300]! ^= 0x04;
    writeFileSync(at('tampered.zip'), bytes);
    const r = await runCli(['verify-pack', at('tampered.zip'), '--trust', trustPath, '--json']);
    expect(r.code).toBe(1);
    // The damaged file is named first; the row the flipped byte landed in is named too.
    const out = jsonOf<{ valid: boolean; problems: string[] }>(r);
    expect(out.valid).toBe(false);
    expect(out.problems[0]).toBe(
      'entries.csv: CRC-32 does not match the zip directory (bytes were altered)',
    );
    const text = await runCli(['verify-pack', at('tampered.zip'), '--trust', trustPath]);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe(
      [`INVALID  ${at('tampered.zip')}`, ...out.problems.map((p) => `  ${p}`), ''].join('\n'),
    );
  });

  it('another trust store: the signatures fail; a missing pack or trust store: exit 3', async () => {
    const other = makeKey('someone-else');
    writeFileSync(at('other.json'), serializeTrustStore([other.trusted]));
    const r = await runCli(['verify-pack', at('all.zip'), '--trust', at('other.json'), '--json']);
    expect(r.code).toBe(1);
    expect(jsonOf<{ problems: string[] }>(r).problems[0]).toMatch(/\.signature: unknown_key: /);
    const missing = await runCli(['verify-pack', at('nope.zip'), '--trust', trustPath]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe(`audit-desk: ${at('nope.zip')} does not exist or is not a file\n`);
    const noTrust = await runCli(['verify-pack', at('all.zip'), '--trust', at('nope.json')]);
    expect(noTrust.code).toBe(3);
  });
});
