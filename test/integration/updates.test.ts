// Screen updates are batched: at most one per 125 ms whatever the number of
// endpoints, and each window is sent only what it shows (its list's page, the
// endpoint it watches) and its page again when that changed. Manual clock, real sockets.
import { describe, expect, it } from 'vitest';
import { UpdateBatcher, type Batch } from '../../src/core/app/updates';
import { ClientView } from '../../src/core/app/client-view';
import type { Update } from '../../src/shared/api';
import { DEFAULT_LIST_QUERY } from '../../src/shared/list-query';
import { useRig } from '../helpers/harness';
import { parseEndpoint } from '../../src/shared/config';

describe('update batching', () => {
  const rig = useRig({ manualClock: true });

  /** A batcher feeding one window's view; its batches and its updates. */
  function window() {
    const view = new ClientView(rig.records);
    const batches: Batch[] = [];
    const updates: Update[] = [];
    const batcher = new UpdateBatcher(rig.monitor, (b) => {
      batches.push(b);
      const u = view.update(b);
      if (u) updates.push(u);
    });
    return { view, batches, updates, batcher };
  }

  it('coalesces 50 endpoints × many heartbeats into ≤ 8 batches a second; a window is sent only the rows it shows', async () => {
    const { view, batches, updates, batcher } = window();
    const ids = Array.from({ length: 50 }, (_, i) => rig.add(rig.lab.url(`/e${i}`), { name: `e${i}`, heartbeat: { intervalMs: 50, timeoutMs: 40 } }));
    await Promise.all(ids.map((id) => rig.log.nth(id, 'rtt')));
    expect(batches).toHaveLength(0); // nothing is sent before the batch interval passes
    const page = view.rows({ ...DEFAULT_LIST_QUERY, sort: 'name', offset: 5, limit: 10 });
    const shown = page.rows.map((r) => (r.kind === 'endpoint' ? r.id : ''));
    expect(page).toMatchObject({ count: 50, matched: 50, total: 50, offset: 5 });
    expect(shown).toHaveLength(10);
    expect(page.statuses.map((s) => s.id)).toEqual(shown);

    // One simulated second of 50 ms heartbeats on 50 endpoints: 1,000 rtt events. The clock moves
    // one interval at a time, and each step waits for the real pongs.
    for (let step = 0; step < 20; step++) {
      rig.clock.advance(50);
      await Promise.all(ids.map((id) => rig.log.nth(id, 'rtt', step + 2)));
    }
    expect(rig.log.events.filter((e) => e.type === 'rtt')).toHaveLength(50 * 21);
    expect(batches.length).toBeLessThanOrEqual(8);
    // Stop the heartbeats, then let the last batch go out.
    for (const id of ids) rig.monitor.pause(id);
    rig.clock.advance(125);
    expect([...batches[0]!.changed].sort()).toEqual([...ids].sort());
    expect(batches.every((b) => b.events.every((e) => e.type !== 'rtt'))).toBe(true);
    // The window is sent the statuses of its ten rows only, and every sample is in them.
    const sent = updates.flatMap((u) => [...u.endpoints, ...(u.rows?.statuses ?? [])]);
    expect(new Set(sent.map((s) => s.id))).toEqual(new Set(shown));
    const lastOf = (id: string) => sent.filter((s) => s.id === id).at(-1)!;
    for (const id of shown) {
      expect(lastOf(id).stats.rtt.samples).toBe(21);
      expect(lastOf(id).beats.map((b) => b.kind)).toEqual(Array(21).fill('ok'));
    }

    // An endpoint off the page changes: the window is sent nothing of it.
    const offPage = ids.find((id) => !shown.includes(id))!;
    const quietFrom = updates.length;
    rig.monitor.resume(offPage);
    rig.monitor.pause(offPage);
    rig.clock.advance(125);
    expect(batches.at(-1)!.changed).toEqual(new Set([offPage]));
    expect(updates.slice(quietFrom).flatMap((u) => u.endpoints)).toEqual([]);
    // One on it: only it is sent.
    rig.monitor.resume(shown[3]!);
    rig.monitor.pause(shown[3]!);
    rig.clock.advance(125);
    expect(updates.at(-1)!.endpoints.map((s) => s.id)).toEqual([shown[3]]);
    expect(updates.at(-1)!.events.map((e) => e.type)).toEqual(['resumed', 'connecting', 'paused']);
    batcher.stop();
  });

  it('sends nothing while nothing happens; a removal is sent with the page without it', async () => {
    const { view, updates, batcher } = window();
    const a = rig.monitor.add(parseEndpoint({ url: rig.lab.url('/'), name: 'a quiet one' }), false).id;
    const b = rig.monitor.add(parseEndpoint({ url: rig.lab.url('/'), name: 'b quiet one' }), false).id;
    expect(view.rows({ ...DEFAULT_LIST_QUERY, sort: 'name', offset: 0, limit: 10 }).rows.map((r) => r.kind === 'endpoint' && r.id)).toEqual([a, b]);
    rig.clock.advance(125);
    const settled = updates.length;
    rig.clock.advance(10_000);
    expect(updates).toHaveLength(settled);
    await rig.monitor.remove(a);
    rig.clock.advance(125);
    expect(updates.at(-1)).toMatchObject({ endpoints: [], removed: [a], rows: { count: 1, total: 1, rows: [{ kind: 'endpoint', id: b }] } });
    batcher.stop();
    expect(rig.clock.pending).toBe(0);
  });

  it('a window out of sight is not sent its page again until it shows; then it is sent the page as it is now', async () => {
    const { view, updates, batcher } = window();
    const a = rig.monitor.add(parseEndpoint({ url: rig.lab.url('/'), name: 'a' }), false).id;
    view.rows({ ...DEFAULT_LIST_QUERY, sort: 'name', offset: 0, limit: 10 });
    view.hide();
    const hiddenFrom = updates.length;
    const b = rig.monitor.add(parseEndpoint({ url: rig.lab.url('/'), name: 'b' }), false).id;
    rig.monitor.pause(a);
    rig.clock.advance(5_000);
    const whileHidden = updates.slice(hiddenFrom);
    // What it holds still changes (a paused); the page is not ordered again (b is not in it).
    expect(whileHidden.flatMap((u) => u.endpoints.map((e) => e.id))).toContain(a);
    expect(whileHidden.some((u) => u.rows)).toBe(false);
    const shown = view.show();
    expect(shown?.rows?.rows.map((r) => r.kind === 'endpoint' && r.id)).toEqual([a, b]);
    expect(shown?.rows?.statuses.map((st) => st.id)).toEqual([a, b]);
    expect(view.show()).toBeNull(); // nothing changed since
    // In sight again, its page follows the endpoints as before.
    const c = rig.monitor.add(parseEndpoint({ url: rig.lab.url('/'), name: 'c' }), false).id;
    rig.clock.advance(125);
    expect(updates.at(-1)?.rows?.rows.map((r) => r.kind === 'endpoint' && r.id)).toEqual([a, b, c]);
    batcher.stop();
  });
});
