// One endpoint's last frames, both ways, across its sockets: a ring bounded by
// count and by bytes, and the handshakes those frames followed. Capture is on
// the hot path (every message), so a frame is a few numbers in typed arrays
// and its payload one flat string: text as text, other bytes as latin1 (one
// byte a character), cut at FRAME_PREVIEW_BYTES. Nothing here is redacted or
// formatted: that happens when someone reads (Monitor.frames).
import { FRAME_OPS, FRAME_PREVIEW_BYTES, FRAME_ROLES, type Frame, type FrameCapture, type FrameDir, type FrameOp, type FrameRole } from '../../shared/frames';
import type { ConnectPhases } from '../../shared/phases';
import type { Clock } from './clock';

/** What a held frame costs besides its payload (its slots in the arrays, the string's header), charged against the byte bound. */
export const FRAME_OVERHEAD_BYTES = 64;
const HANDSHAKE_OVERHEAD_BYTES = 256;

/** A handshake as held: header values as the socket had them. */
export interface HeldHandshake {
  conn: number;
  t: number;
  mono: number;
  request: [string, string][];
  response: { status: number; statusText: string; headers: [string, string][] } | null;
  phases?: ConnectPhases;
  charge: number;
}

/** A frame as held; `payload` is text for text frames and close reasons, latin1 bytes otherwise. */
export type HeldFrame = Pick<Frame, 'seq' | 'conn' | 't' | 'mono' | 'dir' | 'op' | 'size'> & {
  by: FrameRole | null;
  payload: string;
  truncated: boolean;
  code: number | null;
};

const DIR_BIT = 1; // set: out
const TRUNCATED_BIT = 2;
const OP_SHIFT = 2; // 3 bits
const ROLE_SHIFT = 5; // 2 bits: 0 none, 1 heartbeat, 2 protocol
const NO_CODE = 0;

const charge = (s: string, bytes: number) => FRAME_OVERHEAD_BYTES + (s.length === bytes ? s.length : 2 * s.length);
const headersCharge = (h: [string, string][]) => h.reduce((n, [k, v]) => n + 2 * (k.length + v.length) + 32, 0);

export class FrameLog {
  private limits: FrameCapture;
  private cap = 0;
  private wall = new Float64Array(0);
  private mono = new Float64Array(0);
  private size = new Float64Array(0);
  private conns = new Uint32Array(0);
  private costs = new Uint32Array(0);
  private codes = new Uint16Array(0);
  private meta = new Uint8Array(0);
  private payloads: string[] = [];
  /** Ring position of the oldest frame, and how many are held. */
  private head = 0;
  private len = 0;
  /** The seq of the next frame recorded (the oldest held is next - len). */
  private next = 1;
  private bytes = 0;
  private droppedCount = 0;
  private readonly shakes = new Map<number, HeldHandshake>();
  private conn = 0;
  /** Told (in a microtask, once marks are set) when frames arrive, with the first new seq: the CLI's frame lines. */
  private tapFrom: number | null = null;
  tap: ((fromSeq: number) => void) | null = null;

  /** `zero`: the clock's reading at the session's start, so a frame's mono is the events'. */
  constructor(
    limits: FrameCapture,
    private readonly clock: Pick<Clock, 'now' | 'wall'>,
    private readonly zero: number,
  ) {
    this.limits = limits;
  }

  get capture(): FrameCapture {
    return this.limits;
  }

  /** New bounds: what no longer fits gives way (all of it when capture is turned off). */
  setLimits(limits: FrameCapture): void {
    this.limits = limits;
    if (!limits.capture) {
      this.droppedCount += this.len;
      this.len = this.head = this.bytes = this.cap = 0;
      this.payloads = [];
      this.shakes.clear();
      return;
    }
    this.evict(0);
  }

  /** A connect begins: the frames from here on belong to it; its request headers as sent. Returns its number. */
  begin(request: [string, string][]): number {
    const conn = ++this.conn;
    if (!this.limits.capture) return conn;
    const wall = this.clock.wall();
    const mono = this.clock.now() - this.zero;
    const h: HeldHandshake = { conn, t: wall, mono, request, response: null, charge: HANDSHAKE_OVERHEAD_BYTES + headersCharge(request) };
    this.shakes.set(conn, h);
    this.bytes += h.charge;
    this.evict(0);
    return conn;
  }

  /** The server's answer to connect `conn`'s upgrade: 101, or a refusal. */
  answered(conn: number, status: number, statusText: string, headers: [string, string][]): void {
    const h = this.shakes.get(conn);
    if (!h) return;
    h.response = { status, statusText, headers };
    const more = headersCharge(headers) + 2 * statusText.length;
    h.charge += more;
    this.bytes += more;
    this.evict(0);
  }

  opened(conn: number, phases: ConnectPhases): void {
    const h = this.shakes.get(conn);
    if (h) h.phases = phases;
  }

  /**
   * Records a frame of connect `conn`; returns its seq (0 when capture is
   * off). `data` is the payload as it went or came; a text frame's is
   * decoded, anything else's kept as bytes.
   */
  record(conn: number, dir: FrameDir, op: FrameOp, data: Buffer | string, by: FrameRole | null = null, code: number | null = null): number {
    if (!this.limits.capture) return 0;
    const wall = this.clock.wall();
    const mono = this.clock.now() - this.zero;
    const max = Math.min(FRAME_PREVIEW_BYTES, Math.floor(this.limits.bytes / 4));
    let size: number;
    let payload: string;
    let kept: number;
    if (typeof data === 'string') {
      size = Buffer.byteLength(data);
      // A flat copy of the head: a slice of a long string would hold the whole of it.
      payload = size <= max ? data : Buffer.from(data).toString('utf8', 0, max);
      kept = Math.min(size, max);
    } else {
      size = data.length;
      kept = Math.min(size, max);
      payload = data.toString(op === 'text' || op === 'close' ? 'utf8' : 'latin1', 0, kept);
    }
    const truncated = kept < size;
    // A close frame's payload is its 2-byte code, then the reason kept here.
    if (op === 'close' && code !== null) size += 2;
    const cost = charge(payload, kept);
    this.evict(cost);
    if (this.len === this.cap) this.grow();
    const i = (this.head + this.len) % this.cap;
    this.len++;
    this.wall[i] = wall;
    this.mono[i] = mono;
    this.size[i] = size;
    this.conns[i] = conn;
    this.costs[i] = cost;
    this.codes[i] = code ?? NO_CODE;
    this.meta[i] =
      (dir === 'out' ? DIR_BIT : 0) |
      (truncated ? TRUNCATED_BIT : 0) |
      (FRAME_OPS.indexOf(op) << OP_SHIFT) |
      ((by ? FRAME_ROLES.indexOf(by) + 1 : 0) << ROLE_SHIFT);
    this.payloads[i] = payload;
    this.bytes += cost;
    const seq = this.next++;
    if (this.tap && this.tapFrom === null) {
      this.tapFrom = seq;
      queueMicrotask(() => {
        const from = this.tapFrom;
        this.tapFrom = null;
        if (from !== null) this.tap?.(from);
      });
    }
    return seq;
  }

  /** Marks frame `seq` as wsmon's own (a message found to answer a beat), if it is still held. */
  mark(seq: number, by: FrameRole): void {
    const i = this.slot(seq);
    if (i !== null) this.meta[i] = (this.meta[i]! & ~(3 << ROLE_SHIFT)) | ((FRAME_ROLES.indexOf(by) + 1) << ROLE_SHIFT);
  }

  get held(): { frames: number; bytes: number } {
    return { frames: this.len, bytes: this.bytes };
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** Held frames with seq > after, oldest first, until `budget` payload characters (at least one frame). */
  read(after: number, budget: number): { frames: HeldFrame[]; more: boolean } {
    const frames: HeldFrame[] = [];
    const first = this.next - this.len;
    let used = 0;
    for (let seq = Math.max(after + 1, first); seq < this.next; seq++) {
      const i = this.slot(seq)!;
      const payload = this.payloads[i]!;
      if (frames.length > 0 && used + payload.length > budget) return { frames, more: true };
      used += payload.length;
      const m = this.meta[i]!;
      const role = (m >> ROLE_SHIFT) & 3;
      frames.push({
        seq,
        conn: this.conns[i]!,
        t: this.wall[i]!,
        mono: this.mono[i]!,
        dir: m & DIR_BIT ? 'out' : 'in',
        op: FRAME_OPS[(m >> OP_SHIFT) & 7]!,
        size: this.size[i]!,
        by: role ? FRAME_ROLES[role - 1]! : null,
        payload,
        truncated: (m & TRUNCATED_BIT) !== 0,
        code: this.codes[i] === NO_CODE ? null : this.codes[i]!,
      });
    }
    return { frames, more: false };
  }

  /** The handshakes of the given connects that are held, and the last connect's. */
  handshakes(conns: Iterable<number>): HeldHandshake[] {
    const wanted = new Set(conns);
    wanted.add(this.conn);
    return [...this.shakes.values()].filter((h) => wanted.has(h.conn));
  }

  private slot(seq: number): number | null {
    const back = this.next - seq;
    if (back < 1 || back > this.len) return null;
    return (this.head + this.len - back) % this.cap;
  }

  /**
   * Makes room for a frame costing `cost` (0: for none, the bounds may have
   * changed): the oldest frames give way, then the handshakes no held frame
   * belongs to (never the last connect's).
   */
  private evict(cost: number): void {
    const { bytes } = this.limits;
    const count = cost > 0 ? this.limits.count - 1 : this.limits.count;
    while (this.len > 0 && (this.len > count || this.bytes + cost > bytes)) {
      this.bytes -= this.costs[this.head]!;
      this.payloads[this.head] = '';
      this.head = (this.head + 1) % this.cap;
      this.len--;
      this.droppedCount++;
    }
    const oldest = this.len > 0 ? this.conns[this.head]! : this.conn;
    for (const h of this.shakes.values()) {
      if (h.conn >= oldest || h.conn === this.conn) break;
      this.shakes.delete(h.conn);
      this.bytes -= h.charge;
    }
  }

  /** Doubles the ring (up to the count bound), oldest first from slot 0. */
  private grow(): void {
    const cap = Math.min(this.limits.count, Math.max(16, this.cap * 2));
    const order = <A extends { [k: number]: number }>(a: A, make: (n: number) => A): A => {
      const b = make(cap);
      for (let k = 0; k < this.len; k++) b[k] = a[(this.head + k) % this.cap]!;
      return b;
    };
    const f64 = (n: number) => new Float64Array(n);
    const u32 = (n: number) => new Uint32Array(n);
    this.wall = order(this.wall, f64);
    this.mono = order(this.mono, f64);
    this.size = order(this.size, f64);
    this.conns = order(this.conns, u32);
    this.costs = order(this.costs, u32);
    this.codes = order(this.codes, (n) => new Uint16Array(n));
    this.meta = order(this.meta, (n) => new Uint8Array(n));
    const payloads: string[] = new Array<string>(cap).fill('');
    for (let k = 0; k < this.len; k++) payloads[k] = this.payloads[(this.head + k) % this.cap]!;
    this.payloads = payloads;
    this.head = 0;
    this.cap = cap;
  }
}
