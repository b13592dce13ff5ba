// Heartbeat strategies for one open socket.
//   ping:    RFC 6455 ping frames carrying a sequence number; RTT from ping to pong.
//   message: an application payload; the answer is recognised by a rule.
//   passive: nothing is sent; any frame from the server (its pings, messages) is life.
// A beat goes out at open and every interval after; a beat unanswered within
// the timeout is a miss, and `misses` in a row declare the peer dead. Beats
// may overlap when timeout > interval, so the death bound
// misses * interval + timeout after the last answer in time holds either way.
//
// Attribution: an answer is credited only to the beat it answers. A ping's
// pong echoes its sequence number; a message answer names its beat where the
// rule carries {seq}, else answers the oldest beat still unanswered, missed
// ones included (servers answer in order). An answer to a beat already counted
// missed is late: reported with its real RTT, and the miss stands. A pong or
// message that answers no beat is never an RTT sample.
import type { HeartbeatConfig, PongMatch } from '../../shared/config';
import type { Clock, TimerHandle } from './clock';

export type BeatVia = 'ping' | 'message';

export interface HeartbeatHooks {
  /** An answer: `late` when its beat had already been counted missed. */
  rtt(seq: number, rttMs: number, via: BeatVia, late: boolean): void;
  /** A beat unanswered in time, or (passive) a silence past the deadline. */
  missed(seq: number, missedInRow: number, silence: boolean): void;
  dead(): void;
}

export interface HeartbeatTransport {
  ping(data: Buffer): void;
  send(data: string): void;
}

/** What an answer rule makes of a message: not an answer (null), or an answer to beat `seq` (null: to the oldest). */
export type Answer = { seq: number | null } | null;

const SEQ = '{seq}';
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A recogniser for the answer rule; `{seq}` in the rule reads the beat's number from the answer. Pure. */
export function answerMatcher(match: PongMatch): (text: string) => Answer {
  switch (match.kind) {
    case 'exact': {
      if (!match.text.includes(SEQ)) return (text) => (text === match.text ? { seq: null } : null);
      const re = new RegExp(`^${match.text.split(SEQ).map(escapeRegex).join('(\\d+)')}$`);
      return (text) => seqFrom(re.exec(text));
    }
    case 'regex': {
      if (!match.pattern.includes(SEQ)) {
        const re = new RegExp(match.pattern, match.flags);
        return (text) => (re.test(text) ? { seq: null } : null);
      }
      const re = new RegExp(match.pattern.split(SEQ).join('(\\d+)'), match.flags);
      return (text) => seqFrom(re.exec(text));
    }
    case 'json': {
      const path = match.path.split('.');
      const bySeq = match.equals === SEQ;
      return (text) => {
        let v: unknown;
        try {
          v = JSON.parse(text);
        } catch {
          return null;
        }
        for (const key of path) {
          if (v === null || typeof v !== 'object') return null;
          v = (v as Record<string, unknown>)[key];
        }
        if (!bySeq) return v === match.equals ? { seq: null } : null;
        const seq = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
        return Number.isInteger(seq) ? { seq } : null;
      };
    }
  }
}

function seqFrom(m: RegExpExecArray | null): Answer {
  return m ? { seq: Number(m[1]) } : null;
}

/** The payload of beat `seq`: "{seq}" in the configured payload is replaced by the number. */
export function beatPayload(payload: string, seq: number): string {
  return payload.replaceAll(SEQ, String(seq));
}

/**
 * Beats already counted missed that are remembered for a late answer. Beyond
 * this many, the oldest is forgotten (an answer to it is then an answer to no
 * beat): memory per endpoint stays bounded however long the peer stays silent.
 * Beats still within their timeout are never forgotten (their number is set by
 * the configuration, timeout / interval, not by the peer): each must be able
 * to count as missed, or a dead peer would never be declared dead.
 */
export const REMEMBERED_BEATS = 64;

interface Beat {
  sentAt: number;
  /** Its timeout; null once the beat has been counted missed. */
  timer: TimerHandle | null;
}

export class Heartbeat {
  private seq = 0;
  private missedInRow = 0;
  /** Unanswered beats, oldest first: those in time and those already counted missed. */
  private readonly beats = new Map<number, Beat>();
  /** How many of `beats` were already counted missed (bounded by REMEMBERED_BEATS). */
  private missedKept = 0;
  private tickTimer: TimerHandle | null = null;
  private deadline: TimerHandle | null = null;
  private nextDue = 0;
  private running = false;
  private readonly answerOf: ((text: string) => Answer) | null;

  constructor(
    private readonly cfg: HeartbeatConfig,
    private readonly transport: HeartbeatTransport,
    private readonly clock: Clock,
    private readonly hooks: HeartbeatHooks,
  ) {
    this.answerOf = cfg.mode === 'message' ? answerMatcher(cfg.match) : null;
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
    for (const b of this.beats.values()) if (b.timer) this.clock.clearTimeout(b.timer);
    this.beats.clear();
    this.missedKept = 0;
    this.tickTimer = this.deadline = null;
  }

  /** A pong frame arrived: the answer to the ping whose number it echoes, or (unsolicited, foreign) to none. */
  onPong(data: Buffer): void {
    this.traffic();
    if (this.cfg.mode !== 'ping' || data.length > 16) return;
    const text = data.toString('latin1');
    if (/^\d+$/.test(text)) this.answer(Number(text), 'ping');
  }

  /** A ping frame from the server (ws answers it by itself). */
  onPing(): void {
    this.traffic();
  }

  onMessage(text: string): void {
    this.traffic();
    const a = this.answerOf?.(text);
    if (a) this.answer(a.seq ?? this.oldest(), 'message');
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
      this.miss(++this.seq, true);
      if (this.running) this.armDeadline(this.cfg.intervalMs);
    }, ms);
  }

  private tick(): void {
    if (!this.running) return;
    const seq = ++this.seq;
    const beat: Beat = { sentAt: this.clock.now(), timer: null };
    beat.timer = this.clock.setTimeout(() => {
      beat.timer = null; // kept: a late answer is still credited to it
      if (++this.missedKept > REMEMBERED_BEATS) this.forgetOldestMissed();
      this.miss(seq, false);
    }, this.cfg.timeoutMs);
    this.beats.set(seq, beat);
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
    return this.beats.keys().next().value;
  }

  private forgetOldestMissed(): void {
    for (const [seq, b] of this.beats) {
      if (b.timer !== null) continue;
      this.beats.delete(seq);
      this.missedKept--;
      return;
    }
  }

  private answer(seq: number | undefined, via: BeatVia): void {
    const b = seq === undefined ? undefined : this.beats.get(seq);
    if (!b) return; // answers no beat we remember: traffic, never an RTT sample
    this.beats.delete(seq!);
    const rttMs = this.clock.now() - b.sentAt;
    if (b.timer) {
      this.clock.clearTimeout(b.timer);
      this.missedInRow = 0;
    } else {
      this.missedKept--;
    }
    this.hooks.rtt(seq!, rttMs, via, b.timer === null);
  }

  private miss(seq: number, silence: boolean): void {
    if (!this.running) return;
    this.missedInRow++;
    this.hooks.missed(seq, this.missedInRow, silence);
    if (this.missedInRow >= this.cfg.misses) {
      this.stop();
      this.hooks.dead();
    }
  }
}
