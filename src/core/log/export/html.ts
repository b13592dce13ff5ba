// A self-contained HTML report: a summary per endpoint and its RTT, disconnect
// and reconnect charts, drawn as inline SVG (no script, no network: it opens
// offline in any browser). Built from recorders, so memory stays bounded
// whatever the log's size.
import { attemptPoints, disconnectBins, phaseBars, rttData, type ChartSource } from '../../../shared/chart-data';
import { PHASE_KEYS, PHASE_LABELS, phasesText, slowestPhase, type PhaseName } from '../../../shared/phases';
import { ms, pct } from '../../../shared/format';
import { printable } from '../../../shared/printable';
import { unrequestedDisconnects, type EndpointStatus } from '../../../shared/status';
import { healthOf } from '../../../shared/health';
import { CAUSE_LABEL, CHARTED_CAUSES, UPTIME_SPANS, type ChartedCause } from '../../../shared/series';
import type { EndpointRecorder } from '../../record/recorder';
import { describeRead, type ReadResult } from '../session-log';

const esc = (s: string) => printable(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const COLOURS: Record<ChartedCause, string> = { 'server-close': '#7c3aed', heartbeat: '#dc2626', network: '#ea580c', handshake: '#0891b2' };
/** The window's light theme (app.css --ph-*): the same phase is the same colour in both. */
const PHASE_COLOURS: Record<PhaseName, string> = { dns: '#7c3aed', tcp: '#0f766e', proxy: '#a16207', tls: '#db2777', upgrade: '#2563eb', app: '#ea580c' };
/** The network RTT's line (app.css --path). */
const PATH_COLOUR = '#0f766e';

export interface ReportSession {
  startWall: number;
  endWall: number;
  source: string;
  read: ReadResult;
  /** The session ended in the log (session-end): its own shutdown closed the sockets that were open. */
  ended: boolean;
}

export function htmlReport(session: ReportSession, recorders: EndpointRecorder[], endMono: number): string {
  const sections = recorders.map((r) => endpointSection(r, endMono, session.startWall)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>wsmon report</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1c2330;background:#fff}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}h3{font-size:14px;margin:12px 0 4px}table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left}
svg{display:block;width:100%;max-width:960px;height:auto;border:1px solid #ddd;border-radius:6px}
.muted{color:#4b5563}.warn{color:#9a3412;font-weight:600}
@media (prefers-color-scheme:dark){body{background:#11151c;color:#e6e9ef}td,th,svg{border-color:#2c3442}.muted{color:#a3acbb}.warn{color:#fdba74}}
</style></head><body><main>
<h1>wsmon session report</h1>
<p class="muted">${esc(session.source)} · ${new Date(session.startWall).toISOString()} to ${new Date(session.endWall).toISOString()}</p>
<p class="${session.read.complete ? 'muted' : 'warn'}">Read ${esc(describeRead(session.read))}.</p>
<table><thead><tr><th>endpoint</th><th>health at the end</th><th>RTT p50</th><th>RTT p95</th><th>loss</th><th>uptime</th><th>uptime back from the end</th><th>disconnects</th><th>attempts</th><th>connect phases (mean)</th></tr></thead><tbody>
${recorders.map((r) => summaryRow(r, endMono, session.ended)).join('\n')}
</tbody></table>
<p class="muted">Uptime back from the end: over 24 h, 7 d, 30 d and 90 d before the last event; * judged since the records begin, where that is later than the span's start.</p>
${sections}
</main></body></html>
`;
}

/** The health at the end, by the same model as the window (shared/health.ts); a socket the session's own shutdown closed was up until then. */
function endHealth(s: EndpointStatus, endMono: number, ended: boolean): string {
  if (ended && s.state === 'closing') return 'up until the session ended';
  const { health, cause } = healthOf(s, endMono);
  return cause === health ? health : `${health} · ${cause}`;
}

function summaryRow(r: EndpointRecorder, endMono: number, ended: boolean): string {
  const s = r.status(endMono);
  const d = unrequestedDisconnects(s.stats);
  return `<tr data-endpoint="${esc(s.id)}"><td>${esc(s.name)}</td><td>${esc(endHealth(s, endMono, ended))}</td><td>${ms(s.stats.rtt.p50Ms)}</td><td>${ms(s.stats.rtt.p95Ms)}</td><td>${pct(s.stats.loss)}</td><td>${pct(s.stats.uptime)}</td><td>${esc(spanWords(r, endMono))}</td><td>${d}</td><td>${s.stats.reconnectAttempts}</td><td>${esc(phaseWords(s))}</td></tr>`;
}

/** Uptime over each of UPTIME_SPANS back from the end: "24 h 99.5 %* · 7 d 99.5 %* · …". */
function spanWords(r: EndpointRecorder, endMono: number): string {
  const u = r.uptimes(endMono);
  return UPTIME_SPANS.map((s) => `${s.label} ${pct(u[s.key].value)}${u[s.key].since !== null && u[s.key].since! > endMono - s.ms ? '*' : ''}`).join(' · ');
}

/** The session's connects phase by phase (means), the slowest named: "tcp 10.1 · tls 20.3 · upgrade 5.7 ms, slowest tls". */
function phaseWords(s: EndpointStatus): string {
  const means = s.stats.phaseMeans;
  const slowest = means && slowestPhase(means);
  return means && slowest ? `${phasesText(means)} ms, slowest ${slowest.phase}` : '–';
}

// Drawn at about the size it is shown (max-width 960 px), so text of FONT units reads as FONT px.
const W = 960;
const H = 220;
const FONT = 13;
const PAD = { l: 52, r: 10, t: 14, b: 26 };

/** A count axis' top: a whole, even number, so its middle tick is a whole count too. */
const countMax = (n: number) => Math.max(2, Math.ceil(n / 2) * 2);

/** A chart's frame: the y axis in its unit, and a time axis in UTC (start, middle, end) over the session's span. */
function frame(title: string, yMax: number, yUnit: string, x0: number, x1: number, startWall: number, body: string): string {
  const ticks = [0, 0.5, 1].map((f) => {
    const y = PAD.t + (1 - f) * (H - PAD.t - PAD.b);
    return `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y}" y2="${y}" stroke="#8884" /><text x="${PAD.l - 4}" y="${y + 4}" text-anchor="end" font-size="${FONT}" fill="currentColor">${+(yMax * f).toPrecision(3)}</text>`;
  });
  const time = (t: number) => new Date(startWall + t).toISOString().slice(11, 19);
  const xTicks = (
    [
      [0, 'start'],
      [0.5, 'middle'],
      [1, 'end'],
    ] as const
  ).map(([f, anchor]) => {
    const x = PAD.l + f * (W - PAD.l - PAD.r);
    return `<text data-axis="time" x="${x}" y="${H - 6}" text-anchor="${anchor}" font-size="${FONT}" fill="currentColor">${time(x0 + f * (x1 - x0))}</text>`;
  });
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${ticks.join('')}<text x="${PAD.l + 2}" y="${PAD.t + 8}" font-size="${FONT}" fill="currentColor">${esc(yUnit)}</text>${xTicks.join('')}<text x="${W - PAD.r}" y="${PAD.t + 8}" text-anchor="end" font-size="${FONT}" fill="currentColor">UTC</text>${body}</svg>`;
}

function endpointSection(r: EndpointRecorder, endMono: number, startWall: number): string {
  const x0 = 0;
  const x1 = Math.max(endMono, 1);
  const h: ChartSource = { ...r.history.query(x0, x1), states: r.timeline.segments(x0, x1, x1), events: r.events() };
  const same = (t: number) => t;
  const sx = (t: number) => PAD.l + ((Math.min(x1, Math.max(x0, t)) - x0) / (x1 - x0)) * (W - PAD.l - PAD.r);
  const sy = (v: number, max: number) => PAD.t + (1 - v / max) * (H - PAD.t - PAD.b);
  const rtt = rttData(h, same);
  // Before the raw samples reach back, the buckets' medians stand in for them (with their spread drawn behind).
  const rawFrom = rtt.raw[0]?.x ?? Infinity;
  const older = rtt.spread.filter((p) => p.x < rawFrom);
  const points = [...older, ...rtt.raw];
  const rMax = Math.max(1, ...points.map((p) => p.y ?? 0), ...older.map((p) => p.p90 ?? 0), ...rtt.network.map((p) => p.y ?? 0)) * 1.1;
  // Outages shaded where they lasted, on the RTT chart as in the window.
  const shade = rtt.outages
    .map(
      (o) =>
        `<rect data-series="outage" x="${sx(o.from).toFixed(1)}" width="${Math.max(1, sx(o.to) - sx(o.from)).toFixed(1)}" y="${PAD.t}" height="${H - PAD.t - PAD.b}" fill="#dc262626" />`,
    )
    .join('');
  const noSamples = points.every((p) => p.y === null)
    ? `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" font-size="${FONT + 2}" fill="currentColor">No RTT samples${rtt.outages.length ? ': down' : ''}</text>`
    : '';
  const polylines = (series: string, stroke: string, dash: string, pts: { x: number; y: number | null }[]) => {
    // One polyline per stretch between breaks: no line is drawn across an outage.
    const runs: { x: number; y: number }[][] = [[]];
    for (const p of pts) {
      if (p.y === null) runs.push([]);
      else runs.at(-1)!.push({ x: p.x, y: p.y });
    }
    return runs
      .filter((run) => run.length)
      .map(
        (run) =>
          `<polyline data-series="${series}" fill="none" stroke="${stroke}" stroke-width="1.2"${dash} points="${run.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y, rMax).toFixed(1)}`).join(' ')}" />`,
      )
      .join('');
  };
  // The p10–p90 smoke: one polygon per unbroken stretch of buckets, p90 forward and p10 back.
  const smoke = older
    .reduce<{ x: number; lo: number; hi: number }[][]>(
      (runs, p) => (p.y === null ? [...runs, []] : (runs.at(-1)!.push({ x: p.x, lo: p.p10!, hi: p.p90! }), runs)),
      [[]],
    )
    .filter((run) => run.length)
    .map(
      (run) =>
        `<polygon data-series="spread" fill="#2563eb2e" stroke="none" points="${[...run.map((p) => [p.x, p.hi]), ...run.reverse().map((p) => [p.x, p.lo])]
          .map(([x, y]) => `${sx(x!).toFixed(1)},${sy(y!, rMax).toFixed(1)}`)
          .join(' ')}" />`,
    )
    .join('');
  const line =
    smoke + polylines('rtt', '#2563eb', '', points) + polylines('network-rtt', PATH_COLOUR, ' stroke-dasharray="5 3"', [...rtt.networkMean, ...rtt.network]);
  const marks = CHARTED_CAUSES.flatMap((c) =>
    rtt.marks[c].map((m) => `<path data-series="disconnect-mark" d="M${sx(m.x).toFixed(1)},${H - PAD.b} l-4,-8 h8 z" fill="${COLOURS[c]}" />`),
  ).join('');
  const BINS = 60;
  const bins = disconnectBins(h, x0, x1, BINS, same);
  const stacks = bins[CHARTED_CAUSES[0]!]
    .map((bin, i) => {
      let base = 0;
      return CHARTED_CAUSES.filter((c) => bins[c][i]!.y > 0).map((c) => {
        const v = { t: bin.x, v: bins[c][i]!.y, colour: COLOURS[c]!, base };
        base += v.v;
        return v;
      });
    })
    .flat();
  const dMax = countMax(Math.max(1, ...bins[CHARTED_CAUSES[0]!].map((_, i) => CHARTED_CAUSES.reduce((n, c) => n + bins[c][i]!.y, 0))));
  const attempts = attemptPoints(h, same).map((p) => ({ t: p.x, v: p.y, colour: '#d97706', base: 0 }));
  const aMax = Math.max(1, ...attempts.map((a) => a.v)) * 1.1;
  const bars = (values: { t: number; v: number; colour: string; base: number }[], max: number, series: string) =>
    values
      .map(
        (b) =>
          `<rect data-series="${series}" x="${(sx(b.t) - 2).toFixed(1)}" width="4" y="${sy(b.base + b.v, max).toFixed(1)}" height="${(sy(b.base, max) - sy(b.base + b.v, max)).toFixed(1)}" fill="${b.colour}" />`,
      )
      .join('');
  const legend = CHARTED_CAUSES.map((c) => `<span style="color:${COLOURS[c]}">■</span> ${CAUSE_LABEL[c]}`).join(' ');
  const phases = phaseBars(h, x0, x1, same);
  const phaseStacks = phases.bars.upgrade.flatMap((bar, i) => {
    let base = 0;
    return PHASE_KEYS.map((k) => PHASE_LABELS[k]).flatMap((p) => {
      const v = phases.bars[p][i]!.y;
      if (!v) return [];
      base += v;
      return [{ t: bar.x, v, colour: PHASE_COLOURS[p], base: base - v }];
    });
  });
  const pMax = Math.max(1, ...phases.bars.upgrade.map((_, i) => PHASE_KEYS.reduce((n, k) => n + phases.bars[PHASE_LABELS[k]][i]!.y, 0))) * 1.1;
  const phaseLegend = PHASE_KEYS.map((k) => `<span style="color:${PHASE_COLOURS[PHASE_LABELS[k]]}">■</span> ${PHASE_LABELS[k]}`).join(' ');
  const phaseNote = phases.slowest
    ? `${phases.connects} connect${phases.connects === 1 ? '' : 's'} shown (the last ones the log's events hold); slowest phase ${phases.slowest.phase}, mean ${ms(phases.slowest.ms)}.`
    : 'No connect with its phases in the events held.';
  const id = `ep-${esc(r.id)}`;
  return `<section aria-labelledby="${id}"><h2 id="${id}">${esc(r.name)} <span class="muted">${esc(r.url)}</span></h2>
<h3>Round-trip time</h3>
${frame(`RTT of ${r.name}, outages shaded, disconnects marked; the network's RTT of the same socket dashed`, rMax, 'RTT ms', x0, x1, startWall, shade + line + marks + noSamples)}
<p class="muted"><span style="color:#2563eb">―</span> RTT <span style="color:${PATH_COLOUR}">╌</span> network RTT (the kernel's, of the same socket: the path's share)</p>
<h3>Disconnects</h3>
${frame(`Disconnects of ${r.name} by cause`, dMax, 'disconnects', x0, x1, startWall, bars(stacks, dMax, 'disconnects'))}
<p class="muted">${legend}</p>
<h3>Reconnect attempts and their backoff delay</h3>
${frame(`Reconnect attempts of ${r.name} with their backoff delay`, aMax, 'delay ms', x0, x1, startWall, bars(attempts, aMax, 'attempts'))}
<h3>Connect phases</h3>
${frame(`Connect time of ${r.name} by phase, one bar per connect`, pMax, 'ms', x0, x1, startWall, bars(phaseStacks, pMax, 'phases'))}
<p class="muted">${phaseLegend} · ${esc(phaseNote)}</p>
</section>`;
}
