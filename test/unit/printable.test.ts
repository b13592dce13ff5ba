// What a server sends is shown to people, never obeyed: no terminal escape runs, no log line is forged.
import { describe, expect, it } from 'vitest';
import { formatEvent } from '../../src/cli/format';
import { renderTable } from '../../src/cli/table';
import { tableSource } from '../helpers/status';
import { jsonLine, printable } from '../../src/shared/printable';
import { stamp } from '../../src/shared/events';

const HOSTILE = 'bye\x1b[2J\x1b]0;owned\x07\n2026-11-23T00:00:00Z fake line\r\x9b31m\u202egnp.exe';

describe('printable', () => {
  it('shows control characters, DEL, C1 and bidi overrides as escapes, and leaves the rest', () => {
    expect(printable(HOSTILE)).toBe('bye\\x1b[2J\\x1b]0;owned\\x07\\x0a2026-11-23T00:00:00Z fake line\\x0d\\x9b31m\\u202egnp.exe');
    expect(printable('héllo wörld · 1 ms')).toBe('héllo wörld · 1 ms');
  });

  it('the line view of a hostile close reason is one line with no escape in it', () => {
    const e = stamp({ type: 'close', code: 4000, reason: HOSTILE, wasClean: true, initiator: 'server', uptimeMs: 1 }, Date.UTC(2026, 0, 1), 1, 'api');
    const line = formatEvent(e, new Map([['api', 'api\x1b[31m']]), false);
    expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/);
    expect(line).toContain('"bye\\x1b[2J');
  });

  it('the terminal table and JSON lines carry no raw control either', () => {
    const e = stamp({ type: 'close', code: 4000, reason: HOSTILE, wasClean: true, initiator: 'server', uptimeMs: 1 }, Date.UTC(2026, 0, 1), 1, 'api');
    const json = jsonLine(e);
    expect(json).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/);
    expect(JSON.parse(json)).toEqual(e); // still the same event
    const status = {
      id: 'x',
      name: 'evil\x1b[2J',
      url: 'ws://h/',
      state: 'open',
      pausedBy: null,
      attempt: 0,
      retryAtMono: null,
      sinceMono: 0,
      downSinceMono: null,
      staleSinceMono: null,
      outageStartsMono: [] as number[],
      beats: [] as never[],
      alerts: { rttMs: 1000, loss: 0.1, downAfterMs: 10_000 },
      tags: [] as string[],
      removed: false,
      protocol: '',
      appProtocol: null,
      negotiated: null,
      lastError: null,
      lastCause: null,
      network: null,
      incident: null,
      heartbeatMs: null,
      incidents: [] as string[],
      stats: {
        rtt: { lastMs: 1, minMs: 1, meanMs: 1, p50Ms: 1, p95Ms: 1, p99Ms: 1, maxMs: 1, jitterMs: 0, samples: 1 },
        heartbeatsAnswered: 1,
        heartbeatsMissed: 0,
        heartbeatsLate: 0,
        silences: 0,
        loss: 0,
        uptime: 1,
        connectedMs: 1,
        connects: 1,
        phaseMeans: null,
        disconnects: { 'server-close': 0, heartbeat: 0, network: 0, handshake: 0, client: 0 },
        reconnectAttempts: 0,
      },
    } as const;
    for (const l of renderTable(tableSource([status], 1), 1, false)) expect(l).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });
});
