// One socket's life: connect with a timeout, name what goes wrong, run the
// heartbeat while open, and report exactly one outcome: failed (never
// opened) or closed (after open).
import { randomInt } from 'node:crypto';
import { isIP, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import type { EndpointConfig } from '../../shared/config';
import type { ResolvedConfig } from './resolved-config';
import type { CloseInitiator, EventBody } from '../../shared/events';
import { deadline, type Clock, type Deadline, type TimerHandle } from './clock';
import {
  closedBeforeOpen,
  closedInHandshake,
  connectTimeout,
  handshakeTimeout,
  httpRefusal,
  nameError,
  protocolCloseCode,
  tcpTimeout,
  type NamedError,
} from './errors';
import { Freshness } from './freshness';
import { failedIn, PhaseClock, type AttemptShape, type PhaseMark } from './phase-clock';
import type { ConnectPhases, PhaseName } from '../../shared/phases';
import type { FrameLog } from './frame-log';
import { Heartbeat } from './heartbeat';
import { kernelRtt, socketFd } from './kernel-rtt';
import type { Driver, DriverPort } from './protocols/driver';
import { driverFor, handshakeName } from './protocols';
import { proxyFailure, proxyRefusal, proxyRoute, type ProxyRoute } from './proxy-agent';
import { tlsFailure, type TlsContext } from './tls';
import { round3 } from '../../shared/format';

type RttBody = Extract<EventBody, { type: 'rtt' }>;

export interface CloseInfo {
  code: number;
  reason: string;
  wasClean: boolean;
  initiator: CloseInitiator;
  uptimeMs: number;
}

export interface OpenInfo {
  /** From the start of the attempt to ready: the upgrade and any application handshake. */
  handshakeMs: number;
  phases: ConnectPhases;
  protocol: string;
  /** The proxy the connection went through (credentials masked), or null. */
  proxy: string | null;
  /** The server's IP address the socket reached, or null through a proxy (the socket reaches the proxy). */
  address: string | null;
  /** What the application handshake negotiated, in words, or null without one. */
  negotiated: string | null;
}

export interface LinkHooks {
  open(info: OpenInfo): void;
  /** rtt, heartbeat-missed and error (phase open). */
  event(body: EventBody): void;
  /** An attempt failed before open; inPhase and phaseMs say where it was (absent when it never started). */
  failed(error: NamedError & { inPhase?: PhaseName; phaseMs?: number }): void;
  closed(info: CloseInfo): void;
}

/**
 * The bound on the TCP connect alone: one heartbeat interval, so no attempt
 * waits on a dead path longer than wsmon takes to notice a dead peer; at
 * least 1 s (a SYN and its answer on any real path), at most 3 s (one SYN
 * retransmission, which Linux sends after 1 s), and never past the connect
 * timeout. Past it the backoff sends a fresh SYN on its own schedule instead
 * of the kernel's (1, 3, 7, 15 s …), which outlives a short outage.
 */
export function tcpConnectBound(cfg: Pick<EndpointConfig, 'connectTimeoutMs' | 'heartbeat'>): number {
  return Math.min(cfg.connectTimeoutMs, Math.max(1000, Math.min(3000, cfg.heartbeat.intervalMs)));
}

/** How long a client-initiated close waits for the server's close frame before dropping the socket. */
const CLOSE_GRACE_MS = 1000;

export class Link {
  private ws: WebSocket | null = null;
  private readonly where: string;
  /** When the socket opened; the link counts as open only once the driver is ready (openedAt). */
  private socketOpen = false;
  private openedAt: number | null = null;
  private driver: Driver | null = null;
  private gotResponse = false;
  private pendingError: NamedError | null = null;
  private initiator: CloseInitiator | null = null;
  /** The close code we sent after a protocol error; the peer rarely echoes it, so ws would report 1006. */
  private sentCloseCode: number | null = null;
  private heartbeat: Heartbeat | null = null;
  private route: ProxyRoute | null = null;
  private freshness: Freshness | null = null;
  private connectTimer: Deadline | null = null;
  private tcpTimer: Deadline | null = null;
  private graceTimer: TimerHandle | null = null;
  private done = false;
  private readonly tls = { handshakeDone: false, certRequested: false };
  private phaseClock: PhaseClock | null = null;
  /** The socket's descriptor, for the kernel's RTT (looked up at the first answer). */
  private fd: number | null | undefined;
  /** This connect's number in the endpoint's frame log. */
  private conn = 0;
  /** Set while a beat is written, so the message it sends is marked as the heartbeat's. */
  private beating = false;
  /** Set when the message being handled answered a beat. */
  private answered = false;
  private closeSent = false;
  /** Where beat numbers on the wire start for this connection (see port). */
  private readonly beatBase = randomInt(1_000_000, 2 ** 31);
  /** Resolves once the socket is fully closed. */
  readonly ended: Promise<void>;
  private resolveEnded!: () => void;

  constructor(
    private readonly cfg: ResolvedConfig,
    private readonly clock: Clock,
    private readonly frames: FrameLog,
    private readonly hooks: LinkHooks,
  ) {
    this.ended = new Promise((r) => (this.resolveEnded = r));
    const u = new URL(cfg.url);
    this.where = `${u.hostname}:${u.port || (u.protocol === 'wss:' ? 443 : 80)}`;
    const startedAt = clock.now();
    let ws: WebSocket;
    try {
      this.route = cfg.proxyUrl ? proxyRoute(cfg.proxyUrl) : null;
      ws = new WebSocket(cfg.url, cfg.protocols, {
        headers: cfg.headers,
        maxPayload: cfg.maxPayload,
        rejectUnauthorized: cfg.rejectUnauthorized,
        ca: cfg.ca,
        cert: cfg.cert,
        key: cfg.key,
        passphrase: cfg.clientKeyPassphrase,
        ...(this.route ? { agent: this.route.agent } : {}),
        perMessageDeflate: false,
        followRedirects: false,
        autoPong: true,
      });
    } catch (e) {
      // Reported on the next tick so the owner has stored this link before hearing from it.
      const err = e as Error & { code?: string };
      const named: NamedError = { phase: 'connect', code: err.code ?? 'CONNECT_FAILED', message: err.message };
      queueMicrotask(() => this.finish(() => hooks.failed(named)));
      return;
    }
    this.ws = ws;
    this.conn = frames.begin(requestHeaders(ws));
    this.phaseClock = new PhaseClock(startedAt);
    this.watchHandshake(ws, startedAt);
    this.watchTraffic(ws);
    this.watchEnd(ws);
  }

  /** Until open: the connect timeout, an HTTP refusal, then the heartbeat once open. */
  private watchHandshake(ws: WebSocket, startedAt: number): void {
    const { cfg, clock } = this;
    // Judged once what has come in is read: after a stall of ours, an answer that came in time
    // opens the link, which clears this deadline, and the timeout is not given.
    this.connectTimer = deadline(clock, cfg.connectTimeoutMs, () => {
      this.pendingError ??= this.socketOpen
        ? handshakeTimeout(cfg.connectTimeoutMs, handshakeName(cfg))
        : connectTimeout(cfg.connectTimeoutMs, this.where, this.gotResponse, this.route?.shown);
      ws.terminate();
    });
    const mark = (m: PhaseMark) => this.phaseClock?.mark(m, clock.now());
    ws.on('upgrade', (res) => {
      this.gotResponse = true;
      mark('response');
      this.frames.answered(this.conn, res.statusCode ?? 0, res.statusMessage ?? '', headerPairs(res.rawHeaders));
    });
    (ws as unknown as { _req?: import('node:http').ClientRequest })._req?.once('socket', (s) => {
      // A socket handed over already connected has come through a proxy's tunnel.
      if (!s.connecting) mark('proxy');
      s.once('lookup', () => mark('lookup'));
      s.once('connect', () => mark('connect'));
      if (s instanceof TLSSocket) s.once('secureConnect', () => mark('tls'));
      // The first bytes of an answer, before its headers are complete: a server that sends "101" and stalls has answered.
      s.once('data', () => (this.gotResponse = true));
      if (s.connecting) this.watchTcp(s, ws);
      if (s instanceof TLSSocket) this.watchTls(s);
    });
    ws.on('unexpected-response', (_req, res) => {
      this.gotResponse = true;
      this.frames.answered(this.conn, res.statusCode ?? 0, res.statusMessage ?? '', headerPairs(res.rawHeaders));
      // Through a proxy, the status may be the proxy's refusal of the tunnel, not the server's.
      this.pendingError ??= (this.route && proxyRefusal(this.route)) || httpRefusal(res.statusCode ?? 0, res.statusMessage ?? '');
      ws.terminate();
    });
    ws.on('open', () => {
      this.socketOpen = true;
      this.watchCloseFrame(ws);
      this.driver = driverFor(cfg, this.port(ws, startedAt), clock);
      this.driver.open();
    });
  }

  /**
   * The TCP connect has its own short bound, apart from the handshake's: an
   * attempt made while the path is down otherwise waits on the kernel's SYN
   * retransmissions (1, 3, 7 s … after the first) long after the path is back.
   * It starts once the name is resolved (a slow resolver is not a slow path).
   */
  private watchTcp(socket: Socket, ws: WebSocket): void {
    const bound = tcpConnectBound(this.cfg);
    const start = () => {
      if (this.done || !socket.connecting) return;
      // As the connect timeout: a connect that completed in time, read after a stall of ours, clears it first.
      this.tcpTimer = deadline(this.clock, bound, () => {
        this.tcpTimer = null;
        this.pendingError ??= tcpTimeout(bound, this.where);
        ws.terminate();
      });
    };
    socket.once('connect', () => this.clearTcpTimer());
    if (!this.attemptShape().lookup) start();
    else socket.once('lookup', start);
  }

  private clearTcpTimer(): void {
    this.tcpTimer?.clear();
    this.tcpTimer = null;
  }

  /**
   * What the TLS exchange told the client: whether the server asked for a
   * client certificate (its CertificateRequest leaves shared signature
   * algorithms; without one there are none) and whether the client's side of
   * the handshake is done (TLS 1.3 servers judge a client certificate after it).
   */
  private watchTls(socket: TLSSocket): void {
    const look = () => {
      try {
        this.tls.certRequested ||= socket.getSharedSigalgs().length > 0;
      } catch {
        /* the socket is gone: what was seen stands */
      }
    };
    const done = () => {
      this.tls.handshakeDone = true;
      look();
    };
    // Key material is made once the server's flight (and any CertificateRequest) is read, before a TLS 1.2 refusal.
    socket.on('keylog', look);
    if ((socket as unknown as { _secureEstablished?: boolean })._secureEstablished) done();
    else socket.once('secureConnect', done);
  }

  /** What this attempt goes through, from its settings: the phases a failure can be in. */
  private attemptShape(): AttemptShape {
    const host = new URL(this.cfg.url).hostname.replace(/^\[|\]$/g, '');
    return { lookup: !isIP(host), proxied: this.route !== null, tls: this.cfg.url.startsWith('wss:') };
  }

  /** The TLS context of a failure before open (null for ws://). */
  private tlsContext(): TlsContext | null {
    if (!this.cfg.url.startsWith('wss:')) return null;
    return { ...this.tls, sentCert: this.cfg.cert !== undefined, gotResponse: this.gotResponse };
  }

  /**
   * What the protocol driver may do with this link. Beat numbers on the wire
   * ({seq} in a message, a JSON-RPC id) start at a random number per
   * connection, so a peer that never read a beat cannot name one in a forged
   * answer; events keep counting beats from 1.
   */
  private port(ws: WebSocket, startedAt: number): DriverPort {
    const send = (data: string | Buffer) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      this.frames.record(this.conn, 'out', typeof data === 'string' ? 'text' : 'binary', data, this.beating ? 'heartbeat' : 'protocol');
      ws.send(data);
    };
    const beatOf = (wire: number | null) => (wire === null ? null : wire - this.beatBase);
    return {
      send,
      ready: (detail) => this.ready(ws, startedAt, detail ?? null),
      refuse: (code, message) => {
        if (this.openedAt !== null || this.done) return;
        this.pendingError ??= { phase: 'handshake', code, message };
        this.close('client');
      },
      fault: (code, message) => {
        if (this.openedAt === null || this.initiator !== null) return;
        this.hooks.event({ type: 'error', phase: 'open', code, message });
        // The server has said it is ending the session (it closes next, per its protocol).
        this.close('server');
      },
      answer: (wire) => {
        this.answered = true;
        this.heartbeat?.answer(beatOf(wire));
      },
      failBeat: (wire, message) => {
        this.answered = true;
        this.heartbeat?.fail(beatOf(wire), message);
      },
      alive: () => this.heartbeat?.alive(),
      watchPeer: (firstMs, thenMs, misses) => this.heartbeat?.watchPeer(firstMs, thenMs, misses),
      data: (text) => this.freshness?.onData(text),
    };
  }

  /** The socket is open and any application handshake done: the link is open; heartbeat and freshness start. */
  private ready(ws: WebSocket, startedAt: number, negotiated: string | null): void {
    const { cfg, clock, hooks } = this;
    if (this.openedAt !== null || this.done || this.initiator !== null) return;
    this.clearConnectTimer();
    this.openedAt = clock.now();
    const phases = this.phaseClock!.phases(this.openedAt, cfg.appProtocol !== undefined || cfg.onOpen?.ack !== undefined);
    this.frames.opened(this.conn, phases);
    const address = this.route ? null : (socketOf(ws)?.remoteAddress ?? null);
    hooks.open({ handshakeMs: this.openedAt - startedAt, phases, protocol: ws.protocol, proxy: this.route?.shown ?? null, address, negotiated });
    if (this.done) return; // a hook may have closed us
    const driver = this.driver!; // set when the socket opened, before ready
    this.heartbeat = new Heartbeat(
      { ...cfg.heartbeat, mode: driver.beats },
      {
        // Recorded as it goes (before the call, as the heartbeat times it).
        ping: (data) => {
          this.frames.record(this.conn, 'out', 'ping', data, 'heartbeat');
          ws.ping(data);
        },
        beat: (seq) => {
          this.beating = true;
          try {
            driver.beat(this.beatBase + seq);
          } finally {
            this.beating = false;
          }
        },
      },
      clock,
      {
        rtt: (seq, rttMs, via, late) => {
          const e: RttBody = { type: 'rtt', seq, rttMs: round3(rttMs), via };
          if (late) e.late = true;
          this.addNetworkRtt(ws, e);
          hooks.event(e);
        },
        missed: (seq, missed, silence) => hooks.event(silence ? { type: 'heartbeat-missed', seq, missed, silence } : { type: 'heartbeat-missed', seq, missed }),
        failed: (seq, message) => hooks.event({ type: 'error', phase: 'open', code: 'BEAT_FAILED', message: `heartbeat #${seq} failed: ${message}` }),
        dead: () => this.terminate('heartbeat'),
      },
    );
    this.heartbeat.start();
    if (cfg.freshness) {
      const expectedMs = cfg.freshness.everyMs;
      this.freshness = new Freshness(cfg.freshness, clock, {
        stale: (silentMs) => hooks.event({ type: 'stale', expectedMs, silentMs: Math.round(silentMs) }),
        fresh: (silentMs) => hooks.event({ type: 'fresh', silentMs: Math.round(silentMs) }),
      });
      this.freshness.start();
    }
  }

  /**
   * The kernel's RTT of this connection's socket, read as an answer comes in
   * (engine/kernel-rtt.ts), onto the rtt event: nothing when sampling is off,
   * null values where the kernel cannot be asked. The descriptor is looked up
   * once; a destroyed socket's is never read (the number may be another's).
   */
  private addNetworkRtt(ws: WebSocket, e: RttBody): void {
    if (!this.cfg.heartbeat.networkRtt) return;
    const read = kernelRtt().read;
    const socket = socketOf(ws);
    let got = null;
    if (read && socket && !socket.destroyed) {
      this.fd ??= socketFd(socket);
      got = this.fd === null ? null : read(this.fd);
    }
    e.networkRttMs = got === null ? null : got.rttMs;
    e.networkRttVarMs = got === null ? null : got.rttVarMs;
    if (this.route) e.networkTo = 'proxy';
  }

  /**
   * What the peer sends: pongs for the heartbeat, everything else for the
   * protocol driver; each frame into the frame log first, marked as the
   * heartbeat's when it answered a beat.
   */
  private watchTraffic(ws: WebSocket): void {
    const frames = this.frames;
    ws.on('pong', (data) => {
      const seq = frames.record(this.conn, 'in', 'pong', data);
      if (this.heartbeat?.onPong(data)) frames.mark(seq, 'heartbeat');
      this.driver?.ping();
    });
    ws.on('ping', (data) => {
      frames.record(this.conn, 'in', 'ping', data);
      // ws has answered it already (autoPong), with the same payload.
      frames.record(this.conn, 'out', 'pong', data, 'protocol');
      this.driver?.ping();
    });
    // binaryType is nodebuffer: every message is one Buffer.
    ws.on('message', (data, isBinary) => {
      const seq = frames.record(this.conn, 'in', isBinary ? 'binary' : 'text', data as Buffer);
      this.answered = false;
      this.driver?.message(data as Buffer, isBinary);
      if (this.answered) frames.mark(seq, 'heartbeat');
    });
  }

  /** The peer's close frame, as it is read (ws's own listener has answered it by then, unless we closed first). */
  private watchCloseFrame(ws: WebSocket): void {
    const receiver = (ws as unknown as { _receiver?: import('node:events').EventEmitter })._receiver;
    receiver?.on('conclude', (code: number, reason: Buffer) => {
      const given = code === 1005 ? null : code;
      this.frames.record(this.conn, 'in', 'close', reason, null, given);
      if (this.closeSent) return;
      this.sentClose(given, reason);
      // The peer is closing: no beat will be answered now, and the socket's end that follows is the peer's doing,
      // not a silence (a beat's deadline can fall between this frame and the socket's end).
      this.initiator ??= 'server';
      this.stopWatching();
    });
  }

  /** A close frame went out (ours, or ws's on our behalf). */
  private sentClose(code: number | null, reason: Buffer | string): void {
    this.closeSent = true;
    this.frames.record(this.conn, 'out', 'close', reason, 'protocol', code);
  }

  /** Errors named in words, and the one report of how the link ended: failed before open, or closed. */
  private watchEnd(ws: WebSocket): void {
    const { clock, hooks } = this;
    ws.on('error', (err) => {
      if (this.openedAt === null) {
        const tls = this.tlsContext();
        this.pendingError ??=
          (this.route && proxyFailure(this.route, err)) || (tls && tlsFailure(err as Error & { code?: string }, tls)) || nameError(err, this.where, false);
      } else if (this.initiator === null) {
        // A protocol error after open: ws closes the socket itself; the close that follows is ours, and no beat
        // is judged while it goes.
        this.initiator = 'client';
        this.stopWatching();
        const named = nameError(err, this.where, true);
        this.sentCloseCode = protocolCloseCode(named.code);
        // ws has sent a close frame with that code.
        if (!this.closeSent) this.sentClose(this.sentCloseCode, '');
        hooks.event({ type: 'error', ...named });
      }
    });
    ws.on('close', (code, reasonBuf) => {
      this.finish(() => {
        if (this.openedAt === null) {
          const inHandshake = this.socketOpen
            ? closedInHandshake(code, reasonBuf.toString(), handshakeName(this.cfg), this.driver?.closeWords?.(code, reasonBuf.toString()) ?? null)
            : null;
          const tls = this.socketOpen ? null : this.tlsContext();
          // A close with no error right after the TLS exchange reads like a reset: the server dropped us, perhaps over our certificate.
          const named = this.pendingError ?? inHandshake ?? (tls && tlsFailure({ code: 'ECONNRESET', message: '' }, tls)) ?? closedBeforeOpen(this.where);
          const where = failedIn(this.phaseClock!, this.attemptShape(), clock.now());
          hooks.failed({ ...named, inPhase: where.phase, phaseMs: where.afterMs });
          return;
        }
        hooks.closed({
          code: code === 1006 && this.sentCloseCode !== null ? this.sentCloseCode : code,
          reason: reasonBuf.toString(),
          wasClean: code !== 1006,
          initiator: this.initiator ?? 'server',
          uptimeMs: Math.round(clock.now() - this.openedAt),
        });
      });
    });
  }

  /** Closes politely (close frame), dropping the socket if the server does not answer within a second. */
  close(initiator: CloseInitiator = 'client'): void {
    if (this.done || !this.ws) return;
    this.initiator ??= initiator;
    if (this.openedAt === null) {
      this.ws.terminate();
      return;
    }
    this.stopWatching();
    this.ws.close(1000, 'wsmon: closing');
    if (!this.closeSent) this.sentClose(1000, 'wsmon: closing');
    this.graceTimer ??= this.clock.setTimeout(() => this.ws?.terminate(), CLOSE_GRACE_MS);
  }

  /** Drops the socket at once: no closing handshake with a peer that may be dead. */
  terminate(initiator: CloseInitiator): void {
    if (this.done || !this.ws) return;
    this.initiator ??= initiator;
    this.stopWatching();
    this.ws.terminate();
  }

  /** The link is ending: its heartbeat and freshness judge nothing more. */
  private stopWatching(): void {
    this.heartbeat?.stop();
    this.freshness?.stop();
  }

  private clearConnectTimer(): void {
    this.connectTimer?.clear();
    this.connectTimer = null;
  }

  private finish(report: () => void): void {
    if (this.done) return;
    this.done = true;
    this.clearConnectTimer();
    this.clearTcpTimer();
    if (this.graceTimer) this.clock.clearTimeout(this.graceTimer);
    this.stopWatching();
    this.driver?.stop?.();
    this.ws?.removeAllListeners();
    // ws may still emit a late error on a destroyed socket; never let it become an uncaught exception.
    this.ws?.on('error', () => {});
    report();
    this.resolveEnded();
  }
}

/** The upgrade request's headers as ws set them (names as written; Node adds Host in the request's constructor). */
function requestHeaders(ws: WebSocket): [string, string][] {
  const req = (ws as unknown as { _req?: import('node:http').ClientRequest })._req;
  if (!req) return [];
  return req.getRawHeaderNames().map((name) => {
    const v = req.getHeader(name);
    return [name, Array.isArray(v) ? v.join(', ') : String(v ?? '')];
  });
}

/** Node's raw headers (name, value, name, value …) as pairs. */
function headerPairs(raw: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}

/** The TCP (or TLS) socket under a WebSocket, which ws keeps to itself. */
function socketOf(ws: WebSocket): Socket | null {
  return (ws as unknown as { _socket?: Socket | null })._socket ?? null;
}
