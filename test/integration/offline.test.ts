// "This machine is offline", said when it is: wsmon runs in a network namespace
// whose only link is then cut, while the servers it watches (two hosts, two
// endpoints each) keep running on our side. No mock of the network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventOf, WsmonEvent } from '../../src/shared/events';
import { Lab } from '../lab';
import { netnsUnavailable, startClientNamespace, type ClientNamespace } from '../helpers/netns';
import { waitFor } from '../helpers/wait';

const why = netnsUnavailable();
if (why) console.log(`offline.test.ts: skipped, ${why}`);

describe.skipIf(why !== null)('this machine offline', () => {
  let box: ClientNamespace;
  const labs: Lab[] = [];
  beforeAll(async () => {
    box = await startClientNamespace();
    for (const a of box.addresses) labs.push(await new Lab().start(0, a));
  }, 30_000);
  afterAll(async () => {
    await box?.remove();
    for (const lab of labs) await lab.stop();
  });

  it('cutting the only link: one incident for every endpoint, "this machine is offline"; it ends when the link is back', async () => {
    const events: WsmonEvent[] = [];
    const urls = labs.flatMap((lab, i) => [`h${i}a=${lab.url('/a')}`, `h${i}b=${lab.url('/b')}`]);
    const cli = box.spawnCli(
      [
        'watch',
        '--json',
        ...urls,
        '--ping-interval',
        '500ms',
        '--ping-timeout',
        '400ms',
        '--misses',
        '1',
        '--backoff-initial',
        '300ms',
        '--backoff-max',
        '300ms',
        '--jitter',
        'none',
      ],
      (line) => {
        if (line.startsWith('{')) events.push(JSON.parse(line) as WsmonEvent);
      },
    );
    const seen = (pred: (e: WsmonEvent) => boolean, what: string, timeoutMs = 15_000) => waitFor(() => events.find(pred), Boolean, what, { timeoutMs });
    await waitFor(
      () => new Set(events.filter((e) => e.type === 'rtt').map((e) => e.endpoint)).size,
      (n) => n === 4,
      'an answer from all four',
      { timeoutMs: 15_000 },
    );

    box.cut();
    const start = (await seen((e) => e.type === 'incident-start', 'incident-start')) as EventOf<'incident-start'>;
    expect(start).toMatchObject({ scope: 'all', key: 'this machine' });
    expect(start.cause).toMatch(/no network interface up.*: this machine is offline$/);
    await waitFor(
      () => events.filter((e) => e.type === 'incident-joined').length,
      (n) => n === 4,
      'all four in the incident',
      { timeoutMs: 15_000 },
    );
    expect(events.filter((e) => e.type === 'incident-start')).toHaveLength(1);

    box.mend();
    const end = (await seen((e) => e.type === 'incident-end', 'incident-end', 30_000)) as EventOf<'incident-end'>;
    expect(end).toMatchObject({ incident: start.incident, count: 4 });
    cli.kill('SIGINT');
  }, 60_000);
});
