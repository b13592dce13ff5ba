// One recorder per endpoint, kept by listening to an event stream: a live
// monitor's or a session log's. The engine only emits; this is what the
// screens, the tray, metrics and alerts read.
import type { WsmonEvent } from '../../shared/events';
import { UnknownEndpointError } from '../../shared/errors';
import type { EndpointStatus } from '../../shared/status';
import type { ListItem } from '../../shared/list-query';
import type { ListenOptions } from '../engine/monitor';
import { DEFAULT_LIMITS, type HistoryLimits } from './history';
import { EndpointRecorder } from './recorder';
import { EventsPool } from './recent-events';
import { IncidentBook } from './incident-book';

/** The most the event loop waits while histories are resized, before the next slice (heartbeats due meanwhile go out). */
const RESIZE_SLICE_MS = 20;

/** Where "now" is in a session: the live monitor's clock, or the end of a log read back. */
export interface SessionTime {
  readonly startWall: number;
  /** Monotonic ms since the session started. */
  now(): number;
}

/** The read side every face uses: statuses, history and events per endpoint. */
export class Records {
  private readonly byId = new Map<string, EndpointRecorder>();
  /** The session's incidents (shared/incidents.ts), as their events tell them. */
  readonly incidents = new IncidentBook();
  /** The storage all endpoints' recent events draw on. */
  private readonly events = new EventsPool();

  constructor(
    private readonly time: SessionTime,
    private limits: HistoryLimits = DEFAULT_LIMITS,
  ) {}

  /** The rings each endpoint's history is kept in (history.ts, historyLimits): a rebuild folds the past into the same. */
  get historyLimits(): HistoryLimits {
    return this.limits;
  }

  /**
   * Every endpoint's history in rings of these sizes from now on (History.resized): those recorded so far a slice
   * at a time, the event loop turning between slices (ten thousand endpoints' months of buckets take seconds).
   */
  async resizeHistories(limits: HistoryLimits, sliceMs = RESIZE_SLICE_MS): Promise<void> {
    this.limits = limits;
    let slice = performance.now();
    for (const r of [...this.byId.values()]) {
      r.resizeHistory(this.limits);
      if (performance.now() - slice < sliceMs) continue;
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
  }

  /** Records a live monitor's events from now on; an endpoint is forgotten once it is removed. */
  static follow(source: SessionTime & { on(listener: (e: WsmonEvent) => void, options?: ListenOptions): () => void }, limits?: HistoryLimits): Records {
    const records = new Records(source, limits);
    source.on(
      (e) => {
        if (e.type === 'endpoint-removed') records.forget(e.endpoint!);
        else records.apply(e);
      },
      // Answers are folded from their numbers: no event is built for them here.
      { rtt: (id, mono, sample) => records.byId.get(id)?.sample(mono, sample) },
    );
    return records;
  }

  get startWall(): number {
    return this.time.startWall;
  }
  now(): number {
    return this.time.now();
  }

  apply(e: WsmonEvent): void {
    if (e.type === 'incident-start' || e.type === 'incident-joined' || e.type === 'incident-end') this.incidents.apply(e);
    if (e.endpoint === undefined) return;
    let r = this.byId.get(e.endpoint);
    if (!r) this.byId.set(e.endpoint, (r = new EndpointRecorder(e.endpoint, this.limits, this.events)));
    r.apply(e);
  }

  forget(id: string): void {
    this.byId.get(id)?.release();
    this.byId.delete(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }
  ids(): string[] {
    return [...this.byId.keys()];
  }
  recorder(id: string): EndpointRecorder {
    const r = this.byId.get(id);
    if (!r) throw new UnknownEndpointError(id);
    return r;
  }
  status(id: string): EndpointStatus {
    return this.recorder(id).status(this.now());
  }
  list(): EndpointStatus[] {
    const now = this.now();
    return [...this.byId.values()].map((r) => r.status(now));
  }
  /** Every endpoint as the list's filters and order read it, judged now. */
  items(): ListItem[] {
    const now = this.now();
    return [...this.byId.values()].map((r) => r.listItem(now));
  }
  get size(): number {
    return this.byId.size;
  }
}
