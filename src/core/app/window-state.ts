// The window's size and position, remembered between runs, in a small file
// of the data folder read and written through the file gate.
import { readGated, writeAtomic } from '../files/gate';
export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_BOUNDS = { width: 1280, height: 800 } as const;
const MIN = { width: 640, height: 420 };

/** Saved bounds if they are sane and still on one of the displays, else null (let the OS place the window). */
export function restoreBounds(saved: unknown, displays: Bounds[]): Bounds | null {
  if (!saved || typeof saved !== 'object') return null;
  const b = saved as Record<string, unknown>;
  const nums = ['x', 'y', 'width', 'height'].map((k) => b[k]);
  if (!nums.every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
  const [x, y, width, height] = nums as number[];
  const bounds = { x: x!, y: y!, width: Math.max(MIN.width, width!), height: Math.max(MIN.height, height!) };
  // At least a 100x50 corner of the title bar must be visible on some display.
  const visible = displays.some(
    (d) => bounds.x + 100 <= d.x + d.width && bounds.x + bounds.width - 100 >= d.x && bounds.y >= d.y && bounds.y + 50 <= d.y + d.height,
  );
  return visible ? bounds : null;
}

/** The bounds saved in FILE, if they are sane and still on a display; null otherwise (or when the file cannot be used). */
export function loadBounds(file: string, displays: Bounds[]): Bounds | null {
  try {
    return restoreBounds(JSON.parse(readGated(file, { what: 'window state', maxBytes: 4096, followSymlinks: false }).toString('utf8')), displays);
  } catch {
    return null;
  }
}

export function saveBounds(file: string, bounds: Bounds): void {
  try {
    writeAtomic(file, JSON.stringify(bounds), 'window state');
  } catch {
    /* not worth failing a close over */
  }
}
