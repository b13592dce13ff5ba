// Endpoints added together: a small batch connects at once, a large one is
// spread START_SPACING_MS apart, so thousands never connect (and then beat
// every interval) in the same millisecond.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/engine/clock';
import { Monitor, START_SPACING_MS } from '../../src/core/engine/monitor';
import { parseEndpoint } from '../../src/shared/config';

describe('Monitor start spacing', () => {
  it('starts the first 250 at once and the rest 0.2 ms apart; a pause meanwhile cancels a pending start', async () => {
    const clock = new ManualClock();
    const monitor = new Monitor({ clock });
    const connecting: number[] = [];
    monitor.on((e) => void (e.type === 'connecting' && connecting.push(clock.now())));
    // Port 9 (discard) on 127.0.0.1: nothing listens, every attempt is refused; only the start times matter here.
    const ids = monitor.addAll(
      Array.from({ length: 300 }, (_, i) => parseEndpoint({ url: `ws://127.0.0.1:9/${i}`, backoff: { initialMs: 60_000, maxMs: 60_000, jitter: 'none' } })),
    );
    expect(connecting).toHaveLength(250);
    monitor.pause(ids[299]!);
    clock.advance(300 * START_SPACING_MS);
    expect(connecting).toHaveLength(299);
    expect(connecting.at(-1)).toBeCloseTo(298 * START_SPACING_MS, 0);
    await monitor.stop();
  });
});
