// A ring buffer of rows stored as typed-array columns. It holds no storage
// until its first row, then starts small and doubles up to its capacity, so
// memory follows the session's length until the cap, and never grows past it:
// ten thousand endpoints just added cost their bookkeeping, not their rings.
// A column named sparse takes no storage until its first non-zero value: a
// healthy endpoint's buckets never hold its disconnect counts, nor a down
// one's its RTTs.
export type Ctor = Float64ArrayConstructor | Float32ArrayConstructor | Uint8ArrayConstructor;
export type Column = Float64Array | Float32Array | Uint8Array;

/** A ring's rows as a snapshot holds them: each column oldest first, with the layout to read them back by. */
export interface RingRows {
  length: number;
  cols: Record<string, Column>;
}

/**
 * A ring's rows as they stood when held (ColumnRing.hold), copied only when
 * first read, however the ring has changed meanwhile: a history snapshot of
 * ten thousand endpoints holds every ring at its cut in microseconds and
 * reads them one at a time while it writes, instead of copying gigabytes
 * while heartbeats wait. Until read, the ring keeps here each held row it
 * overwrites (spill, oldest first).
 */
export class HeldRows implements RingRows {
  spill: Record<string, number[]> | null = null;
  spilled = 0;
  private copy: Record<string, Column> | null = null;
  private taken = false;
  constructor(
    private readonly ring: ColumnRing<string>,
    /** The storage the rows were in, where the oldest was, how many, the storage's size; and how far to move their times. */
    readonly storage: Record<string, Column>,
    readonly start: number,
    readonly length: number,
    readonly allocated: number,
    readonly shift: number,
  ) {}
  /** The rows, copied at the first read and kept. */
  get cols(): Record<string, Column> {
    if (this.taken) throw new Error('held rows were taken');
    return (this.copy ??= this.read());
  }
  /**
   * The rows for one use (a snapshot's writer: memory for one endpoint at a
   * time): those kept by an earlier read of cols, or else a copy not kept
   * here, after which they cannot be read again.
   */
  take(): Record<string, Column> {
    if (this.copy) return this.copy;
    if (this.taken) throw new Error('held rows were taken');
    this.taken = true;
    return this.read();
  }
  /** Not to be read after all (a write that failed): the ring stops keeping rows for it. */
  release(): void {
    if (!this.copy && !this.taken) this.ring.letGo(this);
  }
  private read(): Record<string, Column> {
    this.ring.letGo(this);
    return this.ring.readHeld(this);
  }
}

/** Rows with their times (column t) moved by `shift` ms, in place: onto the wall clock for a snapshot, onto a new session's clock from one. */
export function shifted(rows: RingRows, shift: number): RingRows {
  const t = rows.cols.t!;
  for (let i = 0; i < rows.length; i++) t[i] = t[i]! + shift;
  return rows;
}

/** First storage a ring takes, at its first row. */
const FIRST_ROWS = 16;
/** One set of empty columns per layout, shared by every ring that has no row yet (nothing is written to them). */
const empties = new WeakMap<object, Record<string, Column>>();

export class ColumnRing<K extends string> {
  cols: Record<K, Column>;
  private start = 0;
  length = 0;
  private allocated: number;
  private held: HeldRows | null = null;

  constructor(
    readonly capacity: number,
    readonly kinds: Record<K, Ctor>,
    /**
     * Columns that read as 0 (`get`) and take no storage until a non-zero value
     * is put in them (`put`, the only way to write one); until then their
     * column is empty, so a stray write by index is lost rather than shared.
     */
    readonly sparse: readonly NoInfer<K>[] = [],
  ) {
    this.allocated = 0;
    let empty = empties.get(kinds);
    if (!empty) empties.set(kinds, (empty = this.allocate(0, () => true)));
    this.cols = empty as Record<K, Column>;
  }

  /** The value of column `k` at storage index `i` (0 in a sparse column not yet written). */
  get(k: K, i: number): number {
    return this.cols[k][i] ?? 0;
  }

  /** Writes `v` at storage index `i` of column `k`; a sparse column takes its storage at its first non-zero value. */
  put(k: K, i: number, v: number): void {
    let col = this.cols[k];
    if (col.length === 0) {
      if (v === 0) return;
      // In place: held rows (hold) share this record, and read zeros here for the rows they hold.
      col = this.cols[k] = new this.kinds[k](this.allocated);
    }
    col[i] = v;
  }

  /** Storage index of the k-th oldest row (0 = oldest). */
  index(k: number): number {
    return (this.start + k) % this.allocated;
  }

  /** Room for one more row, returned as its storage index; when full, the oldest row is dropped first. */
  append(): number {
    if (this.length === this.allocated && this.allocated < this.capacity) this.grow();
    if (this.length === this.capacity) {
      if (this.held) this.spillOldest(this.held);
      this.start = (this.start + 1) % this.capacity;
      this.length--;
    }
    return (this.start + this.length++) % this.allocated;
  }

  get full(): boolean {
    return this.length === this.capacity;
  }

  /** True once storage has reached its capacity: from then on the ring never allocates again. */
  get sized(): boolean {
    return this.allocated === this.capacity;
  }

  /**
   * Allocates the whole capacity now, so memory stops changing from here on: its sparse columns too, those already
   * written and those `like` (a ring of the same layout whose rows will come here) has written. A sparse column
   * first written later still takes its storage then.
   */
  reserve(like?: ColumnRing<K>): void {
    if (!this.sized) this.resize(this.capacity, (k) => !!like?.cols[k].length);
  }

  get bytes(): number {
    return (Object.values(this.cols) as Column[]).reduce((n, c) => n + c.byteLength, 0);
  }

  /**
   * The rows as they stand now, each column oldest first, times (column t)
   * moved by `shift`, copied when first read (a snapshot of the ring:
   * log/snapshot.ts). Until then the ring keeps each held row it overwrites;
   * rows appended after the hold are not among them. One hold at a time: a
   * new one reads the one before first.
   */
  hold(shift: number): HeldRows {
    void this.held?.cols;
    return (this.held = new HeldRows(this as ColumnRing<string>, this.cols, this.start, this.length, this.allocated, shift));
  }

  /** Stops keeping rows for `h` (read, or not to be). */
  letGo(h: HeldRows): void {
    if (this.held === h) this.held = null;
  }

  /**
   * Keeps the oldest row before a full ring overwrites it, while it is one of
   * the held rows still in the held storage (storage a resize or an import
   * replaced is never written again). A full ring overwrites oldest first, so
   * the row at `start` is always the held row after those kept already.
   */
  private spillOldest(h: HeldRows): void {
    if (h.storage !== this.cols || h.spilled === h.length) return;
    h.spill ??= Object.fromEntries(Object.keys(this.kinds).map((k) => [k, []]));
    for (const k of Object.keys(this.kinds) as K[]) h.spill[k]!.push(this.get(k, this.start));
    h.spilled++;
  }

  /** A copy of `h`'s rows: those kept as they were overwritten, then the rest where they were (from start + spilled to the end of storage, then wrapped to its beginning). */
  readHeld(h: HeldRows): Record<K, Column> {
    const cols = {} as Record<K, Column>;
    const from = (h.start + h.spilled) % Math.max(1, h.allocated);
    const rest = h.length - h.spilled;
    const first = Math.min(rest, h.allocated - from);
    for (const [k, C] of Object.entries(this.kinds) as [K, Ctor][]) {
      const col = new C(h.length);
      if (h.spill) col.set(h.spill[k]!);
      col.set(h.storage[k]!.subarray(from, from + first), h.spilled);
      col.set(h.storage[k]!.subarray(0, rest - first), h.spilled + first);
      cols[k] = col;
    }
    return shifted({ length: h.length, cols }, h.shift).cols as Record<K, Column>;
  }

  /** Replaces the rows with those of `rows` (as a hold gives them); the newest `capacity` are kept. */
  importRows({ cols, length }: RingRows): void {
    const skip = Math.max(0, length - this.capacity);
    this.length = length - skip;
    this.start = 0;
    this.allocated = Math.max(1, Math.min(this.capacity, Math.max(this.length, this.allocated)));
    const rows = (k: K) => cols[k]!.subarray(skip, length);
    this.cols = this.allocate(this.allocated, (k) => rows(k).some((v) => v !== 0));
    // A sparse column left empty had only zeros to take.
    for (const k of Object.keys(this.kinds) as K[]) if (this.cols[k].length) this.cols[k].set(rows(k));
  }

  /** Columns of `n` rows; a sparse one only if `used` says it holds a value (else it stays empty). */
  private allocate(n: number, used: (k: K) => boolean): Record<K, Column> {
    const sparse = new Set(this.sparse);
    return Object.fromEntries((Object.entries(this.kinds) as [K, Ctor][]).map(([k, C]) => [k, new C(!sparse.has(k) || used(k) ? n : 0)])) as Record<K, Column>;
  }

  private grow(): void {
    this.resize(Math.min(this.capacity, Math.max(FIRST_ROWS, this.allocated * 2)));
  }

  private resize(n: number, alsoUsed: (k: K) => boolean = () => false): void {
    // Until the ring is full nothing was dropped, so rows sit at 0..length-1 in order.
    const next = this.allocate(n, (k) => this.cols[k].length > 0 || alsoUsed(k));
    for (const k of Object.keys(this.kinds) as K[]) next[k].set(this.cols[k].subarray(0, this.length));
    this.cols = next;
    this.allocated = n;
  }
}
