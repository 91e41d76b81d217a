// Recent workspaces learnt from successful API calls, persisted in a JSON file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RecentWorkspaces } from './recent-workspaces';

const dir = mkdtempSync(join(tmpdir(), 'audit-desk-recent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ok = (value: unknown) => ({ ok: true as const, value });

describe('RecentWorkspaces', () => {
  it('learns names, orders by last use, forgets deleted ones, and persists', () => {
    const file = join(dir, 'recent.json');
    const recent = new RecentWorkspaces(file);
    expect(recent.observe('createWorkspace', { name: 'A' }, ok({ id: 'a', name: 'A' }))).toBe(true);
    recent.observe('createWorkspace', { name: 'B' }, ok({ id: 'b', name: 'B' }));
    expect(recent.list().map((w) => w.id)).toEqual(['b', 'a']);
    expect(recent.observe('search', { workspaceId: 'a', query: '' }, ok({}))).toBe(true);
    expect(recent.list().map((w) => w.id)).toEqual(['a', 'b']);
    expect(
      recent.observe(
        'search',
        { workspaceId: 'a' },
        { ok: false, error: { code: 'runtime', message: 'x' } },
      ),
    ).toBe(false);
    recent.observe(
      'renameWorkspace',
      { workspaceId: 'b', name: 'Bee' },
      ok({ id: 'b', name: 'Bee' }),
    );
    expect(recent.list()[0]).toEqual({ id: 'b', name: 'Bee' });
    recent.observe(
      'deleteWorkspace',
      { workspaceId: 'a', confirmName: 'A' },
      ok({ deleted: true }),
    );
    expect(new RecentWorkspaces(file).list()).toEqual([{ id: 'b', name: 'Bee' }]);
  });

  it('names a workspace used before it was listed, and drops ones no longer listed', () => {
    const recent = new RecentWorkspaces(null);
    recent.observe('createWorkspace', {}, ok({ id: 'gone', name: 'Gone' }));
    recent.observe('coverage', { workspaceId: 'demo' }, ok({}));
    recent.observe('listWorkspaces', {}, ok([{ id: 'demo', name: 'Demo workspace' }]));
    expect(recent.list()).toEqual([{ id: 'demo', name: 'Demo workspace' }]);
  });

  it('reads a broken file as empty', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '[{"id": 5}]');
    expect(new RecentWorkspaces(file).list()).toEqual([]);
  });
});
