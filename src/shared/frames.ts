// What was said on the wire: the frames of an endpoint's sockets as the
// engine captured them (core/engine/frame-log.ts), and the handshakes they
// followed. The API, the window, the CLI and the exports all read these shapes.
import type { ConnectPhases } from './phases';
import { printable } from './printable';

export const FRAME_OPS = ['text', 'binary', 'ping', 'pong', 'close'] as const;
export type FrameOp = (typeof FRAME_OPS)[number];
export const FRAME_DIRS = ['in', 'out'] as const;
export type FrameDir = (typeof FRAME_DIRS)[number];
/** wsmon's own traffic: its heartbeats (and the answers to them), and what its protocol driver says (handshakes, replies, closes). */
export const FRAME_ROLES = ['heartbeat', 'protocol'] as const;
export type FrameRole = (typeof FRAME_ROLES)[number];

/** The RFC 6455 opcode of each kind of frame (HAR's _webSocketMessages carry it). */
export const OPCODES: Record<FrameOp, number> = { text: 1, binary: 2, close: 8, ping: 9, pong: 10 };

/**
 * The most of one frame's payload kept: a preview, whatever the message's
 * size (a 16 MiB snapshot keeps its first 16 KiB and its full size). 16 KiB
 * shows a whole JSON message of every feed we know of (order books are
 * larger, their head says what they are), and lets 16 of them fit the
 * default byte bound.
 */
export const FRAME_PREVIEW_BYTES = 16 * 1024;

/** One frame as captured: a text payload as text, any other as hex; secrets masked. */
export interface Frame {
  /** The endpoint's frame number, from 1: increasing, never reused (a gap is frames that gave way to newer ones). */
  seq: number;
  /** Which connect it belongs to (its handshake's `conn`). */
  conn: number;
  /** Wall-clock and session time (ms), on the same clock as the events. */
  t: number;
  mono: number;
  dir: FrameDir;
  op: FrameOp;
  /** The payload's full size in bytes (after decompression), whatever was kept. */
  size: number;
  /** wsmon's own: a heartbeat (or its answer) or its protocol's message; absent for the peer's data. */
  by?: FrameRole;
  /** What the protocol calls it: `4 message` (engine.io), `CONNACK` (MQTT), `next` (graphql-ws). */
  label?: string;
  /** A text frame's payload, or a close frame's reason. */
  text?: string;
  /** A binary, ping or pong frame's payload, in hex. */
  hex?: string;
  /** Only the first FRAME_PREVIEW_BYTES were kept. */
  truncated?: true;
  /** A close frame's status code (absent: none was given, 1005). */
  code?: number;
}

/** One connect's HTTP exchange: the upgrade request and the server's answer (101, or a refusal). */
export interface Handshake {
  conn: number;
  t: number;
  mono: number;
  url: string;
  request: { method: 'GET'; headers: [string, string][] };
  /** Null when no answer came (the attempt failed before one). */
  response: { status: number; statusText: string; headers: [string, string][] } | null;
  /** The connect's phases, once it opened. */
  phases?: ConnectPhases;
}

/** An endpoint's capture settings (`frames` in its settings): on or off, and the bounds of what is kept. */
export interface FrameCapture {
  capture: boolean;
  count: number;
  bytes: number;
}

/** An endpoint's frames after `after`, a page at a time. */
export interface FramesAnswer {
  id: string;
  capture: FrameCapture;
  /** What is held now, and how many frames have given way to newer ones since capture began. */
  held: { frames: number; bytes: number };
  dropped: number;
  frames: Frame[];
  /** The handshakes of the connects these frames belong to (and the last connect's, always). */
  handshakes: Handshake[];
  /** More frames wait after the last one given: ask again with after = its seq. */
  more: boolean;
}

/** A payload shown whole: pretty JSON where it is JSON, hex in rows of 16 bytes, else the text; control characters escaped. */
export function payloadText(f: Pick<Frame, 'text' | 'hex' | 'op' | 'code'>): string {
  if (f.hex !== undefined) return hexRows(f.hex);
  const text = f.text ?? '';
  if (f.op === 'close') return `${f.code ?? 'no status (1005)'}${text ? ` ${printable(text)}` : ''}`;
  const json = prettyJson(text);
  return json ?? printable(text);
}

/** The text as indented JSON when it is a JSON object or array, else null. */
export function prettyJson(text: string): string | null {
  const t = text.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return null;
  try {
    return printable(JSON.stringify(JSON.parse(text), null, 2)).replaceAll('\\x0a', '\n');
  } catch {
    return null;
  }
}

/** Hex as an offset, 16 bytes and their printable ASCII per row (as xxd shows them). */
export function hexRows(hex: string): string {
  const rows: string[] = [];
  for (let i = 0; i < hex.length; i += 32) {
    const chunk = hex.slice(i, i + 32);
    const bytes = chunk.match(/../g) ?? [];
    const ascii = bytes.map((b) => {
      const n = parseInt(b, 16);
      return n >= 0x20 && n < 0x7f ? String.fromCharCode(n) : '.';
    });
    rows.push(`${(i / 2).toString(16).padStart(8, '0')}  ${bytes.join(' ').padEnd(47)}  ${ascii.join('')}`);
  }
  return rows.join('\n');
}

/** One line of a frame's payload, at most `max` characters: escaped text, or hex. */
export function payloadPreview(f: Pick<Frame, 'text' | 'hex' | 'op' | 'code'>, max = 200): string {
  const whole = f.op === 'close' ? `${f.code ?? '1005'}${f.text ? ` ${f.text}` : ''}` : (f.hex ?? f.text ?? '');
  const line = printable(whole.length > max ? whole.slice(0, max) : whole);
  return whole.length > max ? `${line}…` : line;
}

/** A frame in one line, control characters escaped: `← text 14 B [heartbeat] {"a":1}`. */
export function frameLine(f: Frame): string {
  const arrow = f.dir === 'in' ? '←' : '→';
  const tags = [f.label, f.by].filter(Boolean).map((x) => `[${printable(x!)}]`);
  const size = `${f.size} B${f.truncated ? ' (truncated)' : ''}`;
  return [arrow, f.op, size, ...tags, payloadPreview(f)].join(' ');
}
