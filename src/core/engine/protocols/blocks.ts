// The building blocks any protocol can use, layered over its driver: messages
// sent once the socket (and the protocol's own handshake) is open, an
// acknowledgement to wait for before the endpoint counts as up, a refusal
// rule (the server saying no, reported in its own words), and replies that
// answer matching messages (how a client keeps a server's heartbeat happy).
import { formatPongMatch } from '../../../shared/match-rule';
import { answerMatcher } from '../answer-matcher';
import { closeCodeText } from '../errors';
import type { Driver, DriverFactory } from './driver';
import { decodePayload, messageText, quoted } from './payload';

export function withBlocks(make: DriverFactory): DriverFactory {
  return (cfg, port, clock) => {
    const ack = cfg.onOpen?.ack ? answerMatcher(cfg.onOpen.ack) : null;
    const refuse = cfg.onOpen?.refuse ? answerMatcher(cfg.onOpen.refuse) : null;
    const sendOnOpen = (cfg.onOpen?.send ?? []).map(decodePayload);
    const replies = cfg.replies.map((r) => ({ matches: answerMatcher(r.match), send: decodePayload(r.send) }));
    let waitingForAck = false;
    let detail: string | undefined;
    const inner: Driver = make(
      cfg,
      {
        ...port,
        ready(d) {
          for (const m of sendOnOpen) port.send(m);
          if (!ack) return port.ready(d);
          waitingForAck = true;
          detail = d;
        },
      },
      clock,
    );
    if (!ack && !refuse && !replies.length && !sendOnOpen.length) return inner;
    return {
      beats: inner.beats,
      open: () => inner.open(),
      ping: () => inner.ping(),
      beat: (seq) => inner.beat(seq),
      closeWords: (code, reason) =>
        inner.closeWords?.(code, reason) ??
        (waitingForAck
          ? `the server closed the connection (${closeCodeText(code, reason)}) before acknowledging (expected ${formatPongMatch(cfg.onOpen!.ack!)})`
          : null),
      stop: () => inner.stop?.(),
      message(data, isBinary) {
        const text = messageText(data, isBinary);
        if (refuse?.(text)) {
          if (waitingForAck) return port.refuse('REFUSED', `the server refused: ${quoted(text)}`);
          return port.fault('REFUSED', `the server said: ${quoted(text)}`);
        }
        if (waitingForAck && ack!(text)) {
          waitingForAck = false;
          return port.ready(detail);
        }
        const reply = replies.find((r) => r.matches(text));
        if (reply) {
          // The server's own heartbeat: life, not application data.
          port.send(reply.send);
          port.alive();
          return;
        }
        inner.message(data, isBinary);
      },
    };
  };
}
