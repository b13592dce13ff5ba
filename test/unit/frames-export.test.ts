// An endpoint's frames as JSON lines and as HAR 1.2, the HAR checked against
// the HAR 1.2 schema (har-schema, as har-validator uses it).
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { framesHar, framesJsonLines, hexToBase64 } from '../../src/shared/frames-export';
import type { Frame, Handshake } from '../../src/shared/frames';

const require = createRequire(import.meta.url);
const schemas = require('har-schema') as Record<string, object>;
const draft6 = require('ajv/dist/refs/json-schema-draft-06.json') as object;

function harValidator() {
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addMetaSchema(draft6);
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  return ajv.getSchema('har.json#')!;
}

const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);
const shake = (conn: number, status: number | null): Handshake => ({
  conn,
  t: T0 + conn * 1000,
  mono: conn * 1000,
  url: 'wss://feed.example/ws?token=***&room=7',
  request: {
    method: 'GET',
    headers: [
      ['Host', 'feed.example'],
      ['Authorization', '***'],
    ],
  },
  response:
    status === null ? null : { status, statusText: status === 101 ? 'Switching Protocols' : 'Service Unavailable', headers: [['Upgrade', 'websocket']] },
  ...(status === 101 ? { phases: { dnsMs: 1.5, tcpMs: 10, proxyMs: null, tlsMs: 20, upgradeMs: 12, appMs: null } } : {}),
});
const frame = (seq: number, conn: number, over: Partial<Frame>): Frame => ({
  seq,
  conn,
  t: T0 + conn * 1000 + seq,
  mono: conn * 1000 + seq,
  dir: 'in',
  op: 'text',
  size: 0,
  ...over,
});

const FRAMES: Frame[] = [
  frame(1, 1, { dir: 'out', op: 'ping', size: 12, by: 'heartbeat', hex: '00'.repeat(12) }),
  frame(2, 1, { op: 'pong', size: 12, by: 'heartbeat', hex: '00'.repeat(12) }),
  frame(3, 1, { op: 'text', size: 9, text: '{"a":"é"}' }),
  frame(4, 1, { dir: 'out', op: 'binary', size: 4, hex: 'deadbeef' }),
  frame(5, 1, { op: 'close', size: 6, code: 4001, text: 'bye' }),
  frame(6, 3, { op: 'text', size: 2, text: 'hi' }),
];

describe('frames exported', () => {
  it('HAR 1.2: valid against the schema, one entry per connect, Chrome-style _webSocketMessages', () => {
    const har = JSON.parse(
      framesHar([{ endpoint: 'feed', url: 'wss://feed.example/ws?token=***&room=7', handshakes: [shake(1, 101), shake(2, 503)], frames: FRAMES }]),
    ) as {
      log: { entries: Record<string, unknown>[] };
    };
    const validate = harValidator();
    expect(validate(har), JSON.stringify(validate.errors)).toBe(true);
    // The schema can say no: an entry without its required parts.
    expect(validate({ log: { version: '1.2', creator: { name: 'x', version: '1' }, entries: [{}] } })).toBe(false);
    const [first, refused, standIn] = har.log.entries;
    expect(first).toMatchObject({
      startedDateTime: '2026-12-06T12:00:01.000Z',
      _resourceType: 'websocket',
      request: {
        method: 'GET',
        url: 'wss://feed.example/ws?token=***&room=7',
        queryString: [
          { name: 'token', value: '***' },
          { name: 'room', value: '7' },
        ],
      },
      response: { status: 101 },
      timings: { dns: 1.5, connect: 30, ssl: 20, wait: 12 },
      _webSocketMessages: [
        { type: 'receive', time: (T0 + 1003) / 1000, opcode: 1, data: '{"a":"é"}' },
        { type: 'send', time: (T0 + 1004) / 1000, opcode: 2, data: '3q2+7w==' },
      ],
    });
    expect((first!._wsmon as { frames: Frame[] }).frames).toHaveLength(5);
    expect(refused).toMatchObject({ response: { status: 503 }, timings: { dns: -1, connect: -1, ssl: -1 }, _webSocketMessages: [] });
    // Connect 3's frames, whose handshake is not held, still have an entry.
    expect(standIn).toMatchObject({ response: { status: 0 }, _webSocketMessages: [{ data: 'hi' }] });
  });

  it('JSON lines: a handshake or a frame a line, oldest first', () => {
    const lines = framesJsonLines([{ endpoint: 'feed', url: '', handshakes: [shake(1, 101)], frames: FRAMES.slice(0, 3) }])
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => Object.keys(l).join(','))).toEqual(['endpoint,handshake', 'endpoint,frame', 'endpoint,frame', 'endpoint,frame']);
    expect(lines[3]).toMatchObject({ endpoint: 'feed', frame: { seq: 3, text: '{"a":"é"}' } });
  });

  it('base64 from hex, every padding', () => {
    for (const bytes of [[], [0], [0, 1], [0, 1, 2], [255, 254, 253, 252]]) {
      const hex = Buffer.from(bytes).toString('hex');
      expect(hexToBase64(hex)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });
});
