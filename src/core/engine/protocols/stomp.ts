// STOMP 1.2 (and 1.1/1.0 servers) over WebSocket:
//   client: CONNECT accept-version, host, heart-beat cx,cy [, login, passcode]
//   server: CONNECTED version, heart-beat sx,sy   or   ERROR message:…
// Heart-beats then go both ways as negotiated (§Heart-beating): wsmon sends
// an EOL every max(cx, sy) and declares the server dead when nothing arrives
// for max(sx, cy) plus the heartbeat timeout. RTT comes from RFC 6455 ping
// frames. An ERROR frame is reported in the server's words.
import type { Clock, TimerHandle } from '../clock';
import type { DriverFactory } from './driver';
import { quoted } from './payload';

interface Frame {
  command: string;
  headers: Record<string, string>;
  body: string;
}

const unescapeHeader = (v: string) => v.replace(/\\([nrc\\])/g, (_m, c: string) => ({ n: '\n', r: '\r', c: ':', '\\': '\\' })[c]!);
const escapeHeader = (v: string) => v.replace(/[\\\n\r:]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', ':': '\\c' })[c]!);

/** One frame's text (without its NUL). The first value of a repeated header wins (§Repeated Header Entries). */
export function parseFrame(text: string): Frame {
  const headerEnd = text.search(/\r?\n\r?\n/);
  const head = headerEnd < 0 ? text : text.slice(0, headerEnd);
  const body = headerEnd < 0 ? '' : text.slice(headerEnd).replace(/^\r?\n\r?\n/, '');
  const [command = '', ...lines] = head.split(/\r?\n/);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = unescapeHeader(line.slice(0, i));
    if (!(name in headers)) headers[name] = unescapeHeader(line.slice(i + 1));
  }
  return { command: command.trim(), headers, body };
}

export function connectFrame(headers: Record<string, string>): string {
  return `CONNECT\n${Object.entries(headers)
    .map(([k, v]) => `${escapeHeader(k)}:${escapeHeader(v)}`)
    .join('\n')}\n\n\0`;
}

/** The negotiated periods (ms, 0 = none): how often we send, how often the server does. */
export function negotiate(offered: number, serverHeader: string | undefined): { sendMs: number; expectMs: number } {
  const [sx = 0, sy = 0] = (serverHeader ?? '0,0').split(',').map((n) => Number.parseInt(n, 10) || 0);
  return { sendMs: offered && sy ? Math.max(offered, sy) : 0, expectMs: offered && sx ? Math.max(sx, offered) : 0 };
}

export const stomp: DriverFactory = (cfg, port, clock: Clock) => {
  const opts = cfg.appProtocol?.name === 'stomp' ? cfg.appProtocol : { heartBeatMs: 10_000, host: undefined, login: undefined, passcode: undefined };
  let connected = false;
  let pending = '';
  let beatTimer: TimerHandle | null = null;

  const startBeats = (everyMs: number) => {
    const beat = () => {
      port.send('\n');
      beatTimer = clock.setTimeout(beat, everyMs);
    };
    beatTimer = clock.setTimeout(beat, everyMs);
  };

  const onFrame = (f: Frame) => {
    if (f.command === 'CONNECTED' && !connected) {
      connected = true;
      const { sendMs, expectMs } = negotiate(opts.heartBeatMs, f.headers['heart-beat']);
      const version = f.headers.version ?? '1.0';
      port.ready(
        `STOMP ${version}; heart-beats: wsmon sends ${sendMs ? `every ${sendMs / 1000} s` : 'none'}, the server ${expectMs ? `every ${expectMs / 1000} s` : 'none'}`,
      );
      if (sendMs) startBeats(sendMs);
      if (expectMs) port.watchPeer(expectMs + cfg.heartbeat.timeoutMs, expectMs + cfg.heartbeat.timeoutMs, 1);
      return;
    }
    if (f.command === 'ERROR') {
      const said = [f.headers.message, f.body.trim()].filter((s, i, all) => s && all.indexOf(s) === i).join(': ');
      const message = `the STOMP server sent ERROR: ${quoted(said || '(no message)')}`;
      return connected ? port.fault('STOMP_ERROR', message) : port.refuse('STOMP_ERROR', message);
    }
    if (!connected) return port.refuse('STOMP_UNEXPECTED', `expected CONNECTED, got a ${quoted(f.command)} frame`);
    if (f.command === 'MESSAGE') port.data(f.body);
  };

  return {
    beats: 'ping',
    open: () =>
      port.send(
        connectFrame({
          'accept-version': '1.2,1.1,1.0',
          host: opts.host ?? new URL(cfg.url).hostname,
          'heart-beat': `${opts.heartBeatMs},${opts.heartBeatMs}`,
          ...(opts.login !== undefined ? { login: opts.login } : {}),
          ...(opts.passcode !== undefined ? { passcode: opts.passcode } : {}),
        }),
      ),
    ping: () => {},
    beat: () => {},
    message(data) {
      port.alive(); // any byte, heart-beat EOLs included, is the server's heart-beat
      pending += data.toString();
      // Frames end with NUL; what follows may be EOLs (heart-beats) or the next frame.
      let nul: number;
      while ((nul = pending.indexOf('\0')) >= 0) {
        const text = pending.slice(0, nul).replace(/^[\r\n]+/, '');
        pending = pending.slice(nul + 1);
        if (text) onFrame(parseFrame(text));
      }
      pending = pending.replace(/^[\r\n]+/, '');
      if (pending.length > cfg.maxPayload) {
        pending = '';
        port.fault('STOMP_FRAME_TOO_LARGE', `the server is sending a STOMP frame larger than the ${cfg.maxPayload}-byte limit (maxPayload)`);
      }
    },
    stop: () => {
      if (beatTimer) clock.clearTimeout(beatTimer);
      beatTimer = null;
    },
  };
};
