// Draws the app icon and one tray icon per aggregate state into resources/.
// Shapes, not only colours, tell the states apart: up = filled circle with a
// check, degraded = triangle, down = cross, paused = two bars, idle = ring.
// Run: node scripts/draw-icons.mjs (the PNGs are committed; no image tool needed).
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
const crc32 = (buf) => {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
};
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// Signed distance functions in a unit square (0..1); negative inside.
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const ring = (cx, cy, r, w) => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) - w / 2;
function segment(ax, ay, bx, by, w) {
  return (x, y) => {
    const [px, py, dx, dy] = [x - ax, y - ay, bx - ax, by - ay];
    const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
    return Math.hypot(px - t * dx, py - t * dy) - w / 2;
  };
}
const union =
  (...fs) =>
  (x, y) =>
    Math.min(...fs.map((f) => f(x, y)));
const subtract = (a, b) => (x, y) => Math.max(a(x, y), -b(x, y));
function triangle(r) {
  // Rounded equilateral triangle pointing up, centred.
  const pts = [0, 1, 2].map((i) => [0.5 + 0.46 * Math.cos(-Math.PI / 2 + (i * 2 * Math.PI) / 3), 0.56 + 0.46 * Math.sin(-Math.PI / 2 + (i * 2 * Math.PI) / 3)]);
  return (x, y) => {
    let d = -Infinity;
    for (let i = 0; i < 3; i++) {
      const [ax, ay] = pts[i];
      const [bx, by] = pts[(i + 1) % 3];
      const nx = by - ay;
      const ny = -(bx - ax);
      const len = Math.hypot(nx, ny);
      d = Math.max(d, ((x - ax) * nx + (y - ay) * ny) / len);
    }
    return d - r;
  };
}
const rect = (x0, y0, x1, y1, r) => (x, y) => {
  const dx = Math.max(x0 - x, 0, x - x1);
  const dy = Math.max(y0 - y, 0, y - y1);
  return Math.hypot(dx, dy) - r + (dx === 0 && dy === 0 ? -Math.min(x - x0, x1 - x, y - y0, y1 - y) : 0);
};

/** Paints layers [sdf, rgb] with 4x4 supersampling. */
function render(size, layers) {
  const buf = Buffer.alloc(size * size * 4);
  const S = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const [sdf, rgb] of layers) {
        let cover = 0;
        for (let sy = 0; sy < S; sy++) for (let sx = 0; sx < S; sx++) if (sdf((px + (sx + 0.5) / S) / size, (py + (sy + 0.5) / S) / size) <= 0) cover++;
        const al = cover / (S * S);
        if (al === 0) continue;
        // "over" compositing
        const na = al + a * (1 - al);
        [r, g, b] = [0, 1, 2].map((i) => (rgb[i] * al + [r, g, b][i] * a * (1 - al)) / na);
        a = na;
      }
      buf.set([Math.round(r), Math.round(g), Math.round(b), Math.round(a * 255)], (py * size + px) * 4);
    }
  }
  return png(size, buf);
}

const COLOURS = { up: [34, 160, 80], degraded: [222, 150, 20], down: [210, 50, 50], paused: [110, 120, 135], idle: [110, 120, 135] };
const BLACK = [0, 0, 0];
const check = segment(0.3, 0.52, 0.45, 0.67, 0.11);
const check2 = segment(0.45, 0.67, 0.72, 0.36, 0.11);
const SHAPES = {
  up: { body: circle(0.5, 0.5, 0.44), mark: union(check, check2) },
  degraded: { body: triangle(0.04), mark: union(segment(0.5, 0.4, 0.5, 0.62, 0.1), circle(0.5, 0.76, 0.055)) },
  down: { body: rect(0.08, 0.08, 0.92, 0.92, 0.1), mark: union(segment(0.3, 0.3, 0.7, 0.7, 0.12), segment(0.7, 0.3, 0.3, 0.7, 0.12)) },
  paused: { body: circle(0.5, 0.5, 0.44), mark: union(rect(0.34, 0.28, 0.44, 0.72, 0), rect(0.56, 0.28, 0.66, 0.72, 0)) },
  idle: { body: ring(0.5, 0.5, 0.38, 0.12), mark: null },
};

mkdirSync('resources/tray', { recursive: true });
for (const [state, { body, mark }] of Object.entries(SHAPES)) {
  for (const [size, suffix] of [
    [16, ''],
    [32, '@2x'],
    [32, '-32'],
    [64, '-32@2x'],
  ]) {
    // Colour icons for Windows and Linux: the mark is cut out of the body.
    writeFileSync(`resources/tray/${state}${suffix}.png`, render(size, [[mark ? subtract(body, mark) : body, COLOURS[state]]]));
    // macOS template images: black with alpha; the system tints them for light and dark menu bars.
    writeFileSync(`resources/tray/${state}Template${suffix}.png`, render(size, [[mark ? subtract(body, mark) : body, BLACK]]));
  }
}

// App icon: a dark rounded square with a heartbeat line through a socket ring.
const pulse = union(
  segment(0.14, 0.56, 0.34, 0.56, 0.05),
  segment(0.34, 0.56, 0.42, 0.34, 0.05),
  segment(0.42, 0.34, 0.52, 0.74, 0.05),
  segment(0.52, 0.74, 0.6, 0.5, 0.05),
  segment(0.6, 0.5, 0.86, 0.5, 0.05),
);
for (const size of [512, 256]) {
  writeFileSync(
    size === 512 ? 'resources/icon.png' : `resources/icon-${size}.png`,
    render(size, [
      [rect(0.04, 0.04, 0.96, 0.96, 0.16), [24, 32, 48]],
      [ring(0.5, 0.52, 0.3, 0.035), [60, 90, 130]],
      [pulse, [80, 220, 140]],
    ]),
  );
}
console.log('icons written to resources/');
