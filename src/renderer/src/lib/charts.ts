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
import { CHARTED_CAUSES, type ChartedCause } from '../../../shared/series';
import { clockTime } from './format';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, ScatterController, LinearScale, Filler, Legend, Tooltip, Decimation);

export { Chart };
// Lets tests and devtools read a chart's data with Chart.getChart(canvas).
(globalThis as { Chart?: typeof Chart }).Chart = Chart;

/** Colours from the current theme's CSS variables. */
export function palette() {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    text: v('--muted'),
    grid: v('--grid'),
    rtt: v('--accent'),
    band: v('--accent-soft'),
    cause: Object.fromEntries(CHARTED_CAUSES.map((c) => [c, v(`--c-${c}`)])) as Record<ChartedCause, string>,
    attempt: v('--c-attempt'),
  };
}

/** Options every time chart shares: a linear x axis in wall-clock ms shown as time of day. */
export function timeOptions<T extends ChartType>(min: number, max: number, yTitle: string, extra: ChartOptions<T> = {} as ChartOptions<T>): ChartOptions<T> {
  const p = palette();
  const span = max - min;
  const base = {
    animation: false,
    parsing: false,
    normalized: true,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', intersect: false, axis: 'x' },
    plugins: {
      legend: { display: false, labels: { color: p.text } },
      tooltip: { callbacks: { title: (items: TooltipItem<ChartType>[]) => (items[0] ? clockTime((items[0].parsed as { x: number }).x) : '') } },
      decimation: { enabled: true, algorithm: 'min-max' },
    },
    scales: {
      x: {
        type: 'linear',
        min,
        max,
        grid: { color: p.grid },
        ticks: { color: p.text, maxTicksLimit: 8, callback: (v: string | number) => clockTime(Number(v), span < 3 * 3_600_000) },
      },
      y: { beginAtZero: true, grid: { color: p.grid }, ticks: { color: p.text }, title: { display: true, text: yTitle, color: p.text } },
    },
  };
  return merge(base, extra as Record<string, unknown>) as ChartOptions<T>;
}

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
