// Screen updates are batched: at most one per 125 ms whatever the number of
// endpoints, each with only what changed. Manual clock, real sockets.
import { describe, expect, it } from 'vitest';
import { UpdateBatcher } from '../../src/core/app/updates';
import type { Update } from '../../src/shared/api';
import { useRig } from '../helpers/harness';
import { parseEndpoint } from '../../src/shared/config';

describe('update batching', () => {
  const rig = useRig({ manualClock: true });

  it('coalesces 50 endpoints × many heartbeats into ≤ 8 updates a second, carrying only changes', async () => {
    const updates: Update[] = [];
    const batcher = new UpdateBatcher(rig.monitor, rig.records, (u) => updates.push(u));
    const ids = Array.from({ length: 50 }, (_, i) => rig.add(rig.lab.url(`/e${i}`), { name: `e${i}`, heartbeat: { intervalMs: 50, timeoutMs: 40 } }));
    await Promise.all(ids.map((id) => rig.log.nth(id, 'rtt')));
    expect(updates).toHaveLength(0); // nothing is sent before the batch interval passes

    // One simulated second of 50 ms heartbeats on 50 endpoints: 1,000 rtt events. The clock moves
    // one interval at a time, and each step waits for the real pongs.
    for (let step = 0; step < 20; step++) {
      rig.clock.advance(50);
      await Promise.all(ids.map((id) => rig.log.nth(id, 'rtt', step + 2)));
    }
    expect(rig.log.events.filter((e) => e.type === 'rtt')).toHaveLength(50 * 21);
    expect(updates.length).toBeLessThanOrEqual(8);
    // Stop the heartbeats, then let the last batch go out.
    for (const id of ids) rig.monitor.pause(id);
    rig.clock.advance(125);
    expect(updates[0]!.endpoints.map((s) => s.id).sort()).toEqual([...ids].sort());
    expect(updates[0]!.events.filter((e) => e.type === 'open')).toHaveLength(50);
    expect(updates.every((u) => u.events.every((e) => e.type !== 'rtt'))).toBe(true);
    // Every sample is in the statuses sent: the last one of each endpoint counts all 21 and shows them as heartbeat ticks.
    const lastOf = (id: string) =>
      updates
        .flatMap((u) => u.endpoints)
        .filter((s) => s.id === id)
        .at(-1)!;
    for (const id of ids) {
      expect(lastOf(id).stats.rtt.samples).toBe(21);
      expect(lastOf(id).beats.map((b) => b.kind)).toEqual(Array(21).fill('ok'));
    }

    // Only one endpoint changes: only it is sent.
    const quietFrom = updates.length;
    rig.monitor.resume(ids[7]!);
    rig.monitor.pause(ids[7]!);
    rig.clock.advance(125);
    const last = updates.at(-1)!;
    expect(updates.length).toBeGreaterThan(quietFrom);
    expect(updates.length).toBe(quietFrom + 1);
    expect(last.endpoints.map((s) => s.id)).toEqual([ids[7]]);
    expect(last.events.map((e) => e.type)).toEqual(['resumed', 'connecting', 'paused']);
    batcher.stop();
  });

  it('sends nothing while nothing happens, and reports removals', async () => {
    const updates: Update[] = [];
    const batcher = new UpdateBatcher(rig.monitor, rig.records, (u) => updates.push(u));
    const id = rig.monitor.add(parseEndpoint({ url: rig.lab.url('/'), name: 'quiet' }), false).id;
    rig.clock.advance(125);
    expect(updates).toHaveLength(1);
    rig.clock.advance(10_000);
    expect(updates).toHaveLength(1);
    await rig.monitor.remove(id);
    rig.clock.advance(125);
    expect(updates[1]).toMatchObject({ endpoints: [], removed: [id] });
    batcher.stop();
    expect(rig.clock.pending).toBe(0);
  });
});
