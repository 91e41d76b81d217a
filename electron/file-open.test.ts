// Bundle files handed over on the command line (file association, second instance).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMenuCommand } from './bridge-protocol';
import { bundlePathsFromArgv, isBundlePath } from './file-open';

const dir = mkdtempSync(join(tmpdir(), 'audit-desk-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bundlePathsFromArgv', () => {
  it('keeps existing .otbundle files (relative ones resolved), once each, and ignores the rest', () => {
    writeFileSync(join(dir, 'day1.otbundle'), 'x');
    writeFileSync(join(dir, 'DAY2.OTBUNDLE'), 'x');
    writeFileSync(join(dir, 'notes.txt'), 'x');
    mkdirSync(join(dir, 'folder.otbundle'));
    const argv = [
      '/opt/Audit Desk/audit-desk',
      '--no-sandbox',
      'day1.otbundle',
      join(dir, 'DAY2.OTBUNDLE'),
      join(dir, 'day1.otbundle'),
      'notes.txt',
      'folder.otbundle',
      'missing.otbundle',
      '.',
    ];
    expect(bundlePathsFromArgv(argv, dir)).toEqual([
      join(dir, 'day1.otbundle'),
      join(dir, 'DAY2.OTBUNDLE'),
    ]);
    expect(isBundlePath('day1.otbundle')).toBe(false);
  });
});

describe('isMenuCommand', () => {
  it('accepts the commands main sends and refuses anything else', () => {
    expect(isMenuCommand({ command: 'export' })).toBe(true);
    expect(isMenuCommand({ command: 'open-workspace', workspaceId: 'ws_1' })).toBe(true);
    expect(isMenuCommand({ command: 'set-time-display', timeDisplay: 'utc' })).toBe(true);
    expect(isMenuCommand({ command: 'open-files', files: 'x' })).toBe(false);
    expect(isMenuCommand({ command: 'open-workspace', workspaceId: 3 })).toBe(false);
    expect(isMenuCommand({ command: 'toString' })).toBe(false);
    expect(isMenuCommand(null)).toBe(false);
  });
});
