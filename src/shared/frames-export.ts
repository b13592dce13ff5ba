// An endpoint's frames as files: JSON lines (one handshake or frame a line,
// as `wsmon watch --frames --json` prints them) and HAR 1.2 with the
// `_webSocketMessages` Chrome DevTools writes, so the file opens in DevTools,
// Charles, Fiddler and every HAR viewer. The window and the CLI write both
// from the same frames the API gives (secrets already masked).
import { APP_NAME, APP_VERSION } from './app';
import type { Frame, FramesAnswer, Handshake } from './frames';
import { OPCODES } from './frames';
import { jsonLine } from './printable';
import { tryUrl } from './url';
import { round3 } from './format';

export const FRAME_EXPORT_FORMATS = ['jsonl', 'har'] as const;
export type FrameExportFormat = (typeof FRAME_EXPORT_FORMATS)[number];
export const FRAME_EXPORT_INFO: Record<FrameExportFormat, { label: string; mime: string; extension: string }> = {
  jsonl: { label: 'JSON lines', mime: 'application/x-ndjson', extension: 'jsonl' },
  har: { label: 'HAR 1.2', mime: 'application/json', extension: 'har' },
};

/** The format a file name asks for: HAR for .har, JSON lines otherwise. */
export function frameFormatOfPath(path: string): FrameExportFormat {
  return path.toLowerCase().endsWith('.har') ? 'har' : 'jsonl';
}

/** One endpoint's frames and handshakes, with its URL (secrets masked) for a connect whose handshake is no longer held. */
export interface FrameSet {
  endpoint: string;
  url: string;
  handshakes: Handshake[];
  frames: Frame[];
}

/** One line per handshake and frame, oldest first: {"endpoint", "handshake"} or {"endpoint", "frame"}. */
export function framesJsonLines(sets: FrameSet[]): string {
  const items: { mono: number; line: string }[] = [];
  for (const { endpoint, handshakes, frames } of sets) {
    for (const h of handshakes) items.push({ mono: h.mono, line: jsonLine({ endpoint, handshake: h }) });
    for (const f of frames) items.push({ mono: f.mono, line: jsonLine({ endpoint, frame: f }) });
  }
  // Stable: a handshake comes before the frames of its connect at the same instant.
  items.sort((a, b) => a.mono - b.mono);
  return items.map((i) => `${i.line}\n`).join('');
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Hex as base64 (how Chrome writes a binary frame's data). */
export function hexToBase64(hex: string): string {
  const bytes = (hex.match(/../g) ?? []).map((b) => parseInt(b, 16));
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i]!, bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += BASE64[(n >> 18) & 63]! + BASE64[(n >> 12) & 63]!;
    out += b === undefined ? '=' : BASE64[(n >> 6) & 63]!;
    out += c === undefined ? '=' : BASE64[n & 63]!;
  }
  return out;
}

const pairs = (headers: [string, string][]) => headers.map(([name, value]) => ({ name, value }));

/** HAR's timings from a connect's phases: -1 for a phase that did not happen, as the format says. */
function timings(h: Handshake) {
  const p = h.phases;
  const tls = p?.tlsMs ?? -1;
  // HAR's connect includes the TLS time (ssl is also given apart); the proxy's tunnel is part of the connect.
  const connect = p && (p.tcpMs !== null || p.proxyMs !== null) ? (p.tcpMs ?? 0) + (p.proxyMs ?? 0) + (tls > 0 ? tls : 0) : -1;
  return { blocked: -1, dns: p?.dnsMs ?? -1, connect: round3(connect), ssl: tls, send: 0, wait: p?.upgradeMs ?? 0, receive: 0 };
}

/**
 * The handshakes with one standing in for each connect that has frames but
 * no handshake held (capture was turned on while it was open): its URL, no
 * headers, no answer.
 */
function everyConnect({ url, handshakes, frames }: FrameSet): Handshake[] {
  const all = [...handshakes];
  const known = new Set(handshakes.map((h) => h.conn));
  for (const f of frames) {
    if (known.has(f.conn)) continue;
    known.add(f.conn);
    all.push({ conn: f.conn, t: f.t, mono: f.mono, url, request: { method: 'GET', headers: [] }, response: null });
  }
  return all.sort((a, b) => a.conn - b.conn);
}

/** HAR 1.2: one entry per connect (its upgrade as the request and response), its text and binary frames as Chrome writes them. */
export function framesHar(sets: FrameSet[]): string {
  const entries = sets.flatMap((set) => everyConnect(set).map((h) => harEntry(set, h)));
  entries.sort((a, b) => a.startedDateTime.localeCompare(b.startedDateTime));
  return `${JSON.stringify({ log: { version: '1.2', creator: { name: APP_NAME, version: APP_VERSION }, pages: [], entries } }, null, 1)}\n`;
}

function harEntry({ endpoint, frames }: FrameSet, h: Handshake) {
  const own = frames.filter((f) => f.conn === h.conn);
  const t = timings(h);
  const url = tryUrl(h.url);
  return {
    startedDateTime: new Date(h.t).toISOString(),
    time: [t.dns, t.connect, t.send, t.wait, t.receive].filter((x) => x > 0).reduce((a, b) => a + b, 0),
    request: {
      method: h.request.method,
      url: h.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: pairs(h.request.headers),
      queryString: url ? [...url.searchParams].map(([name, value]) => ({ name, value })) : [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: h.response?.status ?? 0,
      statusText: h.response?.statusText ?? '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: pairs(h.response?.headers ?? []),
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 0,
    },
    cache: {},
    timings: t,
    _resourceType: 'websocket',
    _webSocketMessages: own
      .filter((f) => f.op === 'text' || f.op === 'binary')
      .map((f) => ({
        type: f.dir === 'out' ? 'send' : 'receive',
        time: f.t / 1000,
        opcode: OPCODES[f.op],
        data: f.hex !== undefined ? hexToBase64(f.hex) : (f.text ?? ''),
      })),
    // What Chrome does not record: control frames, wsmon's marks, sizes of cut payloads, the endpoint.
    _wsmon: { endpoint, frames: own },
  };
}

/**
 * Every frame an endpoint holds after `after` and their handshakes, asking page
 * after page (the API's frames answers, or the monitor's); `answer` is the
 * last page (the bounds, what is held, how many gave way).
 */
export async function gatherFrames(
  page: (after: number) => FramesAnswer | Promise<FramesAnswer>,
  after = 0,
): Promise<Pick<FrameSet, 'frames' | 'handshakes'> & { answer: FramesAnswer }> {
  const frames: Frame[] = [];
  const handshakes = new Map<number, Handshake>();
  for (;;) {
    const answer = await page(after);
    frames.push(...answer.frames);
    for (const h of answer.handshakes) handshakes.set(h.conn, h);
    if (answer.frames.length > 0) after = answer.frames.at(-1)!.seq;
    if (!answer.more || answer.frames.length === 0) return { frames, handshakes: [...handshakes.values()].sort((a, b) => a.conn - b.conn), answer };
  }
}

/** The file for endpoints' frames in a format. */
export function framesFile(format: FrameExportFormat, sets: FrameSet[]): string {
  return format === 'har' ? framesHar(sets) : framesJsonLines(sets);
}
