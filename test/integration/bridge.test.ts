// The web bridge: serves the app, guards the API with a token, an Origin and
// a Host check, and answers malformed calls with errors while staying up.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CSP, startBridge, type Bridge } from '../../src/cli/bridge';
import { MAX_UNREAD_BYTES } from '../../src/cli/bridge/api-socket';
import type { Envelope, Update } from '../../src/shared/api';
import { Session } from '../../src/core/app/session';
import { useRig } from '../helpers/harness';

function httpGet(
  port: number,
  path: string,
  host = `127.0.0.1:${port}`,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the API socket; resolves with the HTTP status of a refusal, or the open socket. */
function openApi(port: number, opts: { token?: string; origin?: string; host?: string } = {}): Promise<number | WebSocket> {
  const q = opts.token === undefined ? '' : `?token=${encodeURIComponent(opts.token)}`;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api${q}`, {
    headers: { ...(opts.host ? { host: opts.host } : {}) },
    origin: opts.origin ?? `http://127.0.0.1:${port}`,
  });
  return new Promise((resolve) => {
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', () => {});
  });
}

class Client {
  private next = 1;
  readonly updates: Update[] = [];
  private readonly waiting = new Map<unknown, (e: Envelope) => void>();
  readonly stray: Envelope[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const msg = JSON.parse(d.toString()) as { id: unknown; answer?: Envelope; update?: Update };
      if (msg.update) this.updates.push(msg.update);
      else if (this.waiting.has(msg.id)) this.waiting.get(msg.id)!(msg.answer!);
      else this.stray.push(msg.answer!);
    });
  }
  call(method: string, payload: unknown): Promise<Envelope> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method, payload }));
    });
  }
  sendRaw(text: string): void {
    this.ws.send(text);
  }
}

describe('web bridge', () => {
  const rig = useRig();
  let bridge: Bridge;
  let staticDir: string;
  const sockets: WebSocket[] = [];

  beforeEach(async () => {
    staticDir = mkdtempSync(join(tmpdir(), 'wsmon-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>wsmon</title>');
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    bridge = await startBridge({ source: { session: rig.session }, staticDir });
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.terminate();
    await bridge.close();
  });

  const connect = async () => {
    const ws = await openApi(bridge.port, { token: bridge.token });
    if (typeof ws === 'number') throw new Error(`refused with ${ws}`);
    sockets.push(ws);
    return new Client(ws);
  };

  it('prints a 127.0.0.1 address with a long random token', () => {
    expect(bridge.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${bridge.port}/#token=[A-Za-z0-9_-]{32}$`));
  });

  it('serves the app with a strict CSP, and nothing outside it', async () => {
    const index = await httpGet(bridge.port, '/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>wsmon</title>');
    expect(index.headers['content-security-policy']).toBe(CSP);
    expect(CSP).not.toContain('unsafe');
    expect((await httpGet(bridge.port, '/assets/app.js')).headers['content-type']).toMatch(/^text\/javascript/);
    expect((await httpGet(bridge.port, '/../../etc/passwd')).status).not.toBe(200);
    expect((await httpGet(bridge.port, '/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404); // the URL parser resolves the dots first
    expect((await httpGet(bridge.port, '/..%2f..%2f..%2fetc%2fpasswd')).status).toBe(403);
    expect((await httpGet(bridge.port, '/nope.js')).status).toBe(404);
  });

  it('refuses a Host that is not ours (DNS rebinding)', async () => {
    expect((await httpGet(bridge.port, '/', `evil.example:${bridge.port}`)).status).toBe(421);
    expect(await openApi(bridge.port, { token: bridge.token, host: `evil.example:${bridge.port}` })).toBe(421);
  });

  it('refuses the API without the token, with a wrong one, or from another origin', async () => {
    expect(await openApi(bridge.port)).toBe(401);
    expect(await openApi(bridge.port, { token: 'x'.repeat(32) })).toBe(401);
    expect(await openApi(bridge.port, { token: bridge.token.slice(1) })).toBe(401);
    expect(await openApi(bridge.port, { token: bridge.token, origin: 'http://evil.example' })).toBe(403);
    expect(await openApi(bridge.port, { token: bridge.token, origin: `http://127.0.0.1:${bridge.port + 1}` })).toBe(403);
  });

  it('answers malformed messages with a clear error and keeps serving', async () => {
    const c = await connect();
    c.sendRaw('this is not json');
    c.sendRaw('[1,2,3');
    const bad = await c.call('add', { config: { url: 'http://nope/' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_CONFIG', problems: [{ path: 'url' }] } });
    expect(await c.call('explode', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(c.stray).toEqual([
      { ok: false, error: { code: 'INVALID_REQUEST', message: 'a request must be a JSON object {id, method, payload}' } },
      { ok: false, error: { code: 'INVALID_REQUEST', message: 'a request must be a JSON object {id, method, payload}' } },
    ]);
    expect(await c.call('rows', {})).toMatchObject({ ok: true, result: { count: 0, rows: [], statuses: [] } });
  });

  it('runs commands and pushes each client the changes of what its window shows', async () => {
    const [a, b, elsewhere] = [await connect(), await connect(), await connect()];
    for (const c of [a, b]) expect(await c.call('rows', {})).toMatchObject({ ok: true });
    expect(await elsewhere.call('rows', { text: 'nothing like it' })).toMatchObject({ ok: true, result: { matched: 0 } });
    const added = await a.call('add', { config: { url: rig.lab.url('/', { pongDelay: 20 }), name: 'lab', heartbeat: { intervalMs: 100 } } });
    expect(added).toMatchObject({ ok: true, result: { id: 'lab' } });
    await rig.log.nth('lab', 'rtt', 3);
    await new Promise<void>((resolve) => {
      const check = () => (b.updates.some((u) => u.endpoints.some((s) => s.id === 'lab' && s.beats.length > 0)) ? resolve() : setTimeout(check, 20));
      check();
    });
    for (const c of [a, b]) {
      expect(c.updates.some((u) => u.endpoints.some((s) => s.id === 'lab' && s.state === 'open'))).toBe(true);
      const ticks = c.updates.flatMap((u) => u.endpoints.filter((s) => s.id === 'lab').flatMap((s) => s.beats));
      expect(ticks.length).toBeGreaterThan(0);
      for (const t of ticks) expect(t.rttMs).toBeGreaterThanOrEqual(20);
    }
    // The third window's list shows none of it: it is sent its list's header when that changes, never lab's status.
    expect(elsewhere.updates.flatMap((u) => [...u.endpoints, ...(u.rows?.statuses ?? [])])).toEqual([]);
    expect(elsewhere.updates.at(-1)?.rows).toMatchObject({ count: 1, matched: 0, rows: [] });
    expect(await b.call('pause', { id: 'lab' })).toEqual({ ok: true, result: null });
    expect(rig.records.status('lab').state).toBe('paused');
  });

  it('exports the session log through a single-use download address, and says why when there is no log', async () => {
    const c = await connect();
    expect(await c.call('exportLog', { format: 'csv' })).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: expect.stringMatching(/--log FILE/) },
    });
    expect(await c.call('exportLog', { format: 'pdf' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: 'exportLog: format: format must be json, csv or html' },
    });

    const logPath = join(staticDir, 'session.jsonl');
    writeFileSync(logPath, '{"v":1,"ts":"2026-01-01T00:00:00.000Z","mono":0,"type":"session-start","app":"wsmon","version":"0"}\n');
    const logged = new Session({ logPath });
    await logged.start();
    const withLog = await startBridge({ source: { session: logged }, staticDir });
    try {
      const ws = await openApi(withLog.port, { token: withLog.token });
      if (typeof ws === 'number') throw new Error(`refused with ${ws}`);
      sockets.push(ws);
      const answer = await new Client(ws).call('exportLog', { format: 'csv' });
      const download = (answer as { ok: true; result: { download: string } }).result.download;
      expect(download).toMatch(/^\/export\/[A-Za-z0-9_-]{24}$/);
      // A HEAD (a link checker, a browser's preflight) looks without using the address up.
      const head = await httpGet(withLog.port, download, undefined, 'HEAD');
      expect([head.status, head.headers['content-disposition'], head.body]).toEqual([200, 'attachment; filename="wsmon-session.csv"', '']);
      const first = await httpGet(withLog.port, download);
      expect(first.status).toBe(200);
      expect(first.headers['content-disposition']).toBe('attachment; filename="wsmon-session.csv"');
      expect(first.body.split('\r\n').slice(0, 2)).toEqual([
        'time,endpoint,url,type,rttMs,code,reason,attempt,delayMs,message,handshakeMs,dnsMs,tcpMs,proxyMs,tlsMs,upgradeMs,appMs,networkRttMs,networkRttVarMs',
        '2026-01-01T00:00:00.000Z,,,session-start,,,,,,,,,,,,,,,',
      ]);
      expect((await httpGet(withLog.port, download)).status).toBe(404); // single use
      expect((await httpGet(withLog.port, '/export/guessed-id-000000000000')).status).toBe(404);
    } finally {
      await withLog.close();
      await logged.stop();
    }
  });

  it('a client that stops reading is disconnected at a bound; the bridge keeps serving the others', async () => {
    const c = await connect();
    const other = await connect();
    c.ws.pause(); // reads nothing from now on: answers pile up on the server's side
    const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
    const request = JSON.stringify({ id: 1, method: 'history', payload: { id: 'lab', from: 0, to: 1e12 } });
    rig.add(rig.lab.url('/'), { name: 'lab' });
    await rig.log.nth('lab', 'rtt', 20);
    // Each answer carries the endpoint's raw samples; enough calls to pass the bound many times over.
    const calls = Math.ceil((4 * MAX_UNREAD_BYTES) / Buffer.byteLength(JSON.stringify(await other.call('history', { id: 'lab', from: 0, to: 1e12 }))));
    for (let i = 0; i < calls; i++) c.ws.send(request);
    c.ws.resume();
    expect(await closed).toBe(1006); // dropped, not closed: it would not have read a close frame either
    expect(await other.call('session', {})).toMatchObject({ ok: true });
  });
});
