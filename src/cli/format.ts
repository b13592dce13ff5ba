// One readable line per event, for people watching a terminal.
import type { WsmonEvent } from '../shared/events';

const COLOURS = { red: 31, green: 32, yellow: 33, blue: 34, dim: 2 } as const;
type Colour = keyof typeof COLOURS;

const TYPE_COLOUR: Partial<Record<WsmonEvent['type'], Colour>> = {
  open: 'green',
  rtt: 'green',
  'heartbeat-missed': 'yellow',
  'reconnect-scheduled': 'yellow',
  paused: 'yellow',
  close: 'red',
  error: 'red',
  'gave-up': 'red',
  connecting: 'blue',
  'session-start': 'dim',
  'session-end': 'dim',
};

/** What happened, in words. */
export function describeEvent(e: WsmonEvent): string {
  switch (e.type) {
    case 'session-start':
      return `${e.app} ${e.version} started`;
    case 'session-end':
      return `${e.app} ${e.version} stopped`;
    case 'endpoint-added':
    case 'endpoint-updated':
    case 'endpoint-removed':
      return e.url;
    case 'connecting':
      return e.attempt ? `attempt ${e.attempt}` : 'first attempt';
    case 'open':
      return `handshake ${e.handshakeMs.toFixed(1)} ms${e.protocol ? ` · protocol ${e.protocol}` : ''}`;
    case 'rtt':
      return `${e.rttMs.toFixed(2)} ms (${e.via} #${e.seq})`;
    case 'heartbeat-missed':
      return `no answer to #${e.seq} · ${e.missed} in a row`;
    case 'close':
      return `${e.code}${e.reason ? ` "${e.reason}"` : ''} by ${e.initiator}${e.wasClean ? '' : ' (not clean)'} · was up ${(e.uptimeMs / 1000).toFixed(1)} s`;
    case 'error':
      return `${e.code} during ${e.phase}: ${e.message}`;
    case 'reconnect-scheduled':
      return `attempt ${e.attempt} in ${(e.delayMs / 1000).toFixed(2)} s`;
    case 'gave-up':
      return `after ${e.attempts} attempts`;
    case 'stopped':
    case 'paused':
    case 'resumed':
      return `by ${e.by}`;
  }
}

export function formatEvent(e: WsmonEvent, names: ReadonlyMap<string, string>, colour: boolean): string {
  const paint = (c: Colour | undefined, s: string) => (colour && c ? `\x1b[${COLOURS[c]}m${s}\x1b[0m` : s);
  const time = e.ts.slice(11, 23);
  const who = e.endpoint !== undefined ? (names.get(e.endpoint) ?? e.endpoint) : '-';
  return `${paint('dim', time)}  ${who.padEnd(24)}  ${paint(TYPE_COLOUR[e.type], e.type.padEnd(19))}  ${describeEvent(e)}`;
}
