// Many endpoints on one lab, and a clean stop.
import { describe, expect, it } from 'vitest';
import { useRig } from '../helpers/harness';

describe('many endpoints', () => {
  const rig = useRig();

  it('monitors 200 endpoints at once against one lab, then stops them all', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) ids.push(rig.add(rig.lab.url(`/e${i}`), { name: `e${i}`, heartbeat: { intervalMs: 1000, timeoutMs: 2000 } }));
    expect(new Set(ids).size).toBe(200);
    await Promise.all(ids.map((id) => rig.log.nth(id, 'rtt', 2, 15_000)));
    expect(rig.lab.clientCount).toBe(200);
    const list = rig.records.list();
    expect(list.every((s) => s.state === 'open' && s.stats.heartbeatsMissed === 0)).toBe(true);
    for (const id of ids) expect(rig.log.types(id)).toEqual(['endpoint-added', 'connecting', 'open', 'rtt*']);

    await rig.monitor.stop();
    const closes = rig.log.events.filter((e) => e.type === 'close');
    expect(closes).toHaveLength(200);
    expect(closes.every((c) => c.initiator === 'client' && c.code === 1000)).toBe(true);
    expect(rig.log.events.at(-1)!.type).toBe('session-end');
  }, 30_000);

  it('stop() in every state leaves no socket or timer behind', async () => {
    rig.add(rig.lab.url('/', {})); // open
    rig.add(rig.lab.url('/', { hang: true })); // connecting
    rig.add(rig.lab.url('/', { refuse: 500 }), { backoff: { initialMs: 60_000 } }); // waiting
    const paused = rig.add(rig.lab.url('/', {}), { name: 'paused' });
    rig.monitor.pause(paused);
    await rig.log.waitFor((e) => e.type === 'reconnect-scheduled', 'a retry to be scheduled');
    await rig.log.waitFor((e) => e.type === 'rtt', 'an open endpoint');
    await rig.monitor.stop();
    expect(rig.log.events.at(-1)!.type).toBe('session-end');
    expect(rig.lab.clientCount).toBe(0);
    // The rig's teardown then checks the process's active handles against the count before the test.
  });
});
