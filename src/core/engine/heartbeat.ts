// Heartbeat strategies for one open socket.
//   ping:    RFC 6455 ping frames carrying a sequence number; RTT from ping to pong.
//   message: an application payload; the answer is recognised by a rule.
//   passive: nothing is sent; any frame from the server (its pings, messages) is life.
// A beat goes out at open and every interval after; a beat unanswered within
// the timeout is a miss, and `misses` in a row declare the peer dead. Beats
// may overlap when timeout > interval, so the death bound
// misses * interval + timeout after the last answer holds either way.
import type { HeartbeatConfig, PongMatch } from '../../shared/config';
import type { Clock, TimerHandle } from './clock';

export interface HeartbeatHooks {
  rtt(seq: number, rttMs: number, via: 'ping' | 'message'): void;
  missed(seq: number, missedInRow: number): void;
  dead(): void;
}

export interface HeartbeatTransport {
  ping(data: Buffer): void;
  send(data: string): void;
}

/** A predicate for the pong rule. Pure. */
export function pongMatcher(match: PongMatch): (text: string) => boolean {
  switch (match.kind) {
    case 'exact':
      return (text) => text === match.text;
    case 'regex': {
      const re = new RegExp(match.pattern, match.flags);
      return (text) => re.test(text);
    }
    case 'json': {
      const path = match.path.split('.');
      return (text) => {
        let v: unknown;
        try {
          v = JSON.parse(text);
        } catch {
          return false;
        }
        for (const key of path) {
          if (v === null || typeof v !== 'object') return false;
          v = (v as Record<string, unknown>)[key];
        }
        return v === match.equals;
      };
    }
  }
}

/** The payload of beat `seq`: "{seq}" in the configured payload is replaced by the number. */
export function beatPayload(payload: string, seq: number): string {
  return payload.replaceAll('{seq}', String(seq));
}

interface Outstanding {
  sentAt: number;
  timer: TimerHandle;
}

export class Heartbeat {
  private seq = 0;
  private missedInRow = 0;
  private readonly outstanding = new Map<number, Outstanding>();
  private tickTimer: TimerHandle | null = null;
  private deadline: TimerHandle | null = null;
  private nextDue = 0;
  private running = false;
  private readonly isPong: ((text: string) => boolean) | null;

  constructor(
    private readonly cfg: HeartbeatConfig,
    private readonly transport: HeartbeatTransport,
    private readonly clock: Clock,
    private readonly hooks: HeartbeatHooks,
  ) {
    this.isPong = cfg.mode === 'message' ? pongMatcher(cfg.match) : null;
  }

  start(): void {
    this.running = true;
    if (this.cfg.mode === 'passive') {
      this.armDeadline(this.cfg.intervalMs + this.cfg.timeoutMs);
      return;
    }
    this.nextDue = this.clock.now();
    this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.tickTimer) this.clock.clearTimeout(this.tickTimer);
    if (this.deadline) this.clock.clearTimeout(this.deadline);
    for (const o of this.outstanding.values()) this.clock.clearTimeout(o.timer);
    this.outstanding.clear();
    this.tickTimer = this.deadline = null;
  }

  /** A pong frame arrived. */
  onPong(data: Buffer): void {
    this.traffic();
    if (this.cfg.mode !== 'ping') return;
    // Our pings carry their sequence number; a peer that does not echo it is matched to the oldest beat.
    const seq = Number(data.toString('latin1'));
    this.answer(this.outstanding.has(seq) ? seq : this.oldest(), 'ping');
  }

  /** A ping frame from the server (ws answers it by itself). */
  onPing(): void {
    this.traffic();
  }

  onMessage(text: string): void {
    this.traffic();
    if (this.isPong?.(text)) this.answer(this.oldest(), 'message');
  }

  private traffic(): void {
    if (this.cfg.mode !== 'passive' || !this.running) return;
    this.missedInRow = 0;
    this.armDeadline(this.cfg.intervalMs + this.cfg.timeoutMs);
  }

  private armDeadline(ms: number): void {
    if (this.deadline) this.clock.clearTimeout(this.deadline);
    this.deadline = this.clock.setTimeout(() => {
      this.deadline = null;
      this.miss(++this.seq);
      if (this.running) this.armDeadline(this.cfg.intervalMs);
    }, ms);
  }

  private tick(): void {
    if (!this.running) return;
    const seq = ++this.seq;
    const timer = this.clock.setTimeout(() => {
      this.outstanding.delete(seq);
      this.miss(seq);
    }, this.cfg.timeoutMs);
    this.outstanding.set(seq, { sentAt: this.clock.now(), timer });
    try {
      if (this.cfg.mode === 'ping') this.transport.ping(Buffer.from(String(seq), 'latin1'));
      else this.transport.send(beatPayload(this.cfg.payload, seq));
    } catch {
      // The socket is going away; its close event ends this heartbeat.
    }
    // Schedule against the ideal timeline so intervals do not drift with event-loop delay.
    this.nextDue += this.cfg.intervalMs;
    this.tickTimer = this.clock.setTimeout(() => this.tick(), Math.max(0, this.nextDue - this.clock.now()));
  }

  private oldest(): number | undefined {
    return this.outstanding.keys().next().value;
  }

  private answer(seq: number | undefined, via: 'ping' | 'message'): void {
    if (seq === undefined) return; // unsolicited or late: its beat was already counted missed
    const o = this.outstanding.get(seq)!;
    const rttMs = this.clock.now() - o.sentAt;
    this.clock.clearTimeout(o.timer);
    this.outstanding.delete(seq);
    this.missedInRow = 0;
    this.hooks.rtt(seq, rttMs, via);
  }

  private miss(seq: number): void {
    if (!this.running) return;
    this.missedInRow++;
    this.hooks.missed(seq, this.missedInRow);
    if (this.missedInRow >= this.cfg.misses) {
      this.stop();
      this.hooks.dead();
    }
  }
}
