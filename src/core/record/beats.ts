// An endpoint's last BEATS_KEPT heartbeat outcomes, for the heartbeat bar.
// Held as numbers in one Float64Array ring rather than an object per beat:
// every answer of every endpoint lands here, and an object per answer (with
// its boxed time and RTT) was garbage 30 answers later, at 10,000 answers a
// second. The ring takes storage at its first beat and grows to its size, so
// an endpoint that has beaten a few times holds little.
import { BEAT_KINDS, BEATS_KEPT, type BeatKind, type BeatTick } from '../../shared/status';

/** A beat's numbers, in this order: its time, its kind (index in BEAT_KINDS), its beat number and RTT (NaN: none). */
const T = 0;
const KIND = 1;
const SEQ = 2;
const RTT = 3;
const STRIDE = 4;
const FIRST = 8;
const NONE = new Float64Array(0);

export class BeatRing {
  private cols: Float64Array = NONE;
  /** Why each "down" beat went down, by slot; null until the first has a cause. */
  private whys: (string | undefined)[] | null = null;
  private start = 0;
  private count = 0;

  push(t: number, kind: BeatKind, seq?: number, rttMs?: number, why?: string): void {
    if (this.count * STRIDE === this.cols.length && this.count < BEATS_KEPT) this.grow();
    const slot = (this.start + this.count) % BEATS_KEPT;
    if (this.count === BEATS_KEPT) this.start = (this.start + 1) % BEATS_KEPT;
    else this.count++;
    const at = slot * STRIDE;
    this.cols[at + T] = t;
    this.cols[at + KIND] = BEAT_KINDS.indexOf(kind);
    this.cols[at + SEQ] = seq ?? NaN;
    this.cols[at + RTT] = rttMs ?? NaN;
    if (why !== undefined) (this.whys ??= [])[slot] = why;
    else if (this.whys) this.whys[slot] = undefined;
  }

  /** A missed beat answered after all: it becomes "late" where it stands. False when no held miss has that number. */
  answerLate(seq: number, rttMs: number): boolean {
    for (let k = 0; k < this.count; k++) {
      const at = ((this.start + k) % BEATS_KEPT) * STRIDE;
      if (this.cols[at + SEQ] === seq && BEAT_KINDS[this.cols[at + KIND]!] === 'missed') {
        this.cols[at + KIND] = BEAT_KINDS.indexOf('late');
        this.cols[at + RTT] = rttMs;
        return true;
      }
    }
    return false;
  }

  /** The beats as the status carries them, oldest first. */
  ticks(): BeatTick[] {
    const out: BeatTick[] = [];
    for (let k = 0; k < this.count; k++) {
      const slot = (this.start + k) % BEATS_KEPT;
      const at = slot * STRIDE;
      const tick: BeatTick = { t: this.cols[at + T]!, kind: BEAT_KINDS[this.cols[at + KIND]!]! };
      const rttMs = this.cols[at + RTT]!;
      if (!Number.isNaN(rttMs)) tick.rttMs = rttMs;
      const why = this.whys?.[slot];
      if (why !== undefined) tick.why = why;
      out.push(tick);
    }
    return out;
  }

  /** Twice the room, up to BEATS_KEPT beats; the ring has not wrapped yet, so its beats stay where they are. */
  private grow(): void {
    const next = new Float64Array(Math.min(BEATS_KEPT, Math.max(FIRST, this.count * 2)) * STRIDE);
    next.set(this.cols);
    this.cols = next;
  }
}
