// A held frame or handshake as it leaves the engine: every text through the
// endpoint's redactor (its secrets, and anything secret-shaped, whoever wrote
// it), secret headers masked by name, bytes as hex, and the protocol's name
// for the frame. Text keeps its control characters: JSON carries them safely,
// and each face escapes them where it prints (shared/printable.ts).
import type { EndpointConfig } from '../../shared/config';
import { frameLabel } from '../../shared/frame-labels';
import type { Frame, Handshake } from '../../shared/frames';
import { isSecretParam, redactUrl, REDACTED, type Redactor } from '../../shared/redact';
import type { HeldFrame, HeldHandshake } from './frame-log';

/** A page of frames carries at most about this much payload (hex doubles it, JSON escapes may grow it): an answer well under the bridge's bounds. */
export const FRAME_PAGE_CHARS = 512 * 1024;

export function frameView(f: HeldFrame, config: EndpointConfig, redact: Redactor): Frame {
  const view: Frame = { seq: f.seq, conn: f.conn, t: f.t, mono: f.mono, dir: f.dir, op: f.op, size: f.size };
  if (f.by) view.by = f.by;
  const label = frameLabel(config.appProtocol?.name, f.op, f.payload);
  if (label !== null) view.label = redact(label);
  // Bytes are masked as latin1 text: a secret written in ASCII inside a binary frame is masked in its hex too.
  const masked = f.payload && redact(f.payload);
  if (f.op === 'text' || f.op === 'close') view.text = masked;
  else view.hex = Buffer.from(masked, 'latin1').toString('hex');
  if (f.truncated) view.truncated = true;
  if (f.code !== null) view.code = f.code;
  return view;
}

/** Header values of names that say secret (Authorization, Cookie, X-Api-Key …) are masked whole; the WebSocket's own (Sec-WebSocket-Key is a nonce) are not. */
function headersView(headers: [string, string][], redact: Redactor): [string, string][] {
  return headers.map(([name, value]) => [name, !/^sec-websocket-/i.test(name) && isSecretParam(name) ? REDACTED : redact(value)]);
}

export function handshakeView(h: HeldHandshake, config: EndpointConfig, redact: Redactor): Handshake {
  const view: Handshake = {
    conn: h.conn,
    t: h.t,
    mono: h.mono,
    url: redact(redactUrl(config.url)),
    request: { method: 'GET', headers: headersView(h.request, redact) },
    response: h.response && { status: h.response.status, statusText: redact(h.response.statusText), headers: headersView(h.response.headers, redact) },
  };
  if (h.phases) view.phases = h.phases;
  return view;
}
