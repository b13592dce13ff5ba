// A test host of our own: a network namespace joined to this one by a veth
// pair, with a lab server inside it. Its path can be blackholed (a route that
// drops every packet to us, so SYN-ACKs and pongs vanish as on a dead link)
// and restored. Made by the test that uses it and removed by it, also when it
// fails. Needs root (CI runs as root) and iproute2.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BIN, assertBuilt } from './cli';

/** Why namespaces cannot be made here, or null when they can. */
export function netnsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'network namespaces need root (CI runs as root)';
  if (!existsSync('/usr/sbin/ip') && !existsSync('/sbin/ip')) return 'iproute2 (ip) is not installed';
  try {
    const probe = `wsmon-probe-${process.pid}`;
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return `ip netns add failed here: ${(e as Error).message.split('\n')[0]}`;
  }
}

export interface TestHost {
  /** The lab's base URL inside the namespace: ws://10.231.N.2:PORT */
  url(path?: string): string;
  /** Drops every packet the host sends to us, from now on. */
  blackhole(): void;
  restore(): void;
  remove(): Promise<void>;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

/** Hosts made by this process so far: each gets names and an address block of its own. */
let hostsMade = 0;

export interface TestHostOptions {
  /**
   * Joins the namespace by a delay line (test/helpers/delay-line.py, two TUN
   * devices and a process between them) instead of a veth pair: every round
   * trip to the host takes this many ms more.
   */
  delayMs?: number;
}

export async function startTestHost(opts: TestHostOptions = {}): Promise<TestHost> {
  assertBuilt();
  // Names and a /30 of our own per host: tests in parallel, and hosts of one test, never share one.
  const k = hostsMade++;
  const n = (process.pid + k) % 250;
  const ns = `wsmon-${process.pid}-${k}`;
  const [outer, inner] = [`wsmA${process.pid}${k}`.slice(0, 15), `wsmB${process.pid}${k}`.slice(0, 15)];
  const [here, there] = [`10.231.${n}.1`, `10.231.${n}.2`];
  let lab: ChildProcess | null = null;
  let line: ChildProcess | null = null;
  const remove = async () => {
    for (const child of [lab, line]) if (child && child.exitCode === null) await new Promise((r) => (child.once('exit', r), child.kill()));
    try {
      ip('netns', 'del', ns); // its end of the veth pair goes with it, and so does ours
    } catch {
      /* never made */
    }
  };
  try {
    ip('netns', 'add', ns);
    if (opts.delayMs === undefined) {
      ip('link', 'add', outer, 'type', 'veth', 'peer', 'name', inner);
      ip('link', 'set', inner, 'netns', ns);
      ip('addr', 'add', `${here}/30`, 'dev', outer);
    } else {
      line = await startDelayLine(ns, outer, inner, opts.delayMs);
      ip('addr', 'add', here, 'peer', there, 'dev', outer);
    }
    ip('link', 'set', outer, 'up');
    ip('netns', 'exec', ns, 'ip', 'addr', 'add', ...(opts.delayMs === undefined ? [`${there}/30`] : [there, 'peer', here]), 'dev', inner);
    ip('netns', 'exec', ns, 'ip', 'link', 'set', inner, 'up');
    ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
    lab = spawn('ip', ['netns', 'exec', ns, process.execPath, BIN, 'lab', '--host', there], { stdio: ['ignore', 'pipe', 'inherit'] });
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      lab!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /wsmon lab: (ws:\/\/\S+?)\/?\n/.exec(out);
        if (m) resolve(m[1]!);
      });
      lab!.once('exit', () => reject(new Error(`the lab in ${ns} exited: ${out}`)));
    });
    const route = ['route', '%', 'blackhole', `${here}/32`];
    return {
      url: (path = '/') => `${base}${path}`,
      blackhole: () => ip('netns', 'exec', ns, 'ip', ...route.map((a) => (a === '%' ? 'add' : a))),
      restore: () => ip('netns', 'exec', ns, 'ip', ...route.map((a) => (a === '%' ? 'del' : a))),
      remove,
    };
  } catch (e) {
    await remove();
    throw e;
  }
}

/** The delay line's process, once both its devices exist. */
async function startDelayLine(ns: string, here: string, there: string, delayMs: number): Promise<ChildProcess> {
  const script = fileURLToPath(new URL('./delay-line.py', import.meta.url));
  // stdin stays open as the line's lifeline: it ends when this process does, whatever kills it.
  const child = spawn('python3', [script, ns, here, there, String(delayMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the delay line exited with ${code}: ${out}`)));
  });
  return child;
}
