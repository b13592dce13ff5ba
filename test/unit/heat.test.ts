// The overview's RTT colours stand out from the page in both themes: every
// step of each scale keeps HEAT_CONTRAST against the theme's page and panel
// colours, read from the app's own stylesheet.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HEAT_CONTRAST, heatColour, heatPosition, HEAT_RAMPS } from '../../src/renderer/src/lib/heat';
import { overviewColumns } from '../../src/shared/chart-data';

const css = readFileSync('src/renderer/src/app.css', 'utf8');
/** The theme's --bg and --panel: the light ones first in the file, the dark ones in the prefers-color-scheme block. */
const backgrounds = (theme: 'light' | 'dark') => {
  const part = theme === 'light' ? css.slice(0, css.indexOf('prefers-color-scheme')) : css.slice(css.indexOf('prefers-color-scheme'));
  return ['--bg', '--panel'].map((v) => new RegExp(`${v}:\\s*(#[0-9a-f]{6})`).exec(part)![1]!);
};
const luminance = (rgb: number[]) => {
  const [r, g, b] = rgb.map((c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};
const parse = (colour: string) => (colour.startsWith('#') ? [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16)) : colour.match(/\d+/g)!.map(Number));
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(parse(a)), luminance(parse(b))].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
};

describe('heat colours', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`every step of the ${theme} scale keeps ${HEAT_CONTRAST}:1 against the ${theme} page and panel`, () => {
      const bgs = backgrounds(theme);
      expect(bgs).toHaveLength(2);
      for (let ms = 0.1; ms <= 1000; ms *= 1.25) {
        for (const bg of bgs) expect(contrast(heatColour(ms, theme), bg), `${ms} ms on ${bg}`).toBeGreaterThanOrEqual(HEAT_CONTRAST);
      }
      expect(HEAT_RAMPS[theme]).toHaveLength(5);
    });
  }

  it('slower is further from the page in both themes', () => {
    for (const theme of ['light', 'dark'] as const) {
      const bg = backgrounds(theme)[1]!;
      expect(contrast(heatColour(1000, theme), bg)).toBeGreaterThan(contrast(heatColour(0.1, theme), bg));
    }
    expect(heatPosition(1500)).toBe(1);
  });
});

describe('overviewColumns', () => {
  it('no cell shorter than the usual heartbeat interval; at most the most asked, at least 10', () => {
    // 5 minutes of a 10 s heartbeat: 30 cells of 10 s, not 120 of 2.5 s that three in four would have no sample for.
    expect(overviewColumns(300_000, [10_000], 120)).toBe(30);
    // The median interval decides: one slow endpoint does not coarsen every row.
    expect(overviewColumns(300_000, [1_000, 1_000, 60_000], 120)).toBe(120);
    expect(overviewColumns(300_000, [60_000, 60_000, 1_000], 120)).toBe(10);
    expect(overviewColumns(7 * 86_400_000, [10_000], 120)).toBe(120);
    expect(overviewColumns(300_000, [null], 120)).toBe(120);
  });
});
