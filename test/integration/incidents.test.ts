// Endpoints that go down together are one incident, with one notice when it
// opens and one when it ends. Two real lab servers on two loopback addresses:
// three endpoints on the first, two on the second.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiOutputs, Notice } from '../../src/shared/api';
import type { EventOf } from '../../src/shared/events';
import { Lab } from '../lab';
import { createMetrics } from '../../src/cli/metrics';
import { useRig } from '../helpers/harness';
import { waitFor } from '../helpers/wait';

describe('incidents', () => {
  const rig = useRig();
  let other: Lab;
  beforeEach(async () => {
    other = await new Lab().start(0, '127.0.0.2');
  });
  afterEach(async () => {
    await other.stop();
  });

  it('stopping one host: one incident naming its three endpoints, one notice when it opens and one when it ends; the other host is untouched', async () => {
    const shown: Notice[] = [];
    rig.session.onNotice((n) => shown.push(n));
    const over = { alerts: { downAfterMs: 300 }, backoff: { initialMs: 100, maxMs: 100 } };
    const first = ['a1', 'a2', 'a3'].map((name) => rig.add(rig.lab.url(`/${name}`), { name, ...over }));
    const second = ['b1', 'b2'].map((name) => rig.add(other.url(`/${name}`), { name, ...over }));
    for (const id of [...first, ...second]) await rig.log.nth(id, 'rtt');
    const port = Number(new URL(rig.lab.url('/')).port);

    await rig.lab.stop();
    const start = (await rig.log.waitFor((e) => e.type === 'incident-start', 'incident-start')) as EventOf<'incident-start'>;
    expect(start).toMatchObject({ scope: 'address', key: '127.0.0.1', count: 3 });
    expect(start.cause).toMatch(/^127\.0\.0\.1: 3 endpoints down within 0\.\d s — the host or the path, not one service$/);
    for (const id of first) await rig.log.nth(id, 'incident-joined');

    // Every member's own notice fell due (300 ms) and was withheld: then the shown ones are final for the opening.
    const api = rig.session.handler();
    const noticesOf = async () => {
      const r = await api('incidents', {});
      if (!r.ok) throw new Error(r.error.message);
      return r.result as ApiOutputs['incidents'];
    };
    const withheld = (kind: Notice['kind']) => async () => (await noticesOf()).notices.filter((n) => !n.shown && n.notice.kind === kind).length;
    await waitFor(withheld('down'), (n) => n === 3, 'three withheld down notices');
    expect(shown).toEqual([
      {
        endpoint: expect.any(String),
        kind: 'incident',
        incident: start.incident,
        title: 'Incident: 127.0.0.1',
        body: expect.stringMatching(/^127\.0\.0\.1: 3 endpoints down .* · a\d, a\d, a\d$/),
      },
    ]);

    // Prometheus sees it open: one incident of scope address, none of the others.
    const metrics = createMetrics(rig.monitor, rig.records, 'here');
    const active = async () => (await metrics.text()).split('\n').filter((l) => l.startsWith('wsmon_incident_active{'));
    expect(await active()).toEqual([
      'wsmon_incident_active{scope="address",probe="here"} 1',
      'wsmon_incident_active{scope="host",probe="here"} 0',
      'wsmon_incident_active{scope="proxy",probe="here"} 0',
      'wsmon_incident_active{scope="all",probe="here"} 0',
    ]);

    await rig.lab.start(port);
    const end = (await rig.log.waitFor((e) => e.type === 'incident-end', 'incident-end')) as EventOf<'incident-end'>;
    expect(end).toMatchObject({ incident: start.incident, count: 3 });
    await waitFor(withheld('recovered'), (n) => n === 3, 'three withheld recoveries');
    expect(shown.map((n) => n.kind)).toEqual(['incident', 'incident-over']);
    expect(await active()).toContain('wsmon_incident_active{scope="address",probe="here"} 0');
    expect(shown[1]).toMatchObject({ title: 'Incident over: 127.0.0.1', body: expect.stringMatching(/^3 endpoints back after /) });

    // Exactly one incident, its three members; the other host's endpoints never went down.
    expect(rig.log.events.filter((e) => e.type === 'incident-start')).toHaveLength(1);
    const { incidents } = await noticesOf();
    expect(incidents).toEqual([expect.objectContaining({ id: start.incident, scope: 'address', count: 3, endMono: expect.any(Number) })]);
    expect([...incidents[0]!.members].sort()).toEqual([...first].sort());
    for (const id of second) expect(rig.log.of(id).some((e) => e.type === 'close' || e.type === 'error')).toBe(false);
    // Each member's page lists it; the others' do not.
    const page = async (id: string) => {
      const r = await api('incidents', { id });
      return r.ok ? (r.result as ApiOutputs['incidents']).incidents.map((i) => i.id) : r.error.message;
    };
    expect(await page(first[0]!)).toEqual([start.incident]);
    expect(await page(second[0]!)).toEqual([]);
  });

  it('endpoints on different hosts that fail apart are no incident', async () => {
    const a = rig.add(rig.lab.url('/a'), { backoff: { initialMs: 60_000, maxMs: 60_000 } });
    const b = rig.add(other.url('/b'), { backoff: { initialMs: 60_000, maxMs: 60_000 } });
    await rig.log.nth(a, 'rtt');
    await rig.log.nth(b, 'rtt');
    await rig.lab.stop();
    await rig.log.nth(a, 'reconnect-scheduled');
    // b goes on answering: not every endpoint is down, and a and b share nothing.
    const answered = rig.log.of(b).filter((e) => e.type === 'rtt').length;
    await rig.log.nth(b, 'rtt', answered + 3);
    expect(rig.session.incidents.openIncidents).toEqual([]);
    expect(rig.log.events.some((e) => e.type.startsWith('incident-'))).toBe(false);
  });

  it('every endpoint down across hosts on this machine: one incident for all, said to be the servers here', async () => {
    const ids = [rig.add(rig.lab.url('/a')), rig.add(other.url('/b'))];
    for (const id of ids) await rig.log.nth(id, 'rtt');
    await Promise.all([rig.lab.stop(), other.stop()]);
    const start = (await rig.log.waitFor((e) => e.type === 'incident-start', 'incident-start')) as EventOf<'incident-start'>;
    expect(start).toMatchObject({ scope: 'all', key: 'every endpoint', count: 2 });
    expect(start.cause).toMatch(/^every endpoint down \(2 on 2 hosts within \d\.\d s\); all on this machine's loopback — the servers here, not the network$/);
  });
});

describe('what is not an incident', () => {
  const rig = useRig();

  it('endpoints that never were up (a closed port, a refusal from the first connect) did not go down together', async () => {
    rig.lab.route('/no', { refuse: 503 });
    const ids = [rig.add(rig.lab.url('/no')), rig.add(rig.lab.url('/no?again=1')), rig.add('ws://127.0.0.1:1/closed')];
    for (const id of ids) await rig.log.nth(id, 'reconnect-scheduled', 2);
    expect(rig.session.incidents.openIncidents).toEqual([]);
    expect(rig.log.events.some((e) => e.type.startsWith('incident-'))).toBe(false);
  });

  it('a server that closes with its own code does not join an incident of lost connections on its host', async () => {
    const slow = { backoff: { initialMs: 60_000, maxMs: 60_000 } };
    // Two lose their connection together (the server drops their TCP), and stay down; later a third is closed by its server.
    const lost = ['a', 'b'].map((n) => rig.add(rig.lab.url(`/${n}`, { dropAfter: 300 }), slow));
    const closer = rig.add(rig.lab.url('/c', { closeAfter: 1500, closeCode: 1011, closeReason: 'overloaded' }), slow);
    const start = (await rig.log.waitFor((e) => e.type === 'incident-start', 'the incident of the two')) as EventOf<'incident-start'>;
    expect(start).toMatchObject({ scope: 'address', count: 2 });
    await rig.log.nth(closer, 'close');
    await rig.log.nth(closer, 'reconnect-scheduled');
    expect(rig.session.incidents.incidentOf(closer)).toBeNull();
    expect(
      rig.log.events
        .filter((e) => e.type === 'incident-joined')
        .map((e) => e.endpoint)
        .sort(),
    ).toEqual([...lost].sort());
  });
});
