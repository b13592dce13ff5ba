// N wsmon endpoints at one heartbeat a second against a lab process, measured
// over a window once all are open: the scale benchmark's subject, and the
// network-RTT benchmark's with the kernel's RTT read and not.
import { Monitor } from '../src/core/engine/monitor';
import { parseEndpoint } from '../src/shared/config';
import { quantile, until, type LabProcess } from './lib';

export interface FleetOptions {
  /** Read the kernel's RTT with each answer (heartbeat.networkRtt; on by default, as for a user). */
  networkRtt?: boolean;
  /** Keep the last frames (frames.capture; on by default, as for a user). */
  frames?: boolean;
  /** The lab's behaviour for every endpoint, as a query string (tick=100: a message every 100 ms). */
  query?: string;
  /** Waits this long once all are open, before the window (frame rings fill in their first seconds). */
  settleMs?: number;
  /** Looks at the fleet once the window is measured, before it stops (what its frames hold). */
  inspect?: (monitor: Monitor) => void;
  /** A name for the run, in profiles' file names. */
  label: string;
}

export async function wsmonFleet(
  lab: LabProcess,
  n: number,
  measure: (begin: () => void, label?: string) => Promise<{ cpuPct: number; rss: number; loopP99: number; wall: number }>,
  opts: FleetOptions,
) {
  const monitor = new Monitor();
  const open = new Set<string>();
  // Send skew: how late each heartbeat went out against its ideal 1 s timeline, seen as the spacing of rtt seq numbers.
  const lastSent = new Map<string, number>();
  const skew: number[] = [];
  let rtts = 0;
  let withNetwork = 0;
  // As the app's records and updates take answers: their numbers, no event built (Monitor.on's `rtt`).
  monitor.on(
    (e) => {
      if (e.endpoint !== undefined && e.type === 'open') open.add(e.endpoint);
    },
    {
      rtt: (id, mono, e) => {
        rtts++;
        if (typeof e.networkRttMs === 'number') withNetwork++;
        const sentAt = mono - e.rttMs;
        const prev = lastSent.get(id);
        if (prev !== undefined) skew.push(Math.abs(sentAt - prev - 1000));
        lastSent.set(id, sentAt);
      },
    },
  );
  // The CPU the connects take, all of them (handshakes, phase timing, the first events): a connect's cost.
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++)
    monitor.add(
      parseEndpoint({
        url: `${lab.url}n${i}${opts.query ? `?${opts.query}` : ''}`,
        name: `n${i}`,
        heartbeat: { intervalMs: 1000, timeoutMs: 5000, networkRtt: opts.networkRtt ?? true },
        frames: { capture: opts.frames ?? true },
      }),
    );
  await until(() => open.size === n, 120_000);
  const connectCpu = process.cpuUsage(before);
  if (opts.settleMs) await new Promise((r) => setTimeout(r, opts.settleMs));
  const m = await measure(() => {
    skew.length = 0;
    rtts = 0;
    withNetwork = 0;
  }, opts.label);
  opts.inspect?.(monitor);
  await monitor.stop();
  return {
    ...m,
    skewP99: quantile(skew, 0.99),
    rttPerSec: (rtts / m.wall) * 1000,
    /** Share of the window's answers that carried a network RTT. */
    networkShare: rtts ? withNetwork / rtts : 0,
    /** CPU µs per connect, this process's, from the first add to the last open. */
    connectCpuUs: (connectCpu.user + connectCpu.system) / n,
  };
}
