// The frame inspector's copy of one endpoint's frames: pulled a page at a
// time after the last one held, while following; kept within the endpoint's
// own bound (the window never holds more frames than the engine does).
import type { Frame, FrameCapture, FramesAnswer, Handshake } from '../../../shared/frames';
import { gatherFrames } from '../../../shared/frames-export';

/** How often new frames are pulled while following. */
export const FRAME_PULL_MS = 1000;

export class FrameFeed {
  frames = $state.raw<Frame[]>([]);
  handshakes = $state.raw<Handshake[]>([]);
  capture = $state.raw<FrameCapture | null>(null);
  held = $state.raw({ frames: 0, bytes: 0 });
  dropped = $state(0);
  /** Live: new frames are pulled and shown; paused, the list stands still. */
  following = $state(true);
  error = $state<string | null>(null);
  private last = 0;
  private pulling = false;

  constructor(private readonly page: (after: number) => Promise<FramesAnswer>) {}

  async pull(): Promise<void> {
    if (this.pulling) return;
    this.pulling = true;
    try {
      const { frames, handshakes, answer } = await gatherFrames(this.page, this.last);
      this.capture = answer.capture;
      this.held = answer.held;
      this.dropped = answer.dropped;
      // Capture turned off: the engine let go of its frames, and so does the window.
      const kept = answer.capture.capture ? [...this.frames, ...frames].slice(-answer.capture.count) : [];
      if (frames.length > 0) this.last = frames.at(-1)!.seq;
      // By connect: a page's handshake replaces the one held (its phases arrive once it opened).
      const shakes: Record<number, Handshake> = {};
      for (const h of [...this.handshakes, ...handshakes]) shakes[h.conn] = h;
      const all = Object.values(shakes).sort((a, b) => a.conn - b.conn);
      const lastConn = all.at(-1)?.conn ?? 0;
      const firstConn = kept[0]?.conn ?? lastConn;
      if (frames.length > 0 || kept.length !== this.frames.length) this.frames = kept;
      this.handshakes = all.filter((h) => h.conn >= firstConn || h.conn === lastConn);
      this.error = null;
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.pulling = false;
    }
  }
}
