// The incident rule (shared/incidents.ts) and the book that keeps them (core/record/incident-book.ts).
import { describe, expect, it } from 'vitest';
import { covers, planIncidents, type Down, type LocalNetwork } from '../../src/shared/incidents';
import { IncidentBook } from '../../src/core/record/incident-book';
import { stamp, type EventBody } from '../../src/shared/events';
import { trayModel } from '../../src/core/app/tray-model';
import { renderTable } from '../../src/cli/table';
import { judged, status, tableSource } from '../helpers/status';

const down = (id: string, host: string, address: string | null, at = 0, over: Partial<Down> = {}): Down => ({
  id,
  at,
  reach: { host, address, proxy: null },
  refused: false,
  ...over,
});
const fine: LocalNetwork = { interfaceUp: true, noRouteTo: [], resolver: 'reachable' };

describe('planIncidents', () => {
  it('one endpoint down is no incident', () => {
    expect(planIncidents([down('a', 'api.example.com', '203.0.113.5')], false, fine)).toEqual([]);
  });

  it('endpoints on one address: the host or the path, named by host and address', () => {
    const plans = planIncidents(
      [down('a', 'api.example.com', '203.0.113.5', 100), down('b', 'api.example.com', '203.0.113.5', 900), down('c', 'api.example.com', '203.0.113.5', 400)],
      false,
      fine,
    );
    expect(plans).toEqual([
      {
        scope: 'address',
        key: 'api.example.com (203.0.113.5)',
        match: '203.0.113.5',
        members: ['a', 'b', 'c'],
        cause: 'api.example.com (203.0.113.5): 3 endpoints down within 0.8 s — the host or the path, not one service',
      },
    ]);
  });

  it('one host on several addresses, a shared proxy, and what shares nothing is left alone', () => {
    const proxied = (id: string, host: string): Down => ({ ...down(id, host, null), reach: { host, address: null, proxy: 'http://proxy:3128' } });
    const plans = planIncidents(
      [
        down('a', 'feed.example.com', '198.51.100.1'),
        down('b', 'feed.example.com', '198.51.100.2'),
        proxied('c', 'x.example'),
        proxied('d', 'y.example'),
        down('e', 'lone.example', '192.0.2.9'),
      ],
      false,
      fine,
    );
    expect(plans.map((p) => [p.scope, p.key, p.members])).toEqual([
      ['host', 'feed.example.com', ['a', 'b']],
      ['proxy', 'through http://proxy:3128', ['c', 'd']],
    ]);
    expect(plans[1]!.cause).toMatch(/— the proxy or the path to it$/);
  });

  it('a server that answers and refuses them all is its side, not the path', () => {
    const [plan] = planIncidents([down('a', 'h', '192.0.2.1', 0, { refused: true }), down('b', 'h', '192.0.2.1', 10, { refused: true })], false, fine);
    expect(plan!.cause).toBe('h (192.0.2.1): 2 endpoints down within 0.0 s — the server answers but refuses or closes them all: its side, not the path');
  });

  it('no interface up, no route, or a dead resolver with everything down: this machine is offline', () => {
    const downs = [down('a', 'a.example', '192.0.2.1'), down('b', 'b.example', '198.51.100.7', 2500)];
    expect(planIncidents(downs, true, { interfaceUp: false, noRouteTo: [], resolver: 'unreachable' })).toEqual([
      {
        scope: 'all',
        key: 'this machine',
        match: '',
        members: ['a', 'b'],
        cause: 'every endpoint down, no network interface up, the resolver unreachable: this machine is offline',
      },
    ]);
    expect(planIncidents(downs, false, { interfaceUp: true, noRouteTo: ['192.0.2.1', '198.51.100.7'], resolver: 'reachable' })[0]!.cause).toBe(
      '2 endpoints on a.example, b.example down within 2.5 s, no route to 192.0.2.1, 198.51.100.7: this machine is offline',
    );
    expect(planIncidents(downs, true, { interfaceUp: true, noRouteTo: [], resolver: 'unreachable' })[0]!.cause).toBe(
      'every endpoint down, the resolver unreachable: this machine is offline',
    );
    // A dead resolver alone, with some endpoints still up, says nothing of this machine.
    expect(planIncidents(downs, false, { interfaceUp: true, noRouteTo: [], resolver: 'unreachable' })).toEqual([]);
  });

  it('every endpoint down across hosts while this machine is fine: a shared path past it; on loopback: the servers here', () => {
    const [plan] = planIncidents([down('a', 'a.example', '192.0.2.1'), down('b', 'b.example', '198.51.100.7', 300)], true, fine);
    expect(plan).toMatchObject({ scope: 'all', key: 'every endpoint' });
    expect(plan!.cause).toBe(
      "every endpoint down (2 on 2 hosts within 0.3 s); this machine's network and resolver answer — a shared path, firewall or proxy past this machine",
    );
    const [local] = planIncidents([down('a', '127.0.0.1', '127.0.0.1'), down('b', 'localhost', '::1')], true, {
      interfaceUp: false,
      noRouteTo: [],
      resolver: 'unreachable',
    });
    expect(local!.cause).toMatch(/all on this machine's loopback — the servers here, not the network$/);
  });

  it('who joins an open incident', () => {
    const reach = { host: 'h', address: '192.0.2.1', proxy: null };
    expect(covers({ scope: 'address', match: '192.0.2.1' }, reach)).toBe(true);
    expect(covers({ scope: 'address', match: '192.0.2.2' }, reach)).toBe(false);
    expect(covers({ scope: 'host', match: 'h' }, reach)).toBe(true);
    expect(covers({ scope: 'proxy', match: 'http://p' }, reach)).toBe(false);
    expect(covers({ scope: 'all', match: '' }, reach)).toBe(true);
  });
});

describe('IncidentBook, the tray and the terminal', () => {
  const e = (body: EventBody, mono: number, endpoint?: string) => stamp(body, 1_700_000_000_000 + mono, mono, endpoint);
  const start: EventBody = {
    type: 'incident-start',
    incident: 'x-1',
    scope: 'address',
    key: 'h',
    cause: 'h: 2 endpoints down within 0.1 s — the host or the path, not one service',
    count: 2,
    endpoints: ['a', 'b'],
    sinceMono: 900,
  };

  it('folds start, joins and end; an endpoint finds its own; the count is exact past the members kept', () => {
    const book = new IncidentBook();
    book.apply(e(start, 1000));
    for (const id of ['a', 'b', 'c']) book.apply(e({ type: 'incident-joined', incident: 'x-1' }, 1000, id));
    expect(book.active).toEqual([expect.objectContaining({ id: 'x-1', count: 3, members: ['a', 'b', 'c'], endMono: null, sinceMono: 900 })]);
    book.apply(e({ type: 'incident-end', incident: 'x-1', durationMs: 5000, count: 3 }, 5900));
    expect(book.active).toEqual([]);
    expect(book.view(['x-1'])).toEqual([expect.objectContaining({ endMono: 5900 })]);
    expect(book.view(['other'])).toEqual([]);
  });

  it('an open incident leads the tray tooltip and has a line in the live table', () => {
    const book = new IncidentBook();
    book.apply(e(start, 1000));
    const statuses = [status('a', 'waiting', { downSince: 900 }), status('b', 'waiting', { downSince: 950 })];
    expect(
      trayModel(
        statuses.map((s) => judged(s, 12_900)),
        12_900,
        book.active,
      ).tooltip,
    ).toMatch(/^2 down · incident \(12 s\): h: 2 endpoints down within 0\.1 s — the host or the path, not one service · /);
    expect(renderTable(tableSource(statuses, 12_900), 12_900, false, 200, book.active)).toContain(
      'incident (12 s): h: 2 endpoints down within 0.1 s — the host or the path, not one service',
    );
  });
});
