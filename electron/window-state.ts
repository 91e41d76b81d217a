// The main window's size and position, remembered across runs in a small JSON file in userData.
// Whatever the file says is validated, and a window that would open off every screen (a monitor was
// unplugged, resolution changed) is moved back onto the nearest display.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;
export const MIN_SIZE = { width: 800, height: 500 } as const;
/** How much of the title bar must be visible on some display for a position to count as usable. */
const MIN_VISIBLE = 100;

const int = z.number().int().min(-100_000).max(100_000);
const savedSchema = z.object({
  bounds: z.object({ x: int, y: int, width: int.positive(), height: int.positive() }),
  maximized: z.boolean().optional(),
});

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);

/**
 * Bounds to open with: the saved ones when they fit a display (size clamped to it), moved onto the
 * display they overlap most (or the primary) when too little of the title bar would be visible.
 * Without usable saved bounds: the default size, centred by the OS (no x/y).
 * `workAreas[0]` is the primary display's work area.
 */
export function restoreWindowState(
  saved: unknown,
  workAreas: readonly Rect[],
): { bounds: Partial<Rect> & { width: number; height: number }; maximized: boolean } {
  const parsed = savedSchema.safeParse(saved);
  const primary = workAreas[0];
  if (!parsed.success || !primary) return { bounds: { ...DEFAULT_SIZE }, maximized: false };
  const { bounds } = parsed.data;
  const maximized = parsed.data.maximized ?? false;

  // The title bar strip: what the user needs to see to grab the window.
  const titleBar: Rect = { x: bounds.x, y: bounds.y, width: bounds.width, height: 32 };
  const visible = (area: Rect) => {
    const o = overlap(titleBar, area);
    return o.height > 0 && o.width >= Math.min(MIN_VISIBLE, bounds.width);
  };
  const onScreen = workAreas.find(visible);
  const target =
    onScreen ??
    [...workAreas].sort((a, b) => {
      const oa = overlap(bounds, a);
      const ob = overlap(bounds, b);
      return ob.width * ob.height - oa.width * oa.height;
    })[0] ??
    primary;
  const width = clamp(bounds.width, Math.min(MIN_SIZE.width, target.width), target.width);
  const height = clamp(bounds.height, Math.min(MIN_SIZE.height, target.height), target.height);
  if (onScreen) {
    // Keep the user's position, only pulling the title bar back where it can be grabbed (its size
    // may have shrunk to fit the display).
    const grab = Math.min(MIN_VISIBLE, width);
    const x = clamp(bounds.x, target.x - width + grab, target.x + target.width - grab);
    const y = clamp(bounds.y, target.y, target.y + target.height - 32);
    return { bounds: { x, y, width, height }, maximized };
  }
  const x = clamp(bounds.x, target.x, target.x + target.width - width);
  const y = clamp(bounds.y, target.y, target.y + target.height - height);
  return { bounds: { x, y, width, height }, maximized };
}

/** The saved state, or null when the file is missing or not JSON (validation happens on restore). */
export function readWindowState(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

/** Writes atomically (temp file + rename): a crash never leaves half a file. Best effort. */
export function writeWindowState(file: string, state: WindowState): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(state), { mode: 0o600 });
    renameSync(temp, file);
  } catch (error) {
    console.warn(
      `audit-desk: window position not saved: ${(error as Error).message.split('\n')[0]}`,
    );
  }
}
