// Which events of a log an export keeps, and the names it knows them by.
import type { WsmonEvent } from '../../../shared/events';

export interface ExportFilter {
  /** Wall-clock bounds, inclusive (ms since the epoch). */
  from?: number;
  to?: number;
  /** Endpoint name or id. */
  endpoint?: string;
}

/** Tracks endpoint names and URLs as a log streams by (they are announced by endpoint-added/-updated). */
export class EndpointNames {
  private readonly byId = new Map<string, { name: string; url: string }>();
  see(e: WsmonEvent): void {
    if ((e.type === 'endpoint-added' || e.type === 'endpoint-updated') && e.endpoint !== undefined) this.byId.set(e.endpoint, { name: e.name, url: e.url });
  }
  name(id: string | undefined): string {
    return id === undefined ? '' : (this.byId.get(id)?.name ?? id);
  }
  url(id: string | undefined): string {
    return id === undefined ? '' : (this.byId.get(id)?.url ?? '');
  }
}

export function keep(e: WsmonEvent, f: ExportFilter, names: EndpointNames): boolean {
  const t = Date.parse(e.ts);
  if (f.from !== undefined && t < f.from) return false;
  if (f.to !== undefined && t > f.to) return false;
  if (f.endpoint !== undefined && e.endpoint !== f.endpoint && names.name(e.endpoint) !== f.endpoint) return false;
  return true;
}
