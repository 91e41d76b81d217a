// `audit-desk serve` as a user runs it: a real process that prints the address (with --json, one
// line), answers the API with that token, registers --workspace DIR, and stops cleanly on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/bundles';

const CLI = join(import.meta.dirname, '..', '..', 'bin', 'audit-desk.mjs');
let dir: { path: string; remove(): void };

beforeAll(() => {
  dir = tempDir('audit-desk-server-cli-');
});
afterAll(() => dir.remove());

function serve(args: string[]): { child: ChildProcess; firstLine: Promise<string> } {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OTESSE_API_TOKEN: '' },
  });
  const lines = createInterface({ input: child.stdout! });
  const firstLine = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return { child, firstLine };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('audit-desk serve', () => {
  it('prints the address with its token, serves the API, registers --workspace, stops on SIGTERM', async () => {
    const workspace = join(dir.path, 'my-ws');
    const { child, firstLine } = serve([
      '--home',
      join(dir.path, 'home'),
      '--workspace',
      workspace,
      '--json',
    ]);
    const line = JSON.parse(await firstLine) as {
      url: string;
      origin: string;
      workspaceId: string;
    };
    expect(line.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    const token = line.url.split('#token=')[1]!;
    const answer = await fetch(`${line.origin}/api/call/listWorkspaces`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    const result = (await answer.json()) as {
      ok: boolean;
      value: { id: string; name: string; isDemo: boolean }[];
    };
    expect(result.value).toEqual([
      expect.objectContaining({ id: line.workspaceId, name: 'my-ws', isDemo: false }),
    ]);
    expect(existsSync(join(workspace, 'workspace.sqlite'))).toBe(true);
    const exit = exited(child);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('prints only the address on stdout without --json, with the demo workspace when asked', async () => {
    const { child, firstLine } = serve(['--home', join(dir.path, 'home-demo'), '--demo']);
    const url = await firstLine;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    const origin = url.split('/#')[0]!;
    const token = url.split('#token=')[1]!;
    const info = (await (
      await fetch(`${origin}/api/call/appInfo`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
        body: '{}',
      })
    ).json()) as { value: { demoWorkspaceId: string | null; hasApiToken: boolean } };
    expect(info.value.demoWorkspaceId).toMatch(/^ws_/);
    expect(info.value.hasApiToken).toBe(false);
    const exit = exited(child);
    child.kill('SIGINT');
    expect(await exit).toBe(0);
  });

  it('says so in one line when the port is taken (exit 3)', async () => {
    const first = serve(['--home', join(dir.path, 'home-port'), '--json']);
    const { origin } = JSON.parse(await first.firstLine) as { origin: string };
    const port = new URL(origin).port;
    const second = spawn(
      process.execPath,
      [CLI, 'serve', '--home', join(dir.path, 'home-port2'), '--port', port],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    second.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    expect(await exited(second)).toBe(3);
    expect(stderr.trim()).toBe(`audit-desk: port ${port} on 127.0.0.1 is already in use`);
    const exit = exited(first.child);
    first.child.kill('SIGTERM');
    await exit;
  });
});
