// One endpoint's last frames, both ways, across its sockets: a ring bounded by
// count and by bytes, and the handshakes those frames followed. Capture is on
// the hot path (every message), so it allocates nothing per frame: a frame is
// one 48-byte record of numbers and its payload's bytes copied into one
// buffer per endpoint (the arena, filled around like the ring, grown as the
// bytes held need and never past the bound), cut at FRAME_PREVIEW_BYTES.
// Nothing here is decoded, redacted or formatted: that happens when someone
// reads (Monitor.frames).
import { FRAME_OPS, FRAME_PREVIEW_BYTES, FRAME_ROLES, type Frame, type FrameCapture, type FrameDir, type FrameOp, type FrameRole } from '../../shared/frames';
import type { ConnectPhases } from '../../shared/phases';
import type { Clock } from './clock';

/** What a held frame costs besides its payload (its slots in the typed arrays, 47 bytes, and the arena's slack), charged against the byte bound. */
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
/** A frame's record in the slots buffer (47 bytes used), and where each field is in it, per view. */
const SLOT_BYTES = 48;
const F64 = SLOT_BYTES / 8;
const U32 = SLOT_BYTES / 4;
const U16 = SLOT_BYTES / 2;
const [WALL, MONO, SIZE, FROM] = [0, 1, 2, 3]; // float64s: bytes 0-31
const [KEPT, CONN, COST] = [8, 9, 10]; // uint32s: bytes 32-43
const CODE = 22; // uint16: bytes 44-45
const BITS = 46; // a byte
const OP_CODE = Object.fromEntries(FRAME_OPS.map((op, i) => [op, i])) as Record<FrameOp, number>;
const ROLE_CODE = Object.fromEntries(FRAME_ROLES.map((r, i) => [r, i + 1])) as Record<FrameRole, number>;

const headersCharge = (h: [string, string][]) => h.reduce((n, [k, v]) => n + 2 * (k.length + v.length) + 32, 0);

/** Empty storage shared by every log holding no frame yet (nothing is written to it): ten thousand endpoints that never connect allocate none of their own. */
const NONE = { f64: new Float64Array(0), u32: new Uint32Array(0), u16: new Uint16Array(0), u8: new Uint8Array(0), arena: Buffer.alloc(0) };

export class FrameLog {
  private limits: FrameCapture;
  private cap = 0;
  /**
   * The frames' numbers, one SLOT_BYTES record each, in one buffer (one cache line a frame): wall, mono, size and
   * `from` (where its payload begins, as a byte count since the arena began; its place in the arena is this modulo
   * the arena's length) as float64; kept bytes, connect and cost as uint32; the close code as uint16; the bits.
   */
  private f64 = NONE.f64;
  private u32 = NONE.u32;
  private u16 = NONE.u16;
  private u8 = NONE.u8;
  /** Ring position of the oldest frame, and how many are held. */
  private head = 0;
  private len = 0;
  /** The seq of the next frame recorded (the oldest held is next - len). */
  private next = 1;
  /** What is charged against the byte bound: frames (payload and FRAME_OVERHEAD_BYTES) and handshakes. */
  private bytes = 0;
  /** The payload bytes held, and where the next payload goes (a byte count, as `from`). */
  private payloadBytes = 0;
  private arena = NONE.arena;
  private tail = 0;
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
      this.len = this.head = this.bytes = this.cap = this.payloadBytes = this.tail = 0;
      this.arena = NONE.arena;
      this.shakes.clear();
      return;
    }
    this.evict(0);
    // A smaller bound: the arena shrinks to what is held.
    if (this.arena.length > limits.bytes) this.relayout(Math.min(limits.bytes, arenaSize(2 * this.payloadBytes)));
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
   * off). `data` is the payload as it went or came; its bytes are copied
   * (a string's as UTF-8), up to the preview limit.
   */
  record(conn: number, dir: FrameDir, op: FrameOp, data: Buffer | string, by: FrameRole | null = null, code: number | null = null): number {
    if (!this.limits.capture) return 0;
    const wall = this.clock.wall();
    const mono = this.clock.now() - this.zero;
    const max = Math.min(FRAME_PREVIEW_BYTES, Math.floor(this.limits.bytes / 4));
    let size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    const want = Math.min(size, max);
    const truncated = want < size;
    // A close frame's payload is its 2-byte code, then the reason kept here.
    if (op === 'close' && code !== null) size += 2;
    this.evict(FRAME_OVERHEAD_BYTES + want);
    const at = this.place(want);
    // Text is cut at a character's end (write stops before a character that does not fit).
    const kept = typeof data === 'string' ? this.arena.write(data, at, want, 'utf8') : data.copy(this.arena, at, 0, want);
    const cost = FRAME_OVERHEAD_BYTES + kept;
    if (this.len === this.cap) this.grow();
    const i = (this.head + this.len) % this.cap;
    this.len++;
    this.f64[i * F64 + WALL] = wall;
    this.f64[i * F64 + MONO] = mono;
    this.f64[i * F64 + SIZE] = size;
    this.f64[i * F64 + FROM] = this.tail - want;
    this.u32[i * U32 + KEPT] = kept;
    this.u32[i * U32 + CONN] = conn;
    this.u32[i * U32 + COST] = cost;
    this.u16[i * U16 + CODE] = code ?? NO_CODE;
    this.u8[i * SLOT_BYTES + BITS] =
      (dir === 'out' ? DIR_BIT : 0) | (truncated ? TRUNCATED_BIT : 0) | (OP_CODE[op] << OP_SHIFT) | ((by ? ROLE_CODE[by] : 0) << ROLE_SHIFT);
    this.payloadBytes += kept;
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
    if (i !== null) this.u8[i * SLOT_BYTES + BITS] = (this.u8[i * SLOT_BYTES + BITS]! & ~(3 << ROLE_SHIFT)) | (ROLE_CODE[by] << ROLE_SHIFT);
  }

  get held(): { frames: number; bytes: number } {
    return { frames: this.len, bytes: this.bytes };
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** Held frames with seq > after, oldest first, until `budget` payload bytes (at least one frame). */
  read(after: number, budget: number): { frames: HeldFrame[]; more: boolean } {
    const frames: HeldFrame[] = [];
    const first = this.next - this.len;
    let used = 0;
    for (let seq = Math.max(after + 1, first); seq < this.next; seq++) {
      const i = this.slot(seq)!;
      const m = this.u8[i * SLOT_BYTES + BITS]!;
      const op = FRAME_OPS[(m >> OP_SHIFT) & 7]!;
      const n = this.u32[i * U32 + KEPT]!;
      if (frames.length > 0 && used + n > budget) return { frames, more: true };
      used += n;
      const at = n > 0 ? this.f64[i * F64 + FROM]! % this.arena.length : 0;
      const payload = n > 0 ? this.arena.toString(op === 'text' || op === 'close' ? 'utf8' : 'latin1', at, at + n) : '';
      const role = (m >> ROLE_SHIFT) & 3;
      frames.push({
        seq,
        conn: this.u32[i * U32 + CONN]!,
        t: this.f64[i * F64 + WALL]!,
        mono: this.f64[i * F64 + MONO]!,
        dir: m & DIR_BIT ? 'out' : 'in',
        op,
        size: this.f64[i * F64 + SIZE]!,
        by: role ? FRAME_ROLES[role - 1]! : null,
        payload,
        truncated: (m & TRUNCATED_BIT) !== 0,
        code: this.u16[i * U16 + CODE] === NO_CODE ? null : this.u16[i * U16 + CODE]!,
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
    let dropped = false;
    while (this.len > 0 && (this.len > count || this.bytes + cost > bytes)) {
      this.dropOldest();
      dropped = true;
    }
    if ((dropped || cost === 0) && this.shakes.size > 1) this.forgetHandshakes();
  }

  private dropOldest(): void {
    this.bytes -= this.u32[this.head * U32 + COST]!;
    this.payloadBytes -= this.u32[this.head * U32 + KEPT]!;
    this.head = (this.head + 1) % this.cap;
    this.len--;
    this.droppedCount++;
  }

  /** The handshakes no held frame belongs to give way (never the last connect's). */
  private forgetHandshakes(): void {
    const oldest = this.len > 0 ? this.u32[this.head * U32 + CONN]! : this.conn;
    for (const h of this.shakes.values()) {
      if (h.conn >= oldest || h.conn === this.conn) break;
      this.shakes.delete(h.conn);
      this.bytes -= h.charge;
    }
  }

  /** Doubles the ring (up to the count bound), oldest first from slot 0. */
  private grow(): void {
    const cap = Math.min(this.limits.count, Math.max(16, this.cap * 2));
    const to = new Uint8Array(cap * SLOT_BYTES);
    for (let k = 0; k < this.len; k++) {
      const i = (this.head + k) % this.cap;
      to.set(this.u8.subarray(i * SLOT_BYTES, (i + 1) * SLOT_BYTES), k * SLOT_BYTES);
    }
    this.u8 = to;
    this.f64 = new Float64Array(to.buffer);
    this.u32 = new Uint32Array(to.buffer);
    this.u16 = new Uint16Array(to.buffer);
    this.head = 0;
    this.cap = cap;
  }

  /**
   * Where `n` payload bytes go in the arena (an offset), the oldest frames
   * giving way to them where the arena has come round. The arena grows to
   * twice what is held (and at least what is asked), never past the bound.
   */
  private place(n: number): number {
    const most = this.limits.bytes;
    if (this.arena.length < most && 2 * (this.payloadBytes + n) > this.arena.length) this.relayout(Math.min(most, arenaSize(2 * (this.payloadBytes + n))));
    if (n === 0) return 0;
    const length = this.arena.length;
    let at = this.tail;
    // A payload never wraps: what is left at the end is skipped.
    if ((at % length) + n > length) at += length - (at % length);
    let dropped = false;
    for (; this.len > 0 && this.f64[this.head * F64 + FROM]! < at + n - length; dropped = true) this.dropOldest();
    if (dropped && this.shakes.size > 1) this.forgetHandshakes();
    this.tail = at + n;
    return at % length;
  }

  /** A new arena of `length` bytes, the held payloads copied into it oldest first from its start. */
  private relayout(length: number): void {
    const arena = Buffer.allocUnsafeSlow(length);
    let at = 0;
    for (let k = 0; k < this.len; k++) {
      const i = (this.head + k) % this.cap;
      const n = this.u32[i * U32 + KEPT]!;
      const from = n > 0 ? this.f64[i * F64 + FROM]! % this.arena.length : 0;
      if (n > 0) this.arena.copy(arena, at, from, from + n);
      this.f64[i * F64 + FROM] = at;
      at += n;
    }
    this.arena = arena;
    this.tail = at;
  }
}

/** An arena's length for `bytes`: a power of two, at least 1 KiB. */
function arenaSize(bytes: number): number {
  return Math.max(1024, 2 ** Math.ceil(Math.log2(Math.max(1, bytes))));
}
