// One readable line per event, for people watching a terminal.
import { describeEvent } from '../shared/describe';
import type { WsmonEvent } from '../shared/events';
import { printable } from '../shared/printable';
import { frameLine, type Frame } from '../shared/frames';

const COLOURS = { red: 31, green: 32, yellow: 33, blue: 34, dim: 2 } as const;
type Colour = keyof typeof COLOURS;

const TYPE_COLOUR: Partial<Record<WsmonEvent['type'], Colour>> = {
  open: 'green',
  rtt: 'green',
  'heartbeat-missed': 'yellow',
  stale: 'yellow',
  fresh: 'green',
  'reconnect-scheduled': 'yellow',
  paused: 'yellow',
  close: 'red',
  error: 'red',
  'gave-up': 'red',
  connecting: 'blue',
  'session-start': 'dim',
  'session-end': 'dim',
  'incident-start': 'red',
  'incident-joined': 'red',
  'incident-end': 'green',
};

export function formatEvent(e: WsmonEvent, names: ReadonlyMap<string, string>, colour: boolean): string {
  const paint = (c: Colour | undefined, s: string) => (colour && c ? `\x1b[${COLOURS[c]}m${s}\x1b[0m` : s);
  const time = e.ts.slice(11, 23);
  const who = e.endpoint !== undefined ? (names.get(e.endpoint) ?? e.endpoint) : '-';
  // What a server sent (a close reason, a status text) is shown, never obeyed: no escape runs, no line is forged.
  return `${paint('dim', time)}  ${fit(printable(who), NAME_WIDTH)}  ${paint(TYPE_COLOUR[e.type], e.type.padEnd(19))}  ${printable(describeEvent(e))}`;
}

const NAME_WIDTH = 28;

/** A frame as an event line shows it: time, endpoint, "frame", then the frame (shared/frames.ts frameLine). */
export function formatFrame(f: Frame, name: string, colour: boolean): string {
  const time = new Date(f.t).toISOString().slice(11, 23);
  const dim = (s: string) => (colour ? `\x1b[${COLOURS.dim}m${s}\x1b[0m` : s);
  return `${dim(time)}  ${fit(printable(name), NAME_WIDTH)}  ${dim('frame'.padEnd(19))}  ${frameLine(f)}`;
}

/** Pads or shortens in the middle, keeping both ends of a long name readable. */
export function fit(text: string, width: number): string {
  if (text.length <= width) return text.padEnd(width);
  const head = Math.ceil((width - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}`;
}
