// Turns what Node and ws throw into a code a program can test and a sentence a person can read.
import type { ErrorPhase } from '../../shared/events';

export interface NamedError {
  phase: ErrorPhase;
  code: string;
  message: string;
}

const NETWORK: Record<string, (where: string) => string> = {
  ECONNREFUSED: (w) => `connection refused by ${w} (nothing is listening there)`,
  ENOTFOUND: (w) => `host not found: DNS has no address for ${w}`,
  EAI_AGAIN: (w) => `DNS lookup for ${w} failed temporarily`,
  ECONNRESET: (w) => `connection reset by ${w}`,
  ETIMEDOUT: (w) => `connection to ${w} timed out`,
  EHOSTUNREACH: (w) => `no route to ${w}`,
  ENETUNREACH: (w) => `network unreachable for ${w}`,
  EPIPE: (w) => `connection to ${w} broke while sending`,
  ECONNABORTED: (w) => `connection to ${w} aborted`,
};

const TLS_CODE = /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_SSL/;

// ws's protocol errors: what to call them, and the close code ws sends the peer for each (RFC 6455 §7.4.1).
const WS_FRAME: Record<string, [kind: string, closeCode: number]> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: ['message too large', 1009],
  WS_ERR_INVALID_OPCODE: ['invalid frame', 1002],
  WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH: ['invalid frame', 1002],
  WS_ERR_INVALID_UTF8: ['invalid frame', 1007],
  WS_ERR_UNEXPECTED_MASK: ['invalid frame', 1002],
  WS_ERR_EXPECTED_MASK: ['invalid frame', 1002],
  WS_ERR_UNEXPECTED_RSV_1: ['invalid frame', 1002],
  WS_ERR_UNEXPECTED_RSV_2_3: ['invalid frame', 1002],
  WS_ERR_EXPECTED_FIN: ['invalid frame', 1002],
  WS_ERR_INVALID_CLOSE_CODE: ['invalid frame', 1002],
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: ['invalid frame', 1009],
};

/** The close code ws sent the peer after a protocol error, if the error is one. */
export function protocolCloseCode(code: string): number | null {
  return WS_FRAME[code]?.[1] ?? null;
}

/** Names an error from ws or the network. `where` is "host:port". */
export function nameError(err: Error & { code?: string }, where: string, opened: boolean): NamedError {
  const code = err.code ?? '';
  if (opened) {
    const kind = WS_FRAME[code]?.[0];
    return { phase: 'open', code: code || 'WS_ERROR', message: kind ? `${kind}: ${err.message}` : err.message };
  }
  const net = NETWORK[code];
  if (net) return { phase: 'connect', code, message: net(where) };
  // OpenSSL's words for a peer that answered a TLS hello with something else (a plain HTTP or ws server).
  if (
    /WRONG_VERSION_NUMBER|wrong version number|packet length too long|unknown protocol|http request/i.test(err.message) ||
    (code === 'EPROTO' && /SSL/i.test(err.message))
  ) {
    return {
      phase: 'connect',
      code: 'TLS_NOT_SPOKEN',
      message: `${where} did not answer in TLS: it may be a plain ws:// endpoint, or not a WebSocket server at all`,
    };
  }
  if (TLS_CODE.test(code)) return { phase: 'connect', code, message: `TLS certificate problem (${code}): ${err.message}` };
  if (/Server sent no subprotocol/.test(err.message)) {
    return {
      phase: 'handshake',
      code: 'SUBPROTOCOL_REFUSED',
      message: 'the server accepted none of the subprotocols offered: it does not speak this protocol here (check the URL and --protocol)',
    };
  }
  if (/Sec-WebSocket|Upgrade header|subprotocol|Invalid URL|redirect/i.test(err.message)) {
    return { phase: 'handshake', code: 'HANDSHAKE_INVALID', message: `server's handshake answer was invalid: ${err.message}` };
  }
  return { phase: 'connect', code: code || 'CONNECT_FAILED', message: err.message || 'connection failed' };
}

export function httpRefusal(status: number, statusText: string): NamedError {
  return {
    phase: 'handshake',
    code: `HTTP_${status}`,
    message: `server refused the WebSocket upgrade with HTTP ${status}${statusText ? ` ${statusText}` : ''}`,
  };
}

/** `gotResponse`: the server had begun to answer the upgrade. `proxy`: the proxy in use, whose hop the timeout covers too. */
export function connectTimeout(timeoutMs: number, where: string, gotResponse: boolean, proxy?: string): NamedError {
  const via = proxy ? `, through the proxy ${proxy}` : '';
  return gotResponse
    ? {
        phase: 'handshake',
        code: 'ETIMEDOUT',
        message: `${where} began answering the upgrade but did not finish it within ${timeoutMs} ms (connect timeout${via})`,
      }
    : { phase: 'connect', code: 'ETIMEDOUT', message: `no WebSocket handshake from ${where} within ${timeoutMs} ms (connect timeout${via})` };
}

/** No TCP connection within the TCP bound: the path (or the host) is down or dropping packets. */
export function tcpTimeout(timeoutMs: number, where: string): NamedError {
  return {
    phase: 'connect',
    code: 'TCP_TIMEOUT',
    message: `no TCP connection to ${where} within ${timeoutMs} ms: the host or the path to it is not answering`,
  };
}

export function closedBeforeOpen(where: string): NamedError {
  return { phase: 'connect', code: 'ECONNRESET', message: `connection to ${where} closed before the handshake finished` };
}

/** The WebSocket opened, but the application handshake (`what`: "the Socket.IO handshake") did not complete in time. */
export function handshakeTimeout(timeoutMs: number, what: string): NamedError {
  return {
    phase: 'handshake',
    code: 'APP_HANDSHAKE_TIMEOUT',
    message: `the WebSocket opened, but ${what} did not complete within ${timeoutMs} ms (connect timeout)`,
  };
}

/** A close code and the peer's reason, quoted: `4403 "Forbidden"`. */
export function closeCodeText(code: number, reason: string): string {
  return `${code}${reason ? ` ${JSON.stringify(reason)}` : ''}`;
}

/** The server closed the socket during the application handshake; `words`: the protocol's own reading of the close, if it has one. */
export function closedInHandshake(code: number, reason: string, what: string, words: string | null): NamedError {
  return {
    phase: 'handshake',
    code: `APP_CLOSED_${code}`,
    message: words ?? `the server closed the connection (${closeCodeText(code, reason)}) before ${what} completed`,
  };
}
