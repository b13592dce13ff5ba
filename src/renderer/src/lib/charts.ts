// Chart.js set up once: only the parts we use, no animation while streaming,
// pre-parsed {x, y} data (x = wall-clock ms) and a time-of-day axis.
import {
  BarController,
  BarElement,
  Chart,
  Decimation,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartOptions,
  type ChartType,
  type TooltipItem,
} from 'chart.js';
import { isLone } from '../../../shared/chart-data';
import { CHARTED_CAUSES, type ChartedCause } from '../../../shared/series';
import { PHASE_LABELS, type PhaseName } from '../../../shared/phases';
import { clockTime } from './format';

/** Shaded spans of x (outages) behind the datasets: options.plugins.spans = { items: [{ from, to }], color }. */
const spans = {
  id: 'spans',
  beforeDatasetsDraw(chart: Chart, _args: unknown, opts: { items?: { from: number; to: number }[]; color?: string }) {
    const { ctx, chartArea: area, scales } = chart;
    if (!opts.items?.length || !scales.x) return;
    ctx.save();
    ctx.fillStyle = opts.color ?? 'rgba(220, 38, 38, 0.15)';
    for (const s of opts.items) {
      const a = Math.max(area.left, scales.x.getPixelForValue(s.from));
      const b = Math.min(area.right, scales.x.getPixelForValue(s.to));
      if (b > a) ctx.fillRect(a, area.top, Math.max(1, b - a), area.bottom - area.top);
    }
    ctx.restore();
  },
};

Chart.register(
  LineController,
  LineElement,
  PointElement,
  BarController,
  BarElement,
  ScatterController,
  LinearScale,
  Filler,
  Legend,
  Tooltip,
  Decimation,
  spans,
);

/** A point's radius where the line cannot show it: a sample with no neighbour to join (the first one, one between gaps). */
export function loneRadius(ctx: { dataset: { data: unknown[] }; dataIndex: number }): number {
  return isLone(ctx.dataset.data as { y: number | null }[], ctx.dataIndex) ? 2.5 : 0;
}

export { Chart };
// Lets tests and devtools read a chart's data with Chart.getChart(canvas).
(globalThis as { Chart?: typeof Chart }).Chart = Chart;

/** Colours from the current theme's CSS variables, read once per theme: reading computed style per draw forces style work in every row. */
export function palette(): Palette {
  return (cached ??= readPalette());
}
type Palette = ReturnType<typeof readPalette>;
let cached: Palette | null = null;
globalThis.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', () => (cached = null));

function readPalette() {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    text: v('--muted'),
    grid: v('--grid'),
    rtt: v('--accent'),
    band: v('--smoke'),
    bandStrong: v('--smoke-dark'),
    /** A median's colour per LOSS_STEPS step (shared/chart-data.ts). */
    loss: [0, 1, 2, 3].map((i) => v(`--loss-${i}`)),
    path: v('--path'),
    phase: Object.fromEntries(Object.values(PHASE_LABELS).map((p) => [p, v(`--ph-${p}`)])) as Record<PhaseName, string>,
    cause: Object.fromEntries(CHARTED_CAUSES.map((c) => [c, v(`--c-${c}`)])) as Record<ChartedCause, string>,
    attempt: v('--c-attempt'),
    ok: v('--ok'),
    warn: v('--warn'),
    bad: v('--bad'),
    idle: v('--idle'),
    border: v('--border'),
    ink: v('--text'),
    outage: v('--outage'),
  };
}

/** A tooltip line: markers (disconnects, missed beats) are events, not values: their name alone; values carry their unit. */
export function valueLabel(unit: string): (item: TooltipItem<ChartType>) => string {
  return (item) => {
    const y = (item.parsed as { y: number }).y;
    return item.dataset.type === 'scatter'
      ? (item.dataset.label ?? '')
      : `${item.dataset.label}: ${Number.isInteger(y) ? y : y.toFixed(y < 10 ? 2 : 1)} ${unit}`;
  };
}

/** Options every time chart shares: a linear x axis in wall-clock ms shown as time of day. */
export function timeOptions<T extends ChartType>(
  min: number,
  max: number,
  yTitle: string,
  unit: string,
  extra: ChartOptions<T> = {} as ChartOptions<T>,
): ChartOptions<T> {
  const p = palette();
  const span = max - min;
  const base = {
    animation: false,
    parsing: false,
    normalized: true,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', intersect: false, axis: 'x' },
    // The same plot width whatever is drawn: Chart.js' automatic padding makes room for a dataset's first point
    // (a lone dot's radius), which moved one chart's right end by 5 px against the others. A fixed margin instead,
    // enough for the largest dot or marker half that sits at the range's end.
    layout: { autoPadding: false, padding: { right: 8 } },
    plugins: {
      legend: { display: false, labels: { color: p.text } },
      tooltip: {
        callbacks: {
          title: (items: TooltipItem<ChartType>[]) => (items[0] ? clockTime((items[0].parsed as { x: number }).x) : ''),
          label: valueLabel(unit),
        },
      },
      spans: { items: [], color: p.outage },
      decimation: { enabled: true, algorithm: 'min-max' },
    },
    scales: {
      x: {
        type: 'linear',
        min,
        max,
        // The same x for the same time in every chart of the page: no half-bar offset (bar charts' default) and the end
        // labels kept inside the plot, so no chart's plot is narrowed to fit its last label.
        offset: false,
        grid: { color: p.grid, offset: false },
        ticks: {
          color: p.text,
          maxTicksLimit: 8,
          align: 'inner',
          maxRotation: 0,
          callback: (v: string | number) => clockTime(Number(v), span < 3 * 3_600_000),
        },
      },
      y: {
        beginAtZero: true,
        grid: { color: p.grid },
        ticks: { color: p.text },
        title: { display: true, text: yTitle, color: p.text },
        // One y-axis width for every chart: the page's charts share their time axis, so they line up whatever their numbers.
        afterFit: (axis: { width: number }) => {
          axis.width = Y_AXIS_WIDTH;
        },
      },
    },
  };
  return merge(base, extra as Record<string, unknown>) as ChartOptions<T>;
}

/** The y axis' width in every chart, in px: room for "1000" and its title. */
const Y_AXIS_WIDTH = 64;

/** Deep merge of plain objects (b wins); arrays and functions are replaced, not merged. */
function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = isPlain(cur) && isPlain(v) ? merge(cur, v) : v;
  }
  return out;
}
const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The context key under which App offers charts a zoom: a function of two wall-clock times (ms). */
export const ZOOM = Symbol('chart zoom');
export type Zoom = (fromWall: number, toWall: number) => void;

/** What every chart of an endpoint's page draws over: its time range, the history in it, and words for it. */
export interface ChartRange {
  /** The range in session time (ms since start), and its ends as wall time for the x axis. */
  from: number;
  to: number;
  min: number;
  max: number;
  wallOf: (mono: number) => number;
  /** "in this range", or "in this range of the log" for a past session. */
  words: string;
}

/**
 * Where the recent events are complete from, when older ones within `range` have given way; null when every event of
 * the range is held. The charts drawn from the events and the events table say it alike.
 */
export function eventsCompleteWithin(history: { eventsCompleteFrom: number | null } | null, range: Pick<ChartRange, 'from'>): number | null {
  const from = history?.eventsCompleteFrom ?? null;
  return from !== null && from > range.from ? from : null;
}
