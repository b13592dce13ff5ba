// Heartbeat strategies for one open socket.
//   ping:    RFC 6455 ping frames carrying a sequence number; RTT from ping to pong.
//   message: an application message the protocol writes (engine/protocols);
//            the protocol reports which beat an answer answers.
//   passive: nothing is sent; proof of life from the peer (any frame, or
//            those matching a rule) must keep coming.
// A beat goes out at open and every interval after; a beat unanswered within
// the timeout is a miss, and `misses` in a row declare the peer dead. Beats
// may overlap when timeout > interval, so the death bound
// misses * interval + timeout after the last answer in time holds either way.
//
// Attribution: an answer is credited only to the beat it answers. A ping
// carries 8 random bytes drawn per connection and the beat's number, and only
// a pong echoing both exactly answers it: a peer that never read the ping
// cannot forge its pong. A message answer names its beat where the
// rule carries {seq}, else answers the oldest beat still unanswered, missed
// ones included (servers answer in order). An answer to a beat already counted
// missed is late: reported with its real RTT, and the miss stands. A pong or
// message that answers no beat is never an RTT sample.
import { randomBytes } from 'node:crypto';
import type { HeartbeatConfig } from '../../shared/config';
import { deadline, type Clock, type Deadline, type TimerHandle } from './clock';
import { SentBeats } from './sent-beats';

export type BeatVia = 'ping' | 'message';

export interface HeartbeatHooks {
  /** An answer: `late` when its beat had already been counted missed. */
  rtt(seq: number, rttMs: number, via: BeatVia, late: boolean): void;
  /** A beat unanswered in time, or (peer watch) a silence past the deadline. */
  missed(seq: number, missedInRow: number, silence: boolean): void;
  /** The peer answered beat `seq` with an error: the beat failed. */
  failed(seq: number, message: string): void;
  dead(): void;
}

/** How beats leave: RFC 6455 ping frames (ping mode), or a message the protocol writes (message mode). */
export interface BeatSender {
  ping(data: Buffer): void;
  beat(seq: number): void;
}

/** The timing part of a heartbeat: what it sends is the protocol's business. */
export type HeartbeatTiming = Pick<HeartbeatConfig, 'mode' | 'intervalMs' | 'timeoutMs' | 'misses'>;

/**
 * Beats already counted missed that are remembered for a late answer. Beyond
 * this many, the oldest is forgotten (an answer to it is then an answer to no
 * beat): memory per endpoint stays bounded however long the peer stays silent.
 * Beats still within their timeout are never forgotten (their number is set by
 * the configuration, timeout / interval, not by the peer): each must be able
 * to count as missed, or a dead peer would never be declared dead.
 */
export const REMEMBERED_BEATS = 64;

/** A ping's payload: 8 bytes no peer can guess, then the beat's number (32 bits, big-endian). */
const NONCE_BYTES = 8;
const PING_BYTES = NONCE_BYTES + 4;

export class Heartbeat {
  private seq = 0;
  private missedInRow = 0;
  /**
   * Beats answered in time while an older beat was still undecided, ascending. Misses in a row are counted in
   * beat order: the older beat's miss, when it comes, still joins the row before the answer, and the row starts
   * again at the first miss after the answered beat. Answers come before an older beat's verdict when beats
   * overlap (timeout > interval), or after a stall of this process (the verdict waits for the reads). At most
   * the beats in flight: timeout / interval.
   */
  private readonly breaks: number[] = [];
  /** Drawn once per connection: the part of every ping a forged pong cannot know. */
  private readonly nonce = randomBytes(NONCE_BYTES);
  /** Unanswered beats (number → send time), oldest first: those already counted missed, then those in time. */
  private readonly sentAt = new SentBeats();
  /** Beats numbered up to this one were counted missed (deadlines fall in beat order, so misses do too). */
  private missedUpTo = 0;
  /** How many of `sentAt` were already counted missed (bounded by REMEMBERED_BEATS). */
  private missedKept = 0;
  /** No beat in time is numbered below this (it only moves up: finding the oldest costs O(1) per beat). */
  private inTimeFrom = 1;
  /**
   * One timer for the next thing due: the next beat or the oldest beat's deadline. One timer a beat, not
   * two, and none cleared per answer (an answered beat's deadline simply finds nothing to count).
   */
  private timer: TimerHandle | null = null;
  /** The time the timer was set for: what it finds due is judged at this time, not a timer's early millisecond. */
  private timerAt = 0;
  private nextDue = 0;
  private running = false;
  /** The peer's own beats: a deadline that proof of life re-arms (passive mode, or a protocol's server pings). */
  private watch: { firstMs: number; thenMs: number; misses: number; inRow: number; timer: Deadline | null } | null = null;

  constructor(
    private readonly cfg: HeartbeatTiming,
    private readonly sender: BeatSender,
    private readonly clock: Clock,
    private readonly hooks: HeartbeatHooks,
  ) {}

  start(): void {
    this.running = true;
    if (this.cfg.mode === 'passive') {
      this.watchPeer(this.cfg.intervalMs + this.cfg.timeoutMs, this.cfg.intervalMs, this.cfg.misses);
      return;
    }
    this.nextDue = this.clock.now();
    this.send();
    this.arm();
  }

  /**
   * Expects proof of life (`alive`) within firstMs of now and of each proof,
   * then, once silent, within every thenMs; `misses` silences in a row declare the peer dead. Passive mode watches
   * every frame this way; Socket.IO watches the server's pings.
   */
  watchPeer(firstMs: number, thenMs: number, misses: number): void {
    if (!this.running) return;
    this.watch?.timer?.clear();
    this.watch = { firstMs, thenMs, misses, inRow: 0, timer: null };
    this.armWatch(firstMs);
  }

  stop(): void {
    this.running = false;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.watch?.timer?.clear();
    this.sentAt.clear();
    this.breaks.length = 0;
    this.missedKept = 0;
    this.timer = null;
    this.watch = null;
  }

  /** A pong frame arrived: the answer to the ping it echoes exactly (true), or (unsolicited, forged, foreign) to none. */
  onPong(data: Buffer): boolean {
    if (this.cfg.mode !== 'ping' || data.length !== PING_BYTES) return false;
    // Compared byte by byte (no subarray, no string: one of these per beat).
    for (let i = 0; i < NONCE_BYTES; i++) if (data[i] !== this.nonce[i]) return false;
    this.settle(data.readUInt32BE(NONCE_BYTES), 'ping', null);
    return true;
  }

  /** The payload of ping `seq`: this connection's nonce, then the number. */
  pingPayload(seq: number): Buffer {
    const data = Buffer.allocUnsafe(PING_BYTES);
    this.nonce.copy(data, 0);
    data.writeUInt32BE(seq >>> 0, NONCE_BYTES);
    return data;
  }

  /** A message answered beat `seq`, or (null) the oldest beat still unanswered, missed ones included: servers answer in order. */
  answer(seq: number | null): void {
    this.settle(seq ?? this.oldest(), 'message', null);
  }

  /** The peer answered beat `seq` (null: the oldest) with an error: the beat failed, and counts as missed. */
  fail(seq: number | null, message: string): void {
    this.settle(seq ?? this.oldest(), 'message', message);
  }

  /** Proof of life for the peer watch (a frame in passive mode, a server ping in Socket.IO). Cheap: a flood only moves a timer. */
  alive(): void {
    const w = this.watch;
    if (!w || !this.running) return;
    w.inRow = 0;
    this.armWatch(w.firstMs);
  }

  private armWatch(ms: number): void {
    const w = this.watch!;
    w.timer?.clear();
    // Judged once what has come in is read: proof of life read meanwhile re-arms the watch, clearing this one.
    w.timer = deadline(this.clock, ms, () => {
      w.inRow++;
      this.hooks.missed(++this.seq, w.inRow, true);
      if (w.inRow >= w.misses) return this.die();
      this.armWatch(w.thenMs);
    });
  }

  /** Sends the next beat and moves the ideal timeline on (intervals do not drift with event-loop delay). */
  private send(): void {
    const seq = ++this.seq;
    this.sentAt.add(seq, this.clock.now());
    this.nextDue += this.cfg.intervalMs;
    try {
      if (this.cfg.mode === 'ping') this.sender.ping(this.pingPayload(seq));
      else this.sender.beat(seq);
    } catch {
      // The socket is going away; its close event ends this heartbeat.
    }
  }

  /** Sets the one timer for whichever comes first: the next beat, or the deadline of the oldest beat in time. */
  private arm(): void {
    if (!this.running) return;
    const oldest = this.oldestInTime();
    const at = oldest === undefined ? this.nextDue : Math.min(this.nextDue, this.sentAt.get(oldest)! + this.cfg.timeoutMs);
    this.timerAt = at;
    this.timer = this.clock.setTimeout(this.due, Math.max(0, at - this.clock.now()));
  }

  /**
   * The timer: a beat past its deadline is judged once what the socket has already received is read. After a
   * stall of this process (a long collection, a busy loop) the timer can fire before an answer or a close that
   * came in time is read: judged first, a beat answered in time would count as missed, and a peer that closed
   * would be declared dead of silence. The next beat alone goes out at once.
   */
  private readonly due = (): void => {
    this.timer = null;
    const oldest = this.oldestInTime();
    if (oldest !== undefined && this.sentAt.get(oldest)! + this.cfg.timeoutMs <= Math.max(this.clock.now(), this.timerAt)) this.clock.afterIo(this.judge);
    else this.judge();
  };

  /** Counts beats past their deadline as missed (oldest first), then sends the next beat if its time has come. */
  private readonly judge = (): void => {
    if (!this.running) return;
    const now = Math.max(this.clock.now(), this.timerAt);
    for (let seq = this.oldestInTime(); seq !== undefined; seq = this.oldestInTime()) {
      if (this.sentAt.get(seq)! + this.cfg.timeoutMs > now) break;
      this.missedUpTo = seq; // kept: a late answer is still credited to it
      if (++this.missedKept > REMEMBERED_BEATS) this.forgetOldestMissed();
      this.miss(seq, false);
      if (!this.running) return;
    }
    if (this.nextDue <= now) this.send();
    this.arm();
  };

  private oldestInTime(): number | undefined {
    this.inTimeFrom = Math.max(this.inTimeFrom, this.missedUpTo + 1);
    while (this.inTimeFrom <= this.seq && !this.sentAt.has(this.inTimeFrom)) this.inTimeFrom++;
    return this.inTimeFrom <= this.seq ? this.inTimeFrom : undefined;
  }

  private oldest(): number | undefined {
    return this.sentAt.oldest();
  }

  private forgetOldestMissed(): void {
    const seq = this.oldest()!; // the oldest is a missed one: misses come first
    this.sentAt.delete(seq);
    this.missedKept--;
  }

  /** Beat `seq` was answered (`error`: with an error, so it failed). */
  private settle(seq: number | undefined, via: BeatVia, error: string | null): void {
    const sentAt = seq === undefined ? undefined : this.sentAt.get(seq);
    if (sentAt === undefined || !this.running) return; // answers no beat we remember: traffic, never an RTT sample
    this.sentAt.delete(seq!);
    const inTime = seq! > this.missedUpTo;
    if (!inTime) this.missedKept--;
    if (error !== null) {
      this.hooks.failed(seq!, error);
      if (inTime) this.miss(seq!, false); // a beat already counted missed is not counted twice
      return;
    }
    if (inTime) this.answeredInTime(seq!);
    this.hooks.rtt(seq!, this.clock.now() - sentAt, via, !inTime);
  }

  private answeredInTime(seq: number): void {
    const older = this.oldestInTime();
    if (older !== undefined && older < seq) {
      let at = this.breaks.length;
      while (at > 0 && this.breaks[at - 1]! > seq) at--;
      this.breaks.splice(at, 0, seq);
      return;
    }
    // Every older beat is decided: the row is broken here, and so are those breaks the answer passes.
    this.missedInRow = 0;
    while (this.breaks.length > 0 && this.breaks[0]! < seq) this.breaks.shift();
  }

  private miss(seq: number, silence: boolean): void {
    if (!this.running) return;
    while (this.breaks.length > 0 && this.breaks[0]! < seq) {
      this.breaks.shift();
      this.missedInRow = 0;
    }
    this.missedInRow++;
    this.hooks.missed(seq, this.missedInRow, silence);
    if (this.missedInRow >= this.cfg.misses) this.die();
  }

  private die(): void {
    this.stop();
    this.hooks.dead();
  }
}
