// A test host of our own: a network namespace joined to this one by a veth
// pair, with a lab server inside it. Its path can be blackholed (a route that
// drops every packet to us, so SYN-ACKs and pongs vanish as on a dead link)
// and restored. Made by the test that uses it and removed by it, also when it
// fails. Needs root (CI runs as root) and iproute2.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * Ends a namespace's helper processes, then deletes it (its end of a veth pair
 * goes with it, and so does ours) and its /etc/netns folder, if any; safe to
 * call when only part of it was made.
 */
function remover(ns: string, children: () => (ChildProcess | null)[]): () => Promise<void> {
  return async () => {
    for (const child of children()) if (child && child.exitCode === null) await new Promise((r) => (child.once('exit', r), child.kill()));
    try {
      ip('netns', 'del', ns);
    } catch {
      /* never made */
    }
    rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
  };
}

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
  const remove = remover(ns, () => [lab, line]);
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
    const started = await startLabIn(ns, there);
    lab = started.child;
    const base = started.base;
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
  return (await startChild('python3', [helper('delay-line.py'), ns, here, there, String(delayMs)], /^ready$/m)).child;
}

const helper = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** A lab in the namespace, listening on `host`: its process and base URL. */
async function startLabIn(ns: string, host: string): Promise<{ child: ChildProcess; base: string }> {
  const { child, match } = await startChild('ip', ['netns', 'exec', ns, process.execPath, BIN, 'lab', '--host', host], /wsmon lab: (ws:\/\/\S+?)\/?\n/);
  return { child, base: match[1]! };
}

/**
 * A helper process, once its output matches `ready`. Its stdin stays open as
 * its lifeline: the Python helpers end when it closes, whatever ends this process.
 */
function startChild(command: string, args: string[], ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) resolve({ child, match: m });
    });
    child.once('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${out}`)));
  });
}

export interface ResolverHost {
  /** The lab's port on the namespace's own loopback. */
  port: number;
  /** Runs the CLI inside the namespace, where `name` resolves to the lab through the slow resolver. */
  cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  remove(): Promise<void>;
}

/**
 * A namespace whose resolver (test/helpers/slow-dns.py on its 127.0.0.1:53,
 * named by /etc/netns/NS/resolv.conf, which `ip netns exec` puts in place of
 * /etc/resolv.conf) answers `name` with 127.0.0.1 after `delayMs`, and a lab
 * on its loopback: a real lookup, slow by a known amount.
 */
export async function startResolverHost(name: string, delayMs: number): Promise<ResolverHost> {
  assertBuilt();
  const ns = `wsmon-dns-${process.pid}-${hostsMade++}`;
  const etc = `/etc/netns/${ns}`;
  const children: ChildProcess[] = [];
  const remove = remover(ns, () => children);
  try {
    ip('netns', 'add', ns);
    ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
    mkdirSync(etc, { recursive: true });
    writeFileSync(`${etc}/resolv.conf`, 'nameserver 127.0.0.1\noptions timeout:5 attempts:1\n');
    children.push((await startChild('ip', ['netns', 'exec', ns, 'python3', helper('slow-dns.py'), name, '127.0.0.1', String(delayMs)], /^ready$/m)).child);
    const lab = await startLabIn(ns, '127.0.0.1');
    children.push(lab.child);
    const cli = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile('ip', ['netns', 'exec', ns, process.execPath, BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } }, (e, stdout, stderr) =>
          resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    return { port: Number(new URL(lab.base).port), cli, remove };
  } catch (e) {
    await remove();
    throw e;
  }
}

export interface ClientNamespace {
  /** Two addresses of ours (this namespace's end of the link) that the namespace reaches: listen on them. */
  addresses: [string, string];
  /** Starts the built CLI inside the namespace; its stdout lines reach `onLine`. */
  spawnCli(args: string[], onLine: (line: string) => void): ChildProcess;
  /** Takes the link away (our end down: the namespace's interface loses its carrier), and gives it back. */
  cut(): void;
  mend(): void;
  remove(): Promise<void>;
}

/**
 * A namespace for wsmon itself, whose only way out is a veth pair to us: cutting
 * the link leaves it as a machine whose network is gone (no interface up, the
 * resolver, named by /etc/netns/NS/resolv.conf as our end of the link, out of
 * reach), with the servers it watches still running here.
 */
export async function startClientNamespace(): Promise<ClientNamespace> {
  assertBuilt();
  const k = hostsMade++;
  const n = (process.pid + k) % 250;
  const ns = `wsmon-cli-${process.pid}-${k}`;
  const etc = `/etc/netns/${ns}`;
  const [outer, inner] = [`wsmC${process.pid}${k}`.slice(0, 15), `wsmD${process.pid}${k}`.slice(0, 15)];
  const addresses: [string, string] = [`10.232.${n}.1`, `10.232.${n}.3`];
  const children: ChildProcess[] = [];
  const remove = remover(ns, () => children);
  try {
    ip('netns', 'add', ns);
    ip('link', 'add', outer, 'type', 'veth', 'peer', 'name', inner);
    ip('link', 'set', inner, 'netns', ns);
    for (const a of addresses) ip('addr', 'add', `${a}/24`, 'dev', outer);
    ip('link', 'set', outer, 'up');
    ip('netns', 'exec', ns, 'ip', 'addr', 'add', `10.232.${n}.2/24`, 'dev', inner);
    ip('netns', 'exec', ns, 'ip', 'link', 'set', inner, 'up');
    ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
    mkdirSync(etc, { recursive: true });
    writeFileSync(`${etc}/resolv.conf`, `nameserver ${addresses[0]}\noptions timeout:1 attempts:1\n`);
    return {
      addresses,
      spawnCli: (args, onLine) => {
        const child = spawn('ip', ['netns', 'exec', ns, process.execPath, BIN, ...args], {
          stdio: ['ignore', 'pipe', 'inherit'],
          env: { ...process.env, NO_COLOR: '1' },
        });
        children.push(child);
        let rest = '';
        child.stdout!.on('data', (d: Buffer) => {
          const lines = (rest + d.toString()).split('\n');
          rest = lines.pop()!;
          lines.forEach(onLine);
        });
        return child;
      },
      cut: () => ip('link', 'set', outer, 'down'),
      mend: () => ip('link', 'set', outer, 'up'),
      remove,
    };
  } catch (e) {
    await remove();
    throw e;
  }
}
