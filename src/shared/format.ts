// Numbers in words, the same on every face: the window, the terminal table and the HTML report.

/** Milliseconds kept to the microsecond: what events and exports carry. */
export const round3 = (v: number): number => Math.round(v * 1000) / 1000;

export function ms(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined) return '–';
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  return `${v.toFixed(v >= 100 ? 0 : digits)} ms`;
}

export function pct(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  const p = v * 100;
  return `${p >= 99.95 || p === 0 ? p.toFixed(0) : p.toFixed(p < 1 ? 2 : 1)} %`;
}

export function duration(msv: number): string {
  const s = Math.floor(msv / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  const h = Math.floor(s / 3600);
  return h < 48 ? `${h} h ${Math.floor((s % 3600) / 60)} min` : `${Math.floor(h / 24)} d ${h % 24} h`;
}
