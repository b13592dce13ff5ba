// What a protocol spoken on top of WebSocket plugs into: one Driver per open
// socket, talking to the link through a DriverPort. A driver owns its
// protocol's handshake (ready or refused, in the server's words), how a beat
// is written and which message answers which beat, the server's own
// heartbeat, and what counts as application data (for freshness).
import type { Clock } from '../clock';
import type { ResolvedConfig } from '../resolved-config';

export interface DriverPort {
  send(data: string | Buffer): void;
  /** The protocol's handshake succeeded; `detail` says what was negotiated, in words. */
  ready(detail?: string): void;
  /** The server said no during the handshake: the attempt fails with this error. */
  refuse(code: string, message: string): void;
  /** After ready: the server reported an error that ends the session (a STOMP ERROR frame, an MQTT DISCONNECT). */
  fault(code: string, message: string): void;
  /** A message answered beat `seq` (null: the oldest unanswered). */
  answer(seq: number | null): void;
  /** A message answered beat `seq` (null: the oldest) with an error. */
  failBeat(seq: number | null, message: string): void;
  /** Proof of life for the peer watch. */
  alive(): void;
  /** The server's own heartbeat: expect proof of life within firstMs, then every thenMs; `misses` silences are death. */
  watchPeer(firstMs: number, thenMs: number, misses: number): void;
  /** Application data, for freshness (text, or hex: for binary). */
  data(text: string): void;
}

export interface Driver {
  /** How beats go out: ping frames, messages written by `beat`, or none (passive). */
  readonly beats: 'ping' | 'message' | 'passive';
  /** The socket is open: start the protocol's handshake (or call port.ready at once). */
  open(): void;
  message(data: Buffer, isBinary: boolean): void;
  /** The server sent a ping frame (ws answers it). */
  ping(): void;
  /** Writes beat `seq` (message mode). */
  beat(seq: number): void;
  /** A close during the handshake, in the protocol's words (graphql-ws 4403 is "forbidden"), or null for the generic words. */
  closeWords?(code: number, reason: string): string | null;
  stop?(): void;
}

export type DriverFactory = (cfg: ResolvedConfig, port: DriverPort, clock: Clock) => Driver;
