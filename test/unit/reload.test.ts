// A reload (wsmon run's SIGHUP): the config file checked a slice at a time gives
// what the one-piece check gives, and an endpoint changed since the last reload
// (the window's edit) is compared in full, not taken for unchanged.
import { afterEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../src/core/app/reconcile';
import { Monitor } from '../../src/core/engine/monitor';
import { parseEndpoint } from '../../src/shared/config';
import { parseConfigFile, parseConfigFileSliced } from '../../src/shared/config-file';

const file = (endpoints: object[]) => JSON.stringify({ version: 1, endpoints });
const ep = (name: string, extra: object = {}) => ({ name, url: `ws://127.0.0.1:1/${name}`, backoff: { initialMs: 60_000, maxMs: 60_000 }, ...extra });

describe('reload', () => {
  const monitors: Monitor[] = [];
  afterEach(async () => {
    for (const m of monitors.splice(0)) await m.stop();
  });

  it('the sliced check gives what the one-piece check gives, good file or bad, and breathes once per endpoint', async () => {
    const good = file([ep('a'), ep('b', { heartbeat: { intervalMs: 2000 } })]);
    const bad = file([ep('a'), { name: 'b', url: 'http://x' }, ep('c', { heartbeat: { intervalMs: 'soon' } })]);
    for (const text of [good, bad, '{"version":1,"endpoints":"none"}', '{oops']) {
      let breaths = 0;
      expect(await parseConfigFileSliced(text, () => void breaths++)).toEqual(parseConfigFile(text));
      if (text === good) expect(breaths).toBe(2);
    }
    expect(parseConfigFile(bad)).toMatchObject({ ok: false, problems: [{ path: 'endpoints.1.url' }, { path: 'endpoints.2.heartbeat.intervalMs' }] });
  });

  it('the same file again changes nothing; an endpoint edited since is put back by the file', async () => {
    const monitor = new Monitor();
    monitors.push(monitor);
    const text = file([ep('a'), ep('b')]);
    const parsed = parseConfigFile(text);
    if (!parsed.ok) throw new Error('no');
    expect(await reconcile(monitor, parsed.entries)).toMatchObject({ added: ['a', 'b'] });
    expect(await reconcile(monitor, parsed.entries)).toMatchObject({ added: [], updated: [], unchanged: ['a', 'b'] });
    monitor.update('a', parseEndpoint({ ...ep('a'), heartbeat: { intervalMs: 5000 } }));
    expect(monitor.config('a').heartbeat.intervalMs).toBe(5000);
    expect(await reconcile(monitor, parsed.entries)).toMatchObject({ updated: ['a'], unchanged: ['b'] });
    expect(monitor.config('a').heartbeat.intervalMs).toBe(10_000);
  });
});
