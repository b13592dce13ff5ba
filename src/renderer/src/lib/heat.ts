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

// Viridis, fast (light) to slow (dark): ordered in lightness, readable without colour vision, and far from the red of outages.
const RAMP = ['#fde725', '#90d743', '#35b779', '#21918c', '#31688e', '#443983', '#440154'].map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));

/** 0..1 along the log scale. */
export function heatPosition(rttMs: number): number {
  const p = Math.log10(rttMs / HEAT_MIN_MS) / Math.log10(HEAT_MAX_MS / HEAT_MIN_MS);
  return Math.min(1, Math.max(0, p));
}

function interpolate(p: number): string {
  const x = p * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [RAMP[i]!, RAMP[i + 1]!];
  return `rgb(${a.map((v, k) => Math.round(v + (b[k]! - v) * f)).join(',')})`;
}
/** The scale in 256 steps, made once: tens of thousands of cells are coloured per redraw. */
const STEPS = Array.from({ length: 256 }, (_, i) => interpolate(i / 255));

export function heatColour(rttMs: number): string {
  return STEPS[Math.round(heatPosition(rttMs) * 255)]!;
}

/** A CSS gradient of the same scale, for the legend. */
export const HEAT_GRADIENT = `linear-gradient(to right, ${RAMP.map((c) => `rgb(${c.join(',')})`).join(', ')})`;

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
  if (rtt !== null && rtt !== undefined) parts.push(`mean RTT ${ms(rtt, 2)}`);
  else if (state === 'up') parts.push('up, no RTT sample in this span');
  if (cells.missed[i]) parts.push(`${cells.missed[i]} missed`);
  return `${span} · ${parts.length ? parts.join(' · ') : 'no data'}`;
}

/** A row's key figures: its text alternative and the figure beside it. */
export function rowSummary(cells: OverviewCells): { medianMs: number | null; missed: number; outageSpans: number; words: string } {
  const values = cells.rttMs.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const medianMs = values.length ? values[(values.length - 1) >> 1]! : null;
  const missed = cells.missed.reduce((a, b) => a + b, 0);
  const outageSpans = [...cells.states].filter((c) => CELL_STATES[Number(c)] === 'outage').length;
  const words = [
    medianMs === null ? 'no RTT samples' : `median RTT ${ms(medianMs, 2)}`,
    `${missed} missed`,
    outageSpans ? `outage in ${outageSpans} of ${cells.states.length} spans` : 'no outage',
  ].join(', ');
  return { medianMs, missed, outageSpans, words };
}
