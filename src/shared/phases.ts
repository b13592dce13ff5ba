// The phases of a connect attempt, shared by the engine (which times them), the events and every view of them.

/** A phase's time in ms, null when the attempt had no such phase (an IP literal has no lookup, ws:// no TLS). */
export interface ConnectPhases {
  dnsMs: number | null;
  tcpMs: number | null;
  /** To the proxy and through its tunnel (the proxy's own lookup and connect included); null when direct. */
  proxyMs: number | null;
  tlsMs: number | null;
  /** From the upgrade request's start (the socket ready) to the server's answer. */
  upgradeMs: number;
  /** The application protocol's handshake (or ack rule) after the upgrade; null when there is none. */
  appMs: number | null;
}

/** Connect phases as means over several connects: the upgrade too may be missing (none timed). */
export type ConnectPhaseMeans = { [K in keyof ConnectPhases]: number | null };

/** A phase by name, as the metrics' label and a failed attempt's `inPhase` say it. */
export type PhaseName = 'dns' | 'tcp' | 'proxy' | 'tls' | 'upgrade' | 'app';

export const PHASE_LABELS: Record<keyof ConnectPhases, PhaseName> = {
  dnsMs: 'dns',
  tcpMs: 'tcp',
  proxyMs: 'proxy',
  tlsMs: 'tls',
  upgradeMs: 'upgrade',
  appMs: 'app',
};

/** The phases in the order they happen. */
export const PHASE_KEYS = ['dnsMs', 'tcpMs', 'proxyMs', 'tlsMs', 'upgradeMs', 'appMs'] as const satisfies readonly (keyof ConnectPhases)[];

/** `dns 0.4 · tcp 10.1 · tls 20.3 · upgrade 10.2 · app 0.2`: the phases that happened, in order. */
export function phasesText(p: ConnectPhaseMeans): string {
  return PHASE_KEYS.filter((k) => p[k] !== null)
    .map((k) => `${PHASE_LABELS[k]} ${p[k]!.toFixed(1)}`)
    .join(' · ');
}

/** The phase that took longest, by name, with its time; null when none was timed. */
export function slowestPhase(p: ConnectPhaseMeans): { phase: PhaseName; ms: number } | null {
  let worst: { phase: PhaseName; ms: number } | null = null;
  for (const k of PHASE_KEYS) {
    const v = p[k];
    if (v !== null && (worst === null || v > worst.ms)) worst = { phase: PHASE_LABELS[k], ms: v };
  }
  return worst;
}

/**
 * Each connect phase's sum and count over some connects (a session's, a
 * chart's): their means, in fixed memory, taken at the first connect (an
 * endpoint that never connects holds none).
 */
export class PhaseTotals {
  private totals: { sum: Float64Array; count: Uint32Array } | null = null;

  add(p: ConnectPhases): void {
    const { sum, count } = (this.totals ??= { sum: new Float64Array(PHASE_KEYS.length), count: new Uint32Array(PHASE_KEYS.length) });
    PHASE_KEYS.forEach((k, i) => {
      const v = p[k];
      if (v === null) return;
      sum[i]! += v;
      count[i]! += 1;
    });
  }
  means(): ConnectPhaseMeans | null {
    if (!this.totals) return null;
    const { sum, count } = this.totals;
    return Object.fromEntries(PHASE_KEYS.map((k, i) => [k, count[i] ? sum[i]! / count[i]! : null])) as ConnectPhaseMeans;
  }
}
