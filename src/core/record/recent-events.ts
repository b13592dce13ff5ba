// The last non-RTT events of one endpoint, for the events table and chart
// markers. Held as JSON text under a count and a size cap: a parsed event
// object costs about three times its text, and a size cap bounds an endpoint
// whose errors carry long messages as firmly as one that merely flaps.
import type { WsmonEvent } from '../../shared/events';

export const RECENT_EVENTS = 500;
export const RECENT_EVENTS_CHARS = 64 * 1024;

export class RecentEvents {
  private readonly monos: number[] = [];
  private readonly lines: string[] = [];
  private chars = 0;
  private dropped = false;

  constructor(
    readonly maxEvents = RECENT_EVENTS,
    readonly maxChars = RECENT_EVENTS_CHARS,
  ) {}

  push(e: WsmonEvent): void {
    const line = JSON.stringify(e);
    this.monos.push(e.mono);
    this.lines.push(line);
    this.chars += line.length;
    while (this.lines.length > this.maxEvents || (this.chars > this.maxChars && this.lines.length > 1)) {
      this.monos.shift();
      this.chars -= this.lines.shift()!.length;
      this.dropped = true;
    }
  }

  /** Once older events have given way: the time from which the events held are complete; else null (all are held). */
  get completeFrom(): number | null {
    return this.dropped ? (this.monos[0] ?? null) : null;
  }

  get length(): number {
    return this.lines.length;
  }

  /** Events in [from, to], oldest first, as fresh objects. */
  between(from = -Infinity, to = Infinity): WsmonEvent[] {
    const out: WsmonEvent[] = [];
    for (let i = 0; i < this.monos.length; i++) {
      const m = this.monos[i]!;
      if (m > to) break;
      if (m >= from) out.push(JSON.parse(this.lines[i]!) as WsmonEvent);
    }
    return out;
  }
}
