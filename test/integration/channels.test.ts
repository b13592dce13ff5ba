// Alert channels against real receivers run by the test: an HTTP server that
// records what it gets (the webhook, Slack, Discord, Mattermost and ntfy
// formats) and an SMTP server from npm. They get exactly the notices the
// incident rules say, no more; a receiver that fails is retried.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Session } from '../../src/core/app/session';
import { ChannelHub } from '../../src/core/app/channels/hub';
import type { AlertMessage } from '../../src/core/app/channels/messages';
import { parseEndpoint } from '../../src/shared/config';
import { channelSchema, type Channel, type ChannelInput } from '../../src/shared/settings/channels';
import { realClock } from '../../src/core/engine/clock';
import { Lab } from '../lab';
import { EventLog } from '../helpers/events';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from '../helpers/receivers';
import { waitFor } from '../helpers/wait';

const channel = (c: ChannelInput): Channel => channelSchema.parse(c);
const QUICK = { retryDelaysMs: [100, 100, 100], timeoutMs: 400 };

describe('alert channels', () => {
  let http: HttpReceiver;
  let smtp: SmtpReceiver;
  const labs: Lab[] = [];
  let session: Session | null = null;
  beforeEach(async () => {
    http = await startHttpReceiver();
    smtp = await startSmtpReceiver({ user: 'alerts', password: 's3cret-pw' });
  });
  afterEach(async () => {
    await session?.stop();
    session = null;
    for (const lab of labs.splice(0)) await lab.stop();
    await http.close();
    await smtp.close();
  });

  const allKinds = (): Channel[] => [
    channel({ kind: 'webhook', url: http.url('/hook') }),
    channel({ kind: 'slack', url: http.url('/slack/T0/B0/x') }),
    channel({ kind: 'discord', url: http.url('/discord/1/abc') }),
    channel({ kind: 'mattermost', url: http.url('/mattermost/hooks/x') }),
    channel({ kind: 'ntfy', url: http.url('/wsmon-alerts') }),
    channel({ kind: 'email', url: `smtp://alerts@127.0.0.1:${smtp.port}?from=wsmon@example.com&to=ops@example.com,oncall@example.com`, password: 's3cret-pw' }),
  ];

  it('one host down: every channel gets one incident notice and one "over", in its own format, and nothing else', async () => {
    const [a, b] = [await new Lab().start(), await new Lab().start(0, '127.0.0.2')];
    labs.push(a, b);
    session = new Session({ channels: allKinds(), channelOptions: QUICK });
    await session.start();
    const log = new EventLog(session.monitor);
    const add = (name: string, url: string) =>
      session!.monitor.add(
        parseEndpoint({
          name,
          url,
          heartbeat: { intervalMs: 200, timeoutMs: 150 },
          backoff: { initialMs: 100, maxMs: 100, jitter: 'none' },
          alerts: { downAfterMs: 300 },
        }),
      ).id;
    const ids = [add('a1', a.url('/1')), add('a2', a.url('/2')), add('a3', a.url('/3')), add('b1', b.url('/1'))];
    for (const id of ids) await log.nth(id, 'rtt');
    const port = Number(new URL(a.url('/')).port);

    await a.stop();
    await log.waitFor((e) => e.type === 'incident-start', 'incident-start');
    const sentEach = (n: number) => () => session!.channels.statuses().every((s) => s.sent === n && s.queued === 0);
    await waitFor(sentEach(1), Boolean, 'the incident notice on every channel');
    await a.start(port);
    await log.waitFor((e) => e.type === 'incident-end', 'incident-end');
    await waitFor(sentEach(2), Boolean, 'the "over" notice on every channel');
    // Every member's own recovery was withheld: after those, nothing more may come.
    const api = session.handler();
    await waitFor(
      async () => {
        const r = await api('incidents', {});
        return r.ok
          ? (r.result as { notices: { shown: boolean; notice: { kind: string } }[] }).notices.filter((n) => !n.shown && n.notice.kind === 'recovered').length
          : 0;
      },
      (n) => n === 3,
      'three withheld recoveries',
    );

    const byPath = (prefix: string) => http.received.filter((r) => r.path.startsWith(prefix));
    const hook = byPath('/hook').map((r) => JSON.parse(r.body) as AlertMessage);
    expect(hook.map((m) => m.event)).toEqual(['incident', 'incident-over']);
    expect(hook[0]).toMatchObject({
      wsmon: 1,
      title: 'Incident: 127.0.0.1',
      endpoint: { name: expect.stringMatching(/^a[123]$/), health: 'down' },
      incident: { scope: 'address', key: '127.0.0.1', count: 3, end: null, cause: expect.stringMatching(/^127\.0\.0\.1: 3 endpoints down within/) },
    });
    expect([...hook[0]!.incident!.endpoints].sort()).toEqual(['a1', 'a2', 'a3']);
    expect(hook[1]!.incident!.end).toEqual(expect.any(String));
    expect(byPath('/hook')[0]!.headers['content-type']).toBe('application/json');

    const slack = byPath('/slack').map((r) => JSON.parse(r.body) as { text: string });
    expect(slack.map((m) => m.text.split('\n')[0])).toEqual(['*Incident: 127.0.0.1*', '*Incident over: 127.0.0.1*']);
    const discord = byPath('/discord').map((r) => JSON.parse(r.body) as { content: string; allowed_mentions: unknown });
    expect(discord.map((m) => m.content.split('\n')[0])).toEqual(['**Incident: 127.0.0.1**', '**Incident over: 127.0.0.1**']);
    expect(discord[0]!.allowed_mentions).toEqual({ parse: [] });
    const mattermost = byPath('/mattermost').map((r) => JSON.parse(r.body) as { text: string });
    expect(mattermost.map((m) => m.text.split('\n')[0])).toEqual(['#### Incident: 127.0.0.1', '#### Incident over: 127.0.0.1']);
    // ntfy is published at the server's root, naming the topic.
    const ntfy = http.received.filter((r) => r.path === '/').map((r) => JSON.parse(r.body) as { topic: string; title: string; priority: number });
    expect(ntfy.map((m) => [m.topic, m.title, m.priority])).toEqual([
      ['wsmon-alerts', 'Incident: 127.0.0.1', 4],
      ['wsmon-alerts', 'Incident over: 127.0.0.1', 3],
    ]);
    expect(http.received).toHaveLength(10);

    expect(smtp.mails).toHaveLength(2);
    expect(smtp.mails[0]).toMatchObject({ from: 'wsmon@example.com', to: ['ops@example.com', 'oncall@example.com'], user: 'alerts' });
    expect(smtp.mails.map((m) => /^Subject: (.*)$/m.exec(m.raw)?.[1])).toEqual(['Incident: 127.0.0.1', 'Incident over: 127.0.0.1']);
  }, 30_000);

  it('a receiver that answers 500, then does not answer, then accepts: the same notice three times, failing and why meanwhile, then ok', async () => {
    const hub = new ChannelHub(realClock, QUICK);
    hub.set([channel({ kind: 'webhook', url: http.url('/flaky'), name: 'ops hook' })]);
    const states: string[] = [];
    hub.onChange(([s]) => states.push(`${s!.state}${s!.lastError ? `: ${s!.lastError}` : ''}`));
    http.answer('fail', 'hang', 'ok');
    const m: AlertMessage = {
      wsmon: 1,
      event: 'down',
      title: 'api is down',
      text: 'ECONNREFUSED',
      at: new Date().toISOString(),
      endpoint: null,
      incident: null,
    };
    hub.deliver(m);
    await waitFor(
      () => hub.statuses()[0]!,
      (s) => s.state === 'ok',
      'the third attempt to get through',
      { timeoutMs: 5000 },
    );
    expect(http.received.map((r) => r.body)).toEqual([JSON.stringify(m), JSON.stringify(m), JSON.stringify(m)]);
    expect(hub.statuses()[0]).toMatchObject({
      name: 'ops hook',
      sent: 1,
      dropped: 0,
      queued: 0,
      retryAt: null,
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/\*\*\*$/),
    });
    expect([...new Set(states)]).toEqual([
      'idle',
      expect.stringMatching(/^failing: 127\.0\.0\.1:\d+ answered HTTP 500$/),
      expect.stringMatching(/^failing: 127\.0\.0\.1:\d+ did not answer within 0\.4 s$/),
      expect.stringMatching(/^ok: 127\.0\.0\.1:\d+ did not answer within 0\.4 s$/),
    ]);
    hub.stop();
  });

  it('a receiver that never accepts: the notice is dropped after the last retry, and counted', async () => {
    const hub = new ChannelHub(realClock, QUICK);
    hub.set([channel({ kind: 'slack', url: http.url('/down') })]);
    http.answer('fail', 'fail', 'fail', 'fail');
    hub.deliver({ wsmon: 1, event: 'down', title: 't', text: 'x', at: new Date().toISOString(), endpoint: null, incident: null });
    await waitFor(
      () => hub.statuses()[0]!,
      (s) => s.dropped === 1,
      'the notice to be dropped',
    );
    expect(http.received).toHaveLength(4); // the first attempt and three retries
    expect(hub.statuses()[0]).toMatchObject({ state: 'failing', sent: 0, queued: 0 });
    hub.stop();
  });

  it('"send a test" reaches the channel; a wrong SMTP password is one sentence that never shows the password', async () => {
    session = new Session({
      channels: [
        channel({ kind: 'ntfy', url: http.url('/topic-1') }),
        channel({ kind: 'email', url: `smtp://alerts@127.0.0.1:${smtp.port}?from=w@example.com&to=o@example.com`, password: 'wrong-pw-123' }),
      ],
      channelOptions: QUICK,
    });
    await session.start();
    const api = session.handler();
    expect(await api('testChannel', { index: 0 })).toEqual({ ok: true, result: { ok: true } });
    expect(JSON.parse(http.received[0]!.body)).toMatchObject({ topic: 'topic-1', title: 'wsmon: a test', tags: ['test_tube'] });
    const failed = await api('testChannel', { index: 1 });
    expect(failed).toEqual({ ok: true, result: { ok: false, error: expect.stringMatching(/^127\.0\.0\.1:\d+: .*Invalid username or password/) } });
    expect(JSON.stringify(failed)).not.toContain('wrong-pw-123');
    expect(smtp.mails).toHaveLength(0);
    expect(await api('channels', {})).toMatchObject({ ok: true, result: [{ state: 'ok' }, { state: 'failing', kind: 'email' }] });
  });
});
