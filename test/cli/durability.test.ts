// A change is acknowledged only once it is on disk: `wsmon web --data` is
// SIGKILLed again and again while a client adds endpoints through the bridge,
// and every add that was answered is in the next start's list.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Envelope } from '../../src/shared/api';
import { startCli, waitForLine } from '../helpers/cli';

const KILLS = 12;

/** The bridge's API as a client uses it: one request per message, answers matched by id. */
async function connect(address: string): Promise<{ call: (method: string, payload: unknown) => Promise<Envelope>; ws: WebSocket }> {
  const url = new URL(address);
  const ws = new WebSocket(`ws://${url.host}/api?token=${encodeURIComponent(url.hash.slice('#token='.length))}`, { origin: `http://${url.host}` });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.on('error', () => {}); // the server is killed under it
  const waiting = new Map<number, (e: Envelope) => void>();
  ws.on('message', (d) => {
    const msg = JSON.parse(d.toString()) as { id: number; answer?: Envelope };
    if (msg.answer) waiting.get(msg.id)?.(msg.answer);
  });
  let next = 1;
  const call = (method: string, payload: unknown) =>
    new Promise<Envelope>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ id, method, payload }));
    });
  return { call, ws };
}

describe('durability', () => {
  it(`${KILLS} SIGKILLs while a client adds endpoints: every acknowledged add survives, and no temporary file outlives the next start`, async () => {
    const data = mkdtempSync(join(tmpdir(), 'wsmon-durable-'));
    const acked = new Set<string>();
    let sent = 0;
    for (let run = 0; run <= KILLS; run++) {
      const web = startCli(['web', '--data', data]);
      const line = await waitForLine(web.stdout, (l) => l.startsWith('wsmon web: http://'), 'the address', 15_000);
      const { call, ws } = await connect(line.slice('wsmon web: '.length));
      // What the last run acknowledged is there, and what its kill left half-written is gone.
      // Every endpoint, a page of the list at a time.
      const names = new Set<string>();
      for (let offset = 0, total = 1; offset < total; offset += 200) {
        const page = (await call('rows', { sort: 'name', offset, limit: 200 })) as { ok: true; result: { total: number; statuses: { name: string }[] } };
        total = page.result.total;
        for (const e of page.result.statuses) names.add(e.name);
      }
      expect([...acked].filter((n) => !names.has(n))).toEqual([]);
      expect(readdirSync(data).filter((f) => f.includes('.tmp-'))).toEqual([]);
      if (run === KILLS) {
        web.child.kill('SIGTERM');
        await web.result;
        break;
      }
      // Eight adds in flight at a time, until the kill.
      let alive = true;
      const worker = async () => {
        while (alive) {
          const name = `r${run}-${sent++}`;
          const answer = await Promise.race([call('add', { config: { url: 'ws://127.0.0.1:9/', name }, connect: false }), web.result.then(() => null)]);
          if (answer?.ok) acked.add(name);
        }
      };
      const workers = Array.from({ length: 8 }, worker);
      await new Promise((r) => setTimeout(r, 60 + ((run * 53) % 200))); // how long it works before the crash: the scenario, not a wait for an event
      web.child.kill('SIGKILL');
      await web.result;
      alive = false;
      ws.terminate();
      await Promise.all(workers);
    }
    expect(acked.size).toBeGreaterThan(KILLS * 5);
    const saved = JSON.parse(readFileSync(join(data, 'endpoints.json'), 'utf8')) as { endpoints: { name: string }[] };
    const onDisk = new Set(saved.endpoints.map((e) => e.name));
    expect([...acked].filter((n) => !onDisk.has(n))).toEqual([]);
  }, 120_000);
});
