// No protocol on top: the heartbeat as configured. Message mode writes the
// payload (with {seq}) and credits answers by the rule; passive mode takes
// any frame, or only messages matching `lifeMatch`, as life. Every other
// message is application data.
import { answerMatcher, beatPayload, type Answer } from '../answer-matcher';
import type { DriverFactory } from './driver';
import { decodePayload, messageText } from './payload';

export const plain: DriverFactory = (cfg, port) => {
  const hb = cfg.heartbeat;
  const answerOf: ((text: string) => Answer) | null = hb.mode === 'message' ? answerMatcher(hb.match) : null;
  const life = hb.mode === 'passive' && hb.lifeMatch ? answerMatcher(hb.lifeMatch) : null;
  const anyFrameIsLife = hb.mode === 'passive' && !life;
  return {
    beats: hb.mode,
    open: () => port.ready(),
    ping: () => {
      if (anyFrameIsLife) port.alive();
    },
    beat: (seq) => port.send(decodePayload(beatPayload(hb.payload, seq))),
    message(data, isBinary) {
      const text = messageText(data, isBinary);
      if (anyFrameIsLife || life?.(text)) port.alive();
      const a = answerOf?.(text);
      if (a) port.answer(a.seq);
      else port.data(text);
    },
  };
};
