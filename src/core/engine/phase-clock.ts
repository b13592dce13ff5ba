// Times a connect attempt phase by phase from the moments Node and ws report.
import type { ConnectPhases, PhaseName } from '../../shared/phases';
import { round3 } from '../../shared/format';

/** The moments that end a phase, in the order they happen. */
export type PhaseMark = 'lookup' | 'connect' | 'proxy' | 'tls' | 'response';

/**
 * Each phase runs from the previous moment seen to its own, so the phases
 * tile the attempt and add up to its handshake time exactly (each is the
 * difference of two rounded moments, so rounding cannot break the sum).
 */
export class PhaseClock {
  private readonly marks: Partial<Record<PhaseMark, number>> = {};

  constructor(readonly startedAt: number) {}

  /** When a moment was seen, if it was. */
  seen(m: PhaseMark): number | undefined {
    return this.marks[m];
  }

  /** The first time a moment is seen counts. */
  mark(m: PhaseMark, at: number): void {
    this.marks[m] ??= at;
  }

  /** The phases of an attempt ready at `readyAt`; `app` says whether an application handshake followed the upgrade. */
  phases(readyAt: number, app: boolean): ConnectPhases {
    const at = (t: number) => Math.round((t - this.startedAt) * 1000) / 1000;
    let prev = 0;
    const span = (m: number | undefined): number | null => {
      if (m === undefined) return null;
      const d = at(m) - prev;
      prev = at(m);
      return round3(d);
    };
    const { lookup, connect, proxy, tls, response } = this.marks;
    const dnsMs = span(lookup);
    const tcpMs = span(connect);
    const proxyMs = span(proxy);
    const tlsMs = span(tls);
    // Without an application handshake, the moment between the 101 and ws' open belongs to the upgrade.
    const upgradeMs = app ? (span(response) ?? 0) : round3(at(readyAt) - prev);
    const appMs = app ? round3(at(readyAt) - prev) : null;
    return { dnsMs, tcpMs, proxyMs, tlsMs, upgradeMs, appMs };
  }
}

/** What an attempt goes through, in order, as far as its configuration says before it starts. */
export interface AttemptShape {
  /** A host name to look up (not an IP literal); through a proxy the proxy looks it up. */
  lookup: boolean;
  proxied: boolean;
  tls: boolean;
}

export interface FailedIn {
  phase: PhaseName;
  /** How long the attempt had been in that phase. */
  afterMs: number;
}

const MARK_PHASE: Record<PhaseMark, PhaseName> = { lookup: 'dns', connect: 'tcp', proxy: 'proxy', tls: 'tls', response: 'upgrade' };

/** The phase an attempt failed in: the first whose end was not seen (past the upgrade, the app handshake). */
export function failedIn(clock: PhaseClock, shape: AttemptShape, at: number): FailedIn {
  const order: PhaseMark[] = [
    ...(shape.proxied ? (['proxy'] as const) : shape.lookup ? (['lookup', 'connect'] as const) : (['connect'] as const)),
    ...(shape.tls ? (['tls'] as const) : []),
    'response',
  ];
  const missing = order.find((m) => clock.seen(m) === undefined);
  const since = Math.max(clock.startedAt, ...order.map((m) => clock.seen(m) ?? -Infinity));
  return { phase: missing ? MARK_PHASE[missing] : 'app', afterMs: round3(at - since) };
}
