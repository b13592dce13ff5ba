// A ring buffer of rows stored as typed-array columns. It holds no storage
// until its first row, then starts small and doubles up to its capacity, so
// memory follows the session's length until the cap, and never grows past it:
// ten thousand endpoints just added cost their bookkeeping, not their rings.
export type Ctor = Float64ArrayConstructor | Float32ArrayConstructor | Uint8ArrayConstructor;
export type Column = Float64Array | Float32Array | Uint8Array;

/** A ring's rows as a snapshot holds them: each column oldest first, with the layout to read them back by. */
export interface RingRows {
  length: number;
  cols: Record<string, Column>;
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

  constructor(
    readonly capacity: number,
    readonly kinds: Record<K, Ctor>,
  ) {
    this.allocated = 0;
    let empty = empties.get(kinds);
    if (!empty) empties.set(kinds, (empty = this.allocate(0)));
    this.cols = empty as Record<K, Column>;
  }

  /** Storage index of the k-th oldest row (0 = oldest). */
  index(k: number): number {
    return (this.start + k) % this.allocated;
  }

  /** Room for one more row, returned as its storage index; when full, the oldest row is dropped first. */
  append(): number {
    if (this.length === this.allocated && this.allocated < this.capacity) this.grow();
    if (this.length === this.capacity) {
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

  /** Allocates the whole capacity now, so memory stops changing from here on. */
  reserve(): void {
    if (!this.sized) this.resize(this.capacity);
  }

  get bytes(): number {
    return (Object.values(this.cols) as Column[]).reduce((n, c) => n + c.byteLength, 0);
  }

  /** Each column's rows, oldest first, as a copy (a snapshot of the ring: log/snapshot.ts). */
  exportRows(): RingRows {
    const cols = {} as Record<K, Column>;
    // Rows run from `start` to the end of storage, then wrap to its beginning.
    const first = Math.min(this.length, this.allocated - this.start);
    for (const [k, C] of Object.entries(this.kinds) as [K, Ctor][]) {
      const col = new C(this.length);
      col.set(this.cols[k].subarray(this.start, this.start + first));
      col.set(this.cols[k].subarray(0, this.length - first), first);
      cols[k] = col;
    }
    return { length: this.length, cols };
  }

  /** Replaces the rows with those of `rows` (as exportRows gives them); the newest `capacity` are kept. */
  importRows({ cols, length }: RingRows): void {
    const skip = Math.max(0, length - this.capacity);
    this.length = length - skip;
    this.start = 0;
    this.allocated = Math.max(1, Math.min(this.capacity, Math.max(this.length, this.allocated)));
    this.cols = this.allocate(this.allocated);
    for (const k of Object.keys(this.kinds) as K[]) this.cols[k].set(cols[k]!.subarray(skip, length));
  }

  private allocate(n: number): Record<K, Column> {
    return Object.fromEntries(Object.entries(this.kinds).map(([k, C]) => [k, new (C as Ctor)(n)])) as Record<K, Column>;
  }

  private grow(): void {
    this.resize(Math.min(this.capacity, Math.max(FIRST_ROWS, this.allocated * 2)));
  }

  private resize(n: number): void {
    // Until the ring is full nothing was dropped, so rows sit at 0..length-1 in order.
    const next = this.allocate(n);
    for (const k of Object.keys(this.kinds) as K[]) next[k].set(this.cols[k].subarray(0, this.length));
    this.cols = next;
    this.allocated = next[Object.keys(this.kinds)[0] as K].length;
  }
}
