// The frame inspector's capture against the lab: every frame both ways, in
// order, on the events' clock, bounded by count and bytes, secrets masked,
// the handshake with it; and the same frames heard live.
import { describe, expect, it } from 'vitest';
import type { EventOf } from '../../src/shared/events';
import { frameLine, type Frame } from '../../src/shared/frames';
import { useRig, until } from '../helpers/harness';

describe('frames captured at the socket', () => {
  const rig = useRig();
  const frames = (id: string) => rig.monitor.frames(id).frames;
  const ops = (fs: Frame[]) => fs.map((f) => `${f.dir} ${f.op}${f.by ? ` ${f.by}` : ''}`);

  it('the heartbeat, a text and a binary message, and a close with its reason, in order and on the events clock', async () => {
    const id = rig.add(rig.lab.url('/', { say: 'hello', oversized: 20, closeAfter: 300, closeCode: 4001, closeReason: 'overloaded' }), {
      backoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    const close = (await rig.log.nth(id, 'close', 1)) as EventOf<'close'>;
    const all = frames(id);
    expect(ops(all.filter((f) => f.op === 'text' || f.op === 'binary' || f.op === 'close'))).toEqual([
      'in text',
      'in binary',
      'in close',
      'out close protocol',
    ]);
    const [text, binary, inClose, outClose] = all.filter((f) => f.op !== 'ping' && f.op !== 'pong');
    expect(text).toMatchObject({ text: 'hello', size: 5 });
    expect(binary).toMatchObject({ hex: '00'.repeat(20), size: 20 });
    expect(inClose).toMatchObject({ code: 4001, text: 'overloaded' });
    // ws answers a peer's close with the same code and reason.
    expect(outClose).toMatchObject({ code: 4001, text: 'overloaded' });
    // Heartbeats: our ping out, its pong back, both marked.
    const beats = all.filter((f) => f.op === 'ping' || f.op === 'pong');
    expect(beats.length).toBeGreaterThanOrEqual(2);
    expect(ops(beats).slice(0, 2)).toEqual(['out ping heartbeat', 'in pong heartbeat']);
    expect(beats[0]!.hex).toBe(beats[1]!.hex);
    // In order, numbered from 1 without gaps, on the events' clock: the close frame came before the close event.
    expect(all.map((f) => f.seq)).toEqual(all.map((_, i) => i + 1));
    for (let i = 1; i < all.length; i++) expect(all[i]!.mono).toBeGreaterThanOrEqual(all[i - 1]!.mono);
    const open = rig.log.of(id).find((e) => e.type === 'open')!;
    expect(all[0]!.mono).toBeGreaterThanOrEqual(open.mono);
    expect(inClose!.mono).toBeLessThanOrEqual(close.mono);
    expect(Math.abs(inClose!.t - rig.monitor.startWall - inClose!.mono)).toBeLessThan(50);
  });

  it('the handshake: request and response headers, the phases; a secret header masked', async () => {
    const id = rig.add(rig.lab.url('/', { requireAuth: 'Bearer abcdef123456' }), { headers: { Authorization: 'Bearer abcdef123456', 'X-Team': 'blue' } });
    await rig.log.nth(id, 'open', 1);
    const [h] = rig.monitor.frames(id).handshakes;
    const request = Object.fromEntries(h!.request.headers.map(([k, v]) => [k.toLowerCase(), v]));
    // Every header value set in the settings is a secret (shared/settings/endpoint.ts), not only Authorization.
    expect(request).toMatchObject({ authorization: '***', 'x-team': '***', upgrade: 'websocket', 'sec-websocket-version': '13' });
    expect(request['sec-websocket-key']).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(request.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(h!.response).toMatchObject({ status: 101, statusText: 'Switching Protocols' });
    expect(h!.response!.headers.map(([k]) => k.toLowerCase())).toContain('sec-websocket-accept');
    expect(h!.phases?.upgradeMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(rig.monitor.frames(id))).not.toContain('abcdef123456');
  });

  it('a refused upgrade keeps its status and headers', async () => {
    const id = rig.add(rig.lab.url('/', { refuse: 503 }), { backoff: { initialMs: 60_000, maxMs: 60_000 } });
    await rig.log.nth(id, 'error', 1);
    const answer = rig.monitor.frames(id);
    expect(answer.frames).toEqual([]);
    expect(answer.handshakes.at(-1)!.response).toMatchObject({ status: 503 });
  });

  it("a peer's secrets and escapes: known secrets and secret shapes masked, control characters kept for JSON and escaped in lines", async () => {
    const secret = 'tok_9f8e7d6c5b4a';
    const said = `{"user":"ann","token":"zzz-111-222","echo":"${secret}"}\u001b[2J\u001b[31mred`;
    const id = rig.add(`${rig.lab.url('/', { say: said })}&access_token=${secret}`);
    await until(() => frames(id).some((f) => f.op === 'text'), 'the message');
    const text = frames(id).find((f) => f.op === 'text')!;
    expect(text.text).not.toContain(secret);
    expect(text.text).not.toContain('zzz-111-222');
    expect(text.text).toContain('"user":"ann"');
    expect(text.text).toContain('\u001b[31m');
    expect(text.size).toBe(Buffer.byteLength(said));
    const line = frameLine(text);
    expect(line).not.toMatch(/[\u0000-\u001f]/);
    expect(line).toContain('\\x1b[2J');
  });

  it('a flood past the bounds keeps the newest frames within count and bytes, and says how many gave way', async () => {
    const id = rig.add(rig.lab.url('/', { flood: 400, floodSize: 1000 }), { frames: { count: 100, bytes: 32 * 1024 } });
    await until(() => rig.monitor.frames(id).dropped + rig.monitor.frames(id).held.frames >= 400, 'the flood');
    const answer = rig.monitor.frames(id);
    expect(answer.held.bytes).toBeLessThanOrEqual(32 * 1024);
    expect(answer.held.frames).toBeLessThanOrEqual(100);
    // 1000 B and 64 B of overhead each: 30 fit beside the handshake.
    expect(answer.held.frames).toBeGreaterThanOrEqual(25);
    const seqs = answer.frames.map((f) => f.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    expect(seqs[0]! - 1).toBe(answer.dropped);
    // The last message is held whole.
    expect(answer.frames.filter((f) => f.op === 'text').at(-1)).toMatchObject({ size: 1000, text: 'x'.repeat(1000) });
    expect(answer.handshakes).toHaveLength(1);
  });

  it('a long message keeps its head and its full size; off, nothing is kept; the bounds change without a reconnect', async () => {
    const id = rig.add(rig.lab.url('/', { flood: 1, floodSize: 40_000, tick: 50 }));
    await until(() => frames(id).some((f) => f.op === 'text' && f.size === 40_000), 'the long message');
    expect(frames(id).find((f) => f.size === 40_000)).toMatchObject({ truncated: true, text: 'x'.repeat(16 * 1024) });
    rig.monitor.update(id, { ...rig.monitor.config(id), frames: { capture: false, count: 200, bytes: 256 * 1024 } });
    expect(rig.monitor.frames(id)).toMatchObject({ frames: [], handshakes: [], held: { frames: 0, bytes: 0 } });
    const ticks = rig.lab.stats.opened;
    await rig.log.nth(id, 'rtt', 2);
    expect(frames(id)).toEqual([]);
    rig.monitor.update(id, { ...rig.monitor.config(id), frames: { capture: true, count: 10, bytes: 256 * 1024 } });
    await until(() => frames(id).length === 10, 'ten frames');
    expect(rig.lab.stats.opened).toBe(ticks);
  });

  it('paged: a page stops near its payload budget and says more wait', async () => {
    const id = rig.add(rig.lab.url('/', { flood: 60, floodSize: 16_000 }), { frames: { count: 1000, bytes: 4 * 1024 * 1024 } });
    await until(() => rig.monitor.frames(id).held.frames >= 60, 'the flood');
    const first = rig.monitor.frames(id);
    expect(first.more).toBe(true);
    const chars = first.frames.reduce((n, f) => n + (f.text?.length ?? 0), 0);
    expect(chars).toBeLessThanOrEqual(512 * 1024);
    const second = rig.monitor.frames(id, first.frames.at(-1)!.seq);
    expect(second.frames[0]!.seq).toBe(first.frames.at(-1)!.seq + 1);
  });

  it('heard live, each frame once, with its mark', async () => {
    const heard: Frame[] = [];
    const off = rig.monitor.onFrame((endpoint, f) => heard.push(f));
    const id = rig.add(rig.lab.url('/', { say: 'hi' }));
    await rig.log.nth(id, 'rtt', 2);
    off();
    expect(heard.map((f) => f.seq)).toEqual(heard.map((_, i) => i + 1));
    expect(heard.find((f) => f.op === 'pong')?.by).toBe('heartbeat');
    expect(heard.find((f) => f.op === 'text')?.text).toBe('hi');
  });
});
