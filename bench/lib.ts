// Shared helpers for benchmarks: the lab process, statistics, a result line.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import WebSocket from 'ws';

export interface LabProcess {
  url: string;
  call<T>(cmd: object): Promise<T>;
  stop(): Promise<void>;
}

export async function startLabProcess(): Promise<LabProcess> {
  // Every benchmark is bundled next to server.mjs (bench/run.js).
  const script = join(dirname(process.argv[1]!), 'server.mjs');
  const child: ChildProcess = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: Interface = createInterface({ input: child.stdout! });
  const queue: ((line: string) => void)[] = [];
  lines.on('line', (l) => queue.shift()?.(l));
  const next = () => new Promise<string>((r) => queue.push(r));
  const { url } = JSON.parse(await next()) as { url: string };
  return {
    url,
    async call<T>(cmd: object): Promise<T> {
      const answer = next();
      child.stdin!.write(`${JSON.stringify(cmd)}\n`);
      return JSON.parse(await answer) as T;
    },
    async stop() {
      const done = new Promise((r) => child.once('exit', r));
      child.stdin!.write('{"op":"stop"}\n');
      await done;
    },
  };
}

export function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
}

export const median = (v: number[]) => quantile(v, 0.5);
export const fmt = (n: number, digits = 3) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

/** A benchmark's output: a markdown table and verdicts against its goals. */
export interface BenchResult {
  title: string;
  command: string;
  table: string[][];
  goals: { goal: string; met: boolean; measured: string }[];
  notes?: string[];
}

export function report(result: BenchResult): void {
  process.stdout.write(`@@RESULT ${JSON.stringify(result)}\n`);
}

/** Waits for a condition by polling the event loop (benchmarks may wait; they never assert on time). */
export async function until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/**
 * CPU (% of one core), RSS and event-loop delay of this process over a window
 * of `ms`; `begin` runs as the window opens, after 2 s to settle. Under
 * --cpu-prof (BENCH_PROFILE_DIR) the window alone is also profiled, to
 * `<label>.cpuprofile`: setup and connect bursts stay out of it.
 */
export async function measureWindow(begin: () => void, ms: number, label?: string): Promise<{ cpuPct: number; rss: number; loopP99: number; wall: number }> {
  await new Promise((r) => setTimeout(r, 2000)); // settle after the connect burst
  begin();
  const profiler = label && process.env.BENCH_PROFILE_DIR ? new Session() : null;
  const post = (method: string) => new Promise<unknown>((resolve, reject) => profiler!.post(method, (err, result) => (err ? reject(err) : resolve(result))));
  if (profiler) {
    profiler.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
  }
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  delay.disable();
  if (profiler) {
    const { profile } = (await post('Profiler.stop')) as { profile: object };
    mkdirSync(process.env.BENCH_PROFILE_DIR!, { recursive: true });
    writeFileSync(join(process.env.BENCH_PROFILE_DIR!, `${label}.cpuprofile`), JSON.stringify(profile));
    profiler.disconnect();
  }
  return { cpuPct: ((cpu.user + cpu.system) / 1000 / wall) * 100, rss: process.memoryUsage().rss / 1e6, loopP99: delay.percentile(99) / 1e6, wall };
}

/** A helper bundled next to the benchmarks (bench/run.js), started in its own process; resolves with its first stdout line, parsed. */
export async function startHelper<T>(name: string): Promise<{ info: T; stop(): void }> {
  const child = spawn(process.execPath, [join(dirname(process.argv[1]!), `${name}.mjs`)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const first = await new Promise<string>((r) => createInterface({ input: child.stdout! }).once('line', r));
  return { info: JSON.parse(first) as T, stop: () => child.stdin!.end() };
}

/**
 * The most history (and statistics) one endpoint may hold, in KB, whatever the session's length: 128 KB until
 * the network RTT joined the history (+20 KB: a column in the raw ring, a sum and a count per bucket), then the
 * spread (+14 KB: p10, median and p90 per bucket in place of a p95), then months (+163 KB: 90 days of hour buckets
 * instead of 14, and a year of day buckets, 68 bytes each). Since the benchmark's endpoints change state once a day,
 * their 90 days of uptime hours and their ring of changes count too (+43 KB), and a bucket's fields are sparse (one
 * never written takes nothing: −47 KB for those endpoints, which use 12 of 15); the memory benchmark prints the most,
 * every field taken, beside it (338 KB).
 */
export const HISTORY_BOUND_KB = 320;

/** `wsmon web` (the built CLI) with `args`, once it has said its address; `port` and `token` are its bridge's. */
export async function startWsmonWeb(
  args: string[],
  /** Given the process as soon as it is spawned: to watch it while it starts. */
  spawned?: (child: ChildProcess) => void,
): Promise<{ child: ChildProcess; url: string; port: number; token: string }> {
  const child = spawn(process.execPath, ['bin/wsmon.js', 'web', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  spawned?.(child);
  const url = await new Promise<string>((resolve) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /wsmon web: (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
  });
  const { port, hash } = new URL(url);
  return { child, url, port: Number(port), token: hash.replace('#token=', '') };
}

/** A process's resident memory now (bytes), from /proc. */
export const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;

/** A client of wsmon web's bridge, as a window is: one call at a time, and everything pushed to it counted. */
export class BridgeClient {
  closed: number | null = null;
  largest = 0;
  pushes = 0;
  private waiting: ((answer: { ok: boolean; result?: unknown; error?: { message: string } }) => void) | null = null;
  private seq = 0;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d: Buffer) => {
      this.largest = Math.max(this.largest, d.length);
      const msg = JSON.parse(d.toString()) as { answer?: never; update?: unknown };
      if (msg.answer) this.waiting?.(msg.answer);
      else this.pushes++;
    });
    ws.on('close', (code) => (this.closed = code));
  }
  static open(port: number, token: string): Promise<BridgeClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`, { origin: `http://127.0.0.1:${port}` });
    return new Promise((resolve, reject) => ws.once('open', () => resolve(new BridgeClient(ws))).once('error', reject));
  }
  call<T>(method: string, payload: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      this.waiting = (a) => (a.ok ? resolve(a.result as T) : reject(new Error(a.error!.message)));
      this.ws.send(JSON.stringify({ id: ++this.seq, method, payload }));
    });
  }
}
