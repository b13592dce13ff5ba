// Connect phases as the views read them: per connect in range, the slowest by its mean, and session-long means.
import { describe, expect, it } from 'vitest';
import { phaseBars, type ChartSource } from '../../src/shared/chart-data';
import { stamp, type EventBody } from '../../src/shared/events';
import { PhaseTotals, phasesText, slowestPhase, type ConnectPhases } from '../../src/shared/phases';

const phases = (over: Partial<ConnectPhases>): ConnectPhases => ({ dnsMs: null, tcpMs: 1, proxyMs: null, tlsMs: null, upgradeMs: 2, appMs: null, ...over });
const open = (mono: number, p: ConnectPhases | undefined): EventBody & { mono: number } => ({
  type: 'open',
  attempt: 0,
  handshakeMs: 0,
  protocol: '',
  ...(p ? { phases: p } : {}),
  mono,
});
const source = (opens: ReturnType<typeof open>[]): ChartSource => ({
  raw: [],
  buckets: [],
  states: [],
  events: opens.map(({ mono, ...body }) => stamp(body, mono, mono, 'a')),
});

describe('connect phases', () => {
  it('one bar per connect in range, 0 for a phase it did not have; the slowest phase by its mean over the connects that had it', () => {
    const h = source([open(10, phases({ tlsMs: 30 })), open(20, phases({ tcpMs: 5, upgradeMs: 9 })), open(30, undefined), open(99, phases({ tlsMs: 500 }))]);
    const bars = phaseBars(h, 0, 50, (t) => t + 1000);
    expect(bars.connects).toBe(2);
    expect(bars.bars.tls).toEqual([
      { x: 1010, y: 30 },
      { x: 1020, y: 0 },
    ]);
    expect(bars.bars.tcp.map((b) => b.y)).toEqual([1, 5]);
    // tls: 30 over the one connect that had it; upgrade: (2 + 9) / 2.
    expect(bars.slowest).toEqual({ phase: 'tls', ms: 30 });
    expect(phaseBars(h, 40, 50, (t) => t)).toMatchObject({ connects: 0, slowest: null });
  });

  it('session-long means in fixed memory, null before the first timed connect', () => {
    const totals = new PhaseTotals();
    expect(totals.means()).toBeNull();
    totals.add(phases({ dnsMs: 4 }));
    totals.add(phases({ tcpMs: 3 }));
    const means = totals.means()!;
    expect(means).toEqual({ dnsMs: 4, tcpMs: 2, proxyMs: null, tlsMs: null, upgradeMs: 2, appMs: null });
    expect(phasesText(means)).toBe('dns 4.0 · tcp 2.0 · upgrade 2.0');
    expect(slowestPhase(means)).toEqual({ phase: 'dns', ms: 4 });
  });
});
