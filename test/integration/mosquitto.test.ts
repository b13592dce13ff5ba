// The MQTT driver's version 5 path against a real broker: Debian's mosquitto
// (MQTT 5, 3.1.1 and 3.1) with a WebSocket listener, started here for each
// test on a free port. aedes, the other broker the tests use, speaks 3.1.1.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventOf } from '../../src/shared/events';
import { freePort } from '../../src/lab/demo';
import { useRig } from '../helpers/harness';
import { waitFor } from '../helpers/wait';

const MOSQUITTO = '/usr/sbin/mosquitto';
const missing = existsSync(MOSQUITTO) ? null : 'mosquitto is not installed (.ci/run installs it)';
if (missing) console.log(`mosquitto.test.ts: skipped, ${missing}`);

/** A broker with one WebSocket listener on 127.0.0.1; `users` given, only they may connect. */
async function startBroker(users?: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'wsmon-mosquitto-'));
  const [plain, port] = [await freePort(), await freePort()];
  // mosquitto 2.0.11 will not start with WebSocket listeners alone ("Unable to start any listening sockets"): a plain one first.
  const lines = [
    `listener ${plain} 127.0.0.1`,
    `listener ${port} 127.0.0.1`,
    'protocol websockets',
    'persistence false',
    `allow_anonymous ${users ? 'false' : 'true'}`,
  ];
  if (users) {
    const file = join(dir, 'passwords');
    writeFileSync(file, '');
    for (const [user, password] of Object.entries(users)) execFileSync('mosquitto_passwd', ['-b', file, user, password], { stdio: 'pipe' });
    // Started as root, mosquitto runs as its own user, which must read the (hashed) passwords.
    chmodSync(dir, 0o755);
    chmodSync(file, 0o644);
    lines.push(`password_file ${file}`);
  }
  writeFileSync(join(dir, 'mosquitto.conf'), `${lines.join('\n')}\n`);
  const broker: ChildProcess = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  broker.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const listening = () =>
    new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => (s.destroy(), resolve(true))).on('error', () => resolve(false));
    });
  await waitFor(
    listening,
    (up) => up,
    () => `mosquitto listening on ${port}: ${log}`,
    { timeoutMs: 10_000, everyMs: 20 },
  );
  return {
    url: `ws://127.0.0.1:${port}/`,
    stop: () => new Promise<void>((r) => (broker.exitCode !== null ? r() : (broker.once('exit', () => r()), broker.kill()))),
  };
}

describe.skipIf(missing !== null)('MQTT 5 against mosquitto', () => {
  const rig = useRig();
  let broker: { stop(): Promise<void> } | null = null;
  afterEach(async () => {
    await rig.monitor.stop();
    await broker?.stop();
    broker = null;
  });

  it('CONNECT and CONNACK in version 5: open, with the app handshake its own phase, and PINGREQ/PINGRESP as the heartbeat', async () => {
    const b = await startBroker();
    broker = b;
    const id = rig.add(b.url, { appProtocol: { name: 'mqtt', version: 5, keepaliveS: 5 }, heartbeat: { intervalMs: 200, timeoutMs: 1000, misses: 2 } });
    const open = (await rig.log.nth(id, 'open', 1)) as EventOf<'open'>;
    expect(open.protocol).toBe('mqtt');
    expect(open.negotiated).toBe('MQTT 5 session accepted; keep-alive 5 s');
    expect(open.phases!.appMs).toBeGreaterThanOrEqual(0);
    const rtt = (await rig.log.nth(id, 'rtt', 3)) as EventOf<'rtt'>;
    expect(rtt.via).toBe('message');
    expect(rig.log.of(id).some((e) => e.type === 'heartbeat-missed')).toBe(false);
  });

  it("a refusal in version 5's words: the broker's reason code, named", async () => {
    const b = await startBroker({ watcher: 'right' });
    broker = b;
    const id = rig.add(b.url, {
      appProtocol: { name: 'mqtt', version: 5, keepaliveS: 5, username: 'watcher', password: 'wrong' },
      backoff: { initialMs: 60_000 },
    });
    const error = (await rig.log.nth(id, 'error', 1)) as EventOf<'error'>;
    expect(error.code).toBe('MQTT_CONNACK_135');
    expect(error.message).toBe('the MQTT broker refused the connection: not authorized (CONNACK 135)');
    expect(error.inPhase).toBe('app');
  });
});
