// The API as every transport serves it: malformed calls get a clear error and change nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../src/core/app/api-handler';
import { Monitor } from '../../src/core/engine/monitor';
import { Records } from '../../src/core/record/records';
import { parseEndpoint } from '../../src/shared/config';
import { toSharedConfigFile } from '../../src/shared/config-file';
import { ManualClock } from '../../src/core/engine/clock';
import type { Envelope } from '../../src/shared/api';

const monitors: Monitor[] = [];
afterEach(async () => {
  await Promise.all(monitors.splice(0).map((m) => m.stop()));
});

function setup() {
  const monitor = new Monitor({ clock: new ManualClock() });
  monitors.push(monitor);
  return { monitor, call: createApiHandler(monitor, Records.follow(monitor)) };
}

const error = (e: Envelope) => {
  if (e.ok) throw new Error(`expected an error, got ${JSON.stringify(e.result)}`);
  return e.error;
};

describe('API handler', () => {
  it('refuses unknown methods and malformed payloads with a clear error, and keeps working', async () => {
    const { monitor, call } = setup();
    expect(error(await call('launchMissiles', {}))).toMatchObject({ code: 'UNKNOWN_METHOD' });
    expect(error(await call(42, {})).message).toMatch(/^unknown method 42; expected one of session, rows, watch, actOn, config, add/);
    expect(error(await call('pause', {}))).toEqual({
      code: 'INVALID_REQUEST',
      message: 'pause: id: endpoint id is required',
      problems: [{ path: 'id', message: 'endpoint id is required' }],
    });
    expect(error(await call('pause', 'abc'))).toMatchObject({ code: 'INVALID_REQUEST' });
    // A value of the wrong type is named as such, not as missing.
    expect(error(await call('update', { id: 5, config: { url: 'ws://h/' } })).message).toBe('update: id: endpoint id must be text (got number)');
    expect(error(await call('add', { config: { url: 42 } })).message).toBe('add: url: URL must be text such as "ws://host/" (got number)');
    expect(error(await call('add', { config: {} })).message).toBe('add: url: URL is required');
    expect(error(await call('pause', { id: 'x', extra: 1 })).message).toBe('pause: unknown setting "extra"');
    expect(error(await call('history', { id: 'x', from: 'yesterday', to: 1 })).message).toMatch(/^history: from: time must be a number/);
    expect(error(await call('events', { from: 0, to: 1, types: ['explode'] }))).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(error(await call('pause', { id: 'nope' }))).toEqual({ code: 'UNKNOWN_ENDPOINT', message: 'no endpoint with id "nope"' });
    expect(monitor.ids()).toEqual([]);

    const added = await call('add', { config: { url: 'ws://127.0.0.1:9/', name: 'ok' }, connect: false });
    expect(added).toMatchObject({ ok: true, result: { id: 'ok', name: 'ok', state: 'idle' } });
    expect(monitor.ids()).toEqual(['ok']);
  });

  it('a CA file that is not a regular file is a config problem, answered at once, and nothing is added', async () => {
    const { monitor, call } = setup();
    expect(error(await call('add', { config: { url: 'wss://127.0.0.1:9/', caFile: '/dev/zero' } }))).toEqual({
      code: 'INVALID_CONFIG',
      message: 'caFile: the CA file "/dev/zero" is a character device; wsmon reads regular files only',
      problems: [{ path: 'caFile', message: 'the CA file "/dev/zero" is a character device; wsmon reads regular files only' }],
    });
    expect(monitor.ids()).toEqual([]);
    expect(await call('session', {})).toMatchObject({ ok: true, result: { count: 0 } });
  });

  it('import is all or nothing: a good entry, then one whose CA file is a device, adds nothing and names the entry', async () => {
    const { monitor, call } = setup();
    const file = {
      version: 1,
      endpoints: [
        { name: 'good', url: 'ws://127.0.0.1:9/' },
        { name: 'bad', url: 'wss://127.0.0.1:9/', caFile: '/dev/zero' },
      ],
    };
    expect(error(await call('importConfig', { file }))).toMatchObject({
      code: 'INVALID_CONFIG',
      message: 'caFile: entry 2 (bad): the CA file "/dev/zero" is a character device; wsmon reads regular files only',
    });
    expect(monitor.ids()).toEqual([]);
  });

  it('reports config problems relative to the config, as the form shows them', async () => {
    const { monitor, call } = setup();
    const e = error(await call('add', { config: { url: 'http://x/', heartbeat: { misses: 0 } } }));
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.problems).toEqual([
      { path: 'url', message: 'URL must start with ws:// or wss:// (this one starts with http://)' },
      { path: 'heartbeat.misses', message: 'misses before dead must be at least 1' },
    ]);
    expect(e.message).toBe(
      'add: url: URL must start with ws:// or wss:// (this one starts with http://); heartbeat.misses: misses before dead must be at least 1',
    );
    expect(error(await call('add', {}))).toMatchObject({
      code: 'INVALID_CONFIG',
      problems: [{ path: '', message: 'endpoint settings must be an object such as {"url": "ws://host/"}' }],
    });
    expect(monitor.ids()).toEqual([]);
  });

  it('refuses a duplicate id and an update of a missing endpoint', async () => {
    const { call } = setup();
    await call('add', { config: { url: 'ws://127.0.0.1:9/', id: 'a' }, connect: false });
    expect(error(await call('add', { config: { url: 'ws://127.0.0.1:9/', id: 'a' }, connect: false }))).toMatchObject({
      code: 'INVALID_CONFIG',
      message: 'id: an endpoint with id "a" already exists',
    });
    expect(error(await call('update', { id: 'b', config: { url: 'ws://127.0.0.1:9/' } }))).toMatchObject({ code: 'UNKNOWN_ENDPOINT' });
  });

  it('answers session, rows, config, history, events and overview', async () => {
    const { call } = setup();
    await call('add', { config: { url: 'ws://127.0.0.1:9/?token=s3cret', id: 'a' }, connect: false });
    expect(await call('session', {})).toMatchObject({ ok: true, result: { session: { app: 'wsmon' }, count: 1 } });
    expect(await call('rows', {})).toMatchObject({
      ok: true,
      result: { count: 1, total: 1, rows: [{ kind: 'endpoint', id: 'a', health: 'paused' }], statuses: [{ id: 'a', url: 'ws://127.0.0.1:9/?token=***' }] },
    });
    expect(await call('config', { id: 'a' })).toMatchObject({ ok: true, result: { id: 'a', heartbeat: { intervalMs: 10_000 } } });
    expect(await call('history', { id: 'a', from: 0, to: 1e9 })).toMatchObject({
      ok: true,
      result: { id: 'a', raw: [], buckets: [], events: [{ type: 'endpoint-added' }] },
    });
    expect(await call('events', { from: 0, to: 1e9, types: ['endpoint-added'] })).toMatchObject({
      ok: true,
      result: [{ type: 'endpoint-added', endpoint: 'a' }],
    });
    // Added, not connected: 120 spans with no sample, no miss and no state recorded ("none", index 0).
    const overview = await call('overview', { from: 0, to: 1e9 });
    expect(overview).toMatchObject({
      ok: true,
      result: { columns: 120, rows: [{ kind: 'endpoint', id: 'a', rttMs: Array(120).fill(null), missed: Array(120).fill(0), states: '0'.repeat(120) }] },
    });
  });

  it('exports the endpoint list with secrets masked, and imports only what is new', async () => {
    const { monitor, call } = setup();
    await call('add', { config: { url: 'wss://me:pw@h/?token=t0k', name: 'a', headers: { Authorization: 'Bearer s3cret' } }, connect: false });
    const out = await call('exportConfig', {});
    expect(out).toMatchObject({
      ok: true,
      result: { version: 1, total: 1, next: null, endpoints: [{ id: 'a', url: 'wss://***:***@h/?token=***', headers: { Authorization: '***' } }] },
    });
    expect(JSON.stringify(out)).not.toMatch(/s3cret|t0k|:pw@/);
    // A proxy's password and a key passphrase are secrets too.
    const shared = toSharedConfigFile([
      {
        ...parseEndpoint({ url: 'ws://h/', proxy: 'http://me:pr0xy@proxy:3128', clientCert: '/c.pem', clientKey: '/k.pem', clientKeyPassphrase: 'k3y' }),
        id: 'p',
        name: 'p',
      },
    ]);
    expect(shared.endpoints[0]).toMatchObject({ proxy: 'http://***:***@proxy:3128/', clientKeyPassphrase: '***', clientCert: '/c.pem' });
    const imported = await call('importConfig', {
      file: {
        version: 1,
        endpoints: [
          { url: 'ws://h/', name: 'a' },
          { url: 'ws://h/', name: 'b c' },
        ],
      },
    });
    const none = { count: 0, first: [] };
    expect(imported).toEqual({
      ok: true,
      result: { upload: null, received: 2, added: { count: 1, names: ['b c'] }, skipped: { count: 1, first: [{ position: 1, name: 'a' }] }, rejected: none },
    });
    expect(await call('importConfig', { file: [{ url: 'ws://old/', name: 'old' }] })).toEqual({
      ok: true,
      result: { upload: null, received: 1, added: { count: 1, names: ['old'] }, skipped: none, rejected: none },
    });
    // The valid entries are taken; the bad ones are named by name (or URL, secrets masked) and 1-based position.
    const mixed = await call('importConfig', {
      file: { version: 1, endpoints: [{ url: 'ftp://x/?token=t0k' }, { url: 'ws://new/', name: 'new' }, { name: 'no-url' }, 7] },
    });
    expect(mixed).toEqual({
      ok: true,
      result: {
        upload: null,
        received: 4,
        added: { count: 1, names: ['new'] },
        skipped: none,
        rejected: {
          count: 3,
          first: [
            { position: 1, name: 'ftp://x/?token=***', problems: 'url: URL must start with ws:// or wss:// (this one starts with ftp://)' },
            { position: 3, name: 'no-url', problems: 'url: URL is required' },
            { position: 4, name: 'entry 4', problems: 'endpoint settings must be an object such as {"url": "ws://host/"}' },
          ],
        },
      },
    });
    // A file that is not a config file at all is still one error.
    expect(await call('importConfig', { file: { version: 9, endpoints: [] } })).toMatchObject({ ok: false, error: { code: 'INVALID_CONFIG' } });
    expect(monitor.ids().sort()).toEqual(['a', 'b-c', 'new', 'old']);
  });

  it('imports a long file in parts, all or none, and exports it a page at a time; every answer bounded', async () => {
    const { monitor, call } = setup();
    const entries = Array.from({ length: 1234 }, (_, i) => ({ url: `ws://127.0.0.1:9/${i}`, name: `e${String(i).padStart(4, '0')}` }));
    const parts = [entries.slice(0, 500), entries.slice(500, 1000), entries.slice(1000)];
    const first = await call('importConfig', { file: { version: 1, endpoints: parts[0] }, more: true });
    expect(first).toMatchObject({ ok: true, result: { upload: expect.any(String), received: 500, added: { count: 0 } } });
    expect(monitor.ids()).toEqual([]); // nothing added before the last part
    const upload = (first as { result: { upload: string } }).result.upload;
    // A part past the bound is refused in a sentence, and the upload is dropped.
    expect(error(await call('importConfig', { file: { version: 1, endpoints: entries.slice(0, 501) }, upload, more: true })).message).toMatch(
      /a part holds at most 500 entries/,
    );
    expect(error(await call('importConfig', { file: { version: 1, endpoints: parts[1] }, upload, more: true })).message).toMatch(/no longer open/);
    // Again, whole: three parts, then every entry added at once.
    const u = ((await call('importConfig', { file: { version: 1, endpoints: parts[0] }, more: true })) as { result: { upload: string } }).result.upload;
    await call('importConfig', { file: { version: 1, endpoints: parts[1] }, upload: u, more: true });
    const done = await call('importConfig', { file: { version: 1, endpoints: [...parts[2]!, { url: 'ws://127.0.0.1:9/0', name: 'e0000' }] }, upload: u });
    expect(done).toMatchObject({ ok: true, result: { upload: null, received: 1235, added: { count: 1234 }, skipped: { count: 1 } } });
    expect((done as { result: { added: { names: string[] } } }).result.added.names).toHaveLength(20);
    expect(monitor.ids()).toHaveLength(1234);
    // Export: pages of 500 with the offset of the next.
    const pages = [];
    for (let offset: number | null = 0; offset !== null;) {
      const page = (await call('exportConfig', { offset })) as { ok: true; result: { endpoints: unknown[]; next: number | null; total: number } };
      pages.push(page.result.endpoints.length);
      expect(page.result.total).toBe(1234);
      offset = page.result.next;
    }
    expect(pages).toEqual([500, 500, 234]);
  });

  it('acts on the endpoints picked, or on every one a list query leaves but some, in one call', async () => {
    const { monitor, call } = setup();
    for (const name of ['web-1', 'web-2', 'db-1'])
      await call('add', { config: { url: 'ws://127.0.0.1:9/', name, tags: [name.split('-')[0]!] }, connect: false });
    expect(await call('actOn', { action: 'remove', query: { tag: 'web' }, except: ['web-2'] })).toEqual({
      ok: true,
      result: { acted: 1, failed: { count: 0, names: [] } },
    });
    expect(monitor.ids().sort()).toEqual(['db-1', 'web-2']);
    expect(await call('actOn', { action: 'pause', ids: ['db-1', 'gone'] })).toEqual({ ok: true, result: { acted: 1, failed: { count: 1, names: ['gone'] } } });
    expect(error(await call('actOn', { action: 'pause' })).message).toMatch(/one of them/);
    // The window watches the endpoint it shows; an unknown one is left out.
    expect(await call('watch', { ids: ['db-1', 'gone'] })).toMatchObject({ ok: true, result: [{ id: 'db-1', state: 'paused' }] });
  });
});
