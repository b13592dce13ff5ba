// On a real path: the lab in a network namespace of our own, and a blackhole
// on the path (a route in the namespace that drops every packet to us, so
// pongs and SYN-ACKs vanish as on a dead link). No mock of the network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventOf, WsmonEvent } from '../../src/shared/events';
import { netnsUnavailable, startTestHost, type TestHost } from '../helpers/netns';
import { useRig } from '../helpers/harness';

const why = netnsUnavailable();
if (why) console.log(`path.test.ts: skipped, ${why}`);

describe.skipIf(why !== null)('on a real path through a network namespace', () => {
  const rig = useRig();
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
  }, 30_000);
  afterAll(async () => {
    await host?.remove();
  });

  it("a 10 s blackhole: the drop is seen within the death bound; once the path is back, open within the next attempt plus one heartbeat interval, not the kernel's SYN retransmissions", async () => {
    const intervalMs = 1000;
    const maxDelayMs = 500;
    const id = rig.add(host.url('/'), {
      heartbeat: { intervalMs, timeoutMs: 500, misses: 2 },
      backoff: { initialMs: maxDelayMs, maxMs: maxDelayMs, jitter: 'none' },
      connectTimeoutMs: 10_000,
    });
    await rig.log.nth(id, 'rtt', 2);
    const lastAnswer = () =>
      (
        rig.log
          .of(id)
          .filter((e) => e.type === 'rtt')
          .at(-1) as WsmonEvent
      ).mono;
    host.blackhole();
    const close = (await rig.log.nth(id, 'close')) as EventOf<'close'>;
    expect(close.initiator).toBe('heartbeat');
    // misses × interval + timeout after the last answer, and a scheduling margin.
    expect(close.mono - lastAnswer()).toBeLessThanOrEqual(2 * intervalMs + 500 + 250);
    // The path comes back 7.5 s into the first attempt made while it is down: between the kernel's third SYN (7 s)
    // and its fourth (15 s, past the 10 s connect timeout), where waiting on the kernel costs the most.
    const attempt = await rig.log.nth(id, 'connecting', 2);
    await new Promise((r) => setTimeout(r, 7500 - (rig.monitor.now() - attempt.mono))); // the path stays down: the scenario, not a wait for an event
    const errors = rig.log.of(id).filter((e) => e.type === 'error') as EventOf<'error'>[];
    expect(errors.some((e) => e.code === 'TCP_TIMEOUT')).toBe(true);
    host.restore();
    const backAt = rig.monitor.now();
    const open = await rig.log.nth(id, 'open', 2);
    // No attempt hangs on the path past one interval, then the next comes within the backoff's delay: open within
    // interval + delay (+ a scheduling margin) of the path's return, where the kernel's schedule took ~3 s here.
    expect(open.mono - backAt).toBeLessThanOrEqual(intervalMs + maxDelayMs + 300);
  }, 40_000);
});
