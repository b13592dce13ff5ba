// The overview's heat rows: RTT as colour on one log scale shared by every
// row (sub-millisecond differences stay visible next to seconds), misses and
// outages marked, and each row and cell in words.
import type { OverviewCells } from '../../../shared/api';
import { CELL_STATES, type CellState } from '../../../shared/chart-data';
import { ms } from '../../../shared/format';
import { clockTime } from './format';

/** The colour scale's ends: 0.1 ms to 1 s, four decades; RTT outside is drawn at the nearest end. */
export const HEAT_MIN_MS = 0.1;
export const HEAT_MAX_MS = 1000;
/** Where the legend labels the scale. */
export const HEAT_TICKS = [
  { ms: 0.1, label: '0.1 ms' },
  { ms: 1, label: '1 ms' },
  { ms: 10, label: '10 ms' },
  { ms: 100, label: '100 ms' },
  { ms: 1000, label: '1 s' },
];

/**
 * Two halves of viridis, fast to slow, one per theme: each ordered in lightness
 * (readable without colour vision), far from the red of outages, and every step
 * at least HEAT_CONTRAST against the theme's backgrounds (WCAG 1.4.11, checked
 * in a test). In both, slower is further from the background: dark purple on
 * the light theme, bright yellow on the dark one.
 */
export const HEAT_RAMPS = {
  light: ['#21918c', '#2c728e', '#3b528b', '#472d7b', '#440154'],
  dark: ['#21918c', '#35b779', '#6ece58', '#b5de2b', '#fde725'],
} as const;
/** The contrast every step keeps against its theme's page and panel (the non-text minimum of WCAG 2.1). */
export const HEAT_CONTRAST = 3;
export type Theme = keyof typeof HEAT_RAMPS;

const rgb = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));

/** The theme the window is drawn in now (the system's, as the CSS follows it). */
export const currentTheme = (): Theme => (typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');

/** 0..1 along the log scale. */
export function heatPosition(rttMs: number): number {
  const p = Math.log10(rttMs / HEAT_MIN_MS) / Math.log10(HEAT_MAX_MS / HEAT_MIN_MS);
  return Math.min(1, Math.max(0, p));
}

function interpolate(ramp: readonly string[], p: number): string {
  const stops = ramp.map(rgb);
  const x = p * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [stops[i]!, stops[i + 1]!];
  return `rgb(${a.map((v, k) => Math.round(v + (b[k]! - v) * f)).join(',')})`;
}
/** Each scale in 256 steps, made once: tens of thousands of cells are coloured per redraw. */
const STEPS = {
  light: Array.from({ length: 256 }, (_, i) => interpolate(HEAT_RAMPS.light, i / 255)),
  dark: Array.from({ length: 256 }, (_, i) => interpolate(HEAT_RAMPS.dark, i / 255)),
};

export function heatColour(rttMs: number, theme: Theme = currentTheme()): string {
  return STEPS[theme][Math.round(heatPosition(rttMs) * 255)]!;
}

/** A CSS gradient of the same scale, for the legend. */
export const heatGradient = (theme: Theme = currentTheme()) => `linear-gradient(to right, ${HEAT_RAMPS[theme].join(', ')})`;

export function cellState(cells: OverviewCells, i: number): CellState {
  return CELL_STATES[Number(cells.states[i] ?? 0)]!;
}

/** One cell in words: its span of time and what happened in it. */
export function cellText(cells: OverviewCells, i: number, fromWall: number, toWall: number): string {
  const width = (toWall - fromWall) / cells.rttMs.length;
  const span = `${clockTime(fromWall + i * width)}–${clockTime(fromWall + (i + 1) * width)}`;
  const parts: string[] = [];
  const state = cellState(cells, i);
  if (state === 'outage') parts.push('outage');
  if (state === 'off') parts.push('paused or stopped');
  const rtt = cells.rttMs[i];
  const network = cells.networkMs[i];
  if (rtt !== null && rtt !== undefined)
    parts.push(`median RTT ${ms(rtt, 2)}, p90 ${ms(cells.p90Ms[i], 2)}${network !== null && network !== undefined ? ` (network ${ms(network, 2)})` : ''}`);
  else if (state === 'up') parts.push('up, no RTT sample in this span');
  const missed = cells.missed[i] ?? 0;
  if (missed) {
    const beats = (cells.answered[i] ?? 0) + missed;
    parts.push(`${missed} missed of ${beats} beats (loss ${Math.round((missed / beats) * 1000) / 10} %)`);
  }
  return `${span} · ${parts.length ? parts.join(' · ') : 'no data'}`;
}

/** A row's key figures: its text alternative and the figure beside it. */
export function rowSummary(cells: OverviewCells): {
  medianMs: number | null;
  networkMedianMs: number | null;
  missed: number;
  outageSpans: number;
  words: string;
} {
  const medianMs = median(cells.rttMs);
  const networkMedianMs = median(cells.networkMs);
  const missed = cells.missed.reduce((a, b) => a + b, 0);
  const outageSpans = [...cells.states].filter((c) => CELL_STATES[Number(c)] === 'outage').length;
  const words = [
    medianMs === null ? 'no RTT samples' : `median RTT ${ms(medianMs, 2)}${networkMedianMs === null ? '' : ` (network ${ms(networkMedianMs, 2)})`}`,
    `${missed} missed`,
    outageSpans ? `outage in ${outageSpans} of ${cells.states.length} spans` : 'no outage',
  ].join(', ');
  return { medianMs, networkMedianMs, missed, outageSpans, words };
}

function median(spans: (number | null)[]): number | null {
  const values = spans.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return values.length ? values[(values.length - 1) >> 1]! : null;
}
