// `audit-desk sim generate` and `audit-desk sim serve` as real processes: the JSON they print, that
// both give byte-identical bundles for the same flags (key folder included), that the server stops
// cleanly on SIGTERM and SIGINT and removes its temporary files, and one-line usage/runtime errors.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePageSchema } from '../../shared/otesse-api';
import { tempDir } from '../helpers/bundles';
import { CLI, REPO_ROOT, jsonOf, runCli } from './helpers/workspace';

const FLAGS = ['--seed', 'cli-sim', '--days', '4', '--per-day', '25', '--rotation-day', '2'];

interface ServeLine {
  url: string;
  token: string;
  tokenWithoutScope: string;
  trustStore: string;
  dir: string;
  bundles: number;
  entries: number;
}

interface Running {
  child: ChildProcess;
  line: ServeLine;
  exited: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
}

/** Starts `sim serve` and resolves once it printed its JSON line. */
function serve(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [CLI, 'sim', 'serve', ...args], { cwd: REPO_ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return new Promise((resolve, reject) => {
    const onData = () => {
      const end = stdout.indexOf('\n');
      if (end === -1) return;
      child.stdout.off('data', onData);
      resolve({ child, line: JSON.parse(stdout.slice(0, end)) as ServeLine, exited });
    };
    child.stdout.on('data', onData);
    void exited.then((e) => reject(new Error(`sim serve exited early (${e.code}): ${e.stderr}`)));
  });
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let dir: { path: string; remove(): void };
beforeAll(() => {
  dir = tempDir('audit-desk-sim-cli-');
});
afterAll(() => dir.remove());

describe('sim generate and sim serve', () => {
  it('give byte-identical bundles for the same seed, days, per-day and key folder', async () => {
    const keyDir = join(dir.path, 'keys');
    const out = join(dir.path, 'generated');
    const generated = await runCli([
      'sim',
      'generate',
      '--out',
      out,
      '--key-dir',
      keyDir,
      ...FLAGS,
      '--json',
    ]);
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stderr).toBe('');
    const report = jsonOf<{
      bundles: number;
      entries: number;
      trustStore: string;
      files: string[];
      groundTruth: string;
    }>(generated);
    expect(report.bundles).toBe(4);
    expect(report.entries).toBeGreaterThan(0);
    expect(report.trustStore).toBe(join(out, 'trust.json'));
    expect(existsSync(report.groundTruth)).toBe(true);
    expect(readdirSync(keyDir).sort()).toEqual([
      'otesse-sim-1.private.pem',
      'otesse-sim-2.private.pem',
    ]);

    const running = await serve(['--port', '0', '--key-dir', keyDir, ...FLAGS]);
    try {
      const { url, token, trustStore, bundles, entries } = running.line;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(token).toMatch(/^otsim_/);
      expect([bundles, entries]).toEqual([report.bundles, report.entries]);
      expect(readFileSync(trustStore, 'utf8')).toBe(readFileSync(report.trustStore, 'utf8'));
      const page = bundlePageSchema.parse(
        await (
          await fetch(`${url}/v1/audit/bundles`, { headers: { authorization: `Bearer ${token}` } })
        ).json(),
      );
      const served = await Promise.all(
        page.bundles.map(async (d) => {
          const response = await fetch(`${url}/v1/audit/bundles/${d.id}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          return Buffer.from(await response.arrayBuffer());
        }),
      );
      expect(served.map(sha)).toEqual(report.files.map((f) => sha(readFileSync(f))));
      expect(page.bundles.map((d) => d.sha256)).toEqual(served.map(sha));
    } finally {
      running.child.kill('SIGTERM');
      await running.exited;
    }
  });

  it('without a key folder, both derive the same keys from the seed', async () => {
    const out = join(dir.path, 'derived');
    const generated = jsonOf<{ files: string[] }>(
      await runCli(['sim', 'generate', '--out', out, ...FLAGS, '--json']),
    );
    const running = await serve(FLAGS);
    try {
      const { url, token } = running.line;
      const page = bundlePageSchema.parse(
        await (
          await fetch(`${url}/v1/audit/bundles?limit=1`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json(),
      );
      const bytes = Buffer.from(
        await (
          await fetch(`${url}/v1/audit/bundles/${page.bundles[0]!.id}`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).arrayBuffer(),
      );
      expect(bytes.equals(readFileSync(generated.files[0]!))).toBe(true);
      expect(basename(generated.files[0]!)).toMatch(/^ten_[0-9a-z]+_\d{4}-\d{2}-\d{2}\.otbundle$/);
    } finally {
      running.child.kill('SIGTERM');
      await running.exited;
    }
  });
});

describe('sim serve process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'prints one JSON line, then stops cleanly on %s and removes its files',
    async (signal) => {
      const running = await serve([
        '--days',
        '2',
        '--per-day',
        '5',
        '--faults',
        'latency=1,tamper=1',
      ]);
      const { dir: served, url, token, tokenWithoutScope, trustStore } = running.line;
      expect(existsSync(served)).toBe(true);
      expect(trustStore).toBe(join(served, 'trust.json'));
      expect(tokenWithoutScope).not.toBe(token);
      expect(
        (await fetch(`${url}/v1/audit/keys`, { headers: { authorization: `Bearer ${token}` } }))
          .status,
      ).toBe(200);
      running.child.kill(signal);
      const exit = await running.exited;
      expect(exit.code).toBe(0);
      expect(exit.stderr).toBe('');
      expect(exit.stdout.trim().split('\n')).toHaveLength(1);
      expect(existsSync(served)).toBe(false);
      await expect(fetch(`${url}/v1/audit/keys`)).rejects.toThrow();
    },
  );

  it('keeps a given --dir', async () => {
    const kept = join(dir.path, 'kept');
    const running = await serve(['--days', '2', '--per-day', '5', '--dir', kept]);
    expect(running.line.dir).toBe(kept);
    running.child.kill('SIGTERM');
    expect((await running.exited).code).toBe(0);
    expect(readdirSync(kept).filter((f) => f.endsWith('.otbundle'))).toHaveLength(2);
  });

  it('reports a port in use as a runtime error (exit 3) on one line', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await runCli([
        'sim',
        'serve',
        '--port',
        String(port),
        '--days',
        '1',
        '--per-day',
        '1',
      ]);
      expect(result.code).toBe(3);
      expect(result.stderr).toBe(`audit-desk: port ${port} on 127.0.0.1 is already in use\n`);
    } finally {
      blocker.close();
    }
  });

  it.each([
    [['sim', 'serve', '--faults', '429=2'], /--faults: fault 429 takes a rate from 0 to 1/],
    [
      ['sim', 'serve', '--faults', 'tamper=99', '--days', '2', '--per-day', '1'],
      /matches no bundle/,
    ],
    [['sim', 'serve', '--port', '70000'], /--port must be a whole number/],
    [['sim', 'serve', '--bogus'], /Unknown option '--bogus'/],
    [['sim', 'generate'], /missing --out/],
    [['sim', 'generate', '--out', 'x', '--days', '3', '--rotation-day', '3'], /--rotation-day/],
    [['sim', 'generate', '--out', 'x', '--plan', 'gold'], /--plan must be one of/],
    [['sim'], /missing sim command/],
    [['sim', 'play'], /unknown command "sim play"/],
  ])('usage error (exit 2) for %j', async (args, message) => {
    const result = await runCli([...args, '--json']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { kind: 'usage' } });
  });
});
