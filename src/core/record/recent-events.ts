// The last non-RTT events of one endpoint, for the events table and chart
// markers. Held as their JSON text, UTF-8, in one byte ring per endpoint under
// a count and a size cap: a parsed event object costs about three times its
// text, and the string JSON.stringify returns is a tree of pieces that costs
// about twice (measured: 500 events of 130 characters took 125 KB of heap as
// strings, 70 KB here). A size cap bounds an endpoint whose errors carry long
// messages as firmly as one that merely flaps; the ring takes storage as it
// fills, so an endpoint with few events holds little. All endpoints' rings
// draw on one pool: at 10,000 endpoints retrying for an hour, a full cap each
// would be 640 MB.

import { EVENT_FORMAT_VERSION, type WsmonEvent } from '../../shared/events';

export const RECENT_EVENTS = 500;
export const RECENT_EVENTS_BYTES = 64 * 1024;
/** All endpoints' recent events, together, before each is held to its share. */
export const RECENT_EVENTS_POOL_BYTES = 64 * 1024 * 1024;
/** An endpoint's share never falls under this: about eight refused attempts. */
export const RECENT_EVENTS_SHARE_FLOOR = 4 * 1024;
/** The ring's first storage. */
const FIRST_BYTES = 1024;
const NO_BYTES = Buffer.alloc(0);
/**
 * Storage for `n` bytes: a quarter more, in steps of 256. Growing copies the
 * ring, but events are rare and the cap is small; doubling would leave up to
 * half of every endpoint's ring unused.
 */
const grown = (n: number) => Math.max(FIRST_BYTES, Math.ceil((n * 1.25) / 256) * 256);
/**
 * The first byte of a line held without the envelope's version and endpoint,
 * which every event of the ring's own endpoint repeats (a sixth of a refused
 * attempt's text); a line held whole starts with "{".
 */
const SHORT = 1;

/**
 * The storage every endpoint's ring of a session draws on. While the pool has
 * room, a ring may fill to its own cap, so a few flapping endpoints among
 * thousands of quiet ones keep their whole story. Once it is full, a ring
 * grows no further than an equal share of it, and one that holds more keeps
 * what it has (its newest events replacing its oldest): shrinking rings to
 * their share would free room that lets them grow again, so their events
 * would come and go. The storage held stays under twice the pool, or the
 * floor times the rings where that is more.
 */
export class EventsPool {
  /** Bytes of storage the rings hold, and how many rings there are. */
  used = 0;
  rings = 0;

  constructor(readonly bytes = RECENT_EVENTS_POOL_BYTES) {}

  /** What a ring holding `held` bytes may hold now, by the pool alone. */
  room(held: number): number {
    return this.used < this.bytes ? Infinity : Math.max(RECENT_EVENTS_SHARE_FLOOR, Math.floor(this.bytes / this.rings), held);
  }
}

export class RecentEvents {
  /** Each held event's time and length in bytes, oldest first. */
  private readonly monos: number[] = [];
  private readonly sizes: number[] = [];
  private bytes: Buffer = NO_BYTES;
  /** Where the oldest held event starts, and how many bytes are held from there (wrapping round the ring's end). */
  private head = 0;
  private used = 0;
  private dropped = false;

  constructor(
    readonly maxEvents = RECENT_EVENTS,
    readonly maxBytes = RECENT_EVENTS_BYTES,
    private readonly pool = new EventsPool(),
    /** The endpoint whose events these are: its events are held without it and the version, and given both back. */
    private readonly endpoint?: string,
  ) {
    pool.rings++;
  }

  push(e: WsmonEvent): void {
    const line = this.lineOf(e);
    // The newest is always kept: a line past the cap on its own is held alone.
    const room = Math.max(Math.min(this.maxBytes, this.pool.room(this.bytes.length)), line.length);
    while (this.sizes.length > 0 && (this.sizes.length >= this.maxEvents || this.used + line.length > room)) this.dropOldest();
    // Grown as it fills; shrunk back under the cap once a line past it on its own has given way.
    if (this.used + line.length > this.bytes.length || this.bytes.length > room) this.resize(Math.min(room, grown(this.used + line.length)));
    const at = (this.head + this.used) % this.bytes.length;
    const first = Math.min(line.length, this.bytes.length - at);
    line.copy(this.bytes, at, 0, first);
    line.copy(this.bytes, 0, first);
    this.monos.push(e.mono);
    this.sizes.push(line.length);
    this.used += line.length;
  }

  /** Once older events have given way: the time from which the events held are complete; else null (all are held). */
  get completeFrom(): number | null {
    return this.dropped ? (this.monos[0] ?? null) : null;
  }

  get length(): number {
    return this.sizes.length;
  }

  /** Bytes of storage this ring holds. */
  get storage(): number {
    return this.bytes.length;
  }

  /** Events in [from, to], oldest first, as fresh objects. */
  between(from = -Infinity, to = Infinity): WsmonEvent[] {
    const out: WsmonEvent[] = [];
    let at = this.head;
    for (let i = 0; i < this.monos.length; i++) {
      const m = this.monos[i]!;
      if (m > to) break;
      if (m >= from) out.push(this.eventOf(this.text(at, this.sizes[i]!)));
      at = (at + this.sizes[i]!) % this.bytes.length;
    }
    return out;
  }

  private lineOf(e: WsmonEvent): Buffer {
    if (this.endpoint === undefined || e.endpoint !== this.endpoint || e.v !== EVENT_FORMAT_VERSION) return Buffer.from(JSON.stringify(e));
    const { v: _v, endpoint: _endpoint, ...rest } = e;
    const line = Buffer.from(JSON.stringify(rest));
    line[0] = SHORT;
    return line;
  }

  /** An event as it was pushed, its keys in their order (the envelope's first). */
  private eventOf(text: string): WsmonEvent {
    if (text.charCodeAt(0) !== SHORT) return JSON.parse(text) as WsmonEvent;
    const rest = JSON.parse(`{${text.slice(1)}`) as Omit<WsmonEvent, 'v' | 'endpoint'>;
    return Object.assign({ v: EVENT_FORMAT_VERSION, ts: rest.ts, mono: rest.mono, endpoint: this.endpoint }, rest) as WsmonEvent;
  }

  private text(at: number, n: number): string {
    const end = at + n;
    if (end <= this.bytes.length) return this.bytes.toString('utf8', at, end);
    return Buffer.concat([this.bytes.subarray(at), this.bytes.subarray(0, end - this.bytes.length)]).toString('utf8');
  }

  private dropOldest(): void {
    const n = this.sizes.shift()!;
    this.monos.shift();
    this.head = (this.head + n) % this.bytes.length;
    this.used -= n;
    this.dropped = true;
  }

  /** Leaves the pool, its storage with it: the endpoint is gone. */
  release(): void {
    this.pool.rings--;
    this.pool.used -= this.bytes.length;
    this.bytes = NO_BYTES;
    this.monos.length = this.sizes.length = this.head = this.used = 0;
  }

  /** New storage of `size` bytes, the held events copied to its start in order. */
  private resize(size: number): void {
    this.pool.used += size - this.bytes.length;
    const next = Buffer.allocUnsafeSlow(size);
    const first = Math.min(this.used, this.bytes.length - this.head);
    this.bytes.copy(next, 0, this.head, this.head + first);
    this.bytes.copy(next, first, 0, this.used - first);
    this.bytes = next;
    this.head = 0;
  }
}
