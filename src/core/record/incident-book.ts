// The session's incidents as the events tell them (incident-start, -joined,
// -end): the last INCIDENTS_KEPT, newest last, each with its members (the
// first INCIDENT_MEMBERS_KEPT; its count is exact). Fed like the recorders, so
// a past session's log shows its incidents the same way.
import type { EventOf, WsmonEvent } from '../../shared/events';
import { INCIDENTS_KEPT, INCIDENT_MEMBERS_KEPT, type IncidentView } from '../../shared/incidents';

/** An incident held, and how many incident-joined it has had (its members beyond those kept count too). */
type Held = IncidentView & { joined: number };

export class IncidentBook {
  private readonly list: Held[] = [];

  apply(e: WsmonEvent): void {
    if (e.type === 'incident-start') this.start(e);
    else if (e.type === 'incident-joined') {
      const inc = this.find(e.incident);
      if (inc && !inc.members.includes(e.endpoint!)) {
        inc.count = Math.max(inc.count, ++inc.joined);
        if (inc.members.length < INCIDENT_MEMBERS_KEPT) inc.members.push(e.endpoint!);
      }
    } else if (e.type === 'incident-end') {
      const inc = this.find(e.incident);
      if (inc) Object.assign(inc, { endMono: e.mono, count: e.count });
    }
  }

  /** The incidents held, newest first; only those `ids` names when given (an endpoint's). */
  view(ids?: readonly string[]): IncidentView[] {
    const chosen = ids ? this.list.filter((i) => ids.includes(i.id)) : this.list;
    return chosen.map(({ joined: _joined, ...i }) => ({ ...i, members: [...i.members] })).reverse();
  }

  /** The incidents still open, newest first. */
  get active(): IncidentView[] {
    return this.view().filter((i) => i.endMono === null);
  }

  private start(e: EventOf<'incident-start'>): void {
    this.list.push({
      id: e.incident,
      scope: e.scope,
      key: e.key,
      cause: e.cause,
      sinceMono: e.sinceMono,
      startMono: e.mono,
      startTs: e.ts,
      endMono: null,
      count: e.count,
      members: [],
      joined: 0,
    });
    if (this.list.length > INCIDENTS_KEPT) this.list.shift();
  }

  private find(id: string): Held | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) if (this.list[i]!.id === id) return this.list[i];
    return undefined;
  }
}
