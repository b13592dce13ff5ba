// Delivers notices to every alert channel, each in order and on its own: a
// channel that fails is retried with growing delays while the others go on,
// holds at most a few notices meanwhile (the oldest give way, counted), and
// says how it stands (ok, failing and why, when it retries) for the window.
import { isoTime } from '../../../shared/events';
import { channelName, maskChannel, type Channel, type ChannelStatus } from '../../../shared/settings/channels';
import type { Clock, TimerHandle } from '../../engine/clock';
import type { AlertMessage } from './messages';
import { DeliveryError, sendTo } from './send';

export interface HubOptions {
  /**
   * Waits between attempts of one notice: 5 s, 30 s, 2 min, 10 min — a
   * receiver that is down for a deploy is caught on the second or third, one
   * that is down for longer is tried for ~13 minutes; then the notice is dropped.
   */
  retryDelaysMs?: number[];
  /** One attempt's bound: a chat webhook answers in well under a second; 10 s is a receiver in trouble. */
  timeoutMs?: number;
  /** Notices held per channel while it fails; the oldest give way. */
  queueMax?: number;
}

const DEFAULTS: Required<HubOptions> = { retryDelaysMs: [5_000, 30_000, 120_000, 600_000], timeoutMs: 10_000, queueMax: 20 };

class Lane {
  readonly queue: { m: AlertMessage; failures: number }[] = [];
  busy = false;
  timer: TimerHandle | null = null;
  retryAtWall: number | null = null;
  readonly abort = new AbortController();
  status: Omit<ChannelStatus, 'queued' | 'retryAt'>;

  constructor(
    readonly channel: Channel,
    index: number,
  ) {
    this.status = {
      index,
      name: channelName(channel),
      kind: channel.kind,
      url: maskChannel(channel).url,
      enabled: channel.enabled,
      state: channel.enabled ? 'idle' : 'off',
      lastError: null,
      lastOkAt: null,
      lastErrorAt: null,
      sent: 0,
      dropped: 0,
    };
  }
}

export class ChannelHub {
  private lanes: Lane[] = [];
  private readonly listeners = new Set<(s: ChannelStatus[]) => void>();
  private readonly opts: Required<HubOptions>;

  constructor(
    private readonly clock: Clock,
    options: HubOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...options };
  }

  /** Replaces the channels (settings changed): what waited for a channel that is gone or changed is dropped with it. */
  set(channels: Channel[]): void {
    const same = (a: Channel, b: Channel) => JSON.stringify(a) === JSON.stringify(b);
    const next = channels.map((c, i) => {
      const kept = this.lanes[i];
      if (kept && same(kept.channel, c)) return kept;
      return new Lane(c, i);
    });
    for (const lane of this.lanes) if (!next.includes(lane)) this.end(lane);
    this.lanes = next;
    this.changed();
  }

  get size(): number {
    return this.lanes.length;
  }

  deliver(m: AlertMessage): void {
    for (const lane of this.lanes) {
      if (!lane.channel.enabled) continue;
      lane.queue.push({ m, failures: 0 });
      if (lane.queue.length > this.opts.queueMax) {
        // The one being sent or retried stays at the head; the oldest behind it gives way.
        lane.queue.splice(1, 1);
        lane.status.dropped++;
      }
      void this.pump(lane);
    }
    this.changed();
  }

  /** One attempt of a test message to channel `index`, now, outside its queue; says how it went (and the status follows). */
  async test(index: number, m: AlertMessage): Promise<{ ok: true } | { ok: false; error: string }> {
    const lane = this.lanes[index];
    if (!lane) return { ok: false, error: `there is no channel ${index + 1}` };
    try {
      await sendTo(lane.channel, m, this.opts.timeoutMs, lane.abort.signal);
      this.succeeded(lane);
      return { ok: true };
    } catch (e) {
      this.failed(lane, e);
      return { ok: false, error: lane.status.lastError! };
    } finally {
      this.changed();
    }
  }

  statuses(): ChannelStatus[] {
    return this.lanes.map((l) => ({
      ...l.status,
      queued: l.queue.length,
      retryAt: l.retryAtWall === null ? null : isoTime(l.retryAtWall),
    }));
  }

  onChange(listener: (s: ChannelStatus[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    for (const lane of this.lanes) this.end(lane);
    this.lanes = [];
  }

  private end(lane: Lane): void {
    if (lane.timer) this.clock.clearTimeout(lane.timer);
    lane.timer = null;
    lane.queue.length = 0;
    lane.abort.abort();
  }

  private async pump(lane: Lane): Promise<void> {
    if (lane.busy || lane.timer || lane.queue.length === 0 || lane.abort.signal.aborted) return;
    const head = lane.queue[0]!;
    lane.busy = true;
    try {
      await sendTo(lane.channel, head.m, this.opts.timeoutMs, lane.abort.signal);
      lane.queue.shift();
      lane.status.sent++;
      this.succeeded(lane);
    } catch (e) {
      if (lane.abort.signal.aborted) return;
      this.failed(lane, e);
      const wait = this.opts.retryDelaysMs[head.failures++];
      if (wait === undefined) {
        lane.queue.shift();
        lane.status.dropped++;
      } else {
        lane.retryAtWall = this.clock.wall() + wait;
        lane.timer = this.clock.setTimeout(() => {
          lane.timer = null;
          lane.retryAtWall = null;
          void this.pump(lane);
        }, wait);
      }
    } finally {
      lane.busy = false;
    }
    this.changed();
    void this.pump(lane);
  }

  private succeeded(lane: Lane): void {
    lane.status.state = 'ok';
    lane.status.lastOkAt = isoTime(this.clock.wall());
  }

  private failed(lane: Lane, e: unknown): void {
    lane.status.state = 'failing';
    lane.status.lastError = e instanceof DeliveryError ? e.message : `failed (${(e as Error).name})`;
    lane.status.lastErrorAt = isoTime(this.clock.wall());
  }

  private changed(): void {
    if (this.listeners.size === 0) return;
    const s = this.statuses();
    this.listeners.forEach((l) => l(s));
  }
}
