// Remembered window bounds: validated, clamped to a display, moved back on screen when the display
// they were on is gone; saved atomically.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SIZE,
  readWindowState,
  restoreWindowState,
  writeWindowState,
  type Rect,
} from './window-state';

const primary: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
const right: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('restoreWindowState', () => {
  it('keeps valid bounds on a display as they are', () => {
    const saved = { bounds: { x: 100, y: 80, width: 1200, height: 700 }, maximized: true };
    expect(restoreWindowState(saved, [primary])).toEqual(saved);
  });

  it('answers the default size for a missing or malformed file', () => {
    for (const saved of [
      null,
      'x',
      { bounds: { x: 'a' } },
      { bounds: { x: 0, y: 0, width: -5, height: 9 } },
    ]) {
      expect(restoreWindowState(saved, [primary])).toEqual({
        bounds: { ...DEFAULT_SIZE },
        maximized: false,
      });
    }
  });

  it('moves a window from an unplugged display back onto the primary one', () => {
    const saved = { bounds: { x: 2500, y: 200, width: 1400, height: 900 } };
    const restored = restoreWindowState(saved, [primary]);
    expect(restored.bounds).toEqual({ x: 1920 - 1400, y: 1040 - 900, width: 1400, height: 900 });
  });

  it('keeps a window on a secondary display that still exists', () => {
    const saved = { bounds: { x: 2500, y: 200, width: 1400, height: 900 } };
    expect(restoreWindowState(saved, [primary, right]).bounds).toEqual(saved.bounds);
  });

  it('shrinks a window larger than its display and pulls a title bar above the top back down', () => {
    const saved = { bounds: { x: 0, y: -500, width: 5000, height: 3000 } };
    const { bounds } = restoreWindowState(saved, [primary]);
    expect(bounds).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
  });

  it('always answers bounds whose title bar is on some display', () => {
    const coordinate = fc.integer({ min: -100_000, max: 100_000 });
    const size = fc.integer({ min: 1, max: 100_000 });
    fc.assert(
      fc.property(coordinate, coordinate, size, size, (x, y, width, height) => {
        const { bounds } = restoreWindowState({ bounds: { x, y, width, height } }, [
          primary,
          right,
        ]);
        const bx = bounds.x ?? 0;
        const by = bounds.y ?? 0;
        const onSome = [primary, right].some(
          (a) =>
            by >= a.y &&
            by < a.y + a.height &&
            bx < a.x + a.width &&
            bx + bounds.width > a.x &&
            bounds.width <= Math.max(primary.width, right.width),
        );
        expect(onSome).toBe(true);
      }),
    );
  });
});

describe('window state file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-desk-window-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips through an atomic write and leaves no temp file', () => {
    const file = join(dir, 'nested', 'window-state.json');
    const state = { bounds: { x: 1, y: 2, width: 900, height: 600 }, maximized: false };
    writeWindowState(file, state);
    expect(readWindowState(file)).toEqual(state);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['window-state.json']);
  });

  it('reads a broken file as null', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{');
    expect(readWindowState(file)).toBeNull();
    expect(readWindowState(join(dir, 'missing.json'))).toBeNull();
  });
});
