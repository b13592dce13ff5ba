// A heartbeat's unanswered beats: each one's send time by its number, oldest
// first. Beats are added in increasing number, and answered mostly newest
// first, so a short array searched from its end does it, and an answer
// allocates nothing: a Map shrank and regrew its table at nearly every answer
// (about 150 bytes of garbage each, at 10,000 answers a second).

/** Beats its storage holds to start with: more than one beat in flight is rare. */
const FIRST = 4;

export class SentBeats {
  private seqs = new Float64Array(FIRST);
  private times = new Float64Array(FIRST);
  /** Storage index of the oldest beat held, and how many are held. */
  private head = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Beat `seq`, numbered above every beat held, sent at `t`. */
  add(seq: number, t: number): void {
    if (this.count === this.seqs.length) this.grow();
    const i = this.at(this.count);
    this.seqs[i] = seq;
    this.times[i] = t;
    this.count++;
  }

  /** When beat `seq` was sent, if it is held. */
  get(seq: number): number | undefined {
    const k = this.find(seq);
    return k < 0 ? undefined : this.times[this.at(k)];
  }

  has(seq: number): boolean {
    return this.find(seq) >= 0;
  }

  /** The oldest beat held, if any. */
  oldest(): number | undefined {
    return this.count ? this.seqs[this.head] : undefined;
  }

  /** Forgets beat `seq`; the beats after it move up by one (they are the few in flight). */
  delete(seq: number): void {
    const k = this.find(seq);
    if (k < 0) return;
    if (k === 0) {
      this.head = this.at(1);
    } else {
      for (let j = k; j < this.count - 1; j++) {
        const to = this.at(j);
        const from = this.at(j + 1);
        this.seqs[to] = this.seqs[from]!;
        this.times[to] = this.times[from]!;
      }
    }
    this.count--;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  /** Storage index of the k-th oldest. */
  private at(k: number): number {
    return (this.head + k) % this.seqs.length;
  }

  /** Position (0: the oldest) of beat `seq`, or -1; searched from the newest, where answers land. */
  private find(seq: number): number {
    for (let k = this.count - 1; k >= 0; k--) {
      const s = this.seqs[this.at(k)]!;
      if (s === seq) return k;
      if (s < seq) return -1;
    }
    return -1;
  }

  private grow(): void {
    const [seqs, times] = [new Float64Array(this.seqs.length * 2), new Float64Array(this.seqs.length * 2)];
    for (let k = 0; k < this.count; k++) {
      seqs[k] = this.seqs[this.at(k)]!;
      times[k] = this.times[this.at(k)]!;
    }
    [this.seqs, this.times, this.head] = [seqs, times, 0];
  }
}
