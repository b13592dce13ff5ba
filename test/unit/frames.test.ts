// The frame log's ring and bounds, the protocols' names for frames, and how a
// payload is shown.
import { describe, expect, it } from 'vitest';
import { FRAME_OVERHEAD_BYTES, FrameLog } from '../../src/core/engine/frame-log';
import { frameLabel } from '../../src/shared/frame-labels';
import { FRAME_PREVIEW_BYTES, hexRows, payloadPreview, payloadText, prettyJson } from '../../src/shared/frames';
import { ManualClock } from '../../src/core/engine/clock';

const clock = new ManualClock();
const log = (count: number, bytes = 1024 * 1024) => new FrameLog({ capture: true, count, bytes }, clock, 0);

describe('FrameLog', () => {
  it('keeps the newest `count` frames in order across growth and wrap-around, numbered without reuse', () => {
    const l = log(50);
    const conn = l.begin([]);
    for (let i = 1; i <= 130; i++) l.record(conn, i % 2 ? 'in' : 'out', 'text', `m${i}`);
    const { frames } = l.read(0, Infinity);
    expect(frames.map((f) => f.payload)).toEqual(Array.from({ length: 50 }, (_, i) => `m${81 + i}`));
    expect(frames.map((f) => f.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 81 + i));
    expect(frames[0]!.dir).toBe('in');
    expect(l.dropped).toBe(80);
    expect(l.read(120, Infinity).frames.map((f) => f.seq)).toEqual([121, 122, 123, 124, 125, 126, 127, 128, 129, 130]);
  });

  it('keeps bytes within the bound, charging each frame its payload (in UTF-8) and overhead', () => {
    const l = log(1000, 4096);
    const conn = l.begin([]);
    for (let i = 0; i < 100; i++) l.record(conn, 'in', 'text', Buffer.from('a'.repeat(100)));
    expect(l.held.bytes).toBeLessThanOrEqual(4096);
    expect(l.held.frames).toBe(Math.floor((4096 - 256) / (100 + FRAME_OVERHEAD_BYTES)));
    const wide = log(1000, 4096);
    const c2 = wide.begin([]);
    for (let i = 0; i < 100; i++) wide.record(c2, 'in', 'text', 'é'.repeat(50) + '€');
    expect(wide.held.bytes).toBeLessThanOrEqual(4096);
    expect(wide.held.frames).toBe(Math.floor((4096 - 256) / (103 + FRAME_OVERHEAD_BYTES)));
    expect(wide.read(0, Infinity).frames.at(-1)!.payload).toBe('é'.repeat(50) + '€');
  });

  it('keeps a long payload up to the preview limit (a quarter of the byte bound at most) and its size', () => {
    const l = log(10, 1024 * 1024);
    const conn = l.begin([]);
    l.record(conn, 'in', 'binary', Buffer.alloc(100_000, 0xff));
    l.record(conn, 'out', 'text', 'z'.repeat(100_000), 'protocol');
    const [bin, text] = l.read(0, Infinity).frames;
    expect(bin).toMatchObject({ size: 100_000, truncated: true });
    expect(bin!.payload).toHaveLength(FRAME_PREVIEW_BYTES);
    expect(text).toMatchObject({ size: 100_000, truncated: true, by: 'protocol' });
    const small = log(10, 8192);
    small.record(small.begin([]), 'in', 'text', Buffer.from('q'.repeat(5000)));
    expect(small.read(0, Infinity).frames[0]!.payload).toHaveLength(2048);
  });

  it('marks a frame after the fact, and forgets one that gave way', () => {
    const l = log(2);
    const conn = l.begin([]);
    const a = l.record(conn, 'in', 'text', 'a');
    l.mark(a, 'heartbeat');
    expect(l.read(0, Infinity).frames[0]!.by).toBe('heartbeat');
    l.record(conn, 'in', 'text', 'b');
    l.record(conn, 'in', 'text', 'c');
    l.mark(a, 'protocol');
    expect(l.read(0, Infinity).frames.map((f) => f.by)).toEqual([null, null]);
  });

  it("keeps the handshakes of held frames' connects and the last one, charged against the bound", () => {
    const l = log(3);
    const c1 = l.begin([['Host', 'a']]);
    l.record(c1, 'in', 'text', '1');
    const c2 = l.begin([['Host', 'b']]);
    l.answered(c2, 101, 'Switching Protocols', []);
    l.record(c2, 'in', 'text', '2');
    l.record(c2, 'in', 'text', '3');
    expect(l.handshakes([c1, c2]).map((h) => h.conn)).toEqual([c1, c2]);
    l.record(c2, 'in', 'text', '4');
    expect(l.handshakes([c1, c2]).map((h) => h.conn)).toEqual([c2]);
    const c3 = l.begin([]);
    expect(l.handshakes([]).map((h) => h.conn)).toEqual([c3]);
  });

  it('off: records nothing and frees what it held; smaller bounds drop the oldest at once', () => {
    const l = log(100);
    const conn = l.begin([]);
    for (let i = 0; i < 10; i++) l.record(conn, 'in', 'text', `${i}`);
    l.setLimits({ capture: true, count: 4, bytes: 1024 * 1024 });
    expect(l.read(0, Infinity).frames.map((f) => f.payload)).toEqual(['6', '7', '8', '9']);
    l.setLimits({ capture: false, count: 4, bytes: 1024 * 1024 });
    expect(l.record(conn, 'in', 'text', 'x')).toBe(0);
    expect(l.held).toEqual({ frames: 0, bytes: 0 });
    l.setLimits({ capture: true, count: 4, bytes: 1024 * 1024 });
    l.record(conn, 'in', 'text', 'y');
    expect(l.read(0, Infinity).frames.map((f) => [f.seq, f.payload])).toEqual([[11, 'y']]);
  });

  it('the arena comes round without corrupting a payload: every frame held reads back as recorded, the newest always held (random sizes, shrinking bounds)', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const l = log(300, 32 * 1024);
    const conn = l.begin([]);
    const said = new Map<number, string>();
    for (let k = 0; k < 20_000; k++) {
      const n = random() < 0.1 ? 0 : Math.floor(random() ** 3 * 9000);
      const text = String.fromCharCode(97 + (k % 26)).repeat(n);
      const seq = l.record(conn, 'in', k % 3 ? 'text' : 'binary', k % 2 ? text : Buffer.from(text));
      said.set(seq, text.slice(0, k > 10_000 ? 2048 : 8192));
      if (k === 10_000) l.setLimits({ capture: true, count: 50, bytes: 8192 });
      if (k % 997 !== 0) continue;
      const { frames } = l.read(0, Infinity);
      expect(frames.at(-1)!.seq).toBe(seq);
      for (const f of frames) expect(f.payload, `frame ${f.seq}`).toBe(said.get(f.seq));
      expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => frames[0]!.seq + i));
      expect(l.held.bytes).toBeLessThanOrEqual(k > 10_000 ? 8192 : 32 * 1024);
    }
  });

  it('pages by payload bytes, at least one frame a page', () => {
    const l = log(10);
    const conn = l.begin([]);
    for (let i = 0; i < 5; i++) l.record(conn, 'in', 'text', 'x'.repeat(100));
    expect(l.read(0, 250)).toMatchObject({ more: true });
    expect(l.read(0, 250).frames).toHaveLength(2);
    expect(l.read(0, 10).frames).toHaveLength(1);
    expect(l.read(3, 1000)).toMatchObject({ more: false });
  });
});

describe('frame labels', () => {
  it('names the packets of each protocol', () => {
    expect(frameLabel('socketio', 'text', '0{"sid":"x"}')).toBe('engine.io open');
    expect(frameLabel('socketio', 'text', '2')).toBe('engine.io ping');
    expect(frameLabel('socketio', 'text', '40{"sid":"y"}')).toBe('socket.io CONNECT');
    expect(frameLabel('socketio', 'text', '42["chat",{"a":1}]')).toBe('socket.io EVENT chat');
    expect(frameLabel('socketio', 'text', '42/admin,7["tick"]')).toBe('socket.io EVENT tick');
    expect(frameLabel('mqtt', 'binary', String.fromCharCode(0x20, 2, 0, 0))).toBe('CONNACK');
    expect(frameLabel('mqtt', 'binary', String.fromCharCode(0xd0, 0))).toBe('PINGRESP');
    expect(frameLabel('stomp', 'text', 'CONNECTED\nversion:1.2\n\n\0')).toBe('CONNECTED');
    expect(frameLabel('stomp', 'text', '\n')).toBe('heart-beat');
    expect(frameLabel('graphql-ws', 'text', '{"type":"connection_ack"}')).toBe('connection_ack');
    expect(frameLabel('json-rpc', 'text', '{"jsonrpc":"2.0","method":"ping","id":7}')).toBe('call ping');
    expect(frameLabel('json-rpc', 'text', '{"jsonrpc":"2.0","result":"pong","id":7}')).toBe('result #7');
    expect(frameLabel('json-rpc', 'text', '{"jsonrpc":"2.0","error":{},"id":"a"}')).toBe('error #a');
    expect(frameLabel(undefined, 'text', '2')).toBeNull();
    expect(frameLabel('graphql-ws', 'text', 'not json')).toBeNull();
  });
});

describe('payloads shown', () => {
  it('pretty JSON, hex rows with ASCII, close codes, and control characters escaped', () => {
    expect(prettyJson('{"a":[1,2]}')).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(prettyJson(String.raw`{"a":"\u001b[31m"}`)).toContain(String.raw`\u001b[31m`);
    expect(prettyJson('plain')).toBeNull();
    expect(hexRows('48656c6c6f00ff')).toBe(`00000000  48 65 6c 6c 6f 00 ff${' '.repeat(27)}  Hello..`);
    expect(hexRows('00'.repeat(17)).split('\n')[1]).toMatch(/^00000010 {2}00 /);
    expect(payloadText({ op: 'close', code: 4001, text: 'bye\u001b' })).toBe('4001 bye\\x1b');
    expect(payloadText({ op: 'text', text: 'a\u0007b' })).toBe('a\\x07b');
    expect(payloadPreview({ op: 'text', text: 'x'.repeat(300) }, 10)).toBe('xxxxxxxxxx…');
  });
});
