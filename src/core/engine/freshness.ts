// Freshness: a feed that must deliver data at least every D. Past that, the
// endpoint is stale while staying connected (a market feed or event stream that
// stops delivering is sick even when its pongs come back); data again makes it
// fresh. Only messages matching the rule count, when there is one.
import type { PongMatch } from '../../shared/match-rule';
import { deadline, type Clock, type Deadline } from './clock';
import { answerMatcher } from './answer-matcher';

export interface FreshnessConfig {
  everyMs: number;
  match?: PongMatch;
}

export interface FreshnessHooks {
  stale(silentMs: number): void;
  fresh(silentMs: number): void;
}

export class Freshness {
  private lastData = 0;
  private stale = false;
  private timer: Deadline | null = null;
  private readonly counts: ((text: string) => boolean) | null;

  constructor(
    private readonly cfg: FreshnessConfig,
    private readonly clock: Clock,
    private readonly hooks: FreshnessHooks,
  ) {
    const match = cfg.match ? answerMatcher(cfg.match) : null;
    this.counts = match && ((text) => match(text) !== null);
  }

  /** From open: the first data is expected within everyMs. */
  start(): void {
    this.lastData = this.clock.now();
    this.arm(this.cfg.everyMs);
  }

  /** A message arrived (binary ones as ''). Cheap: a flood only moves a number, never a timer. */
  onData(text: string): void {
    if (this.counts && !this.counts(text)) return;
    const now = this.clock.now();
    if (this.stale) {
      this.stale = false;
      this.hooks.fresh(now - this.lastData);
    }
    this.lastData = now;
  }

  stop(): void {
    this.timer?.clear();
    this.timer = null;
  }

  /** Checked once messages already received are read: after a stall of this process, data that came in time is not silence. */
  private arm(ms: number): void {
    this.timer = deadline(this.clock, ms, () => this.check());
  }

  /** The deadline passed: stale if nothing came since, else wait for the new deadline. */
  private check(): void {
    const silent = this.clock.now() - this.lastData;
    if (silent >= this.cfg.everyMs) {
      if (!this.stale) {
        this.stale = true;
        this.hooks.stale(silent);
      }
      this.arm(this.cfg.everyMs);
    } else {
      this.arm(this.cfg.everyMs - silent);
    }
  }
}
