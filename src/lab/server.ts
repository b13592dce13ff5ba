// A WebSocket server that misbehaves on purpose, for tests, benchmarks and
// `wsmon demo`. Each connection's behaviour comes from its URL's query string
// (e.g. ws://127.0.0.1:PORT/?pongDelay=100&dropEvery=3), overlaid on a
// per-path default set with `route()`. Listens on 127.0.0.1 only.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { SPEAKERS } from './speakers';

export interface Behavior {
  /** Delay every pong (frame or app message) by this many ms. */
  pongDelay?: number;
  /** Drop every k-th pong (k >= 1; 1 drops all). */
  dropEvery?: number;
  /** After this many ms, stop answering anything and keep the socket open (half-open peer). */
  silentAfter?: number;
  /** Close with `closeCode`/`closeReason` this many ms after open. */
  closeAfter?: number;
  closeCode?: number;
  closeReason?: string;
  /** Destroy the TCP connection this many ms after open, without a close frame. */
  dropAfter?: number;
  /** Refuse the upgrade with this HTTP status. */
  refuse?: number;
  /** Refuse the upgrade with 401 unless its Authorization header is exactly this (a service that needs a token). */
  requireAuth?: string;
  /** Never answer the upgrade request. */
  hang?: boolean;
  /** Answer the upgrade request this many ms late (a server slow to upgrade). */
  upgradeDelay?: number;
  /** Accept the upgrade, then drop the TCP connection at once. */
  flap?: boolean;
  /** Send this many messages of `floodSize` bytes right after open. */
  flood?: number;
  floodSize?: number;
  /** Send this text message once, right after open (what a frame inspector should show, escapes and all). */
  say?: string;
  /** Send one binary message of this many bytes after open. */
  oversized?: number;
  /** Send a frame with a reserved opcode after open. */
  invalidFrame?: boolean;
  /** Text that application pings are answered with when they equal `appPing` (default "ping" -> "pong"). */
  appPing?: string;
  appPong?: string;
  /** Send our own ping frames at this interval. */
  serverPing?: number;
  /** Send unsolicited pong frames (an RFC 6455 §5.5.3 one-way heartbeat) at this interval. */
  unsolicitedPong?: number;
  /**
   * Forge answers at this interval without reading a beat: pong frames and
   * "pong N" messages numbered 1, 2 … 30 (what a peer could guess), and pong
   * frames of a ping's shape with a zero nonce.
   */
  forgePongs?: number;
  /** Send a text message at this interval (passive-mode traffic). */
  tick?: number;
  /** Jitter added to each pong: uniform in [0, pongJitter) ms. */
  pongJitter?: number;
  /** Speak a real service's protocol (lab/speakers.ts): phoenix, actioncable, signalr, pusher or feed. */
  speaks?: string;
  /** The speaker's own heartbeat or data period, ms. */
  pingEvery?: number;
  /** The speaker refuses the client, with this reason, the protocol's way. */
  reject?: string;
}

const NUMERIC: (keyof Behavior)[] = [
  'pongDelay',
  'upgradeDelay',
  'dropEvery',
  'silentAfter',
  'closeAfter',
  'closeCode',
  'dropAfter',
  'refuse',
  'flood',
  'floodSize',
  'oversized',
  'serverPing',
  'unsolicitedPong',
  'tick',
  'pongJitter',
  'pingEvery',
  'forgePongs',
];
const FLAGS: (keyof Behavior)[] = ['hang', 'flap', 'invalidFrame'];
const TEXT: (keyof Behavior)[] = ['say', 'closeReason', 'appPing', 'appPong', 'speaks', 'reject', 'requireAuth'];

/** Reads a Behavior from a query string; unknown keys are ignored. */
export function behaviorFromQuery(search: URLSearchParams): Behavior {
  const b: Record<string, unknown> = {};
  for (const k of NUMERIC) if (search.has(k)) b[k] = Number(search.get(k));
  for (const k of FLAGS) if (search.has(k)) b[k] = search.get(k) !== 'false' && search.get(k) !== '0';
  for (const k of TEXT) if (search.has(k)) b[k] = search.get(k);
  return b as Behavior;
}

export interface LabStats {
  /** Upgrade requests received, with their arrival time (performance.now()). */
  upgrades: number[];
  opened: number;
  pingsReceived: number;
  pongsSent: number;
  appPingsReceived: number;
  /** Heartbeats a speaker sent by itself (ActionCable and SignalR pings). */
  serverPings: number;
}

export class Lab {
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  private readonly routes = new Map<string, Behavior>();
  private readonly sockets = new Set<Socket | Duplex>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private portNumber = 0;
  private host = '127.0.0.1';
  readonly stats: LabStats = { upgrades: [], opened: 0, pingsReceived: 0, pongsSent: 0, appPingsReceived: 0, serverPings: 0 };

  /** Starts listening on 127.0.0.1 (port 0 picks a free one), or on an address of a test's own network namespace. */
  async start(port = 0, host = '127.0.0.1'): Promise<this> {
    const http = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('wsmon lab: connect with a WebSocket\n');
    });
    const wss = new WebSocketServer({ noServer: true, autoPong: false, perMessageDeflate: false, maxPayload: 1024 * 1024 });
    http.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    http.on('upgrade', (req, socket, head) => this.upgrade(wss, req, socket, head));
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, host, () => resolve());
    });
    this.http = http;
    this.wss = wss;
    this.portNumber = (http.address() as AddressInfo).port;
    this.host = host;
    return this;
  }

  get port(): number {
    return this.portNumber;
  }

  /** ws://127.0.0.1:PORT/path?behavior */
  url(path = '/', behavior: Behavior = {}): string {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(behavior)) if (v !== undefined) q.set(k, String(v));
    const qs = q.toString();
    return `ws://${this.host}:${this.portNumber}${path}${qs ? `?${qs}` : ''}`;
  }

  /** Sets the default behaviour of a path; the query string still overrides it. */
  route(path: string, behavior: Behavior): void {
    this.routes.set(path, behavior);
  }

  get clientCount(): number {
    return this.wss?.clients.size ?? 0;
  }

  /** Stops listening and drops every connection at once (as a crashed server would). */
  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.wss?.clients ?? []) c.terminate();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const http = this.http;
    this.http = null;
    this.wss?.close();
    this.wss = null;
    if (http) await new Promise<void>((r) => http.close(() => r()));
  }

  /** Stops, then listens again on the same port. */
  async restart(downMs = 0): Promise<void> {
    const port = this.portNumber;
    await this.stop();
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.start(port, this.host);
  }

  /** Runs fn no sooner than ms from now: Node's timers may fire a fraction early against performance.now(). */
  private later(ms: number, fn: () => void): void {
    const due = performance.now() + ms;
    const arm = (wait: number) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        const left = due - performance.now();
        if (left > 0) arm(Math.ceil(left));
        else fn();
      }, wait);
      this.timers.add(t);
    };
    arm(ms);
  }

  private upgrade(wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.stats.upgrades.push(performance.now());
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    const u = new URL(req.url ?? '/', 'http://lab');
    const b: Behavior = { ...this.routes.get(u.pathname), ...behaviorFromQuery(u.searchParams) };
    if (b.hang) return; // keep the socket, say nothing
    const refuse = b.refuse ?? (b.requireAuth !== undefined && req.headers.authorization !== b.requireAuth ? 401 : undefined);
    if (refuse) {
      const text = STATUS_TEXT[refuse] ?? 'Refused';
      socket.end(`HTTP/1.1 ${refuse} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    if (b.upgradeDelay) {
      setTimeout(() => this.accept(wss, req, socket, head, b), b.upgradeDelay);
      return;
    }
    this.accept(wss, req, socket, head, b);
  }

  private accept(wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer, b: Behavior): void {
    if (socket.destroyed) return;
    wss.handleUpgrade(req, socket, head, (ws) => {
      this.stats.opened++;
      if (b.flap) {
        ws.terminate();
        return;
      }
      this.serve(ws, b, socket);
    });
  }

  private serve(ws: WebSocket, b: Behavior, socket: Duplex): void {
    let silent = false;
    let pongs = 0;
    const answer = (fn: () => void) => {
      if (silent) return;
      pongs++;
      if (b.dropEvery && pongs % b.dropEvery === 0) return;
      const delay = (b.pongDelay ?? 0) + (b.pongJitter ? Math.random() * b.pongJitter : 0);
      const send = () => {
        if (!silent && ws.readyState === ws.OPEN) {
          this.stats.pongsSent++;
          fn();
        }
      };
      if (delay > 0) this.later(delay, send);
      else send();
    };
    ws.on('error', () => {});
    ws.on('ping', (data) => {
      this.stats.pingsReceived++;
      answer(() => ws.pong(data));
    });
    const speaker = b.speaks ? SPEAKERS[b.speaks] : undefined;
    if (speaker) {
      // silentAfter stops what the speaker sends by itself (its data, its pings); ping frames are still answered.
      let quiet = false;
      const every = (ms: number, fn: () => void) => {
        const loop = () =>
          this.later(ms, () => {
            if (ws.readyState !== ws.OPEN || quiet) return;
            fn();
            loop();
          });
        loop();
      };
      if (b.silentAfter !== undefined) this.later(b.silentAfter, () => (quiet = true));
      speaker({ ws, every, pingEvery: b.pingEvery, reject: b.reject, serverPinged: () => this.stats.serverPings++ });
      return;
    }
    ws.on('message', (data, isBinary) => {
      // Binary messages are echoed: the binary heartbeat's peer.
      if (isBinary) {
        answer(() => ws.send(data, { binary: true }));
        return;
      }
      const text = data.toString();
      if (text === (b.appPing ?? 'ping')) {
        this.stats.appPingsReceived++;
        answer(() => ws.send(b.appPong ?? 'pong'));
      } else if (!silent && text.startsWith('echo:')) {
        ws.send(text.slice(5));
      }
    });
    const every = (ms: number, fn: () => void) => {
      const loop = () =>
        this.later(ms, () => {
          if (ws.readyState !== ws.OPEN) return;
          if (!silent) fn();
          loop();
        });
      loop();
    };
    if (b.serverPing) every(b.serverPing, () => ws.ping());
    if (b.unsolicitedPong) every(b.unsolicitedPong, () => ws.pong());
    let forged = 0;
    if (b.forgePongs) {
      every(b.forgePongs, () => {
        const n = (forged++ % 30) + 1;
        const shaped = Buffer.alloc(12);
        shaped.writeUInt32BE(n, 8);
        ws.pong(String(n));
        ws.pong(shaped);
        ws.send(`pong ${n}`);
      });
    }
    if (b.tick) every(b.tick, () => ws.send(`tick ${Date.now()}`));
    if (b.silentAfter !== undefined) this.later(b.silentAfter, () => (silent = true));
    if (b.closeAfter !== undefined) this.later(b.closeAfter, () => ws.close(b.closeCode ?? 1000, b.closeReason ?? ''));
    if (b.dropAfter !== undefined) this.later(b.dropAfter, () => socket.destroy());
    if (b.flood) {
      const payload = 'x'.repeat(b.floodSize ?? 64);
      for (let i = 0; i < b.flood; i++) ws.send(payload);
    }
    if (b.say !== undefined) ws.send(b.say);
    if (b.oversized) ws.send(Buffer.alloc(b.oversized));
    // FIN + reserved opcode 0x3, zero length: every compliant client must fail the connection.
    if (b.invalidFrame) socket.write(Buffer.from([0x83, 0x00]));
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export async function startLab(port = 0): Promise<Lab> {
  return new Lab().start(port);
}
