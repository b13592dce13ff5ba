// One endpoint: decides when to connect, when to retry and when to give up.
//
//   idle -> connecting -> open -> (close) -> waiting -> connecting -> ...
//                     \-> waiting (connect failed)  \-> gave-up (maxAttempts)
//   paused / stopped at any point, by the user (or the system for paused)
//
// Every transition is announced as an event; the socket itself is a Link.
import type { EventBody, PauseCause } from '../../shared/events';
import { backoffDelay, mayRetry, type Random } from './backoff';
import type { Clock, TimerHandle } from './clock';
import { FrameLog } from './frame-log';
import { Link } from './link';
import type { ResolvedConfig } from './resolved-config';

type Phase = 'idle' | 'connecting' | 'open' | 'waiting' | 'paused' | 'stopped' | 'gave-up' | 'removed';

export interface ConnectionDeps {
  clock: Clock;
  /** The clock's reading at the session's start (frames carry the events' time). */
  zero: number;
  random: Random;
  emit(body: EventBody): void;
}

export class Connection {
  private phase: Phase = 'idle';
  /** Retries made since the connection was last healthy for `resetAfterMs`. */
  private attempt = 0;
  private previousDelayMs = 0;
  private link: Link | null = null;
  private retryTimer: TimerHandle | null = null;
  private resetTimer: TimerHandle | null = null;
  private readonly links = new Set<Link>();
  /** Bumped by every user action, so a reconnect waiting for the old socket to close can tell it was overtaken. */
  private generation = 0;
  private pauseCause: PauseCause = 'user';
  /** The last frames of this endpoint's sockets, both ways, across reconnects. */
  readonly frames: FrameLog;

  constructor(
    private cfg: ResolvedConfig,
    private readonly deps: ConnectionDeps,
  ) {
    this.frames = new FrameLog(cfg.frames, deps.clock, deps.zero);
  }

  get config(): ResolvedConfig {
    return this.cfg;
  }

  /** Who paused this connection, or null when it is not paused. */
  get pausedBy(): PauseCause | null {
    return this.phase === 'paused' ? this.pauseCause : null;
  }

  /** True when a system pause applies: the endpoint is live (not paused, stopped, gave up or removed). */
  canBePausedBy(): boolean {
    return this.phase === 'idle' ? false : !['paused', 'stopped', 'gave-up', 'removed'].includes(this.phase);
  }

  /** Connects from idle, stopped or gave-up, with a fresh attempt count: now, or after `afterMs` (a start spread among many). */
  start(afterMs = 0): void {
    if (this.phase === 'removed' || this.phase === 'paused') return;
    if (this.phase === 'open' || this.phase === 'connecting') return;
    this.clearTimers();
    this.attempt = 0;
    this.previousDelayMs = 0;
    if (afterMs <= 0) return this.connect();
    // Still idle until then: a pause, stop or removal meanwhile clears this timer like a pending retry.
    this.phase = 'idle';
    this.retryTimer = this.deps.clock.setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, afterMs);
  }

  /** The user's disconnect: closes, cancels any retry, stays down. */
  stop(): void {
    if (this.phase === 'removed' || this.phase === 'stopped') return;
    this.phase = 'stopped';
    this.clearTimers();
    this.deps.emit({ type: 'stopped', by: 'user' });
    this.dropLink();
  }

  pause(by: PauseCause): void {
    if (this.phase === 'paused' && by === 'user' && this.pauseCause !== 'user') {
      // The user's pause outlasts a system one: waking up must not resume it.
      this.pauseCause = 'user';
      this.deps.emit({ type: 'paused', by });
      return;
    }
    if (this.phase === 'removed' || this.phase === 'paused' || this.phase === 'stopped' || this.phase === 'gave-up') return;
    this.phase = 'paused';
    this.pauseCause = by;
    this.clearTimers();
    this.deps.emit({ type: 'paused', by });
    this.dropLink();
  }

  /** Leaves a pause and connects at once; the attempt count is kept, no attempt is consumed. */
  resume(by: PauseCause): void {
    if (this.phase !== 'paused') return;
    this.deps.emit({ type: 'resumed', by });
    this.connect();
  }

  /** Connects at once: skips a backoff wait, or replaces an open socket. */
  reconnectNow(): void {
    if (this.phase === 'removed' || this.phase === 'paused') return;
    if (this.phase === 'stopped' || this.phase === 'gave-up' || this.phase === 'idle') return this.start();
    this.clearTimers();
    this.replaceLink();
  }

  /** Applies new settings; reconnects only if `restart` (a connection setting changed). */
  update(cfg: ResolvedConfig, restart: boolean): void {
    this.cfg = cfg;
    this.frames.setLimits(cfg.frames);
    if (!restart || this.phase === 'paused' || this.phase === 'stopped' || this.phase === 'gave-up' || this.phase === 'idle') return;
    this.clearTimers();
    this.attempt = 0;
    this.previousDelayMs = 0;
    this.replaceLink();
  }

  /** Closes everything and resolves when every socket is gone. No event follows but the sockets' closes. */
  async remove(): Promise<void> {
    this.phase = 'removed';
    this.clearTimers();
    this.dropLink();
    await Promise.all([...this.links].map((l) => l.ended));
  }

  private connect(): void {
    this.phase = 'connecting';
    const attempt = this.attempt;
    this.deps.emit({ type: 'connecting', attempt });
    const link: Link = new Link(this.cfg, this.deps.clock, this.frames, {
      open: ({ handshakeMs, phases, protocol, proxy, address, negotiated }) => {
        if (this.link !== link) return;
        this.phase = 'open';
        const app = this.cfg.appProtocol;
        this.deps.emit({
          type: 'open',
          attempt,
          handshakeMs: Math.round(handshakeMs * 1000) / 1000,
          phases,
          protocol,
          ...(proxy ? { proxy } : {}),
          ...(address ? { address } : {}),
          ...(app ? { appProtocol: app.name } : {}),
          ...(negotiated ? { negotiated } : {}),
        });
        // Only a connection that stays healthy earns a fresh attempt count: a server that
        // accepts and drops at once must see growing delays, not a tight loop.
        this.resetTimer = this.deps.clock.setTimeout(() => {
          this.resetTimer = null;
          this.attempt = 0;
          this.previousDelayMs = 0;
        }, this.cfg.backoff.resetAfterMs);
      },
      event: (body) => this.deps.emit(body),
      failed: (error) => {
        this.links.delete(link);
        if (this.link !== link) return; // we aborted it ourselves
        this.link = null;
        this.deps.emit({ type: 'error', ...error });
        this.retry();
      },
      closed: (info) => {
        this.links.delete(link);
        this.deps.emit({ type: 'close', ...info });
        if (this.link !== link) return;
        this.link = null;
        if (this.resetTimer) this.deps.clock.clearTimeout(this.resetTimer);
        this.resetTimer = null;
        this.retry();
      },
    });
    this.link = link;
    this.links.add(link);
  }

  private retry(): void {
    if (!mayRetry(this.cfg.backoff, this.attempt)) {
      this.phase = 'gave-up';
      this.deps.emit({ type: 'gave-up', attempts: this.attempt });
      return;
    }
    this.attempt++;
    const delayMs = backoffDelay(this.cfg.backoff, this.attempt, this.previousDelayMs, this.deps.random);
    this.previousDelayMs = delayMs;
    this.phase = 'waiting';
    this.deps.emit({ type: 'reconnect-scheduled', attempt: this.attempt, delayMs });
    this.retryTimer = this.deps.clock.setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delayMs);
  }

  /** Closes the current socket, then connects once it is gone, so its close is reported before the new connect. */
  private replaceLink(): void {
    const old = this.link;
    this.dropLink();
    if (!old) return this.connect();
    this.phase = 'connecting';
    const generation = this.generation;
    void old.ended.then(() => {
      if (this.generation === generation && this.phase === 'connecting' && !this.link) this.connect();
    });
  }

  /** Detaches the current socket (its close is still reported) and closes it. */
  private dropLink(): void {
    const link = this.link;
    this.link = null;
    link?.close('client');
  }

  private clearTimers(): void {
    this.generation++;
    if (this.retryTimer) this.deps.clock.clearTimeout(this.retryTimer);
    if (this.resetTimer) this.deps.clock.clearTimeout(this.resetTimer);
    this.retryTimer = this.resetTimer = null;
  }
}
