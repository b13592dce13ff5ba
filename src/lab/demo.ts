// The demo: local lab endpoints that show every kind of health and failure
// at once, so a new user sees wsmon at work with nothing to set up.
import { createServer } from 'node:net';
import type { EndpointConfigInput } from '../shared/config';
import { Lab } from './server';

const DEMO_SETTINGS = {
  heartbeat: { intervalMs: 1000, timeoutMs: 2000, misses: 2 },
  backoff: { initialMs: 1000, maxMs: 10_000 },
  connectTimeoutMs: 5000,
} satisfies Partial<EndpointConfigInput>;

/** What each demo endpoint is expected to show, for the README and the tests. */
export const DEMO_SCENARIOS = [
  { name: 'demo-healthy', expect: 'open, RTT under a few ms; its server sends a message every 2 s' },
  { name: 'demo-slow', expect: 'open, RTT about 80 ms' },
  { name: 'demo-jittery', expect: 'open, RTT jumping between 20 and 100 ms' },
  { name: 'demo-flaky', expect: 'open, closed by its server every ~20 s (1011 "overloaded"), then reconnects' },
  { name: 'demo-refused', expect: 'retrying: the upgrade is refused with HTTP 503' },
  { name: 'demo-closed-port', expect: 'retrying: ECONNREFUSED, nothing listens there' },
] as const;

export class DemoLab {
  private lab: Lab | null = null;
  private closedPort = 0;

  /** Starts the lab on first use and returns the demo endpoints. */
  async endpoints(): Promise<EndpointConfigInput[]> {
    if (!this.lab) {
      this.lab = await new Lab().start();
      this.closedPort = await freePort();
    }
    const lab = this.lab;
    const urls: Record<(typeof DEMO_SCENARIOS)[number]['name'], string> = {
      'demo-healthy': lab.url('/healthy', { tick: 2000 }),
      'demo-slow': lab.url('/slow', { pongDelay: 80 }),
      'demo-jittery': lab.url('/jittery', { pongDelay: 20, pongJitter: 80 }),
      'demo-flaky': lab.url('/flaky', { closeAfter: 20_000, closeCode: 1011, closeReason: 'overloaded' }),
      'demo-refused': lab.url('/refused', { refuse: 503 }),
      'demo-closed-port': `ws://127.0.0.1:${this.closedPort}/`,
    };
    return DEMO_SCENARIOS.map(({ name }) => ({ ...DEMO_SETTINGS, id: name, name, url: urls[name] }));
  }

  async stop(): Promise<void> {
    await this.lab?.stop();
    this.lab = null;
  }
}

/** A port nothing listens on: bound by the OS, then released. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
