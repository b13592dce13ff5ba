// The per-endpoint families are written a slice of endpoints at a time, the
// event loop turning between slices, and still make one valid exposition:
// each family once, its series together, every endpoint in every family.
import { describe, expect, it } from 'vitest';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { createMetrics } from '../../src/cli/metrics';
import { Monitor } from '../../src/core/engine/monitor';
import { Records } from '../../src/core/record/records';
import { stamp } from '../../src/shared/events';

describe('metrics in slices', () => {
  it('600 endpoints: the loop turns between parts; each family once, with all 600', async () => {
    const monitor = new Monitor();
    const records = new Records({ startWall: Date.now(), now: () => 60_000 });
    for (let i = 0; i < 600; i++) {
      const id = `e${i}`;
      records.apply(stamp({ type: 'endpoint-added', name: `svc "${i}"\\`, url: `ws://h/${i}` }, Date.now(), 0, id));
      records.apply(stamp({ type: 'open', attempt: 0, handshakeMs: 1, protocol: '' }, Date.now(), 1, id));
    }
    const metrics = createMetrics(monitor, records, 'here');
    let turns = 0;
    let turning = true;
    const turn = () => {
      turns++;
      if (turning) setImmediate(turn);
    };
    setImmediate(turn);
    const seenAt: number[] = [];
    const parts: string[] = [];
    await metrics.write((text) => {
      seenAt.push(turns);
      parts.push(text);
    });
    turning = false;
    // Ten per-endpoint families and three histograms, each in three slices of 250, besides prom-client's part.
    expect(parts.length).toBeGreaterThanOrEqual(1 + 10 * 3);
    for (let i = 2; i < seenAt.length; i++) expect(seenAt[i]!, `part ${i}`).toBeGreaterThan(seenAt[i - 1]!);
    const text = parts.join('');
    for (const name of ['wsmon_up', 'wsmon_health', 'wsmon_disconnects_total', 'wsmon_rtt_seconds'])
      expect(text.match(new RegExp(`^# TYPE ${name} `, 'gm')), name).toHaveLength(1);
    const families = parsePrometheusTextFormat(text.replace(/^# (HELP|TYPE) wsmon_(rtt|connect_phase|network_rtt)_seconds .*\n/gm, '')) as {
      name: string;
      metrics: { value: string; labels: Record<string, string> }[];
    }[];
    const up = families.find((f) => f.name === 'wsmon_up')!;
    expect(up.metrics).toHaveLength(600);
    expect(up.metrics[599]).toEqual({ value: '1', labels: { endpoint: 'svc "599"\\', probe: 'here' } });
    expect(families.find((f) => f.name === 'wsmon_health')!.metrics).toHaveLength(600 * 5);
    await monitor.stop();
  });
});
