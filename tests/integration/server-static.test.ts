// Static file resolution of browser mode: whatever the URL path, the file served lies inside the
// renderer folder (property test over arbitrary and traversal-shaped paths, with a symlink out).
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveStatic } from '../../electron/server/static-files';
import { tempDir } from '../helpers/bundles';

let dir: { path: string; remove(): void };
let root: string;

beforeAll(() => {
  dir = tempDir('audit-desk-server-static-');
  root = join(dir.path, 'renderer');
  mkdirSync(join(root, 'assets', 'deep'), { recursive: true });
  writeFileSync(join(root, 'index.html'), 'index');
  writeFileSync(join(root, 'assets', 'app.js'), 'app');
  writeFileSync(join(root, 'assets', 'deep', 'x.css'), 'css');
  writeFileSync(join(dir.path, 'outside.txt'), 'outside');
  symlinkSync(dir.path, join(root, 'assets', 'up'));
  root = realpathSync(root);
});
afterAll(() => dir.remove());

const segment = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '%2E%2E',
    '..%2f',
    '..%5c',
    '%00',
    'assets',
    'up',
    'deep',
    'index.html',
    'app.js',
    'outside.txt',
    '',
    '%2f',
    '\\',
    'C:',
    '.hidden',
  ),
  fc.string({ maxLength: 6 }),
);

describe('resolveStatic', () => {
  it('finds the renderer files', () => {
    expect(resolveStatic(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveStatic(root, '/assets/deep/x.css')).toBe(join(root, 'assets', 'deep', 'x.css'));
    expect(resolveStatic(root, '/assets/up/outside.txt')).toBeNull();
    expect(resolveStatic(root, '/assets/%2e%2e/index.html')).toBe('bad');
  });

  it('never answers a file outside the renderer folder, whatever the path', () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
        const found = resolveStatic(root, `/${segments.join('/')}`);
        if (found !== null && found !== 'bad') expect(found.startsWith(root + sep)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});
